// SPDX-License-Identifier: MIT
/*
 * What a handed-over arm64 VM gets: QEMU virt's layout (RAM at 1 GiB, the
 * PL011 at 0x09000000), Linux Images and ELF kernels of EM_AARCH64, and the
 * arm64 nodes of its device tree.
 */
#include "arch/guest.h"
#include "fdt_write.h"
#include "vm.h"
#include "vm_config.h"

#define ARM64_GUEST_RAM_BASE	0x40000000ull	/* QEMU virt's RAM */
#define ARM64_GUEST_UART_BASE	0x09000000ull	/* QEMU virt's PL011 */
#define EM_AARCH64		183	/* ELF for the Arm 64-bit Architecture, 5.1 */

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

int arch_vm_dt_nodes(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	/*
	 * The VM has no interrupt controller yet, so neither a GIC node nor
	 * the architected timer (whose interrupts would need it): both go
	 * here, the GIC with the phandle the root's interrupt-parent names,
	 * once the VM has a vGIC.
	 */
	return arm64_dt_psci(w);
}
