// SPDX-License-Identifier: MIT
/*
 * The "fault" guest: says hello through its PL011, then reads an address
 * that is neither its RAM nor its UART. The hypervisor must stop the VM
 * with one line naming the address, and keep running.
 */
typedef unsigned long u64;
typedef unsigned int u32;

#define UART_BASE	0x09000000ul	/* guest-physical, docs/arm64.md */
#define UART_DR		0x000
#define OUTSIDE_IPA	0x10000000ul	/* nothing there: see docs/arm64.md */

void guest_main(u64 ram_base, u64 ram_size);
void guest_exception(u64 esr, u64 elr, u64 far);

static void uart_puts(const char *s)
{
	for (; *s; s++)
		__asm__ volatile("str %w0, [%1]"
				 :: "r"((u32)(unsigned char)*s), "r"(UART_BASE + UART_DR)
				 : "memory");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_base;
	(void)ram_size;
	uart_puts("fault guest: reading outside my memory\n");
	(void)*(volatile u32 *)OUTSIDE_IPA;
	uart_puts("fault guest: still running, the read was not caught\n");
}

void guest_exception(u64 esr, u64 elr, u64 far)
{
	(void)esr;
	(void)elr;
	(void)far;
	uart_puts("guest: unexpected exception\n");
	for (;;)
		__asm__ volatile("wfi");
}
