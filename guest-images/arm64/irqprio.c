// SPDX-License-Identifier: MIT
/*
 * The "irqprio" guest: what the vGIC's CPU interface and the emulated
 * EL1 physical timer must do as hardware does (docs/arm64.md,
 * "Interrupts"), each with one exact line:
 * - priorities: a higher-priority SGI preempts a lower one's handler
 *   that unmasks IRQs, a lower one waits; the running priority in each;
 *   the binary point (ICC_BPR1_EL1) decides whether 0x40 preempts 0x60;
 * - masking: ICC_PMR_EL1 holds back priorities not above it (pending
 *   meanwhile, GICR_ISPENDR0 says so) and lets them in when lowered;
 * - edge versus level: an SGI is taken once; the physical timer's PPI 30
 *   and the PL011's SPI 33 (level lines of emulated devices) are taken
 *   again after each EOI until the device lowers them, and a line that
 *   falls before it is taken is no longer pending; IMASK keeps ISTATUS
 *   but not the interrupt; TVAL;
 * - WFI with IRQs masked wakes for the physical timer (deadlines shorter
 *   and longer than the hypervisor's own 1 ms wait bound) and the virtual
 *   timer, not early, with the interrupt pending;
 * - active state: GICR_ISACTIVER0 and GICD_ISACTIVER1 read an interrupt
 *   active in its handler and not after its EOI; ISACTIVER0 sets one
 *   active (an SGI sent meanwhile waits), ICACTIVER0 clears it; with a
 *   second vCPU, its active SGI read from vCPU 0;
 * - reset: it leaves an SGI active, one pending, a priority mask, a
 *   binary point and both timers armed and asks for SYSTEM_RESET; booted
 *   again (it knows by the stage-2 fault count) it finds the interrupt
 *   state clean: nothing pending, active or enabled, the CPU interface
 *   and both timers at reset, and nothing taken once all is enabled.
 */
#include "gic_guest.h"

#define SGI_LOW			1	/* priority 0xa0 */
#define SGI_HIGH		2	/* 0x40 */
#define SGI_MID			3	/* 0x60 */
#define SGI_EDGE		4
#define SGI_ACT			5
#define SGI_SETACT		6
#define SGI_REMOTE		7	/* to vCPU 1 */
#define SGI_DIRTY_PEND		8
#define SGI_DIRTY_ACT		9
#define PPI_PTIMER		30
#define SPI_TEST		40
#define SPI_UART		33	/* the PL011's SPI 1: its UARTINTR, a level line */
#define UART_IMSC		0x038
#define UART_ICR		0x044
#define UART_INT_TX		(1u << 5)	/* TXRIS: latched by every byte sent, until ICR */
#define PRIO_LOW		0xa0u
#define PRIO_HIGH		0x40u
#define PRIO_MID		0x60u
#define CNTP_ENABLE		1ul
#define CNTP_IMASK		2ul
#define LEVEL_TAKES		3
#define WFI_TRIES		5
#define ARRIVES_MS		1000	/* a bound on what must come: QEMU on a loaded host is slow */
#define TVAL_TEST		(1ul << 24)	/* ~0.27 s at 62.5 MHz: far beyond the test's traps */
#define GICR_ISPENDR0		0x0200
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
#define GICD_ISENABLER1		0x0104
#define GICD_ISPENDR1		0x0204
#define GICD_ISACTIVER1		0x0304
#define GICD_IPRIORITYR		0x0400
#define RESET_PAGES		64
#define RESET_AREA		(1ul << 20)	/* above the image, stack and BSS */
#define PATTERN			0x1e1e5e5e1e1e5e5eul

enum mode { MODE_PLAIN, MODE_NEST, MODE_REVERSE };

static u64 ms_ticks;
static enum mode mode;
static char seq[16];
static volatile u32 nseq, taken[64], remote_in, remote_go, remote_done;
static u32 rpr_low, rpr_nested, act_in_handler, spi_act_in_handler, bad_irqs;

static u64 rd_sysreg_rpr(void)
{
	u64 v;

	__asm__ volatile("mrs %0, icc_rpr_el1" : "=r"(v));
	return v;
}

