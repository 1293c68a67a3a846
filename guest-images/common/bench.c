// SPDX-License-Identifier: MIT
/*
 * The "bench" guest: times N hypercall round trips (HYP_VCPU_ID), N 4 KiB
 * stage-2 faults (fresh pages two apart, so no 2 MiB range fills up and
 * collapses) and N emulated UART register writes (uart_idle_write(): the
 * PL011's UARTIBRD on arm64, trapped, emulated, prints nothing) with the
 * virtual counter, and prints each as nanoseconds per operation, named
 * for the arch (arm64_hvc_round_trip). Under QEMU -icount shift=0,sleep=off one
 * nanosecond is one instruction, so the figures are instruction counts.
 *
 * An arch may ask for more in guest_arch.h (x86 does, docs/x86_64.md):
 * BENCH_NET_OF_LOOP: each figure less the same loop without its operation
 * (the stores again on the pages now mapped, for the faults);
 * BENCH_WRITE_NAME: the write's name; BENCH_READ_NAME: N reads of the
 * register too (uart_idle_read()); BENCH_FIRST_INSN: the counter when
 * guest_main() starts, as "reset_first_insn".
 */
#include "lib.h"

#define BENCH_N		1000ul
#define FAULT_OFFSET	(4ul << 20)	/* from the RAM base: never touched before */
#define FAULT_STRIDE	(2 * PAGE_SIZE)

#ifndef BENCH_WRITE_NAME
#define BENCH_WRITE_NAME	"mmio_write"
#endif

/* Counter ticks for BENCH_N rounds of @body (which may use i). */
#define TIMED(body) ({							\
	u64 __t0 = counter_ticks();					\
	for (u64 i = 0; i < BENCH_N; i++) {				\
		body;							\
	}								\
	counter_ticks() - __t0; })

#ifdef BENCH_NET_OF_LOOP
#define LOOP_ONLY(body)	TIMED(body)
#else
#define LOOP_ONLY(body)	0ul
#endif

#ifdef BENCH_NET_OF_LOOP
/* What the hypercall loop calls instead: the call and return without the hypercall. */
static u64 __attribute__((noinline)) bench_no_call(void)
{
	__asm__ volatile("" ::: "memory");
	return 0;
}
#endif

static void report(const char *name, u64 ticks, u64 loop, u64 n)
{
	u64 ns = ticks_to_ns(ticks > loop ? ticks - loop : 0);

	uart_puts("BENCH " GUEST_ARCH "_");
	uart_puts(name);
	put_line_u64(" ", (ns + n / 2) / n, " insns");
}

static void bench_hvc(void)
{
	u64 t = TIMED(hyp_vcpu_id());

	report("hvc_round_trip", t, LOOP_ONLY(bench_no_call()), BENCH_N);
}

static void bench_s2_fault(u64 base)
{
	u64 t = TIMED(*(volatile u64 *)(base + i * FAULT_STRIDE) = i);

	report("s2_fault_4k", t, LOOP_ONLY(*(volatile u64 *)(base + i * FAULT_STRIDE) = i),
	       BENCH_N);
}

static void bench_mmio(void)
{
	u64 t = TIMED(uart_idle_write((u32)i));

	report(BENCH_WRITE_NAME, t, LOOP_ONLY(__asm__ volatile("" :: "r"(i))), BENCH_N);
#ifdef BENCH_READ_NAME
	t = TIMED(__asm__ volatile("" :: "r"(uart_idle_read())));
	report(BENCH_READ_NAME, t, LOOP_ONLY(__asm__ volatile("" :: "r"(i))), BENCH_N);
#endif
}

void guest_main(u64 ram_base, u64 ram_size)
{
#ifdef BENCH_FIRST_INSN
	u64 first = counter_ticks();

	report("reset_first_insn", first, 0, 1);
#endif
	if (ram_size < FAULT_OFFSET + BENCH_N * FAULT_STRIDE + (1ul << 20)) {
		uart_puts("bench: RAM too small\n");
		return;
	}
	bench_hvc();
	bench_s2_fault(ram_base + FAULT_OFFSET);
	bench_mmio();
	put_line_u64("bench: done, stage-2 faults ", hyp_fault_stats(), "");
}
