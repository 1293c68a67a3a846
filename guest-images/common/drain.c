// SPDX-License-Identifier: MIT
/*
 * The "drain" guest, an attacker that follows HYP_MEM_RELEASE's rules:
 * each of its two vCPUs, on 2 MiB ranges of its own, over and over, fills
 * a range (it collapses into one block), releases one page (the block is
 * split: a new table) and then the rest (the table is retired). It makes
 * the hypervisor allocate and retire stage-2 tables as fast as it can, for
 * DRAIN_SECONDS of its virtual time, then says how many rounds it made.
 * Each round ends with both vCPUs churning one range they share: their
 * releases overlap (on RISC-V one waits for pages the other's release
 * unmaps, each page a G-stage shootdown of the waiting hart).
 */
#include "lib.h"

#define DRAIN_OFFSET	(4ul << 20)	/* from the RAM base */
#define BLOCK		(2ul << 20)
#define RANGES		12ul		/* per vCPU, and one shared after them */
#define DRAIN_SECONDS	6ul
#define NS_PER_S	1000000000ul

static u64 drain_base, deadline_ns, t0, shared_ns[2];
static u32 done, rounds[2];

static void churn(u64 base)
{
	for (u64 a = base; a < base + BLOCK; a += PAGE_SIZE)
		*(volatile u64 *)a = a;
	hyp_mem_release(base, PAGE_SIZE);
	hyp_mem_release(base + PAGE_SIZE, BLOCK - PAGE_SIZE);
}

static void drain(u32 index)
{
	u64 first = drain_base + index * RANGES * BLOCK, t;

	while (ticks_to_ns(counter_ticks() - t0) < deadline_ns) {
		for (u64 r = 0; r < RANGES; r++)
			churn(first + r * BLOCK);
		t = counter_ticks();
		churn(drain_base + 2 * RANGES * BLOCK);
		t = ticks_to_ns(counter_ticks() - t);
		if (t > shared_ns[index])
			shared_ns[index] = t;
		rounds[index]++;
	}
	atomic_inc(&done);
}

void guest_secondary_main(u64 index)
{
	drain((u32)index);
	vcpu_stop();
}

void guest_main(u64 ram_base, u64 ram_size)
{
	if (ram_size < DRAIN_OFFSET + (2 * RANGES + 1) * BLOCK) {
		uart_puts("drain: RAM too small\n");
		return;
	}
	drain_base = ram_base + DRAIN_OFFSET;
	deadline_ns = DRAIN_SECONDS * NS_PER_S;
	t0 = counter_ticks();
	if (vcpu_count() > 1 && vcpu_start(1))
		uart_puts("drain: CPU_ON FAILED\n");
	drain(0);
	wait_at_least(&done, vcpu_count() > 1 ? 2 : 1);
	put_line_u64("drain: done, rounds ", rounds[0] + rounds[1], "");
	put_line_u64("drain: slowest shared range ",
		     (shared_ns[0] > shared_ns[1] ? shared_ns[0] : shared_ns[1]) / 1000000, " ms");
}