static void wr8(u64 addr, u32 v)
{
	__asm__ volatile("strb %w0, [%1]" :: "r"(v), "r"(addr) : "memory");
}

static u64 gicr_sgi(u32 self)
{
	return GICR_BASE + self * GICR_STRIDE + GICR_SGI;
}

static void note(char c)
{
	if (nseq < sizeof(seq) - 1)
		seq[nseq++] = c;
}

/* Spin for @ms or until *@flag is nonzero. */
static void spin_until(volatile u32 *flag, u64 ms)
{
	u64 t0 = counter_ticks();

	while ((!flag || !*flag) && counter_ticks() - t0 < ms * ms_ticks)
		;
}

/* IRQs unmasked inside a handler until @intid is taken or 2 ms passed (ELR, SPSR kept). */
static void nest_window(u32 intid)
{
	u64 elr, spsr;

	__asm__ volatile("mrs %0, elr_el1; mrs %1, spsr_el1" : "=r"(elr), "=r"(spsr));
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	spin_until(&taken[intid], 2);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	__asm__ volatile("msr elr_el1, %0; msr spsr_el1, %1" :: "r"(elr), "r"(spsr));
}

static void ptimer_set(u64 cval, u64 ctl)
{
	__asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb"
			 :: "r"(cval), "r"(ctl) : "memory");
}

static u64 ptimer_ctl(void)
{
	u64 v;

	__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	return v;
}

static void irq(u32 intid)
{
	switch (intid) {
	case SGI_LOW:
		note('L');
		rpr_low = (u32)rd_sysreg_rpr();
		if (mode == MODE_NEST) {
			sgi_send(SGI_HIGH, 0);
			nest_window(SGI_HIGH);
			note('l');
		}
		break;
	case SGI_HIGH:
		note('H');
		rpr_nested = (u32)rd_sysreg_rpr();
		if (mode == MODE_REVERSE) {
			sgi_send(SGI_LOW, 0);
			nest_window(SGI_LOW);
			note('h');
		}
		break;
	case SGI_MID:
		note('M');
		sgi_send(SGI_HIGH, 0);
		nest_window(SGI_HIGH);
		note('m');
		break;
	case SGI_ACT:
		act_in_handler = !!(rd32(gicr_sgi(0) + GICR_ISACTIVER0) & (1u << SGI_ACT));
		break;
	case SGI_REMOTE:
		remote_in = 1;
		spin_until(&remote_go, ARRIVES_MS);
		break;
	case PPI_PTIMER:
		if (taken[PPI_PTIMER] + 1 >= LEVEL_TAKES)
			ptimer_set(0, CNTP_ENABLE | CNTP_IMASK);	/* the device lowers it */
		break;
	case PPI_VTIMER:
		__asm__ volatile("msr cntv_ctl_el0, xzr; isb" ::: "memory");
		break;
	case SPI_UART:
		if (taken[SPI_UART] + 1 >= LEVEL_TAKES)
			mmio_write32(UART_BASE + UART_ICR, UART_INT_TX);	/* the device lowers it */
		break;
	case SPI_TEST:
		spi_act_in_handler = !!(rd32(GICD_BASE + GICD_ISACTIVER1) &
					(1u << (SPI_TEST - 32)));
		break;
	default:
		break;
	}
}

void guest_exception(u64 esr, u64 elr, u64 far)
{
	u32 intid = gic_ack();

	if (intid >= INTID_SPURIOUS) {
		put_line_u64("irqprio: unexpected exception, ESR ", esr, "");
		put_line_u64("irqprio: at ", elr, "");
		(void)far;
		system_off();
	}
	if (intid < 64)
		irq(intid);
	else
		bad_irqs++;
	taken[intid < 64 ? intid : 0]++;
	gic_eoi(intid);
	if (intid == SGI_REMOTE)
		remote_done = 1;
}

static void seq_reset(void)
{
	nseq = 0;
	for (u32 i = 0; i < sizeof(seq); i++)
		seq[i] = 0;
	for (u32 i = 0; i < 64; i++)
		taken[i] = 0;
}

static void bpr1_set(u64 v)
{
	__asm__ volatile("msr icc_bpr1_el1, %0; isb" :: "r"(v) : "memory");
}

