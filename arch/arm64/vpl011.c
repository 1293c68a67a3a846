// SPDX-License-Identifier: MIT
/*
 * The guest's PL011 (PrimeCell UART PL011 TRM, 3.3 "Register
 * descriptions"): a byte written to the data register goes to the VM's
 * console; the flag register says the transmit FIFO is empty and never
 * full and the receive FIFO empty; the rest reads as zero, writes ignored.
 */
#include "vpl011.h"

#define UART_DR			0x000	/* data */
#define UART_FR			0x018	/* flags */
#define UART_FR_RXFE		BIT(4)	/* receive FIFO empty */
#define UART_FR_TXFE		BIT(7)	/* transmit FIFO empty */

void vpl011_access(struct vcpu *vcpu, u64 ipa, u32 size, bool write, u64 *val)
{
	u64 reg = ipa - vcpu->vm->uart_base;

	(void)size;
	if (write) {
		if (reg == UART_DR)
			vm_console_putc(vcpu, (char)(*val & 0xff));
		return;
	}
	*val = reg == UART_FR ? UART_FR_RXFE | UART_FR_TXFE : 0;
}
