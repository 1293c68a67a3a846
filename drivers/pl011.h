/* SPDX-License-Identifier: MIT */
/* Arm PrimeCell UART (PL011), polled transmit and receive. */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include "types.h"

#define PL011_COMPAT		"arm,pl011"
#define PL011_DEFAULT_BASE	0x09000000ull	/* QEMU virt */
#define PL011_MMIO_SIZE		0x1000ull

/* The UART is left as the firmware or QEMU set it up (baud rate, enable). */
void pl011_init(u64 base);
u64 pl011_base(void);
void pl011_putc(char c);
/* @s, each '\n' sent as "\r\n" (hyp_console_set_output_str()). */
void pl011_puts(const char *s);
/* A received byte, -1 if none waits (one with a framing, parity or break error is dropped). */
int pl011_getc(void);

#endif
