// SPDX-License-Identifier: MIT
/* The x86 primitives of the guest library (lib.h, guest_arch.h). */
#include "lib.h"

#define GUEST_EXIT_PORT		0xf4	/* a write powers the VM off (docs/x86_64.md) */
#define GUEST_RESET_PORT	0xcf9	/* Reset Control Register */
#define RESET_CPU		0x06	/* SYS_RST | RST_CPU: a hard reset */
#define MAX_VCPUS		256

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

/* The neutral vCPU interface (hyp/guest_abi.h HC_VCPU_*): x86 has no convention of its own. */
static s64 vcpu_state(u32 index)
{
	return (s64)hypercall(HC_VCPU_STATE, index, 0, 0);
}

u32 vcpu_count(void)
{
	u32 n = 1;

	while (n < MAX_VCPUS && vcpu_state(n) >= 0)
		n++;
	return n;
}

u32 vcpu_self(void)
{
	return (u32)hypercall(HC_VCPU_ID, 0, 0, 0);
}

s64 vcpu_start(u32 index)
{
	return (s64)hypercall(HC_VCPU_ON, index, (u64)guest_secondary_entry, index);
}

int vcpu_start_says_on(s64 ret)
{
	return ret == HC_ERR_ALREADY_ON || ret == HC_ERR_ON_PENDING;
}

int vcpu_is_off(u32 index)
{
	return vcpu_state(index) == HC_VCPU_STATE_OFF;
}

int vcpu_interface_ok(u64 ram_base, u32 nr_vcpus)
{
	s64 none = (s64)hypercall(HC_VCPU_ON, nr_vcpus, (u64)guest_secondary_entry, 0);
	s64 bad_entry = nr_vcpus > 1 ? (s64)hypercall(HC_VCPU_ON, 1, ram_base - PAGE_SIZE, 0)
				     : HC_ERR_INVALID;

	return vcpu_state(0) == HC_VCPU_STATE_ON && vcpu_state(nr_vcpus) == HC_ERR_INVALID &&
	       none == HC_ERR_INVALID && bad_entry == HC_ERR_INVALID;
}

void system_off(void)
{
	port_out8(GUEST_EXIT_PORT, 0);
}

void vcpu_stop(void)
{
	hypercall(HC_VCPU_OFF, 0, 0, 0);
	uart_puts("guest: CPU_OFF returned\n");
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

/*
 * In Bochs (clock: sync=none) the TSC advances one tick per instruction
 * the CPU runs (per CPU, not summed over them): the bench reports ticks,
 * as instructions (docs/x86_64.md). Elsewhere its rate is unknown here.
 */
u64 ticks_to_ns(u64 ticks)
{
	return ticks;
}
