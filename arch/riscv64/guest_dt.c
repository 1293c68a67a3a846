// SPDX-License-Identifier: MIT
/*
 * What a handed-over riscv64 VM gets: QEMU virt's layout (RAM at 2 GiB,
 * the NS16550 at 0x10000000), Linux Images and ELF kernels of EM_RISCV,
 * and the RISC-V nodes of its device tree
 * (Documentation/devicetree/bindings/riscv/cpus.yaml).
 */
#include "arch/guest.h"
#include "fdt_write.h"
#include "riscv64.h"
#include "vm.h"
#include "vm_config.h"

#define RISCV_GUEST_RAM_BASE	0x80000000ull	/* QEMU virt's RAM */
#define RISCV_GUEST_UART_BASE	0x10000000ull	/* QEMU virt's NS16550 */
#define EM_RISCV		243	/* RISC-V ELF psABI: e_machine */
#define RISCV_GUEST_ISA		"rv64imafdc"

static const struct arch_guest_defaults riscv_guest_defaults = {
	.ram_base = RISCV_GUEST_RAM_BASE,
	.console_kind = VM_CONSOLE_NS16550,
	.console_base = RISCV_GUEST_UART_BASE,
	.elf_machine = EM_RISCV,
	.linux_image = ARCH_LINUX_IMAGE_RISCV,
	.dt_arg = 1,		/* a0 = the hart id, a1 = the tree (Documentation/riscv/boot.rst) */
};

const struct arch_guest_defaults *arch_guest_defaults(void)
{
	return &riscv_guest_defaults;
}

/*
 * The guest reads the host's time CSR (htimedelta 0, arch_vcpu_run()), so
 * its timebase is the host's, read from the host's /cpus (a u32 there
 * too, or cpu.c's default).
 */
int arch_vm_dt_cpus(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return fdt_wr_prop_u32(w, "timebase-frequency", (u32)riscv_timebase_hz);
}

/* What the guest's vsatp may use: the hart's own modes (mmu_mode.c). */
static const char *mmu_type(u32 levels)
{
	return levels >= RISCV_LEVELS_SV57 ? "riscv,sv57" :
	       levels == RISCV_LEVELS_SV48 ? "riscv,sv48" : "riscv,sv39";
}

/* Harts are started with SBI HSM (vsbi.c); reg = the virtual hart id = the vCPU index. */
int arch_vm_dt_cpu(struct fdt_wr *w, const struct vm_desc *d, u32 vcpu)
{
	(void)d;
	(void)vcpu;
	fdt_wr_prop_string(w, "compatible", "riscv");
	fdt_wr_prop_string(w, "riscv,isa", RISCV_GUEST_ISA);
	fdt_wr_prop_string(w, "mmu-type", mmu_type(riscv_mmu.vs));
	fdt_wr_prop_string(w, "status", "okay");
	fdt_wr_begin_node(w, "interrupt-controller");
	fdt_wr_prop_u32(w, "#address-cells", 0);	/* dtc: an interrupt provider says it */
	fdt_wr_prop_u32(w, "#interrupt-cells", 1);
	fdt_wr_prop(w, "interrupt-controller", NULL, 0);
	fdt_wr_prop_string(w, "compatible", "riscv,cpu-intc");
	return fdt_wr_end_node(w);
}

/* No platform interrupt controller yet; the SBI needs no node. */
int arch_vm_dt_nodes(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}

/* No platform interrupt controller yet (no PLIC/APLIC): no root interrupt-parent. */
int arch_vm_dt_root_props(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}

/* The console UART has no interrupt line until there is a controller for it. */
int arch_vm_dt_uart_irq(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}
