// SPDX-License-Identifier: MIT
/* The arm64 side of hyp/hyp.h: console, CPU ids, time, events, power. */
#include "arm64.h"
#include "console.h"
#include "hyp.h"
#include "pl011.h"
#include "psci.h"
#include "sysreg.h"

#define CNTHCTL_EVNTI_1MS	15	/* counter bit 15 at 62.5 MHz: ~1 ms */

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
	hyp_set_power_off(arch_power_off);
}

void arch_console_init(const struct fdt *fdt)
{
	console_setup(fdt);
	/*
	 * A periodic event wakes WFE, so that the boot CPU's wait for the
	 * others can time out.
	 */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EVNTEN |
		     CNTHCTL_EVNTI_1MS << CNTHCTL_EVNTI_SHIFT);
	isb();
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

void arch_wait_event(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

void arch_send_event(void)
{
	dsb_ish();
	__asm__ volatile("sev" ::: "memory");
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
	bool ok = !fdt_init(&fdt, (const void *)(uintptr_t)dtb, HYP_FDT_MAX_SIZE);

	console_setup(ok ? &fdt : NULL);
	hyp_set_power_off(NULL);
	hyp_log("hyp: error: entered at EL%llu, the hypervisor needs EL2 "
		"(QEMU: -M virt,virtualization=on); halting\n", (unsigned long long)el);
	for (;;)
		__asm__ volatile("wfi");
}
