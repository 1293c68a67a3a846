// SPDX-License-Identifier: MIT
/*
 * The host's COM1: a 16550 (TI PC16550D datasheet, "Register
 * descriptions"), 115200 8N1, FIFOs on, no interrupts, polled. Bochs and
 * QEMU also show bytes written to port 0xE9, which needs no set-up: each
 * byte goes there too.
 */
#include "ns16550_port.h"
#include "x86.h"

#define UART_RBR_THR		0	/* receive buffer / transmit holding */
#define UART_IER		1	/* interrupt enable */
#define UART_FCR		2	/* FIFO control */
#define UART_LCR		3	/* line control */
#define UART_MCR		4	/* modem control */
#define UART_LSR		5	/* line status */
#define UART_DLL		0	/* divisor latch, with LCR.DLAB */
#define UART_DLM		1
#define UART_LCR_8N1		0x03
#define UART_LCR_DLAB		0x80
#define UART_FCR_ENABLE_CLEAR	0x07	/* FIFOs on, both cleared */
#define UART_MCR_DTR_RTS	0x03
#define UART_LSR_DR		0x01	/* data ready */
#define UART_LSR_THRE		0x20	/* transmit holding register empty */
#define UART_DIV_115200		1	/* 1.8432 MHz / (16 * 115200) */
#define UART_TX_SPINS		100000	/* a missing UART does not hang the console */

static u16 uart_base;

void ns16550_port_init(u16 base)
{
	uart_base = base;
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + UART_DLL, UART_DIV_115200);
	outb(base + UART_DLM, 0);
	outb(base + UART_LCR, UART_LCR_8N1);
	outb(base + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(base + UART_MCR, UART_MCR_DTR_RTS);
}

void ns16550_port_putc(char c)
{
	outb(DEBUG_PORT_E9, (u8)c);
	if (!uart_base)
		return;
	for (u32 i = 0; i < UART_TX_SPINS; i++)
		if (inb(uart_base + UART_LSR) & UART_LSR_THRE)
			break;
	outb(uart_base + UART_RBR_THR, (u8)c);
}

int ns16550_port_getc(void)
{
	if (!uart_base || !(inb(uart_base + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(uart_base + UART_RBR_THR);
}
