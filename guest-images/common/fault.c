// SPDX-License-Identifier: MIT
/*
 * The "fault" guest: says hello through its UART, then reads an address
 * that is neither its RAM nor its UART. The hypervisor must stop the VM
 * with one line naming the address, and keep running.
 */
#include "lib.h"

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_base;
	(void)ram_size;
	uart_puts("fault guest: reading outside my memory\n");
	(void)*(volatile u32 *)OUTSIDE_ADDR;
	uart_puts("fault guest: still running, the read was not caught\n");
}