static void pmr_set(u64 v)
{
	__asm__ volatile("msr icc_pmr_el1, %0; isb" :: "r"(v) : "memory");
}

/* Send @sgi to itself in @m and wait until the sequence ends; print it after @what. */
static void run_seq(const char *what, u32 sgi, enum mode m, u32 len)
{
	seq_reset();
	mode = m;
	sgi_send(sgi, 0);
	for (u32 ms = 0; nseq < len && ms < ARRIVES_MS; ms++)
		spin_until(0, 1);
	spin_until(0, 2);	/* nothing more comes */
	uart_puts("irqprio: ");
	uart_puts(what);
	uart_puts(seq);
	uart_puts("\n");
}

static void priority_test(void)
{
	bpr1_set(0);	/* its minimum: the most group-priority bits */
	run_seq("0xa0's handler, 0x40 sent: ", SGI_LOW, MODE_NEST, 3);
	uart_puts("irqprio: running priority in the handler ");
	uart_put_hex(rpr_low, 2);
	uart_puts(", nested ");
	uart_put_hex(rpr_nested, 2);
	uart_puts("\n");
	run_seq("0x40's handler, 0xa0 sent: ", SGI_HIGH, MODE_REVERSE, 3);
	run_seq("BPR1 minimum, 0x60's handler, 0x40 sent: ", SGI_MID, MODE_NEST, 3);
	bpr1_set(7);	/* one group-priority bit: 0x40 and 0x60 alike */
	run_seq("BPR1 7, 0x60's handler, 0x40 sent: ", SGI_MID, MODE_NEST, 3);
	bpr1_set(0);
}

static u32 pending0(u32 intid)
{
	return !!(rd32(gicr_sgi(0) + GICR_ISPENDR0) & (1u << intid));
}

static void pmr_test(void)
{
	u32 held, pend;

	seq_reset();
	mode = MODE_PLAIN;
	pmr_set(PRIO_LOW);
	sgi_send(SGI_LOW, 0);
	spin_until(&taken[SGI_LOW], 2);
	held = taken[SGI_LOW];
	pend = pending0(SGI_LOW);
	pmr_set(0xff);
	spin_until(&taken[SGI_LOW], ARRIVES_MS);
	put_line_u64("irqprio: PMR 0xa0, priority 0xa0: taken ", held,
		     pend && taken[SGI_LOW] == 1 ? ", pending; PMR 0xff: taken" : ", WRONG");
	seq_reset();
	mode = MODE_PLAIN;
	pmr_set(0x50);
	sgi_send(SGI_LOW, 0);
	sgi_send(SGI_HIGH, 0);
	spin_until(0, 2);
	held = taken[SGI_LOW];
	put_line_u64("irqprio: PMR 0x50: priority 0x40 taken ", taken[SGI_HIGH],
		     held ? ", 0xa0 TAKEN" : ", 0xa0 held");
	pmr_set(0xff);
	spin_until(&taken[SGI_LOW], ARRIVES_MS);
	put_line_u64("irqprio: PMR 0xff: priority 0xa0 taken ", taken[SGI_LOW], "");
}

static void edge_level_test(void)
{
	u32 pend_high, pend_low;
	u64 t0, cval, tval;

	seq_reset();
	sgi_send(SGI_EDGE, 0);
	spin_until(0, 3);
	put_line_u64("irqprio: edge SGI sent once: taken ", taken[SGI_EDGE],
		     pending0(SGI_EDGE) ? ", STILL PENDING" : ", not pending");
	ptimer_set(0, CNTP_ENABLE);	/* expired at once: the line high */
	for (u32 ms = 0; taken[PPI_PTIMER] < LEVEL_TAKES && ms < ARRIVES_MS; ms++)
		spin_until(0, 1);
	spin_until(0, 2);	/* nothing more comes */
	put_line_u64("irqprio: level PPI 30 until the timer is masked: taken ",
		     taken[PPI_PTIMER], pending0(PPI_PTIMER) ? ", STILL PENDING" : ", not pending");
	put_line_u64("irqprio: masked timer: CNTP_CTL ", ptimer_ctl(), " (ISTATUS | IMASK | ENABLE)");
	__asm__ volatile("msr daifset, #2" ::: "memory");
	ptimer_set(0, CNTP_ENABLE);
	pend_high = pending0(PPI_PTIMER);
	ptimer_set(0, 0);
	pend_low = pending0(PPI_PTIMER);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	spin_until(0, 2);
	put_line_u64("irqprio: level line lowered before taken: pending ", pend_high,
		     pend_low || taken[PPI_PTIMER] != LEVEL_TAKES ? ", then STILL" : ", then not, not taken");
	t0 = counter_ticks();
	__asm__ volatile("msr cntp_tval_el0, %0; isb" :: "r"(TVAL_TEST) : "memory");
	__asm__ volatile("mrs %0, cntp_cval_el0; mrs %1, cntp_tval_el0"
			 : "=r"(cval), "=r"(tval) :: "memory");
	put_line_u64("irqprio: CNTP_TVAL 2^24: CVAL and TVAL right ",
		     cval >= t0 + TVAL_TEST && cval <= counter_ticks() + TVAL_TEST &&
		     tval <= TVAL_TEST && tval > TVAL_TEST / 2, "");
}

