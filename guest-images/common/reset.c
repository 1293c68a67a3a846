// SPDX-License-Identifier: MIT
/*
 * The "reset" guest: on its first boot it writes a pattern over 64 pages
 * and asks for a system reset (PSCI SYSTEM_RESET on arm64); booted again (it knows by the stage-2
 * fault count, which the hypervisor keeps across the reset) it checks that
 * its memory came back fresh, then powers off. At both boots it first
 * checks that its CPU and UART state hold their reset values (firmware's
 * or its first run's left nothing): before the reset it writes them all
 * (riscv64: an IPI to every hart, those off too); after it, each other
 * vCPU, started in turn, checks its own the same way.
 */
#include "lib.h"

#define PAGES		64
#define AREA_OFFSET	(1ul << 20)	/* above the image, stack and BSS */
#define PATTERN		((u64)0x5e5e7e7e5e5e7e7eull)	/* truncated where u64 is 32 bits (x86 guests) */

static u32 secondaries_checked;

u32 reset_state_check(const char *name, u64 val, u64 want)
{
	if (val == want)
		return 0;
	uart_puts("reset: left over: ");
	uart_puts(name);
	uart_puts(" ");
	uart_put_hex(val, 1);
	uart_puts("\n");
	return 1;
}


void guest_secondary_main(u64 index)
{
	u32 left = reset_state_left_over();

	put_line_u64("reset: vCPU ", index, left ? " after the reset: state LEFT OVER" :
		     " after the reset: state at its reset values");
	atomic_inc(&secondaries_checked);
	vcpu_stop();
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 *area = (u64 *)(ram_base + AREA_OFFSET);
	u64 i, dirty = 0;
	u32 left = reset_state_left_over();

	(void)ram_size;
	if (hyp_fault_stats() < PAGES) {
		put_line_u64("reset: first boot, state not at its reset values: ", left, "");
		for (i = 0; i < PAGES; i++)
			area[i * PAGE_SIZE / sizeof(*area)] = PATTERN;
		reset_state_dirty();
		uart_puts("reset: first boot, 64 pages written, asking for SYSTEM_RESET\n");
		system_reset();
		uart_puts("reset: SYSTEM_RESET RETURNED\n");
		return;
	}
	put_line_u64("reset: booted again, state not at its reset values: ", left, "");
	for (u32 v = 1; v < vcpu_count(); v++) {
		if (vcpu_start(v))
			put_line_u64("reset: vCPU ", v, " could NOT be started");
		wait_at_least(&secondaries_checked, v);
	}
	for (i = 0; i < PAGES; i++)
		dirty += area[i * PAGE_SIZE / sizeof(*area)] != 0;
	put_line_u64("reset: booted again, pages still written: ", dirty, "");
	system_off();
}
