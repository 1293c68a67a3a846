// SPDX-License-Identifier: MIT
/*
 * The guest's PL011 (PrimeCell UART PL011 TRM r1p5, 3.3 "Register
 * descriptions"). A byte written to the data register goes to the VM's
 * console; the transmit FIFO is always empty. The receive FIFO holds what
 * the console gives the VM while it holds console input (hyp/console.h),
 * PL011_RX_DEPTH bytes of its own: a byte that finds it full is dropped
 * and flagged as an overrun, as the hardware does. Receiving is polled:
 * the holder's reads of FR and DR take what the host UART has. Every other
 * register reads as zero, writes ignored; no interrupts.
 */
#include "console.h"
#include "vdev.h"
#include "vdev/vpl011.h"
#include "vm.h"

#define UART_DR			0x000	/* data */
#define UART_DR_OE		BIT(11)	/* overrun: the FIFO was full when a byte came */
#define UART_RSR_ECR		0x004	/* receive status (read), error clear (write) */
#define UART_RSR_OE		BIT(3)	/* overrun, until a write to ECR */
#define UART_FR			0x018	/* flags */
#define UART_FR_RXFE		BIT(4)	/* receive FIFO empty */
#define UART_FR_RXFF		BIT(6)	/* receive FIFO full */
#define UART_FR_TXFE		BIT(7)	/* transmit FIFO empty */
#define PL011_RX_DEPTH		32	/* the receive FIFO (TRM 2.4.3: 32 x 12 bits) */

struct vpl011 {
	struct hyp_console_input input;
	struct vm *vm;
	struct pt_spinlock lock;	/* the FIFO and the error bits */
	u8 rx[PL011_RX_DEPTH];
	u32 rx_head, rx_count;
	u32 rsr;			/* UARTRSR */
	bool dr_oe;			/* UARTDR.OE of the next read */
	/* Per vCPU: its last access wrote DR (an FR read then is a transmit's). */
	u8 after_tx[VM_MAX_VCPUS];
};

static struct vpl011 vpl011s[HYP_MAX_VMS];

/* Kept out of line with vpl011_access()'s own arguments, so it only branches to them. */
#if __has_attribute(noipa)
#define VPL011_OUT_OF_LINE	__attribute__((noipa))
#else
#define VPL011_OUT_OF_LINE	__attribute__((noinline))
#endif

static void vpl011_receive(struct hyp_console_input *in, u8 c)
{
	struct vpl011 *u = (struct vpl011 *)in;

	pt_spin_lock(&u->lock);
	if (u->rx_count == PL011_RX_DEPTH) {
		u->rsr |= UART_RSR_OE;
		u->dr_oe = true;
	} else {
		u->rx[(u->rx_head + u->rx_count) % PL011_RX_DEPTH] = c;
		u->rx_count++;
	}
	pt_spin_unlock(&u->lock);
}

static void vpl011_switched(struct hyp_console_input *in)
{
	vm_console_flush(((struct vpl011 *)in)->vm);
}

static u64 vpl011_read_dr(struct vpl011 *u)
{
	u64 val = 0;

	pt_spin_lock(&u->lock);
	if (u->rx_count) {
		val = u->rx[u->rx_head] | (u->dr_oe ? UART_DR_OE : 0);
		u->rx_head = (u->rx_head + 1) % PL011_RX_DEPTH;
		u->rx_count--;
		u->dr_oe = false;	/* there is room again */
	}
	pt_spin_unlock(&u->lock);
	return val;
}

static u64 vpl011_read_fr(struct vpl011 *u)
{
	u32 n;

	pt_spin_lock(&u->lock);
	n = u->rx_count;
	pt_spin_unlock(&u->lock);
	return UART_FR_TXFE | (n ? 0 : UART_FR_RXFE) | (n == PL011_RX_DEPTH ? UART_FR_RXFF : 0);
}

static u64 vpl011_read_rsr(struct vpl011 *u)
{
	u64 rsr;

	pt_spin_lock(&u->lock);
	rsr = u->rsr;
	pt_spin_unlock(&u->lock);
	return rsr;
}

/* The holder reads FR or DR: input first; an FR read not after a write waits for input. */
static void vpl011_holder_read(struct vcpu *vcpu, struct vpl011 *u, u64 offset)
{
	hyp_console_poll();
	if (offset == UART_FR && !u->after_tx[vcpu->id])
		vm_console_input_wait(vcpu);
	u->after_tx[vcpu->id] = 0;
}

static u64 vpl011_read_reg(struct vpl011 *u, u64 offset)
{
	switch (offset) {
	case UART_DR:
		return vpl011_read_dr(u);
	case UART_RSR_ECR:
		return vpl011_read_rsr(u);
	case UART_FR:
		return vpl011_read_fr(u);
	default:
		return 0;
	}
}

static void VPL011_OUT_OF_LINE vpl011_read(struct vcpu *vcpu, const struct vdev *dev, u64 offset,
					   u32 size, bool write, u64 *val)
{
	struct vpl011 *u = &vpl011s[vcpu->vm->id];

	(void)dev;
	(void)size;
	(void)write;
	if ((offset == UART_FR || offset == UART_DR) && hyp_console_input_owner() == vcpu->vm)
		vpl011_holder_read(vcpu, u, offset);
	*val = vpl011_read_reg(u, offset);
}

static void VPL011_OUT_OF_LINE vpl011_write(struct vcpu *vcpu, const struct vdev *dev, u64 offset,
					    u32 size, bool write, const u64 *val)
{
	struct vpl011 *u = &vpl011s[vcpu->vm->id];

	(void)dev;
	(void)size;
	(void)write;
	if (offset == UART_DR) {
		vm_console_putc(vcpu, (char)(*val & 0xff));
		u->after_tx[vcpu->id] = 1;
	} else if (offset == UART_RSR_ECR) {
		pt_spin_lock(&u->lock);
		u->rsr = 0;
		pt_spin_unlock(&u->lock);
	}
}

/*
 * Only writes below FR do anything; the others (the bench's MMIO exit
 * among them) return before any work: the models below are not inlined.
 */
static void vpl011_access(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size,
			  bool write, u64 *val)
{
	if (!write)
		vpl011_read(vcpu, dev, offset, size, write, val);
	else if (offset < UART_FR)
		vpl011_write(vcpu, dev, offset, size, write, val);
}

int vpl011_add(struct vm *vm, u64 base)
{
	struct vpl011 *u = &vpl011s[vm->id];
	int ret = vdev_add(&vm->mmio, base, VPL011_SIZE, vpl011_access);

	if (ret)
		return ret;
	*u = (struct vpl011){
		.input = { .name = vm->name, .owner = vm, .receive = vpl011_receive,
			   .switched = vpl011_switched },
		.vm = vm,
	};
	return hyp_console_input_add(&u->input);
}