static u32 pending1(u32 intid)
{
	return !!(rd32(GICD_BASE + GICD_ISPENDR1) & (1u << (intid - 32)));
}

/*
 * The PL011's line (an SPI an emulated device drives): TXRIS, latched by
 * the last line printed, unmasked in UARTIMSC. Taken again after each EOI
 * until the handler clears it (UARTICR); then, IRQs masked, raised and
 * cleared before it is taken. Nothing is printed while it is unmasked.
 */
static void uart_level_test(void)
{
	u32 taken_high, pend_after, pend_high, pend_low;

	seq_reset();
	wr8(GICD_BASE + GICD_IPRIORITYR + SPI_UART, PRIO_LOW);
	mmio_write32(GICD_BASE + GICD_ISENABLER1, 1u << (SPI_UART - 32));
	mmio_write32(UART_BASE + UART_IMSC, UART_INT_TX);
	for (u32 ms = 0; taken[SPI_UART] < LEVEL_TAKES && ms < ARRIVES_MS; ms++)
		spin_until(0, 1);
	spin_until(0, 2);	/* nothing more comes */
	taken_high = taken[SPI_UART];
	pend_after = pending1(SPI_UART);
	mmio_write32(UART_BASE + UART_IMSC, 0);
	put_line_u64("irqprio: level SPI 33 (PL011 TX) until the device clears it: taken ", taken_high,
		     pend_after ? ", STILL PENDING" : ", not pending");
	__asm__ volatile("msr daifset, #2" ::: "memory");
	mmio_write32(UART_BASE + UART_IMSC, UART_INT_TX);	/* latched by that line */
	pend_high = pending1(SPI_UART);
	mmio_write32(UART_BASE + UART_ICR, UART_INT_TX);
	pend_low = pending1(SPI_UART);
	mmio_write32(UART_BASE + UART_IMSC, 0);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	spin_until(0, 2);
	put_line_u64("irqprio: level SPI 33 cleared before taken: pending ", pend_high,
		     pend_low || taken[SPI_UART] != taken_high ? ", then STILL" :
		     ", then not, not taken");
}

/*
 * WFI with IRQs masked, a timer (@intid) armed for @ticks from now: woke
 * after it with the interrupt pending, taken once unmasked. Its lateness
 * is returned (~0 if it woke early or without it).
 */
static u64 wfi_once(u32 intid, u64 ticks)
{
	u64 at = counter_ticks() + ticks, woke;
	u32 pend, before = taken[intid];

	__asm__ volatile("msr daifset, #2" ::: "memory");
	if (intid == PPI_PTIMER)
		ptimer_set(at, CNTP_ENABLE);
	else
		__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
				 :: "r"(at), "r"(CNTV_CTL_ENABLE) : "memory");
	__asm__ volatile("wfi" ::: "memory");
	woke = counter_ticks();
	pend = pending0(intid);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	spin_until(&taken[intid], ARRIVES_MS);
	if (intid == PPI_PTIMER)
		ptimer_set(0, 0);
	return woke >= at && pend && taken[intid] == before + 1 ? woke - at : ~0ul;
}

/*
 * The best of WFI_TRIES: a deadline that the hypervisor's own 1 ms wait
 * bound hid would make each one late by most of a millisecond.
 */
