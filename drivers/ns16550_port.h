/* SPDX-License-Identifier: MIT */
/*
 * A 16550 UART on x86 I/O ports (COM1), polled, as the console's queued
 * transmitter (hyp/console.h); the debug port 0xE9 as its mirror.
 */
#ifndef DRIVERS_NS16550_PORT_H
#define DRIVERS_NS16550_PORT_H

#include "types.h"

#define NS16550_COM1		0x3f8
#define DEBUG_PORT_E9		0xe9	/* Bochs port_e9_hack, QEMU -debugcon */

void ns16550_port_init(u16 base);
void ns16550_port_e9_putc(char c);
void ns16550_port_e9_puts(const char *s);
u32 ns16550_port_tx_room(void);
void ns16550_port_tx_put(u8 c);
bool ns16550_port_tx_idle(void);
int ns16550_port_getc(void);

#endif
