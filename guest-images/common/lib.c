// SPDX-License-Identifier: MIT
/* The guests' arch-neutral helpers (lib.h). */
#include "lib.h"

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

void uart_put_u64(u64 n)
{
	char buf[24], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	uart_puts(p);
}

void uart_put_s64(s64 n)
{
	if (n < 0)
		uart_putc('-');
	uart_put_u64(n < 0 ? -(u64)n : (u64)n);
}

void uart_put_hex(u64 n, u32 digits)
{
	char buf[20], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = "0123456789abcdef"[n & 0xf];
		n >>= 4;
	} while ((n || buf + sizeof(buf) - 1 - p < (long)digits) && p > buf + 2);
	*--p = 'x';
	*--p = '0';
	uart_puts(p);
}

void put_line_u64(const char *prefix, u64 n, const char *suffix)
{
	uart_puts(prefix);
	uart_put_u64(n);
	uart_puts(suffix);
	uart_puts("\n");
}

static u64 str_len(const char *s)
{
	u64 n = 0;

	while (s[n])
		n++;
	return n;
}

#define HC_NOT_A_CALL	0xffff	/* a number hyp/guest_abi.h does not define */

void hyp_console_puts(const char *s)
{
	hypercall(HC_CONSOLE_WRITE, (u64)s, str_len(s), 0);
}

u64 hyp_vcpu_id(void)
{
	return hypercall(HC_VCPU_ID, 0, 0, 0);
}

u64 hyp_fault_stats(void)
{
	return hypercall(HC_FAULT_STATS, 0, 0, 0);
}

u64 hyp_mem_release(u64 addr, u64 size)
{
	return hypercall(HC_MEM_RELEASE, addr, size, 0);
}

s64 hyp_yield(void)
{
	return (s64)hypercall(HC_YIELD, 0, 0, 0);
}

s64 hyp_unknown_call(void)
{
	return (s64)hypercall(HC_NOT_A_CALL, 0, 0, 0);
}

void hyp_vm_stop(u64 code)
{
	hypercall(HC_VM_STOP, code, 0, 0);
}

u32 atomic_inc(u32 *p)
{
	u32 v = __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);

	cpu_wake_all();
	return v;
}

u32 atomic_read(const u32 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void wait_at_least(const u32 *p, u32 n)
{
	while (atomic_read(p) < n)
		cpu_wait_event();
}

/* A guest that starts no other vCPU never gets here; one that does, does. */
__attribute__((weak)) void guest_secondary_main(u64 index)
{
	(void)index;
	vcpu_stop();
}