static void wfi_case(const char *what, u32 intid, u64 ticks)
{
	u64 best = ~0ul;
	u32 right = 1;

	for (u32 i = 0; i < WFI_TRIES; i++) {
		u64 late = wfi_once(intid, ticks);

		right &= late != ~0ul;
		best = late < best ? late : best;
	}
	uart_puts("irqprio: WFI, IRQs masked, ");
	uart_puts(what);
	put_line_u64(": woke after it, pending, then taken: ", right,
		     best < ms_ticks / 4 ? ", within 0.25 ms" : ", LATE");
}

static void wfi_test(void)
{
	seq_reset();
	taken[PPI_PTIMER] = LEVEL_TAKES;	/* its handler masks it at once */
	wfi_case("physical timer in 3 ms", PPI_PTIMER, 3 * ms_ticks);
	wfi_case("physical timer in 0.2 ms", PPI_PTIMER, ms_ticks / 5);
	wfi_case("virtual timer in 2 ms", PPI_VTIMER, 2 * ms_ticks);
}

static void active_test(u32 nr)
{
	u64 sgi = gicr_sgi(0);
	u32 set;

	seq_reset();
	sgi_send(SGI_ACT, 0);
	spin_until(&taken[SGI_ACT], ARRIVES_MS);
	put_line_u64("irqprio: SGI 5 active in its handler ", act_in_handler,
		     rd32(sgi + GICR_ISACTIVER0) & (1u << SGI_ACT) ? ", STILL after its EOI" :
		     ", not after its EOI");
	mmio_write32(sgi + GICR_ISACTIVER0, 1u << SGI_SETACT);
	set = !!(rd32(sgi + GICR_ISACTIVER0) & (1u << SGI_SETACT));
	sgi_send(SGI_SETACT, 0);
	spin_until(&taken[SGI_SETACT], 2);
	put_line_u64("irqprio: SGI 6 set active ", set, taken[SGI_SETACT] ? ", sent: TAKEN" :
		     ", sent: held");
	mmio_write32(sgi + GICR_ICACTIVER0, 1u << SGI_SETACT);
	spin_until(&taken[SGI_SETACT], ARRIVES_MS);
	put_line_u64("irqprio: SGI 6 active cleared: taken ", taken[SGI_SETACT], "");
	wr8(GICD_BASE + GICD_IPRIORITYR + SPI_TEST, PRIO_LOW);
	mmio_write32(GICD_BASE + GICD_ISENABLER1, 1u << (SPI_TEST - 32));
	mmio_write32(GICD_BASE + GICD_ISPENDR1, 1u << (SPI_TEST - 32));
	spin_until(&taken[SPI_TEST], ARRIVES_MS);
	put_line_u64("irqprio: SPI 40 active in its handler (GICD_ISACTIVER1) ", spi_act_in_handler,
		     rd32(GICD_BASE + GICD_ISACTIVER1) ? ", STILL after" : ", not after");
	if (nr < 2)
		return;
	sgi_send(SGI_REMOTE, 1);
	spin_until(&remote_in, ARRIVES_MS);
	set = !!(rd32(gicr_sgi(1) + GICR_ISACTIVER0) & (1u << SGI_REMOTE));
	remote_go = 1;
	spin_until(&remote_done, ARRIVES_MS);
	spin_until(0, 1);
	put_line_u64("irqprio: vCPU 1's SGI 7 active, read by vCPU 0 ", set,
		     rd32(gicr_sgi(1) + GICR_ISACTIVER0) ? ", STILL after its EOI" :
		     ", not after its EOI");
}

