// SPDX-License-Identifier: MIT
/*
 * The "vtimer" guest: interrupts through the vGIC (docs/arm64.md,
 * "Interrupts"). It checks the distributor's identity (PIDR2 says GICv3)
 * and its redistributor's TYPER (affinity, Last), wakes its redistributor,
 * enables PPI 27 and turns its group-1 interrupts on through the ICC_*
 * system registers; then the EL1 virtual timer fires TICKS times at
 * TICK_HZ, each taken (ICC_IAR1_EL1), re-armed and ended (ICC_EOIR1_EL1),
 * the vCPU in WFI between them. With a second vCPU, each sends the other
 * IPIS SGIs (ICC_SGI1R_EL1), each answered, WFI while waiting.
 * Before all that it writes all-ones to, and reads, every offset of the
 * distributor and its redistributors at every width and sends SGIs to
 * vCPUs it does not have; after, it raises BURST SGIs to itself with IRQs
 * masked, more than the list registers hold, and takes them all. Last,
 * BENCH lines (tools/bench.py, under -icount: instructions): a virtual
 * timer interrupt (armed to fire at once, to the handler and back), an
 * SGI round trip to vCPU 1 and back (it waits in WFI), a GICD read.
 */
#include "lib.h"

#define GICD_BASE		0x08000000ul	/* the VM's GICv3, QEMU virt's addresses */
#define GICR_BASE		0x080a0000ul
#define GICR_STRIDE		0x20000ul
#define GICR_SGI		0x10000ul
#define GICD_CTLR		0x0000
#define GICD_CTLR_GRP1		(1u << 1)	/* EnableGrp1 (DS = 1) */
#define GICD_PIDR2		0xffe8
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_WAKER_PSLEEP	(1u << 1)
#define GICR_WAKER_CASLEEP	(1u << 2)
#define GICR_ISENABLER0		0x0100
#define GICR_IPRIORITYR		0x0400
#define PPI_VTIMER		27
#define SGI_PING		1
#define SGI_PONG		2
#define PRIO			0xa0u
#define TICK_HZ			200
#define TICKS			20
#define IPIS			10
#define CNTV_CTL_ENABLE		1ul
#define GICD_SIZE		0x10000ul
#define BURST			6
#define SGI_BURST		3	/* SGIs 3 .. 3 + BURST - 1 */
#define BENCH_N			200

static u64 period, next;
static u32 ticks, wfis, pings, pongs, bursts, bad_irqs, ready, bench_fired;

static u32 rd32(u64 addr)
{
	u32 v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static u64 rd64(u64 addr)
{
	u64 v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void sgi_send(u32 sgi, u32 vcpu)
{
	u64 v = (u64)sgi << 24 | 1ul << vcpu;	/* ICC_SGI1R_EL1: INTID, TargetList */

	__asm__ volatile("msr icc_sgi1r_el1, %0; isb" :: "r"(v) : "memory");
}

/* This vCPU's redistributor awake, @mask of its SGIs/PPIs enabled, its CPU interface on. */
static void gic_cpu_on(u32 self, u32 mask)
{
	u64 rd = GICR_BASE + self * GICR_STRIDE;

	mmio_write32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_PSLEEP);
	while (rd32(rd + GICR_WAKER) & GICR_WAKER_CASLEEP)
		;
	for (u32 i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_SGI + GICR_IPRIORITYR + i, PRIO * 0x01010101u);
	mmio_write32(rd + GICR_SGI + GICR_ISENABLER0, mask);
	__asm__ volatile("msr icc_pmr_el1, %0; msr icc_igrpen1_el1, %1; isb; msr daifclr, #2"
			 :: "r"(0xfful), "r"(1ul) : "memory");
}

void guest_exception(u64 esr, u64 elr, u64 far)
{
	u64 iar;
	u32 intid;

	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar) :: "memory");
	intid = (u32)(iar & 0xffffff);
	if (intid >= 1020) {
		put_line_u64("vtimer: unexpected exception, ESR ", esr, "");
		put_line_u64("vtimer: at ", elr, "");
		(void)far;
		system_off();
	}
	if (intid == PPI_VTIMER && ticks == TICKS) {	/* the bench: once */
		__asm__ volatile("msr cntv_ctl_el0, xzr; isb" ::: "memory");
		bench_fired++;
	} else if (intid == PPI_VTIMER) {
		ticks++;
		next += period;
		__asm__ volatile("msr cntv_cval_el0, %0; isb" :: "r"(next) : "memory");
		if (ticks == TICKS)
			__asm__ volatile("msr cntv_ctl_el0, xzr; isb" ::: "memory");
	} else if (intid == SGI_PING) {
		pings++;
		sgi_send(SGI_PONG, 0);
	} else if (intid == SGI_PONG) {
		pongs++;
	} else if (intid >= SGI_BURST && intid < SGI_BURST + BURST) {
		bursts++;
	} else {
		bad_irqs++;
	}
	__asm__ volatile("msr icc_eoir1_el1, %0; isb" :: "r"((u64)intid) : "memory");
}

static void wait_for(volatile u32 *count, u32 n)
{
	while (*count < n) {
		__asm__ volatile("wfi" ::: "memory");
		wfis++;
	}
}

