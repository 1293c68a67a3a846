// SPDX-License-Identifier: MIT
/*
 * The guest's PL011 (PrimeCell UART PL011 TRM, 3.3 "Register
 * descriptions"): a byte written to the data register goes to the VM's
 * console; the flag register says the transmit FIFO is empty and never
 * full and the receive FIFO empty; the rest reads as zero, writes ignored.
 */
#include "vdev.h"
#include "vdev/vpl011.h"
#include "vm.h"

#define UART_DR			0x000	/* data */
#define UART_FR			0x018	/* flags */
#define UART_FR_RXFE		BIT(4)	/* receive FIFO empty */
#define UART_FR_TXFE		BIT(7)	/* transmit FIFO empty */

static void vpl011_access(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size,
			  bool write, u64 *val)
{
	(void)dev;
	(void)size;
	if (write) {
		if (offset == UART_DR)
			vm_console_putc(vcpu, (char)(*val & 0xff));
		return;
	}
	*val = offset == UART_FR ? UART_FR_RXFE | UART_FR_TXFE : 0;
}

int vpl011_add(struct vm *vm, u64 base)
{
	return vdev_add(&vm->mmio, base, VPL011_SIZE, vpl011_access);
}
