// SPDX-License-Identifier: MIT
/* The riscv64 primitives of the guest library (lib.h, guest_arch.h). */
#include "lib.h"

#define SBI_RESET_SHUTDOWN	0	/* SBI "System Reset Extension" reset types */
#define SBI_RESET_COLD		1
#define SBI_EXT_NONE		0x12345678ul	/* an extension id nobody defines */

/* A single store with a register address. */
void mmio_write32(u64 addr, u32 val)
{
	__asm__ volatile("sw %0, 0(%1)" :: "r"(val), "r"(addr) : "memory");
}

u32 mmio_read8(u64 addr)
{
	u32 val;

	__asm__ volatile("lbu %0, 0(%1)" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

void mmio_write8(u64 addr, u32 val)
{
	__asm__ volatile("sb %0, 0(%1)" :: "r"(val), "r"(addr) : "memory");
}

void uart_putc(char c)
{
	while (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	mmio_write8(UART_BASE + UART_THR, (u32)(unsigned char)c);
}

int uart_getc(void)
{
	u32 lsr = mmio_read8(UART_BASE + UART_LSR);

	if (!(lsr & UART_LSR_DR))
		return -1;
	return (int)(mmio_read8(UART_BASE + UART_RBR) | (lsr & UART_LSR_OE ? UART_RX_OVERRUN : 0));
}

static long hart_status(u32 hart)
{
	struct sbi_ret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STATUS, hart, 0, 0);

	return r.error ? r.error : r.value;
}

u32 vcpu_count(void)
{
	u32 n = 1;

	while (n < 256 && hart_status(n) >= 0)
		n++;
	return n;
}

u32 vcpu_self(void)
{
	u64 tp;

	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return (u32)tp;
}

s64 vcpu_start(u32 index)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, index, (u64)guest_secondary_entry,
			index).error;
}

int vcpu_start_says_on(s64 ret)
{
	return ret == SBI_ERR_ALREADY_AVAILABLE;
}

int vcpu_is_off(u32 index)
{
	return hart_status(index) == SBI_HSM_STOPPED;
}

int vcpu_interface_ok(u64 ram_base, u32 nr_vcpus)
{
	s64 none = vcpu_start(nr_vcpus);
	s64 bad_entry = nr_vcpus > 1 ?
		sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 1, ram_base - PAGE_SIZE, 0).error :
		SBI_ERR_INVALID_ADDRESS;

	return sbi_call(SBI_EXT_BASE, SBI_BASE_SPEC_VERSION, 0, 0, 0).value == (2l << 24) &&
	       sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_HSM, 0, 0).value == 1 &&
	       sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_NONE, 0, 0).value == 0 &&
	       hart_status(0) == SBI_HSM_STARTED &&
	       none == SBI_ERR_INVALID_PARAM && bad_entry == SBI_ERR_INVALID_ADDRESS;
}

static void __attribute__((noreturn)) halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

void vcpu_stop(void)
{
	sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	uart_puts("guest: hart_stop returned\n");
	halt();
}

void system_off(void)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_RESET_SHUTDOWN, 0, 0);
}

void system_reset(void)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_RESET_COLD, 0, 0);
}

u64 counter_ticks(void)
{
	u64 t;

	__asm__ volatile("rdtime %0" : "=r"(t) :: "memory");
	return t;
}

u64 ticks_to_ns(u64 ticks)
{
	return ticks / TIMEBASE_HZ * 1000000000ul + ticks % TIMEBASE_HZ * 1000000000ul / TIMEBASE_HZ;
}

/* Guests that expect no exception: report it and end the VM. */
__attribute__((weak)) void guest_exception(u64 scause, u64 sepc, u64 stval)
{
	(void)stval;
	put_line_u64("guest: unexpected exception, scause ", scause, "");
	put_line_u64("guest: at ", sepc, "");
	system_off();
	halt();
}

/* This arch's guests get their RAM's base and size only (and, handed over, a device tree). */
void guest_boot_info_line(void)
{
}
