// SPDX-License-Identifier: MIT
/*
 * The "hello" guest: prints through its (emulated) UART and through the
 * console hypercall, prints the boot information its arch hands over
 * (x86: multiboot), writes then re-reads a pattern over 4 MiB of its RAM
 * (every page a stage-2 fault on first touch), gives 16 pages back and
 * checks they refault zeroed, prints the hypervisor's stage-2 fault count
 * and powers its VM off.
 */
#include "lib.h"

#define TOUCH_OFFSET	(4ul << 20)	/* from the RAM base */
#define TOUCH_SIZE	(4ul << 20)
#define RELEASE_PAGES	16

static u64 pattern(u64 addr)
{
	return addr * 0x9e3779b97f4a7c15ul ^ 0x5a5a5a5a5a5a5a5aul;
}

/* Write a pattern over [start, start + size), one word per 512 bytes, check it. */
static u64 touch_pages(u64 start, u64 size)
{
	u64 addr, bad = 0;

	for (addr = start; addr < start + size; addr += 512)
		*(volatile u64 *)addr = pattern(addr);
	for (addr = start; addr < start + size; addr += 512)
		if (*(volatile u64 *)addr != pattern(addr))
			bad++;
	return bad;
}

/*
 * Give pages back (HYP_MEM_RELEASE) and read them again: each refaults as
 * a fresh zeroed page. Stale data would mean a missing TLB invalidation.
 */
static u64 release_pages(u64 start, u64 nr)
{
	u64 addr, stale = 0;

	/* Fresh translations for every page, that a missing TLBI would keep. */
	for (addr = start; addr < start + nr * PAGE_SIZE; addr += PAGE_SIZE)
		stale += *(volatile u64 *)addr == 0;
	if (hyp_mem_release(start, nr * PAGE_SIZE))
		return nr;
	for (addr = start; addr < start + nr * PAGE_SIZE; addr += 512)
		if (*(volatile u64 *)addr)
			stale++;
	return stale;
}

static void put_line_s64(const char *prefix, s64 n)
{
	uart_puts(prefix);
	uart_put_s64(n);
	uart_puts("\n");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 pages = TOUCH_SIZE / PAGE_SIZE, bad;

	uart_puts("hello from guest\n");
	hyp_console_puts("hello via hvc\n");
	guest_boot_info_line();
	if (ram_size < TOUCH_OFFSET + TOUCH_SIZE + (1ul << 20)) {
		uart_puts("RAM too small for the page test\n");
		return;
	}
	bad = touch_pages(ram_base + TOUCH_OFFSET, TOUCH_SIZE);
	uart_puts("touched ");
	uart_put_u64(pages);
	uart_puts(bad ? " pages: pattern MISMATCH\n" : " pages: pattern ok\n");
	bad = release_pages(ram_base + TOUCH_OFFSET + TOUCH_SIZE - RELEASE_PAGES * PAGE_SIZE,
			    RELEASE_PAGES);
	uart_puts("released ");
	uart_put_u64(RELEASE_PAGES);
	uart_puts(bad ? " pages: STALE data after refault\n" : " pages: zero after refault\n");
	put_line_s64("unknown hvc: ", hyp_unknown_call());
	put_line_s64("yield: ", hyp_yield());
	uart_puts("vcpu ");
	uart_put_u64(hyp_vcpu_id());
	put_line_u64(", stage-2 faults: ", hyp_fault_stats(), "");
}
