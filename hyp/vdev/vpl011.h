/* SPDX-License-Identifier: MIT */
/* An emulated PL011 for guests: transmit only, into the VM's console. */
#ifndef HYP_VDEV_VPL011_H
#define HYP_VDEV_VPL011_H

#include "types.h"

struct vm;

#define VPL011_SIZE		0x1000ull

/* A PL011 on @vm's bus at guest-physical @base. */
int vpl011_add(struct vm *vm, u64 base);

#endif
