// SPDX-License-Identifier: MIT
/*
 * The "bench" guest: times N hypercall round trips (HYP_VCPU_ID), N 4 KiB
 * stage-2 faults (fresh pages two apart, so no 2 MiB range fills up and
 * collapses) and N emulated UART register writes (uart_idle_write(): the
 * PL011's UARTIBRD on arm64, trapped, emulated, prints nothing) with the
 * virtual counter, and prints each as nanoseconds per operation, named
 * for the arch (arm64_hvc_round_trip). Under QEMU -icount shift=0,sleep=off one
 * nanosecond is one instruction, so the figures are instruction counts.
 */
#include "lib.h"

#define BENCH_N		1000ul
#define FAULT_OFFSET	(4ul << 20)	/* from the RAM base: never touched before */
#define FAULT_STRIDE	(2 * PAGE_SIZE)

static void report(const char *name, u64 t0, u64 t1)
{
	u64 ns = ticks_to_ns(t1 - t0);

	uart_puts("BENCH " GUEST_ARCH "_");
	uart_puts(name);
	put_line_u64(" ", (ns + BENCH_N / 2) / BENCH_N, " insns");
}

static void bench_hvc(void)
{
	u64 t0 = counter_ticks();

	for (u64 i = 0; i < BENCH_N; i++)
		hyp_vcpu_id();
	report("hvc_round_trip", t0, counter_ticks());
}

static void bench_s2_fault(u64 base)
{
	u64 t0 = counter_ticks();

	for (u64 i = 0; i < BENCH_N; i++)
		*(volatile u64 *)(base + i * FAULT_STRIDE) = i;
	report("s2_fault_4k", t0, counter_ticks());
}

static void bench_mmio(void)
{
	u64 t0 = counter_ticks();

	for (u64 i = 0; i < BENCH_N; i++)
		uart_idle_write((u32)i);
	report("mmio_write", t0, counter_ticks());
}

void guest_main(u64 ram_base, u64 ram_size)
{
	if (ram_size < FAULT_OFFSET + BENCH_N * FAULT_STRIDE + (1ul << 20)) {
		uart_puts("bench: RAM too small\n");
		return;
	}
	bench_hvc();
	bench_s2_fault(ram_base + FAULT_OFFSET);
	bench_mmio();
	put_line_u64("bench: done, stage-2 faults ", hyp_fault_stats(), "");
}
