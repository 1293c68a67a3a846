// SPDX-License-Identifier: MIT
/* The arm64 side of hyp/arch/cpu.h and irq.h, and the boot CPU's way into hyp_main(). */
#include "arch/mm.h"
#include "arm64.h"
#include "boot.h"
#include "console.h"
#include "fdt.h"
#include "gicv3.h"
#include "hyp.h"
#include "pl011.h"
#include "psci.h"
#include "sysreg.h"

#define ARM64_FDT_MAX_SIZE	(2u << 20)	/* booting.rst: the DTB is at most 2 MiB */

const char *arch_boot_level(void)
{
	return "EL2";
}

unsigned int hyp_this_cpu(void)
{
	return arm64_this_cpu();
}

u64 arch_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

static void console_setup(const struct fdt *fdt)
{
	u64 base = PL011_DEFAULT_BASE;

	if (fdt && fdt_find_uart(fdt, PL011_COMPAT, &base))
		base = PL011_DEFAULT_BASE;
	pl011_init(base);
	hyp_console_set_output(pl011_putc);
	hyp_console_set_output_str(pl011_puts);
	hyp_console_set_input(pl011_getc);
	hyp_set_power_off(arch_power_off);
}

/*
 * The host GICv3, MMU still off; its registers join the boot description's
 * device ranges so the stage 1 maps them. Without one, no interrupts: the
 * CPUs wait with WFE and the event stream, and VMs get no vGIC.
 */
static void gic_setup(struct boot_info *bi, const struct fdt *fdt)
{
	struct gicv3_desc d;
	int ret = gicv3_probe(fdt, &d);

	if (!ret)
		ret = gicv3_init(&d);
	if (ret) {
		hyp_log("hyp: no usable GICv3 (%d): no interrupts, no vGIC\n", ret);
		return;
	}
	bi->devices[bi->nr_devices++] = (struct boot_range){ .base = d.gicd, .size = GICD_SIZE };
	bi->devices[bi->nr_devices++] = (struct boot_range){ .base = d.gicr, .size = d.gicr_size };
}

/* From head.S on a secondary CPU, MMU on, before hyp_secondary_main(). */
void arm64_secondary_init(void);
void arm64_secondary_init(void)
{
	if (gicv3_ready() && gicv3_cpu_init())
		hyp_log("hyp: cpu %u: its GIC redistributor did not wake\n", arm64_this_cpu());
}

/* From head.S at EL2, MMU off, with a stack: the DTB to the boot description. */
void __attribute__((noreturn)) arm64_main(u64 dtb);
void arm64_main(u64 dtb)
{
	static struct boot_info bi;
	/* Written by fdt_index() as far as it reads, and read only with the MMU still off. */
	static struct fdt_ix ix[FDT_BOOT_NODES] HYP_NOT_CLEARED;
	struct fdt fdt;
	int ret = fdt_init(&fdt, (const void *)(uintptr_t)dtb, ARM64_FDT_MAX_SIZE);

	if (!ret)
		fdt_index(&fdt, ix, FDT_BOOT_NODES);	/* none: the queries scan */

	console_setup(ret ? NULL : &fdt);
	if (ret)
		hyp_panic("no valid device tree at 0x%llx (%d)\n", (unsigned long long)dtb, ret);
	bi.image = (struct boot_range){ .base = (u64)(uintptr_t)_start,
					.size = (u64)(uintptr_t)(_end - _start) };
	ret = boot_from_fdt(&bi, &fdt);
	if (ret)
		hyp_panic("cannot boot from the device tree at 0x%llx (%d)\n",
			  (unsigned long long)dtb, ret);
	bi.console = (struct boot_range){ .base = pl011_base(), .size = PL011_MMIO_SIZE };
	gic_setup(&bi, &fdt);
	hyp_main(&bi);
}

u64 arch_time_us(void)
{
	u64 freq = read_sysreg(cntfrq_el0), cnt;

	isb();
	cnt = read_sysreg(cntpct_el0);
	if (!freq)
		return 0;
	return cnt / freq * 1000000 + cnt % freq * 1000000 / freq;
}

/* The standard function ids (CPU_ON among them) exist from PSCI 0.2 on. */
static bool psci_usable(void)
{
	static u32 version;

	if (!version)
		version = psci_version();
	return (s32)version > 0 && (PSCI_VERSION_MAJOR(version) > 0 ||
				    PSCI_VERSION_MINOR(version) >= 2);
}

int arch_cpu_start(u32 cpu, u64 hwid)
{
	u64 entry = (u64)(uintptr_t)arm64_secondary_entry;
	int ret;

	if (!psci_usable())
		return PSCI_NOT_SUPPORTED;
	ret = psci_cpu_on(hwid, entry, cpu);
	return ret == PSCI_SUCCESS ? 0 : ret;
}

void arch_power_off(void)
{
	psci_system_off();
}

/* Entered from head.S, at EL1 or EL3, with a stack and zeroed BSS. */
void arm64_wrong_el(u64 dtb, u64 el);
void arm64_wrong_el(u64 dtb, u64 el)
{
	struct fdt fdt;
	bool ok = !fdt_init(&fdt, (const void *)(uintptr_t)dtb, ARM64_FDT_MAX_SIZE);

	console_setup(ok ? &fdt : NULL);
	hyp_set_power_off(NULL);
	hyp_log("hyp: error: entered at EL%llu, the hypervisor needs EL2 "
		"(QEMU: -M virt,virtualization=on); halting\n", (unsigned long long)el);
	for (;;)
		__asm__ volatile("wfi");
}
