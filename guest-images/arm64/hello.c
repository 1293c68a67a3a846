// SPDX-License-Identifier: MIT
/*
 * The "hello" guest: prints through its (emulated) PL011 and through the
 * console hypercall, writes then re-reads a pattern over 4 MiB of its RAM
 * (every page a stage-2 fault on first touch), prints the hypervisor's
 * stage-2 fault count and powers its VM off through PSCI.
 */
#include "hvc_abi.h"

typedef unsigned long u64;
typedef unsigned int u32;

#define UART_BASE	0x09000000ul	/* guest-physical, docs/arm64.md */
#define UART_DR		0x000
#define UART_FR		0x018
#define UART_FR_TXFF	(1u << 5)
#define PAGE_SIZE	4096ul
#define TOUCH_OFFSET	(4ul << 20)	/* from the RAM base */
#define TOUCH_SIZE	(4ul << 20)
#define RELEASE_PAGES	16
#define HVC_UNKNOWN	0xc600fffful

void guest_main(u64 ram_base, u64 ram_size);
void guest_exception(u64 esr, u64 elr, u64 far);

/* Single loads and stores with an immediate-free address: ISV=1 syndromes. */
static u32 mmio_read32(u64 addr)
{
	u32 val;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

static void mmio_write32(u64 addr, u32 val)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(val), "r"(addr) : "memory");
}

static u64 hvc(u64 fn, u64 a1, u64 a2)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2) :: "memory");
	return x0;
}

static void uart_putc(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (u32)(unsigned char)c);
}

static void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static u64 str_len(const char *s)
{
	u64 n = 0;

	while (s[n])
		n++;
	return n;
}

static void hvc_puts(const char *s)
{
	hvc(HYP_CONSOLE_WRITE, (u64)s, str_len(s));
}

/* @n in decimal at the end of @buf (at least 21 bytes); its first digit. */
static char *fmt_u64(char *buf, u64 size, u64 n)
{
	char *p = buf + size - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n && p > buf);
	return p;
}

static void uart_put_u64(u64 n)
{
	char buf[24];

	uart_puts(fmt_u64(buf, sizeof(buf), n));
}

static void uart_put_s64(long n)
{
	if (n < 0) {
		uart_putc('-');
		n = -n;
	}
	uart_put_u64((u64)n);
}

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
	if (hvc(HYP_MEM_RELEASE, start, nr * PAGE_SIZE))
		return nr;
	for (addr = start; addr < start + nr * PAGE_SIZE; addr += 512)
		if (*(volatile u64 *)addr)
			stale++;
	return stale;
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 pages = TOUCH_SIZE / PAGE_SIZE, bad;

	uart_puts("hello from guest\n");
	hvc_puts("hello via hvc\n");
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
	uart_puts("unknown hvc: ");
	uart_put_s64((long)hvc(HVC_UNKNOWN, 0, 0));
	uart_puts("\n");
	uart_puts("yield: ");
	uart_put_s64((long)hvc(HYP_YIELD, 0, 0));
	uart_puts("\n");
	uart_puts("vcpu ");
	uart_put_u64(hvc(HYP_VCPU_ID, 0, 0));
	uart_puts(", stage-2 faults: ");
	uart_put_u64(hvc(HYP_FAULT_STATS, 0, 0));
	uart_puts("\n");
}

void guest_exception(u64 esr, u64 elr, u64 far)
{
	uart_puts("guest: unexpected exception, ESR ");
	uart_put_u64(esr);
	uart_puts(" ELR ");
	uart_put_u64(elr);
	uart_puts(" FAR ");
	uart_put_u64(far);
	uart_puts("\n");
	hvc(HYP_PSCI_SYSTEM_OFF, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
