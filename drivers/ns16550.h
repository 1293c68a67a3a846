/* SPDX-License-Identifier: MIT */
/* A 16550-compatible UART, polled transmit and receive, byte-wide registers. */
#ifndef DRIVERS_NS16550_H
#define DRIVERS_NS16550_H

#include "types.h"

#define NS16550_COMPAT		"ns16550a"
#define NS16550_DEFAULT_BASE	0x10000000ull	/* QEMU riscv virt */
#define NS16550_MMIO_SIZE	0x1000ull	/* the page it sits in */

/* The UART is left as the firmware set it up (baud rate, FIFOs). */
void ns16550_init(u64 base);
u64 ns16550_base(void);
void ns16550_putc(char c);
/* @s, each '\n' sent as "\r\n" (hyp_console_set_output_str()). */
void ns16550_puts(const char *s);
/* A received byte, -1 if none waits. */
int ns16550_getc(void);

#endif
