// SPDX-License-Identifier: MIT
/*
 * 16550 UART transmit and receive by polling (TI PC16550D data sheet,
 * "Register Description"; registers one byte apart as on QEMU virt,
 * reg-shift 0).
 */
#include "ns16550.h"

#define UART_RBR		0	/* receive buffer (read) */
#define UART_THR		0	/* transmit holding (write) */
#define UART_LSR		5	/* line status */
#define UART_LSR_DR		BIT(0)	/* data ready */
#define UART_LSR_THRE		BIT(5)	/* transmit holding register empty */
#define NS16550_TX_SPINS	1000000u	/* then drop the character */

static volatile u8 *ns16550_regs = (volatile u8 *)(uintptr_t)NS16550_DEFAULT_BASE;

void ns16550_init(u64 base)
{
	ns16550_regs = (volatile u8 *)(uintptr_t)base;
}

u64 ns16550_base(void)
{
	return (u64)(uintptr_t)ns16550_regs;
}

static inline void ns16550_tx(volatile u8 *regs, char c)
{
	u32 spins = NS16550_TX_SPINS;

	while (!(regs[UART_LSR] & UART_LSR_THRE) && spins)
		spins--;
	regs[UART_THR] = (u8)c;
}

void ns16550_putc(char c)
{
	ns16550_tx(ns16550_regs, c);
}

void ns16550_puts(const char *s)
{
	volatile u8 *regs = ns16550_regs;

	for (; *s; s++) {
		if (*s == '\n')
			ns16550_tx(regs, '\r');
		ns16550_tx(regs, *s);
	}
}

int ns16550_getc(void)
{
	if (!(ns16550_regs[UART_LSR] & UART_LSR_DR))
		return -1;
	return ns16550_regs[UART_RBR];
}
