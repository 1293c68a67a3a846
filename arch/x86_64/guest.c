// SPDX-License-Identifier: MIT
/*
 * What a handed-over x86-64 VM gets: RAM from 2 MiB (guest-physical), the
 * emulated 16550 at I/O port 0x3F8, 32-bit ELF kernels (EM_386). x86
 * guests get no device tree: the DT hooks write nothing.
 */
#include "arch/guest.h"
#include "arch/vm_irq.h"
#include "vm_config.h"

#define X86_GUEST_RAM_BASE	0x200000ull
#define X86_GUEST_UART_PORT	0x3f8	/* COM1 */
#define EM_386			3	/* System V ABI, e_machine */

static const struct arch_guest_defaults x86_guest_defaults = {
	.ram_base = X86_GUEST_RAM_BASE,
	.console_kind = VM_CONSOLE_NS16550_PORT,
	.console_base = X86_GUEST_UART_PORT,
	.elf_machine = EM_386,
	.linux_image = 0,
	.boot_info = ARCH_BOOT_INFO_MULTIBOOT,
};

const struct arch_guest_defaults *arch_guest_defaults(void)
{
	return &x86_guest_defaults;
}

int arch_vm_dt_cpus(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)w;
	(void)d;
	return 0;
}

int arch_vm_dt_cpu(struct fdt_wr *w, const struct vm_desc *d, u32 vcpu)
{
	(void)w;
	(void)d;
	(void)vcpu;
	return 0;
}

int arch_vm_dt_nodes(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)w;
	(void)d;
	return 0;
}

int arch_vm_dt_root_props(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)w;
	(void)d;
	return 0;
}

int arch_vm_dt_uart_irq(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)w;
	(void)d;
	return 0;
}

/* No virtual interrupt controller yet (no virtual local APIC): a device's line goes nowhere. */
void arch_vm_irq_level(struct vm *vm, u32 spi, bool level)
{
	(void)vm;
	(void)spi;
	(void)level;
}
