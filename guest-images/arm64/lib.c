// SPDX-License-Identifier: MIT
/* The guests' shared helpers (lib.h). */
#include "lib.h"

u64 hvc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	return x0;
}

/* A single store with a register address: an ISV=1 syndrome for the hypervisor. */
void mmio_write32(u64 addr, u32 val)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(val), "r"(addr) : "memory");
}

static u32 mmio_read32(u64 addr)
{
	u32 val;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

static void uart_putc(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (u32)(unsigned char)c);
}

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

u32 vcpu_count(void)
{
	u32 n = 1;

	while (n <= MPIDR_AFF0_MASK && (s64)hvc(HYP_PSCI_AFFINITY_INFO_64, n, 0, 0) >= 0)
		n++;
	return n;
}

u32 vcpu_self(void)
{
	u64 mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (u32)(mpidr & MPIDR_AFF0_MASK);
}

s64 vcpu_start(u32 index)
{
	return (s64)hvc(HYP_PSCI_CPU_ON_64, index, (u64)guest_secondary_entry, index);
}

void vcpu_stop(void)
{
	hvc(HYP_PSCI_CPU_OFF, 0, 0, 0);
	uart_puts("guest: CPU_OFF returned\n");
	for (;;)
		__asm__ volatile("wfi");
}

u64 counter_ticks(void)
{
	u64 t;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t) :: "memory");
	return t;
}

u64 ticks_to_ns(u64 ticks)
{
	u64 freq;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	return freq ? ticks / freq * 1000000000ul + ticks % freq * 1000000000ul / freq : 0;
}

u32 atomic_inc(u32 *p)
{
	u32 v = __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);

	__asm__ volatile("dsb ish; sev" ::: "memory");
	return v;
}

u32 atomic_read(const u32 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void wait_at_least(const u32 *p, u32 n)
{
	while (atomic_read(p) < n)
		__asm__ volatile("wfe" ::: "memory");
}

/* A guest that starts no other vCPU never gets here; one that does, does. */
__attribute__((weak)) void guest_secondary_main(u64 index)
{
	(void)index;
	vcpu_stop();
}

/* Guests that expect no exception: report it and end the VM. */
__attribute__((weak)) void guest_exception(u64 esr, u64 elr, u64 far)
{
	(void)far;
	put_line_u64("guest: unexpected exception, ESR ", esr, "");
	put_line_u64("guest: at ", elr, "");
	hvc(HYP_PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
