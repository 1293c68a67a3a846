// SPDX-License-Identifier: MIT
/*
 * The "memtouch" guest: 8 MiB of RAM (from RAM base + 4 MiB) split in
 * page-aligned slices, one per vCPU; every vCPU writes a pattern of its
 * own over its slice, one word per 512 bytes (each page a stage-2 fault
 * on first touch, faults of different vCPUs served at once), then reads
 * it back. vCPU 0 waits for all, prints the outcome, the stage-2 fault
 * count and the virtual time it took.
 */
#include "lib.h"

#define TOUCH_OFFSET	(4ul << 20)	/* from the RAM base */
#define TOUCH_MIB	8ul
#define TOUCH_SIZE	(TOUCH_MIB << 20)
#define TOUCH_STRIDE	512ul

static u64 touch_base;
static u32 nr_vcpus, done, bad;

static u64 pattern(u64 addr, u32 index)
{
	return (addr * 0x9e3779b97f4a7c15ul ^ 0x5a5a5a5a5a5a5a5aul) + index;
}

static void touch(u32 index)
{
	u64 pages = TOUCH_SIZE / PAGE_SIZE, per = pages / nr_vcpus;
	u64 start = touch_base + index * per * PAGE_SIZE;
	u64 end = index == nr_vcpus - 1 ? touch_base + TOUCH_SIZE : start + per * PAGE_SIZE;
	u64 a, wrong = 0;

	for (a = start; a < end; a += TOUCH_STRIDE)
		*(volatile u64 *)a = pattern(a, index);
	for (a = start; a < end; a += TOUCH_STRIDE)
		wrong += *(volatile u64 *)a != pattern(a, index);
	if (wrong)
		atomic_inc(&bad);
	atomic_inc(&done);
}

void guest_secondary_main(u64 index)
{
	touch((u32)index);
	vcpu_stop();
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 t0 = counter_ticks(), faults;

	if (ram_size < TOUCH_OFFSET + TOUCH_SIZE + (1ul << 20)) {
		uart_puts("memtouch: RAM too small\n");
		return;
	}
	touch_base = ram_base + TOUCH_OFFSET;
	nr_vcpus = vcpu_count();
	for (u32 i = 1; i < nr_vcpus; i++)
		if (vcpu_start(i))
			put_line_u64("memtouch: CPU_ON FAILED for vcpu ", i, "");
	touch(0);
	wait_at_least(&done, nr_vcpus);
	faults = hyp_fault_stats();
	put_line_u64("memtouch: vcpus ", nr_vcpus, "");
	put_line_u64("memtouch: virtual time ", ticks_to_ns(counter_ticks() - t0), " ns");
	uart_puts("memtouch: ");
	uart_put_u64(TOUCH_MIB);
	uart_puts(atomic_read(&bad) ? " MiB MISMATCH" : " MiB ok");
	put_line_u64(", stage-2 faults ", faults, "");
}
