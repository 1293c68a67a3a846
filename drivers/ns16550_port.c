// SPDX-License-Identifier: MIT
/*
 * The host's COM1: a 16550 (TI PC16550D datasheet, "Register
 * descriptions"), 115200 8N1, FIFOs on, no interrupts, polled: the
 * console queues its bytes and hands over a FIFO's worth each time the
 * transmitter is empty (hyp/console.h, struct hyp_console_tx). Bochs and
 * QEMU also show bytes written to port 0xE9, which needs no set-up and
 * never waits: each byte goes there at once.
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
#define UART_LSR_THRE		0x20	/* transmit holding register (FIFO mode: FIFO) empty */
#define UART_LSR_TEMT		0x40	/* transmitter empty: holding and shift registers */
#define UART_TX_FIFO		16	/* bytes the transmit FIFO holds */
#define UART_DIV_115200		1	/* 1.8432 MHz / (16 * 115200) */

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

void ns16550_port_e9_putc(char c)
{
	outb(DEBUG_PORT_E9, (u8)c);
}

/* Each run up to a '\n' with one string instruction, the '\n' as "\r\n". */
void ns16550_port_e9_puts(const char *s)
{
	for (;;) {
		u64 n = 0;

		while (s[n] && s[n] != '\n')
			n++;
		__asm__ volatile("rep outsb" : "+S"(s), "+c"(n) : "d"((u16)DEBUG_PORT_E9) : "memory");
		if (!*s)
			return;
		outb(DEBUG_PORT_E9, '\r');
		outb(DEBUG_PORT_E9, '\n');
		s++;
	}
}

u32 ns16550_port_tx_room(void)
{
	return inb(uart_base + UART_LSR) & UART_LSR_THRE ? UART_TX_FIFO : 0;
}

void ns16550_port_tx_put(u8 c)
{
	outb(uart_base + UART_RBR_THR, c);
}

bool ns16550_port_tx_idle(void)
{
	return inb(uart_base + UART_LSR) & UART_LSR_TEMT;
}

int ns16550_port_getc(void)
{
	if (!uart_base || !(inb(uart_base + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(uart_base + UART_RBR_THR);
}