void guest_secondary_main(u64 index)
{
	gic_cpu_on((u32)index, 1u << SGI_REMOTE);
	while (!remote_done)
		__asm__ volatile("wfi" ::: "memory");
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* Interrupt state left behind on purpose, then SYSTEM_RESET. */
static void dirty_reset(u64 ram_base)
{
	u64 *area = (u64 *)(ram_base + RESET_AREA);

	for (u32 i = 0; i < RESET_PAGES; i++)
		area[i * PAGE_SIZE / sizeof(*area)] = PATTERN;
	__asm__ volatile("msr daifset, #2" ::: "memory");
	sgi_send(SGI_DIRTY_ACT, 0);
	spin_until(0, 1);
	put_line_u64("irqprio: left active: SGI ", gic_ack(), "");
	pmr_set(0x50);
	bpr1_set(7);
	sgi_send(SGI_DIRTY_PEND, 0);
	ptimer_set(0, CNTP_ENABLE);
	__asm__ volatile("msr cntv_cval_el0, xzr; msr cntv_ctl_el0, %0; isb"
			 :: "r"(CNTV_CTL_ENABLE) : "memory");
	spin_until(0, 1);
	put_line_u64("irqprio: left pending: SGI 8 and PPI 30: ",
		     (rd32(gicr_sgi(0) + GICR_ISPENDR0) >> SGI_DIRTY_PEND & 1) +
		     (rd32(gicr_sgi(0) + GICR_ISPENDR0) >> PPI_PTIMER & 1), ", asking for SYSTEM_RESET");
	system_reset();
	uart_puts("irqprio: SYSTEM_RESET RETURNED\n");
}

static void sysreg_put(const char *name, u64 v)
{
	uart_puts(" ");
	uart_puts(name);
	uart_puts(" ");
	uart_put_hex(v, 1);
}

/* Booted again: the interrupt state is the reset one. */
static void after_reset(void)
{
	u64 pmr, rpr, ap1r0, igrpen1, bpr1, cntv, cntp, sgi = gicr_sgi(0);

	__asm__ volatile("mrs %0, icc_pmr_el1; mrs %1, icc_rpr_el1; mrs %2, icc_ap1r0_el1;"
			 "mrs %3, icc_igrpen1_el1; mrs %4, icc_bpr1_el1; mrs %5, cntv_ctl_el0;"
			 "mrs %6, cntp_ctl_el0"
			 : "=r"(pmr), "=r"(rpr), "=r"(ap1r0), "=r"(igrpen1), "=r"(bpr1), "=r"(cntv),
			   "=r"(cntp));
	uart_puts("irqprio: after reset:");
	sysreg_put("PMR", pmr);
	sysreg_put("RPR", rpr);
	sysreg_put("AP1R0", ap1r0);
	sysreg_put("IGRPEN1", igrpen1);
	uart_puts(bpr1 == 7 ? " BPR1 STILL 7" : " BPR1 reset");
	sysreg_put("CNTV_CTL", cntv);
	sysreg_put("CNTP_CTL", cntp);
	uart_puts("\n");
	put_line_u64("irqprio: after reset: ISPENDR0 | ISACTIVER0 | ISENABLER0 = ",
		     rd32(sgi + GICR_ISPENDR0) | rd32(sgi + GICR_ISACTIVER0) |
		     rd32(sgi + GICR_ISENABLER0), "");
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_GRP1);
	gic_cpu_on(0, ~0u);
	spin_until(0, 5);
	put_line_u64("irqprio: after reset, everything enabled: taken ", taken[SGI_DIRTY_PEND] +
		     taken[SGI_DIRTY_ACT] + taken[PPI_VTIMER] + taken[PPI_PTIMER] + bad_irqs, "");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u32 nr = vcpu_count();
	u64 freq;

	(void)ram_size;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	ms_ticks = freq / 1000;
	if (hyp_fault_stats() >= RESET_PAGES) {
		after_reset();
		return;
	}
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_GRP1);
	gic_cpu_on(0, ~0u);
	wr8(gicr_sgi(0) + GICR_IPRIORITYR + SGI_HIGH, PRIO_HIGH);
	wr8(gicr_sgi(0) + GICR_IPRIORITYR + SGI_MID, PRIO_MID);
	wr8(gicr_sgi(0) + GICR_IPRIORITYR + SGI_DIRTY_ACT, PRIO_HIGH);
	if (nr > 1 && vcpu_start(1))
		uart_puts("irqprio: CPU_ON failed\n");
	priority_test();
	pmr_test();
	edge_level_test();
	uart_level_test();
	wfi_test();
	active_test(nr);
	if (nr > 1)
		while (!vcpu_is_off(1))
			cpu_wait_event();
	put_line_u64("irqprio: unexpected interrupts ", bad_irqs, "");
	dirty_reset(ram_base);
}
