// SPDX-License-Identifier: MIT
/*
 * The x86_64 part of the reset guest (lib.h: reset_state_dirty(),
 * reset_state_left_over()), linked into it alone (guest-images/guests.mk):
 * its 16550's registers (PC16550D Table 2).
 */
#include "lib.h"

#define NS_DLL		0
#define NS_IER		1
#define NS_DLM		1
#define NS_LCR		3
#define NS_LCR_DLAB	0x80
#define NS_MCR		4

void reset_state_dirty(void)
{
	port_out8(UART_PORT + NS_LCR, NS_LCR_DLAB | 3);
	port_out8(UART_PORT + NS_DLL, 0x0c);
	port_out8(UART_PORT + NS_DLM, 0x01);
	port_out8(UART_PORT + NS_LCR, 0x1b);
	port_out8(UART_PORT + NS_IER, 0x0f);
	port_out8(UART_PORT + NS_MCR, 0x0b);
	port_out8(UART_PORT + UART_SCR, 0x5a);
}

u32 reset_state_left_over(void)
{
	u32 n = 0;
	u64 dl;

	n += reset_state_check("IER", port_in8(UART_PORT + NS_IER), 0);
	n += reset_state_check("LCR", port_in8(UART_PORT + NS_LCR), 0);
	n += reset_state_check("MCR", port_in8(UART_PORT + NS_MCR), 0);
	n += reset_state_check("SCR", port_in8(UART_PORT + UART_SCR), 0);
	port_out8(UART_PORT + NS_LCR, NS_LCR_DLAB);
	dl = port_in8(UART_PORT + NS_DLL) | (u64)port_in8(UART_PORT + NS_DLM) << 8;
	port_out8(UART_PORT + NS_LCR, 0);
	n += reset_state_check("divisor latch", dl, 0);
	return n;
}
