// SPDX-License-Identifier: MIT
/*
 * The guest's 16550 UART (TI PC16550D data sheet, "Register Description";
 * registers one byte apart, as on QEMU virt). A byte written to THR goes
 * to the VM's console; the transmitter is always empty (LSR.THRE, TEMT).
 * Nothing is ever received yet: LSR.DR stays clear. The divisor latch and
 * the other registers hold what the guest writes (so a driver's probe of
 * the scratch register works); no interrupts.
 */
#include "vdev.h"
#include "vdev/vns16550.h"
#include "vm.h"

#define UART_THR		0	/* transmit holding (write, DLAB=0) */
#define UART_IIR		2	/* interrupt identification (read) */
#define UART_IIR_NO_INT		0x01	/* no interrupt pending */
#define UART_LCR		3	/* line control */
#define UART_LCR_DLAB		BIT(7)	/* divisor latch access */
#define UART_LSR		5	/* line status */
#define UART_LSR_THRE		BIT(5)	/* transmit holding register empty */
#define UART_LSR_TEMT		BIT(6)	/* transmitter empty */
#define UART_REGS		8

struct vns16550 {
	u8 regs[UART_REGS];	/* as written: IER FCR LCR MCR SCR, the divisor latch in DLL/DLM */
	u8 dll, dlm;
};

static struct vns16550 vns16550s[HYP_MAX_VMS];

static void vns16550_access(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size,
			    bool write, u64 *val)
{
	struct vns16550 *u = &vns16550s[vcpu->vm->id];
	bool dlab = u->regs[UART_LCR] & UART_LCR_DLAB;

	(void)dev;
	(void)size;
	if (offset >= UART_REGS) {
		if (!write)
			*val = 0;
		return;
	}
	if (write) {
		if (offset == UART_THR && !dlab)
			vm_console_putc(vcpu, (char)(*val & 0xff));
		else if (offset <= 1 && dlab)
			*(offset ? &u->dlm : &u->dll) = (u8)*val;
		else if (offset != UART_LSR)
			u->regs[offset] = (u8)*val;
		return;
	}
	if (offset == UART_LSR)
		*val = UART_LSR_THRE | UART_LSR_TEMT;
	else if (offset == UART_IIR)
		*val = UART_IIR_NO_INT;
	else if (offset <= 1 && dlab)
		*val = offset ? u->dlm : u->dll;
	else
		*val = offset == UART_THR ? 0 : u->regs[offset];
}

int vns16550_add(struct vm *vm, u64 base)
{
	vns16550s[vm->id] = (struct vns16550){ 0 };
	return vdev_add(&vm->mmio, base, VNS16550_SIZE, vns16550_access);
}
