// SPDX-License-Identifier: MIT
/*
 * PL011 transmit and receive by polling (Arm PrimeCell UART (PL011)
 * Technical Reference Manual, r1p5, 3.3 "Register descriptions").
 */
#include "pl011.h"

#define PL011_DR		0x000	/* data register */
#define PL011_DR_DATA		0xffu	/* DATA [7:0] */
#define PL011_DR_FE		BIT(8)	/* framing error */
#define PL011_DR_PE		BIT(9)	/* parity error */
#define PL011_DR_BE		BIT(10)	/* break */
#define PL011_FR		0x018	/* flag register */
#define PL011_FR_RXFE		BIT(4)	/* receive FIFO empty */
#define PL011_FR_TXFF		BIT(5)	/* transmit FIFO full */
#define PL011_TX_SPINS		1000000u	/* then drop the character */

static volatile u8 *pl011_regs = (volatile u8 *)(uintptr_t)PL011_DEFAULT_BASE;

static u32 pl011_read(u32 reg)
{
	return *(volatile u32 *)(pl011_regs + reg);
}

void pl011_init(u64 base)
{
	pl011_regs = (volatile u8 *)(uintptr_t)base;
}

u64 pl011_base(void)
{
	return (u64)(uintptr_t)pl011_regs;
}

static inline void pl011_tx(volatile u8 *regs, char c)
{
	u32 spins = PL011_TX_SPINS;

	while ((*(volatile u32 *)(regs + PL011_FR) & PL011_FR_TXFF) && spins)
		spins--;
	*(volatile u32 *)(regs + PL011_DR) = (u8)c;
}

void pl011_putc(char c)
{
	pl011_tx(pl011_regs, c);
}

void pl011_puts(const char *s)
{
	volatile u8 *regs = pl011_regs;

	for (; *s; s++) {
		if (*s == '\n')
			pl011_tx(regs, '\r');
		pl011_tx(regs, *s);
	}
}

int pl011_getc(void)
{
	u32 dr;

	do {
		if (pl011_read(PL011_FR) & PL011_FR_RXFE)
			return -1;
		dr = pl011_read(PL011_DR);
	} while (dr & (PL011_DR_FE | PL011_DR_PE | PL011_DR_BE));
	return (int)(dr & PL011_DR_DATA);
}
