// SPDX-License-Identifier: MIT
/* The arm64 primitives of the guest library (lib.h, guest_arch.h). */
#include "lib.h"

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

void uart_putc(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (u32)(unsigned char)c);
}

int uart_getc(void)
{
	if (mmio_read32(UART_BASE + UART_FR) & UART_FR_RXFE)
		return -1;
	return (int)(mmio_read32(UART_BASE + UART_DR) & (UART_DR_DATA | UART_RX_OVERRUN));
}

u32 vcpu_count(void)
{
	u32 n = 1;

	while (n <= MPIDR_AFF0_MASK && (s64)hyp_call(HYP_PSCI_AFFINITY_INFO_64, n, 0, 0) >= 0)
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
	return (s64)hyp_call(HYP_PSCI_CPU_ON_64, index, (u64)guest_secondary_entry, index);
}

int vcpu_start_says_on(s64 ret)
{
	return ret == HYP_PSCI_ALREADY_ON || ret == HYP_PSCI_ON_PENDING;
}

int vcpu_is_off(u32 index)
{
	return hyp_call(HYP_PSCI_AFFINITY_INFO_64, index, 0, 0) == HYP_PSCI_AFFINITY_OFF;
}

#define PSCI_SYSTEM_SUSPEND_64	0xc400000e	/* DEN0022 5.1: not offered here */
#define PSCI_STANDBY		0		/* CPU_SUSPEND power_state: standby, StateID 0 */
#define PSCI_POWER_STATE_RES0	(1u << 20)	/* a reserved bit of power_state */

/* PSCI 1.1 as Linux probes it: CPU_SUSPEND (a WFI here), MIGRATE_INFO_TYPE, SMCCC. */
static int psci_1_1_ok(void)
{
	return (s64)hyp_call(HYP_PSCI_FEATURES, HYP_PSCI_CPU_SUSPEND_32, 0, 0) == 0 &&
	       (s64)hyp_call(HYP_PSCI_FEATURES, HYP_PSCI_CPU_SUSPEND_64, 0, 0) == 0 &&
	       (s64)hyp_call(HYP_PSCI_FEATURES, HYP_SMCCC_VERSION, 0, 0) == HYP_PSCI_SUCCESS &&
	       (s64)hyp_call(HYP_PSCI_FEATURES, PSCI_SYSTEM_SUSPEND_64, 0, 0) ==
		       HYP_PSCI_NOT_SUPPORTED &&
	       (s64)hyp_call(HYP_PSCI_CPU_SUSPEND_64, PSCI_STANDBY, 0, 0) == HYP_PSCI_SUCCESS &&
	       (s64)hyp_call(HYP_PSCI_CPU_SUSPEND_64, PSCI_POWER_STATE_RES0, 0, 0) ==
		       HYP_PSCI_INVALID_PARAMS &&
	       hyp_call(HYP_PSCI_MIGRATE_INFO_TYPE, 0, 0, 0) == HYP_PSCI_TOS_NOT_PRESENT;
}

int vcpu_interface_ok(u64 ram_base, u32 nr_vcpus)
{
	s64 none = (s64)hyp_call(HYP_PSCI_CPU_ON_64, nr_vcpus, (u64)guest_secondary_entry, 0);
	s64 bad_entry = nr_vcpus > 1 ? (s64)hyp_call(HYP_PSCI_CPU_ON_64, 1, ram_base - PAGE_SIZE, 0)
				     : HYP_PSCI_INVALID_ADDRESS;

	return hyp_call(HYP_PSCI_VERSION, 0, 0, 0) == HYP_PSCI_VERSION_1_1 &&
	       hyp_call(HYP_PSCI_FEATURES, HYP_PSCI_CPU_ON_64, 0, 0) == HYP_PSCI_SUCCESS &&
	       psci_1_1_ok() &&
	       (s64)hyp_call(HYP_PSCI_AFFINITY_INFO_64, 0, 0, 0) == HYP_PSCI_AFFINITY_ON &&
	       none == HYP_PSCI_INVALID_PARAMS && bad_entry == HYP_PSCI_INVALID_ADDRESS;
}

static void __attribute__((noreturn)) halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

void vcpu_stop(void)
{
	hyp_call(HYP_PSCI_CPU_OFF, 0, 0, 0);
	uart_puts("guest: CPU_OFF returned\n");
	halt();
}

void system_off(void)
{
	hyp_call(HYP_PSCI_SYSTEM_OFF, 0, 0, 0);
}

void system_reset(void)
{
	hyp_call(HYP_PSCI_SYSTEM_RESET, 0, 0, 0);
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

/* Guests that expect no exception: report it and end the VM. */
__attribute__((weak)) void guest_exception(u64 esr, u64 elr, u64 far)
{
	(void)far;
	put_line_u64("guest: unexpected exception, ESR ", esr, "");
	put_line_u64("guest: at ", elr, "");
	system_off();
	halt();
}

/* This arch's guests get their RAM's base and size only (and, handed over, a device tree). */
void guest_boot_info_line(void)
{
}
