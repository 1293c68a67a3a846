// SPDX-License-Identifier: MIT
/*
 * The guest's 16550 (TI PC16550D datasheet, Table 2 "Register summary"):
 * a byte written to THR goes to the VM's console; the transmitter is
 * always empty. The divisor latch, IER, LCR, MCR and SCR hold what was
 * written; the receiver is always empty (no console input yet) and no
 * interrupt is ever pending. Arch-neutral: on x86's I/O ports (stride 1)
 * or on an MMIO bus.
 */
#include "vdev.h"
#include "vdev/vns16550.h"
#include "vm.h"

#define UART_THR		0	/* transmit holding (write), receive buffer (read) */
#define UART_IER		1
#define UART_IIR		2	/* interrupt identification (read), FIFO control (write) */
#define UART_LCR		3
#define UART_MCR		4
#define UART_LSR		5
#define UART_MSR		6
#define UART_SCR		7
#define UART_LCR_DLAB		0x80	/* DLL/DLM at 0 and 1 */
#define UART_IIR_NONE		0x01	/* no interrupt pending */
#define UART_LSR_THRE		0x20
#define UART_LSR_TEMT		0x40

struct vns16550 {
	u32 stride;
	u8 regs[VNS16550_REGS];	/* IER, LCR, MCR, SCR as written */
	u8 dll, dlm;
};

static struct vns16550 vns16550s[HYP_MAX_VMS];

static u8 vns16550_read(const struct vns16550 *u, u32 reg)
{
	bool dlab = u->regs[UART_LCR] & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		return dlab ? u->dll : 0;
	case UART_IER:
		return dlab ? u->dlm : u->regs[UART_IER];
	case UART_IIR:
		return UART_IIR_NONE;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_MSR:
		return 0;
	default:
		return u->regs[reg];
	}
}

static void vns16550_write(struct vcpu *vcpu, struct vns16550 *u, u32 reg, u8 v)
{
	bool dlab = u->regs[UART_LCR] & UART_LCR_DLAB;

	if (reg == UART_THR && !dlab)
		vm_console_putc(vcpu, (char)v);
	else if (reg == UART_THR)
		u->dll = v;
	else if (reg == UART_IER && dlab)
		u->dlm = v;
	else if (reg != UART_IIR && reg != UART_LSR && reg != UART_MSR)
		u->regs[reg] = v;
}

static void vns16550_access(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size,
			    bool write, u64 *val)
{
	struct vns16550 *u = &vns16550s[vcpu->vm->id];
	u32 reg = (u32)(offset / u->stride);

	(void)dev;
	if (offset % u->stride || size != 1) {	/* byte registers only */
		if (!write)
			*val = 0;
		return;
	}
	if (write)
		vns16550_write(vcpu, u, reg, (u8)*val);
	else
		*val = vns16550_read(u, reg);
}

int vns16550_add(struct vm *vm, struct vdev_bus *bus, u64 base, u32 stride)
{
	struct vns16550 *u = &vns16550s[vm->id];

	*u = (struct vns16550){ .stride = stride };
	return vdev_add(bus, base, (u64)VNS16550_REGS * stride, vns16550_access);
}
