// SPDX-License-Identifier: MIT
/*
 * The hypervisor's queued console (hyp/console.c, docs/x86_64.md): while
 * bytes wait for COM1, the VMX-preemption timer takes a guest that never
 * exits out for a moment about every millisecond to send them, and never
 * once they are sent. Seen in the TSC, which in Bochs counts every
 * instruction run, the hypervisor's too: a turn of the loop below takes a
 * few ticks, a trip through the hypervisor a hundred or more.
 */
#include "lib.h"

#define QUEUED_LINES	32		/* 2 KiB: about 180 ms of COM1 at 115200 baud */
#define SPIN_TICKS	500000u		/* 10 ms of the TSC (Bochs: ips=50000000) */
#define SENT_TICKS	40000000u	/* 0.8 s: long enough for every queued byte */
#define GAP_TICKS	50u

static u32 rdtsc32(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return lo;
}

/* The gaps in the TSC over @ticks of a loop that never exits. */
static u32 slices(u32 ticks)
{
	u32 start = rdtsc32(), last = start, n = 0;

	while (last - start < ticks) {
		u32 now = rdtsc32();

		n += now - last > GAP_TICKS;
		last = now;
	}
	return n;
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u32 queued, sent;

	(void)ram_base;
	(void)ram_size;
	for (u32 i = 0; i < QUEUED_LINES; i++)
		put_line_u64("txdrain: line ", i, " queued for COM1 ..................................");
	queued = slices(SPIN_TICKS);
	(void)slices(SENT_TICKS);
	sent = slices(SPIN_TICKS);
	put_line_u64("txdrain: slices while queued ", queued, "");
	put_line_u64("txdrain: slices once sent ", sent, "");
	system_off();
}
