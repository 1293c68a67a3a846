/* SPDX-License-Identifier: MIT */
/* An emulated 16550 UART for guests: transmit into the VM's console. */
#ifndef HYP_VDEV_VNS16550_H
#define HYP_VDEV_VNS16550_H

#include "types.h"

struct vm;

#define VNS16550_SIZE		0x1000ull	/* the page it sits in */

/* A 16550 on @vm's bus at guest-physical @base, registers one byte apart. */
int vns16550_add(struct vm *vm, u64 base);

#endif
