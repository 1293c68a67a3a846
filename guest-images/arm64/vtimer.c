// SPDX-License-Identifier: MIT
/*
 * The "vtimer" guest: interrupts through the vGIC (docs/arm64.md,
 * "Interrupts"). It checks the distributor's identity (PIDR2 says GICv3)
 * and its redistributor's TYPER (affinity, Last), wakes its redistributor,
 * enables PPI 27 and turns its group-1 interrupts on through the ICC_*
 * system registers; then the EL1 virtual timer fires TICKS times at
 * TICK_HZ, each taken (ICC_IAR1_EL1), re-armed and ended (ICC_EOIR1_EL1),
 * the vCPU in WFI between them; then the EL1 physical timer (PPI 30,
 * emulated by the hypervisor) PTICKS times. With a second vCPU, each sends the other
 * IPIS SGIs (ICC_SGI1R_EL1), each answered, WFI while waiting.
 * Before all that it writes all-ones to, and reads, every offset of the
 * distributor and its redistributors at every width and sends SGIs to
 * vCPUs it does not have; after, it raises BURST SGIs to itself with IRQs
 * masked, more than the list registers hold, and takes them all; sets an
 * SPI pending through GICD_ISPENDR1, clears it, sets it and takes it. Last,
 * BENCH lines (tools/bench.py, under -icount: instructions): a virtual
 * timer interrupt (armed to fire at once, to the handler and back), an
 * SGI round trip to vCPU 1 and back (it waits in WFI), a GICD read.
 */
#include "gic_guest.h"

#define SGI_PING		1
#define SGI_PONG		2
#define TICK_HZ			200
#define TICKS			20
#define PTICKS			5	/* of the EL1 physical timer, PPI 30 */
#define PPI_PTIMER		30
#define CNTP_CTL_ENABLE		1ul
#define IPIS			10
#define BURST			6
#define SGI_BURST		3	/* SGIs 3 .. 3 + BURST - 1 */
#define BENCH_N			200
#define SPI_TEST		40	/* no device drives it */
#define SPI_BIT			(1u << (SPI_TEST - 32))
#define GICD_ISENABLER1		0x0104
#define GICD_ISPENDR1		0x0204
#define GICD_ICPENDR1		0x0284
#define GICD_IPRIORITYR		0x0400

static u64 period, next;
static u32 ticks, pticks, spis, wfis, pings, pongs, bursts, bad_irqs, ready, bench_fired;

static u64 rd64(u64 addr)
{
	u64 v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
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
	} else if (intid == PPI_PTIMER) {
		pticks++;
		__asm__ volatile("msr cntp_tval_el0, %0; isb" :: "r"(period) : "memory");
		if (pticks == PTICKS)
			__asm__ volatile("msr cntp_ctl_el0, xzr; isb" ::: "memory");
	} else if (intid == SPI_TEST) {
		spis++;
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

/* The EL1 physical timer (emulated): its PPI 30 comes through the vGIC. */
static void ptimer_test(void)
{
	u64 start = counter_ticks();

	__asm__ volatile("msr cntp_tval_el0, %0; msr cntp_ctl_el0, %1; isb"
			 :: "r"(period), "r"(CNTP_CTL_ENABLE) : "memory");
	wait_for(&pticks, PTICKS);
	put_line_u64("vtimer: ", pticks, " physical timer interrupts at 200 Hz");
	uart_puts(counter_ticks() - start >= PTICKS * period ? "vtimer: none early\n"
							      : "vtimer: EARLY\n");
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

static void hostile_probe(u32 nr)
{
	gic_poke_all(GICD_BASE, GICD_SIZE);
	gic_poke_all(GICR_BASE, nr * GICR_STRIDE);
	sgi_send_to_nobody(SGI_PING);
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

/* GICD_ISPENDR1/ICPENDR1 of an SPI no device drives: the latch, read back and taken. */
static void spi_pend_test(void)
{
	u32 set, cleared, after;
	u64 t0;

	mmio_write32(GICD_BASE + GICD_IPRIORITYR + SPI_TEST, GIC_PRIO * 0x01010101u);
	mmio_write32(GICD_BASE + GICD_ISPENDR1, SPI_BIT);
	set = rd32(GICD_BASE + GICD_ISPENDR1) & SPI_BIT;
	mmio_write32(GICD_BASE + GICD_ICPENDR1, SPI_BIT);
	cleared = !(rd32(GICD_BASE + GICD_ISPENDR1) & SPI_BIT);
	mmio_write32(GICD_BASE + GICD_ISPENDR1, SPI_BIT);
	mmio_write32(GICD_BASE + GICD_ISENABLER1, SPI_BIT);
	t0 = counter_ticks();
	while (!*(volatile u32 *)&spis && counter_ticks() - t0 < 20 * period)
		;
	after = rd32(GICD_BASE + GICD_ISPENDR1) & SPI_BIT;
	put_line_u64("vtimer: SPI 40 by GICD_ISPENDR1: pending ", !!set, "");
	put_line_u64("vtimer: SPI 40 by GICD_ICPENDR1: cleared ", cleared, "");
	put_line_u64("vtimer: SPI 40 enabled: taken ", spis, after ? ", still pending" : ", no longer pending");
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
	gic_cpu_on(0, 1u << PPI_VTIMER | 1u << PPI_PTIMER | 1u << SGI_PONG |
		   ((1u << BURST) - 1) << SGI_BURST);
	timer_test();
	ptimer_test();
	burst_test();
	spi_pend_test();
	bench_vtimer();
	bench_gicd_read();
	if (nr > 1)
		ipi_test();
	put_line_u64("vtimer: unexpected interrupts ", bad_irqs, "");
}
