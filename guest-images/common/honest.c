// SPDX-License-Identifier: MIT
/*
 * The "honest" guest, the neighbour in attack tests: for HONEST_NS
 * of its virtual time it writes a pattern over 4 MiB, checks it, gives
 * half of it back with HYP_MEM_RELEASE and checks that half reads zero;
 * then it says how many rounds it made and whether anything was wrong.
 */
#include "lib.h"

#define HONEST_OFFSET	(4ul << 20)	/* from the RAM base */
#define HONEST_SIZE	(4ul << 20)
#define HONEST_STRIDE	512ul
#define NS_PER_S	1000000000ul
#ifndef HONEST_NS		/* the arch's guest_arch.h may make it shorter */
#define HONEST_NS	(6ul * NS_PER_S)
#endif

static u64 pattern(u64 addr, u64 round)
{
	return addr * 0x9e3779b97f4a7c15ul + round;
}

/* One round: 0 if every word read back what it should. */
static u64 honest_round(u64 base, u64 round)
{
	u64 a, wrong = 0, half = HONEST_SIZE / 2;

	for (a = base; a < base + HONEST_SIZE; a += HONEST_STRIDE)
		*(volatile u64 *)a = pattern(a, round);
	for (a = base; a < base + HONEST_SIZE; a += HONEST_STRIDE)
		wrong += *(volatile u64 *)a != pattern(a, round);
	if (hyp_mem_release(base, half))
		wrong++;
	for (a = base; a < base + half; a += HONEST_STRIDE)
		wrong += *(volatile u64 *)a != 0;
	return wrong;
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 t0 = counter_ticks(), rounds = 0, wrong = 0;

	if (ram_size < HONEST_OFFSET + HONEST_SIZE) {
		uart_puts("honest: RAM too small\n");
		return;
	}
	while (ticks_to_ns(counter_ticks() - t0) < HONEST_NS)
		wrong += honest_round(ram_base + HONEST_OFFSET, rounds++);
	put_line_u64("honest: rounds ", rounds, wrong ? ", MISMATCH" : ", all ok");
}
