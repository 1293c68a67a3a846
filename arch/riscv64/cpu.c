// SPDX-License-Identifier: MIT
/*
 * The riscv64 side of hyp/arch/cpu.h, the boot hart's way into hyp_main(),
 * the hypervisor's own traps (fatal, but for instructions run under a
 * fix-up: a CSR probe, HLVX of a guest instruction).
 */
#include "arch/mm.h"
#include "boot.h"
#include "console.h"
#include "csr.h"
#include "fdt.h"
#include "hyp.h"
#include "ns16550.h"
#include "riscv64.h"
#include "sbi.h"

#define RISCV_FDT_MAX_SIZE	(2u << 20)
#define RISCV_TIMEBASE_DEFAULT	10000000ull	/* QEMU virt: 10 MHz */
#define RISCV_INSN_SIZE		4		/* the fixed-up instructions are not compressed */

u64 riscv_hartids[HYP_MAX_CPUS];
/* The hart being started, for one that OpenSBI sends to the image's entry (head.S). */
u64 riscv_hart_ticket;
u64 riscv_timebase_hz = RISCV_TIMEBASE_DEFAULT;

struct riscv_fixup riscv_fixups[HYP_MAX_CPUS];

const char *arch_boot_level(void)
{
	return "HS";
}

unsigned int hyp_this_cpu(void)
{
	return riscv_this_cpu();
}

u64 arch_cpu_hwid(void)
{
	return riscv_hartids[riscv_this_cpu()];
}

extern const struct riscv_extable __riscv_extable_start[], __riscv_extable_end[];

/* The landing pad for a fault at @pc, or 0 if no RISCV_EXTABLE entry lists it. */
static u64 extable_fixup(u64 pc)
{
	for (const struct riscv_extable *e = __riscv_extable_start; e < __riscv_extable_end; e++)
		if ((u64)&e->insn + (u64)(s64)e->insn == pc)
			return (u64)&e->fixup + (u64)(s64)e->fixup;
	return 0;
}

void riscv_host_trap(struct riscv_regs *regs);
void riscv_host_trap(struct riscv_regs *regs)
{
	u32 cpu = riscv_this_cpu();
	u64 cause = csr_read(scause);
	u64 fixup = cause & SCAUSE_INTR ? 0 : extable_fixup(regs->sepc);

	if (fixup) {
		regs->sepc = fixup;
		return;
	}

	if (cpu < HYP_MAX_CPUS && riscv_fixups[cpu].active && !(cause & SCAUSE_INTR)) {
		riscv_fixups[cpu].faulted = 1;
		regs->sepc += RISCV_INSN_SIZE;
		return;
	}
	hyp_panic("unexpected trap in HS-mode: scause 0x%llx sepc 0x%llx stval 0x%llx "
		  "htval 0x%llx ra 0x%llx\n", (unsigned long long)cause,
		  (unsigned long long)regs->sepc, (unsigned long long)csr_read(stval),
		  (unsigned long long)csr_read(htval), (unsigned long long)regs->x[1]);
}

/* misa is M-mode's: the H extension is there if its CSRs are (8.2). */
static bool hart_has_h(void)
{
	struct riscv_fixup *f = riscv_fixup_begin();

	(void)csr_read(hstatus);
	return !riscv_fixup_end(f);
}

static void console_setup(const struct fdt *fdt)
{
	u64 base = NS16550_DEFAULT_BASE;

	if (fdt && fdt_find_uart(fdt, NS16550_COMPAT, &base))
		base = NS16550_DEFAULT_BASE;
	ns16550_init(base);
	hyp_console_set_output(ns16550_putc);
	hyp_console_set_output_str(ns16550_puts);
	hyp_console_set_input(ns16550_getc);
	hyp_set_power_off(arch_power_off);
}

static void timebase_setup(const struct fdt *fdt)
{
	int cpus = fdt_path(fdt, "/cpus", 5);
	u32 hz;

	if (cpus >= 0 && !fdt_prop_u32(fdt, cpus, "timebase-frequency", &hz) && hz)
		riscv_timebase_hz = hz;
	else
		hyp_log("hyp: /cpus has no timebase-frequency: assuming %llu Hz\n",
			(unsigned long long)riscv_timebase_hz);
}

/* From head.S in HS-mode, translation off, with a stack: the DTB to the boot description. */
void __attribute__((noreturn)) riscv_main(u64 hartid, u64 dtb);
void riscv_main(u64 hartid, u64 dtb)
{
	static struct boot_info bi;
	/* Written by fdt_index() as far as it reads, and read only with translation still off. */
	static struct fdt_ix ix[FDT_BOOT_NODES] HYP_NOT_CLEARED;
	struct fdt fdt;
	int ret = fdt_init(&fdt, (const void *)(uintptr_t)dtb, RISCV_FDT_MAX_SIZE);

	if (!ret)
		fdt_index(&fdt, ix, FDT_BOOT_NODES);	/* none: the queries scan */

	riscv_hartids[0] = hartid;
	console_setup(ret ? NULL : &fdt);
	if (!hart_has_h()) {
		hyp_log("hyp: error: hart %llu has no H extension, the hypervisor needs it "
			"(QEMU: -cpu rv64,h=true); shutting down\n", (unsigned long long)hartid);
		arch_power_off();
	}
	if (ret)
		hyp_panic("no valid device tree at 0x%llx (%d)\n", (unsigned long long)dtb, ret);
	timebase_setup(&fdt);
	riscv_mmu_modes_init(&fdt);
	riscv_vtimer_init();
	bi.image = (struct boot_range){ .base = (u64)(uintptr_t)_start,
					.size = (u64)(uintptr_t)(_end - _start) };
	ret = boot_from_fdt(&bi, &fdt);
	if (ret)
		hyp_panic("cannot boot from the device tree at 0x%llx (%d)\n",
			  (unsigned long long)dtb, ret);
	bi.console = (struct boot_range){ .base = ns16550_base(), .size = NS16550_MMIO_SIZE };
	hyp_main(&bi);
}

u64 arch_time_us(void)
{
	u64 t = csr_read(time), hz = riscv_timebase_hz;

	return t / hz * 1000000 + t % hz * 1000000 / hz;
}

/* SBI HSM hart_start: the hart enters riscv_secondary_entry with a1 = @cpu. */
int arch_cpu_start(u32 cpu, u64 hwid)
{
	struct sbiret r;

	if (cpu >= HYP_MAX_CPUS)
		return -EINVAL;
	riscv_hartids[cpu] = hwid;
	__atomic_store_n(&riscv_hart_ticket, (hwid + 1) << 32 | cpu, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, hwid,
		     (u64)(uintptr_t)riscv_secondary_entry, cpu, 0, 0);
	return (int)r.error;
}

/* SBI SRST shutdown; the legacy shutdown if the SBI lacks SRST; else every hart halts here. */
void arch_power_off(void)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_NONE, 0, 0, 0);
	sbi_call(SBI_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
