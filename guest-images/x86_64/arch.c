// SPDX-License-Identifier: MIT
/* The x86 primitives of the guest library (lib.h, guest_arch.h). */
#include "lib.h"

#define GUEST_EXIT_PORT		0xf4	/* a write powers the VM off (docs/x86_64.md) */
#define GUEST_RESET_PORT	0xcf9	/* Reset Control Register */
#define RESET_CPU		0x06	/* SYS_RST | RST_CPU: a hard reset */

void mmio_write32(u64 addr, u32 val)
{
	*(volatile u32 *)addr = val;
}

void uart_putc(char c)
{
	while (!(port_in8(UART_PORT + UART_LSR) & UART_LSR_THRE))
		;
	port_out8(UART_PORT + UART_THR, (unsigned char)c);
}

int uart_getc(void)
{
	if (!(port_in8(UART_PORT + UART_LSR) & UART_LSR_DR))
		return -1;
	return port_in8(UART_PORT + UART_THR);
}

u32 vcpu_count(void)
{
	return 1;
}

u32 vcpu_self(void)
{
	return (u32)hypercall(HC_VCPU_ID, 0, 0, 0);
}

s64 vcpu_start(u32 index)
{
	(void)index;
	return -1;
}

int vcpu_start_says_on(s64 ret)
{
	(void)ret;
	return 0;
}

int vcpu_is_off(u32 index)
{
	return index != 0;
}

int vcpu_interface_ok(u64 ram_base, u32 nr_vcpus)
{
	(void)ram_base;
	return nr_vcpus == 1;
}

void system_off(void)
{
	port_out8(GUEST_EXIT_PORT, 0);
}

void vcpu_stop(void)
{
	system_off();
	for (;;)
		cpu_idle();
}

void system_reset(void)
{
	port_out8(GUEST_RESET_PORT, RESET_CPU);
}

u64 counter_ticks(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	(void)hi;
	return lo;
}

/* The TSC's rate is not known to the guest: ticks stand for nanoseconds. */
u64 ticks_to_ns(u64 ticks)
{
	return ticks;
}
