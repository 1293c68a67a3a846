// SPDX-License-Identifier: MIT
/*
 * The "bench" guest: times N operations with the virtual counter and prints
 * each as instructions per operation net of the guest's own loop, named for
 * the arch (arm64_hvc_round_trip). Under QEMU -icount shift=0,sleep=off one
 * nanosecond is one instruction, so the figures are instruction counts
 * (Bochs: its TSC counts instructions, docs/x86_64.md).
 *
 * Every figure is (loop that traps - calibration loop) / N, the calibration
 * loop being the same code that does not trap: the same register moves
 * without the trapping instruction (hypercall_untrapped()), the same
 * load/store to a RAM word instead of the device, the same stores to the
 * pages just faulted in. What is left is what the trap adds: the exit, its
 * handling and the return (docs/arm64.md, "Bench").
 *
 * hvc_round_trip: HC_VCPU_ID; s2_fault_4k: N fresh pages two apart (no
 * 2 MiB range fills up and collapses). The arch's guest_arch.h adds:
 * BENCH_FW_CALL_NAME: its firmware call (bench_fw_call(): PSCI_VERSION,
 * sbi_get_spec_version); BENCH_MMIO_ADDR: a UART register the hypervisor
 * emulates with no effect, written and read (bench_mmio_write/read(),
 * "mmio_write", "mmio_read"); without it uart_idle_write() and, with
 * BENCH_READ_NAME, uart_idle_read() against a RAM byte (BENCH_WRITE_NAME:
 * their names); BENCH_FIRST_INSN: the counter when guest_main() starts, as
 * "reset_first_insn".
 */
#include "lib.h"

#define BENCH_N		1000ul
#define FAULT_OFFSET	(4ul << 20)	/* from the RAM base: never touched before */
#define FAULT_STRIDE	(2 * PAGE_SIZE)
#define NOINLINE	__attribute__((noinline))

#ifndef BENCH_WRITE_NAME
#define BENCH_WRITE_NAME	"mmio_write"
#endif

typedef void (*bench_loop)(u64 arg);

static u32 bench_scratch;	/* the calibration loops' RAM word */

static u64 timed(bench_loop loop, u64 arg)
{
	u64 t0 = counter_ticks();

	loop(arg);
	return ticks_to_ns(counter_ticks() - t0);
}

static void print(const char *name, u64 insns)
{
	uart_puts("BENCH " GUEST_ARCH "_");
	uart_puts(name);
	put_line_u64(" ", insns, " insns");
}

/* @loop(@arg) less @calib(@calib_arg), per operation, rounded. */
static void report(const char *name, bench_loop loop, u64 arg, bench_loop calib, u64 calib_arg)
{
	u64 ns = timed(loop, arg);
	u64 base = timed(calib, calib_arg);
	u64 net = ns > base ? ns - base : 0;

	print(name, (net + BENCH_N / 2) / BENCH_N);
}

static NOINLINE void loop_hvc(u64 unused)
{
	(void)unused;
	for (u64 i = 0; i < BENCH_N; i++)
		(void)hypercall(HC_VCPU_ID, 0, 0, 0);
}

static NOINLINE void loop_hvc_untrapped(u64 unused)
{
	(void)unused;
	for (u64 i = 0; i < BENCH_N; i++)
		(void)hypercall_untrapped(HC_VCPU_ID, 0, 0, 0);
}

/* Each page's first store faults; the same loop again over the same pages does not. */
static NOINLINE void loop_store_pages(u64 base)
{
	for (u64 i = 0; i < BENCH_N; i++)
		*(volatile u64 *)(base + i * FAULT_STRIDE) = i;
}

#ifdef BENCH_FW_CALL_NAME
static NOINLINE void loop_fw_call(u64 unused)
{
	(void)unused;
	for (u64 i = 0; i < BENCH_N; i++)
		(void)bench_fw_call();
}

static NOINLINE void loop_fw_call_untrapped(u64 unused)
{
	(void)unused;
	for (u64 i = 0; i < BENCH_N; i++)
		(void)bench_fw_call_untrapped();
}
#endif

#ifdef BENCH_MMIO_ADDR
/* The same code times the device (BENCH_MMIO_ADDR) and calibrates (bench_scratch). */
static NOINLINE void loop_mmio_write(u64 addr)
{
	for (u64 i = 0; i < BENCH_N; i++)
		bench_mmio_write(addr, (u32)i);
}

static NOINLINE void loop_mmio_read(u64 addr)
{
	for (u64 i = 0; i < BENCH_N; i++)
		(void)bench_mmio_read(addr);
}
#else
static NOINLINE void loop_mmio_write(u64 unused)
{
	(void)unused;
	for (u64 i = 0; i < BENCH_N; i++)
		uart_idle_write((u32)i);
}

static NOINLINE void loop_ram_write(u64 addr)
{
	for (u64 i = 0; i < BENCH_N; i++)
		*(volatile unsigned char *)addr = (unsigned char)i;
}

#ifdef BENCH_READ_NAME
static NOINLINE void loop_mmio_read(u64 unused)
{
	(void)unused;
	for (u64 i = 0; i < BENCH_N; i++)
		__asm__ volatile("" :: "r"(uart_idle_read()));
}

static NOINLINE void loop_ram_read(u64 addr)
{
	for (u64 i = 0; i < BENCH_N; i++)
		__asm__ volatile("" :: "r"((u32)*(volatile unsigned char *)addr));
}
#endif
#endif

static void bench_mmio(void)
{
	u64 scratch = (u64)&bench_scratch;

	*(volatile u32 *)scratch = 0;	/* faulted in before it calibrates */
#ifdef BENCH_MMIO_ADDR
	report("mmio_write", loop_mmio_write, BENCH_MMIO_ADDR, loop_mmio_write, scratch);
	report("mmio_read", loop_mmio_read, BENCH_MMIO_ADDR, loop_mmio_read, scratch);
#else
	report(BENCH_WRITE_NAME, loop_mmio_write, 0, loop_ram_write, scratch);
#ifdef BENCH_READ_NAME
	report(BENCH_READ_NAME, loop_mmio_read, 0, loop_ram_read, scratch);
#endif
#endif
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 pages = ram_base + FAULT_OFFSET;

#ifdef BENCH_FIRST_INSN
	print("reset_first_insn", ticks_to_ns(counter_ticks()));
#endif
	if (ram_size < FAULT_OFFSET + BENCH_N * FAULT_STRIDE + (1ul << 20)) {
		uart_puts("bench: RAM too small\n");
		return;
	}
	report("hvc_round_trip", loop_hvc, 0, loop_hvc_untrapped, 0);
#ifdef BENCH_FW_CALL_NAME
	report(BENCH_FW_CALL_NAME, loop_fw_call, 0, loop_fw_call_untrapped, 0);
#endif
	report("s2_fault_4k", loop_store_pages, pages, loop_store_pages, pages);
	bench_mmio();
	put_line_u64("bench: done, stage-2 faults ", hyp_fault_stats(), "");
}
