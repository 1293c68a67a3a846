// SPDX-License-Identifier: MIT
/*
 * What a handed-over arm64 VM gets: QEMU virt's layout (RAM at 1 GiB, the
 * PL011 at 0x09000000, the GICv3 at 0x08000000), Linux Images and ELF
 * kernels of EM_AARCH64, and the arm64 nodes of its device tree: PSCI,
 * the vGIC, the architected timer, the PL011's interrupt.
 */
#include "arch/guest.h"
#include "fdt_write.h"
#include "gicv3.h"
#include "vdev/vpl011.h"
#include "vgic.h"
#include "vm.h"
#include "vm_config.h"

#define ARM64_GUEST_RAM_BASE	0x40000000ull	/* QEMU virt's RAM */
#define ARM64_GUEST_UART_BASE	0x09000000ull	/* QEMU virt's PL011 */
#define EM_AARCH64		183	/* ELF for the Arm 64-bit Architecture, 5.1 */
/*
 * The interrupts' cells (bindings/interrupt-controller/arm,gic-v3.yaml):
 * type (0 SPI, 1 PPI), number within the type, flags (IRQ_TYPE_*).
 */
#define GIC_SPI			0
#define GIC_PPI			1
#define GIC_INTERRUPT_CELLS	3
#define IRQ_TYPE_LEVEL_HIGH	4
#define IRQ_TYPE_LEVEL_LOW	8
#define GIC_PPI_BASE		16	/* INTID of PPI 0 */
#define GIC_SPI_BASE		32	/* INTID of SPI 0 */
/* The architected timer's PPIs (INTIDs 29, 30, 27, 26; Arm BSA): secure
 * physical, non-secure physical, virtual, hypervisor, the binding's order. */
#define TIMER_PPI_SEC_PHYS	(29 - GIC_PPI_BASE)
#define TIMER_PPI_PHYS		(30 - GIC_PPI_BASE)
#define TIMER_PPI_VIRT		(27 - GIC_PPI_BASE)
#define TIMER_PPI_HYP		(26 - GIC_PPI_BASE)
#define TIMER_PPIS		4

static const struct arch_guest_defaults arm64_guest_defaults = {
	.ram_base = ARM64_GUEST_RAM_BASE,
	.console_kind = VM_CONSOLE_PL011,
	.console_base = ARM64_GUEST_UART_BASE,
	.elf_machine = EM_AARCH64,
	.linux_image = ARCH_LINUX_IMAGE_ARM64,
};

const struct arch_guest_defaults *arch_guest_defaults(void)
{
	return &arm64_guest_defaults;
}

/* The architected timer's frequency is CNTFRQ_EL0's: /cpus needs nothing. */
int arch_vm_dt_cpus(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}

/* vCPUs are started with PSCI CPU_ON (vpsci.c), the core writes reg = vMPIDR Aff0. */
int arch_vm_dt_cpu(struct fdt_wr *w, const struct vm_desc *d, u32 vcpu)
{
	(void)d;
	(void)vcpu;
	fdt_wr_prop_string(w, "compatible", "arm,armv8");
	return fdt_wr_prop_string(w, "enable-method", "psci");
}

/* PSCI through HVC (Documentation/devicetree/bindings/arm/psci.yaml): vpsci.c answers. */
static int arm64_dt_psci(struct fdt_wr *w)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2" };

	fdt_wr_begin_node(w, "psci");
	fdt_wr_prop_strings(w, "compatible", compat, ARRAY_SIZE(compat));
	fdt_wr_prop_string(w, "method", "hvc");
	return fdt_wr_end_node(w);
}

static int arm64_dt_reg2(struct fdt_wr *w, u64 b0, u64 s0, u64 b1, u64 s1)
{
	u32 reg[] = { (u32)(b0 >> 32), (u32)b0, (u32)(s0 >> 32), (u32)s0,
		      (u32)(b1 >> 32), (u32)b1, (u32)(s1 >> 32), (u32)s1 };

	return fdt_wr_prop_cells(w, "reg", reg, ARRAY_SIZE(reg));
}

/*
 * The vGIC (bindings/interrupt-controller/arm,gic-v3.yaml): the distributor
 * and one redistributor region, a frame pair per vCPU; no ITS, and no
 * maintenance interrupt, as the VM has no EL2.
 */
static int arm64_dt_gic(struct fdt_wr *w, const struct vm_desc *d)
{
	fdt_wr_begin_node_unit(w, "interrupt-controller", VGIC_GICD_BASE);
	fdt_wr_prop_string(w, "compatible", "arm,gic-v3");
	fdt_wr_prop_u32(w, "#interrupt-cells", GIC_INTERRUPT_CELLS);
	fdt_wr_prop_u32(w, "#address-cells", 0);	/* no child: no ITS */
	fdt_wr_prop(w, "interrupt-controller", NULL, 0);
	arm64_dt_reg2(w, VGIC_GICD_BASE, GICD_SIZE, VGIC_GICR_BASE,
		      (u64)d->nr_vcpus * GICR_STRIDE);
	fdt_wr_prop_u32(w, "phandle", VM_DT_PHANDLE_IRQCHIP);
	return fdt_wr_end_node(w);
}

/* The architected timer (bindings/timer/arm,arch_timer.yaml): its four PPIs, level. */
static int arm64_dt_timer(struct fdt_wr *w)
{
	static const u32 ppis[TIMER_PPIS] = { TIMER_PPI_SEC_PHYS, TIMER_PPI_PHYS,
					      TIMER_PPI_VIRT, TIMER_PPI_HYP };
	u32 cells[TIMER_PPIS * GIC_INTERRUPT_CELLS];

	for (u32 i = 0; i < TIMER_PPIS; i++) {
		cells[i * GIC_INTERRUPT_CELLS] = GIC_PPI;
		cells[i * GIC_INTERRUPT_CELLS + 1] = ppis[i];
		cells[i * GIC_INTERRUPT_CELLS + 2] = IRQ_TYPE_LEVEL_LOW;
	}
	fdt_wr_begin_node(w, "timer");
	fdt_wr_prop_string(w, "compatible", "arm,armv8-timer");
	fdt_wr_prop_cells(w, "interrupts", cells, ARRAY_SIZE(cells));
	fdt_wr_prop(w, "always-on", NULL, 0);
	return fdt_wr_end_node(w);
}

/*
 * Without a vGIC (the host has no usable GICv3) neither the GIC nor the
 * timer, whose interrupts would need it: a kernel then finds no timer.
 */
int arch_vm_dt_nodes(struct fdt_wr *w, const struct vm_desc *d)
{
	arm64_dt_psci(w);
	if (!vgic_available())
		return w->err;
	arm64_dt_gic(w, d);
	return arm64_dt_timer(w);
}

/* Every interrupt of the tree is the vGIC's. */
int arch_vm_dt_root_props(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	if (!vgic_available())
		return w->err;
	return fdt_wr_prop_u32(w, "interrupt-parent", VM_DT_PHANDLE_IRQCHIP);
}

/* The PL011's line (hyp/vdev/vpl011.h): an SPI, level high, as on QEMU's virt. */
int arch_vm_dt_uart_irq(struct fdt_wr *w, const struct vm_desc *d)
{
	u32 cells[GIC_INTERRUPT_CELLS] = { GIC_SPI, VPL011_SPI, IRQ_TYPE_LEVEL_HIGH };

	if (d->console_kind != VM_CONSOLE_PL011 || !vgic_available())
		return w->err;
	return fdt_wr_prop_cells(w, "interrupts", cells, ARRAY_SIZE(cells));
}