void guest_secondary_main(u64 index)
{
	gic_cpu_on((u32)index, 1u << SGI_PING);
	atomic_inc(&ready);
	wait_for(&pings, IPIS + BENCH_N);
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

static void timer_test(void)
{
	u64 freq, start;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	period = freq / TICK_HZ;
	start = counter_ticks();
	next = start + period;
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :: "r"(next), "r"(CNTV_CTL_ENABLE) : "memory");
	wait_for(&ticks, TICKS);
	put_line_u64("vtimer: ", ticks, " timer interrupts at 200 Hz");
	uart_puts(counter_ticks() - start >= TICKS * period ? "vtimer: none early\n"
							     : "vtimer: EARLY\n");
	uart_puts(wfis <= TICKS + TICKS / 2 ? "vtimer: WFI waited for them\n"
					    : "vtimer: WFI did NOT wait\n");
}

static void bench_report(const char *name, u64 t0, u64 t1)
{
	u64 ns = ticks_to_ns(t1 - t0);

	uart_puts("BENCH " GUEST_ARCH "_");
	uart_puts(name);
	put_line_u64(" ", (ns + BENCH_N / 2) / BENCH_N, " insns");
}

static void bench_vtimer(void)
{
	u64 t0 = counter_ticks();

	for (u32 i = 1; i <= BENCH_N; i++) {
		__asm__ volatile("msr cntv_cval_el0, xzr; msr cntv_ctl_el0, %0; isb"
				 :: "r"(CNTV_CTL_ENABLE) : "memory");
		while (*(volatile u32 *)&bench_fired < i)
			;
	}
	bench_report("vtimer_irq", t0, counter_ticks());
}

static void bench_gicd_read(void)
{
	u64 t0 = counter_ticks();

	for (u32 i = 0; i < BENCH_N; i++)
		rd32(GICD_BASE + 0x0004);	/* GICD_TYPER */
	bench_report("gicd_read", t0, counter_ticks());
}

static void bench_ipi(void)
{
	u64 t0 = counter_ticks();

	for (u32 i = 1; i <= BENCH_N; i++) {
		sgi_send(SGI_PING, 1);
		wait_for(&pongs, IPIS + i);
	}
	bench_report("ipi_round_trip", t0, counter_ticks());
}

static void ipi_test(void)
{
	if (vcpu_start(1)) {
		uart_puts("vtimer: CPU_ON failed\n");
		return;
	}
	wait_at_least(&ready, 1);
	for (u32 i = 1; i <= IPIS; i++) {
		sgi_send(SGI_PING, 1);
		wait_for(&pongs, i);
	}
	put_line_u64("vtimer: IPIs answered: ", pongs, "");
	bench_ipi();
	while (!vcpu_is_off(1))
		cpu_wait_event();
}

/* Each access a single load or store with a register address: ISV = 1. */
static void poke_all(u64 base, u64 size)
{
	for (u64 a = base; a < base + size; a++) {
		u64 v = ~0ul;

		__asm__ volatile("strb %w1, [%0]; ldrb %w1, [%0]" : "+r"(a), "+r"(v) :: "memory");
		v = ~0ul;
		if (!(a & 1))
			__asm__ volatile("strh %w1, [%0]; ldrh %w1, [%0]" : "+r"(a), "+r"(v) :: "memory");
		v = ~0ul;
		if (!(a & 3))
			__asm__ volatile("str %w1, [%0]; ldr %w1, [%0]" : "+r"(a), "+r"(v) :: "memory");
		v = ~0ul;
		if (!(a & 7))
			__asm__ volatile("str %1, [%0]; ldr %1, [%0]" : "+r"(a), "+r"(v) :: "memory");
	}
}

static void hostile_probe(u32 nr)
{
	poke_all(GICD_BASE, GICD_SIZE);
	poke_all(GICR_BASE, nr * GICR_STRIDE);
	sgi_send(SGI_PING, 15);				/* vCPU 15: none */
	__asm__ volatile("msr icc_sgi1r_el1, %0; isb"	/* Aff1 = 1: none */
			 :: "r"(1ul << 16 | 1ul << 24 | 1ul) : "memory");
	uart_puts("vtimer: every GICD and GICR offset written and read at every width\n");
}

/*
 * More SGIs pending at once than list registers: the rest come with the
 * underflow maintenance interrupt. No WFI here (a WFI flushes too): spin,
 * for at most 100 ms.
 */
static void burst_test(void)
{
	u64 t0;

	__asm__ volatile("msr daifset, #2" ::: "memory");
	for (u32 i = 0; i < BURST; i++)
		sgi_send(SGI_BURST + i, 0);
	t0 = counter_ticks();
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	while (*(volatile u32 *)&bursts < BURST && counter_ticks() - t0 < 20 * period)
		;
	put_line_u64("vtimer: SGIs to itself at once, all taken: ", bursts, "");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 typer = rd64(GICR_BASE + GICR_TYPER);
	u32 nr = vcpu_count();

	(void)ram_base;
	(void)ram_size;
	put_line_u64("vtimer: GICD_PIDR2.ArchRev ", (rd32(GICD_BASE + GICD_PIDR2) >> 4) & 0xf, "");
	put_line_u64("vtimer: GICR_TYPER affinity ", typer >> 32,
		     (typer & (1u << 4)) == (nr == 1 ? 16u : 0u) ? ", Last right" : ", Last WRONG");
	hostile_probe(nr);
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_GRP1);
	gic_cpu_on(0, 1u << PPI_VTIMER | 1u << SGI_PONG | ((1u << BURST) - 1) << SGI_BURST);
	timer_test();
	burst_test();
	bench_vtimer();
	bench_gicd_read();
	if (nr > 1)
		ipi_test();
	put_line_u64("vtimer: unexpected interrupts ", bad_irqs, "");
}
