/* SPDX-License-Identifier: MIT */
/* An emulated 16550 UART for guests: the VM's console, output and input. */
#ifndef HYP_VDEV_VNS16550_H
#define HYP_VDEV_VNS16550_H

#include "types.h"

struct vm;
struct vcpu;
struct vdev_bus;

#define VNS16550_SIZE		0x1000ull	/* on an MMIO bus: the page it sits in */
#define VNS16550_REGS		8		/* on I/O ports: its eight registers */

/*
 * A 16550 on @bus (@vm's MMIO or port bus) over [@base, @base + @size),
 * registers one byte apart from @base; byte accesses only.
 */
int vns16550_add(struct vm *vm, struct vdev_bus *bus, u64 base, u64 size);
/* @vm's 16550, if it has one, back to its state at creation: registers, FIFO. */
void vns16550_reset(struct vm *vm);
/*
 * A byte of console input for @vcpu's VM taken from its 16550's receive
 * FIFO, as an RBR read would (for a firmware console call: SBI DBCN and
 * the legacy getchar); -1 if none waits or the VM has no 16550.
 */
int vns16550_getc(struct vcpu *vcpu);

#endif
