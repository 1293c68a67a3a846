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

/*
 * What a VM's vCPU 0 is handed: a device tree (hyp/vm_dt.h) for the VMs the
 * boot loader handed over (the built-in guests get their RAM's base and
 * size only), or the multiboot information (hyp/vm_mbi.h) for every VM.
 */
#define ARCH_BOOT_INFO_DT		0
#define ARCH_BOOT_INFO_MULTIBOOT	1

/* Which Linux image header the arch boots (hyp/image.h). */
#define ARCH_LINUX_IMAGE_ARM64	1	/* Documentation/arch/arm64/booting.rst */
#define ARCH_LINUX_IMAGE_RISCV	2	/* Documentation/riscv/boot-image-header.rst */

struct arch_guest_defaults {
	u64 ram_base;		/* guest-physical base of RAM */
	u32 console_kind;	/* VM_CONSOLE_* of the emulated UART (hyp/vm_config.h) */
	u64 console_base;	/* and where it sits */
	u16 elf_machine;	/* e_machine of the arch's ELF kernels */
	u8 linux_image;		/* ARCH_LINUX_IMAGE_* */
	u8 boot_info;		/* ARCH_BOOT_INFO_*: what a VM is handed at its entry */
	/*
	 * Which of vCPU 0's two entry arguments holds the device tree's
	 * address; the other is 0. arm64 (booting.rst): x0 = the tree.
	 * RISC-V (Documentation/riscv/boot.rst): a0 = the boot hart's id,
	 * vCPU 0's = 0, and a1 = the tree.
	 */
	u8 dt_arg;
};

const struct arch_guest_defaults *arch_guest_defaults(void);

/*
 * The arch's part of @d's device tree, written under the root node: the
 * properties of /cpus itself (RISC-V's timebase-frequency; called inside
 * that node before its cpu nodes), those of /cpus/cpu@N (called once per
 * vCPU, inside that node), and
 * the nodes the VM really has of the interrupt controller, timer and
 * power interface (PSCI, SBI). 0 or -errno (the buffer is full).
 */
int arch_vm_dt_cpus(struct fdt_wr *w, const struct vm_desc *d);
int arch_vm_dt_cpu(struct fdt_wr *w, const struct vm_desc *d, u32 vcpu);
int arch_vm_dt_nodes(struct fdt_wr *w, const struct vm_desc *d);
/*
 * The root's own properties the arch adds (its "interrupt-parent", written
 * before any child node: the controller's phandle is the fixed
 * VM_DT_PHANDLE_IRQCHIP), and the "interrupts" of the VM's console UART
 * (inside that node). Nothing where the VM has no interrupt controller.
 */
int arch_vm_dt_root_props(struct fdt_wr *w, const struct vm_desc *d);
int arch_vm_dt_uart_irq(struct fdt_wr *w, const struct vm_desc *d);

/*
 * The phandle of a VM's interrupt controller: fixed, one of the
 * hypervisor's (hyp/vm_dt.c hands out the others counting up from
 * 0xffff0000, and a user tree may use none of them).
 */
#define VM_DT_PHANDLE_IRQCHIP	0xfffffffeu

#endif
