/* SPDX-License-Identifier: MIT */
/*
 * An emulated PL011 for guests: its output goes to the VM's console, its
 * input comes from the console while the VM holds it, its interrupt goes
 * out on one level-sensitive line (hyp/arch/vm_irq.h).
 */
#ifndef HYP_VDEV_VPL011_H
#define HYP_VDEV_VPL011_H

#include "types.h"

struct vm;

#define VPL011_SIZE		0x1000ull
#define VPL011_SPI		1	/* its line: SPI 1 (INTID 33), as on QEMU's virt board */

/* A PL011 on @vm's bus at guest-physical @base. */
int vpl011_add(struct vm *vm, u64 base);
/* @vm's PL011, if it has one, back to its reset state: registers, FIFO, line. */
void vpl011_reset(struct vm *vm);

#endif
