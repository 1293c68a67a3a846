/* SPDX-License-Identifier: MIT */
/* An emulated 16550 UART for guests: transmit only, into the VM's console. */
#ifndef HYP_VDEV_VNS16550_H
#define HYP_VDEV_VNS16550_H

#include "types.h"

struct vm;
struct vdev_bus;

#define VNS16550_REGS		8

/* A 16550 on @bus (@vm's port or MMIO bus) at @base, registers @stride bytes apart. */
int vns16550_add(struct vm *vm, struct vdev_bus *bus, u64 base, u32 stride);

#endif
