/* SPDX-License-Identifier: MIT */
/*
 * The arch contract, handed-over guests: what a VM the boot loader
 * described gets unless its node says otherwise, which kernel images the
 * arch boots, and the arch's nodes of a VM's device tree.
 */
#ifndef HYP_ARCH_GUEST_H
#define HYP_ARCH_GUEST_H

#include "types.h"

struct fdt_wr;
struct vm_desc;

/* Which Linux image header the arch boots (hyp/image.h). */
#define ARCH_LINUX_IMAGE_ARM64	1	/* Documentation/arch/arm64/booting.rst */
#define ARCH_LINUX_IMAGE_RISCV	2	/* Documentation/riscv/boot-image-header.rst */

struct arch_guest_defaults {
	u64 ram_base;		/* guest-physical base of RAM */
	u32 console_kind;	/* VM_CONSOLE_* of the emulated UART (hyp/vm_config.h) */
	u64 console_base;	/* and where it sits */
	u16 elf_machine;	/* e_machine of the arch's ELF kernels */
	u8 linux_image;		/* ARCH_LINUX_IMAGE_* */
};

const struct arch_guest_defaults *arch_guest_defaults(void);

/*
 * The arch's part of @d's device tree, written under the root node: the
 * properties of /cpus/cpu@N (called once per vCPU, inside that node), and
 * the nodes the VM really has of the interrupt controller, timer and
 * power interface (PSCI, SBI). 0 or -errno (the buffer is full).
 */
int arch_vm_dt_cpu(struct fdt_wr *w, const struct vm_desc *d, u32 vcpu);
int arch_vm_dt_nodes(struct fdt_wr *w, const struct vm_desc *d);

#endif
