// SPDX-License-Identifier: MIT
/*
 * The guest's 16550 UART (TI PC16550D data sheet, "Register Description";
 * registers one byte apart, as on QEMU virt). A byte written to THR goes
 * to the VM's console; the transmitter is always empty (LSR.THRE, TEMT).
 * The receive FIFO holds what the console gives the VM while it holds
 * console input (hyp/console.h), NS16550_RX_DEPTH bytes: a byte that finds
 * it full is dropped and LSR.OE set until LSR is read, as the hardware
 * does. Receiving is polled: the holder's reads of LSR and RBR take what
 * the host UART has. The divisor latch and the other registers hold what
 * the guest writes (a driver's probe of the scratch register works); IIR
 * says no interrupt is pending; no interrupts.
 */
#include "console.h"
#include "vdev.h"
#include "vdev/vns16550.h"
#include "vm.h"

#define UART_RBR		0	/* receive buffer (read, DLAB=0) */
#define UART_THR		0	/* transmit holding (write, DLAB=0) */
#define UART_IIR		2	/* interrupt identification (read) */
#define UART_IIR_NO_INT		0x01	/* no interrupt pending */
#define UART_LCR		3	/* line control */
#define UART_LCR_DLAB		BIT(7)	/* divisor latch access */
#define UART_LSR		5	/* line status */
#define UART_LSR_DR		BIT(0)	/* data ready */
#define UART_LSR_OE		BIT(1)	/* overrun error, cleared by reading LSR */
#define UART_LSR_THRE		BIT(5)	/* transmit holding register empty */
#define UART_LSR_TEMT		BIT(6)	/* transmitter empty */
#define UART_SCR		7	/* scratch: holds a byte, no effect */
#define UART_REGS		8
#define NS16550_RX_DEPTH	16	/* the 16550's receive FIFO */

struct vns16550 {
	struct hyp_console_input input;
	struct vm *vm;
	struct pt_spinlock lock;	/* the FIFO and OE */
	u8 rx[NS16550_RX_DEPTH];
	u32 rx_head, rx_count;
	bool oe;
	u8 regs[UART_REGS];	/* as written: IER FCR LCR MCR SCR */
	u8 dll, dlm;		/* the divisor latch */
	/* Per vCPU: its last access wrote THR (an LSR read then is a transmit's). */
	u8 after_tx[VM_MAX_VCPUS];
};

static struct vns16550 vns16550s[HYP_MAX_VMS];

static void vns16550_receive(struct hyp_console_input *in, u8 c)
{
	struct vns16550 *u = (struct vns16550 *)in;

	pt_spin_lock(&u->lock);
	if (u->rx_count == NS16550_RX_DEPTH)
		u->oe = true;
	else
		u->rx[(u->rx_head + u->rx_count++) % NS16550_RX_DEPTH] = c;
	pt_spin_unlock(&u->lock);
}

static void vns16550_switched(struct hyp_console_input *in)
{
	vm_console_flush(((struct vns16550 *)in)->vm);
}

static bool vns16550_can_hold(const struct hyp_console_input *in)
{
	return !__atomic_load_n(&((const struct vns16550 *)in)->vm->stopped, __ATOMIC_ACQUIRE);
}

/* The oldest received byte, or -1. */
static int vns16550_pop(struct vns16550 *u)
{
	int c = -1;

	pt_spin_lock(&u->lock);
	if (u->rx_count) {
		c = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % NS16550_RX_DEPTH;
		u->rx_count--;
	}
	pt_spin_unlock(&u->lock);
	return c;
}

static u64 vns16550_read_rbr(struct vns16550 *u)
{
	int c = vns16550_pop(u);

	return c < 0 ? 0 : (u64)c;
}

static u64 vns16550_read_lsr(struct vns16550 *u)
{
	u64 val = UART_LSR_THRE | UART_LSR_TEMT;

	pt_spin_lock(&u->lock);
	val |= (u->rx_count ? UART_LSR_DR : 0) | (u->oe ? UART_LSR_OE : 0);
	u->oe = false;
	pt_spin_unlock(&u->lock);
	return val;
}

/* The holder reads LSR or RBR: input first; an LSR read not after a write waits for input. */
static void vns16550_holder_read(struct vcpu *vcpu, struct vns16550 *u, u64 offset)
{
	hyp_console_poll();
	if (offset == UART_LSR && !u->after_tx[vcpu->id])
		vm_console_input_wait(vcpu);
	u->after_tx[vcpu->id] = 0;
}

static u64 __attribute__((noinline)) vns16550_read(struct vcpu *vcpu, struct vns16550 *u, u64 offset)
{
	bool dlab = u->regs[UART_LCR] & UART_LCR_DLAB;

	if ((offset == UART_LSR || (offset == UART_RBR && !dlab)) &&
	    hyp_console_input_owner() == vcpu->vm)
		vns16550_holder_read(vcpu, u, offset);
	if (offset <= 1 && dlab)
		return offset ? u->dlm : u->dll;
	switch (offset) {
	case UART_RBR:
		return vns16550_read_rbr(u);
	case UART_IIR:
		return UART_IIR_NO_INT;
	case UART_LSR:
		return vns16550_read_lsr(u);
	default:
		return u->regs[offset];
	}
}

static void __attribute__((noinline)) vns16550_write(struct vcpu *vcpu, struct vns16550 *u, u64 offset, u8 val)
{
	bool dlab = u->regs[UART_LCR] & UART_LCR_DLAB;

	if (offset == UART_THR && !dlab) {
		vm_console_putc(vcpu, (char)val);
		u->after_tx[vcpu->id] = 1;
	} else if (offset <= 1 && dlab) {
		*(offset ? &u->dlm : &u->dll) = val;
	} else if (offset != UART_LSR) {
		u->regs[offset] = val;
	}
}

/* SCR holds a byte, nothing else: a leaf, with the other registers' work out of line. */
static u64 vns16550_read_access(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size)
{
	struct vns16550 *u = dev->priv;

	if (offset == UART_SCR && size == 1)
		return u->regs[UART_SCR];
	if (offset >= UART_REGS || size != 1)	/* byte registers only */
		return 0;
	return vns16550_read(vcpu, u, offset);
}

static void vns16550_write_access(struct vcpu *vcpu, const struct vdev *dev, u64 offset,
				  u32 size, u64 val)
{
	struct vns16550 *u = dev->priv;

	if (offset == UART_SCR && size == 1)
		u->regs[UART_SCR] = (u8)val;
	else if (offset < UART_REGS && size == 1)	/* byte registers only */
		vns16550_write(vcpu, u, offset, (u8)val);
}

int vns16550_getc(struct vcpu *vcpu)
{
	struct vns16550 *u = &vns16550s[vcpu->vm->id];
	int c;

	if (u->vm != vcpu->vm)
		return -1;
	if (hyp_console_input_owner() == vcpu->vm)
		hyp_console_poll();
	c = vns16550_pop(u);
	if (c < 0 && hyp_console_input_owner() == vcpu->vm)
		vm_console_input_wait(vcpu);
	return c;
}

/*
 * A reset of @vm (hyp/vcpu.c's vm_reset()): every register as at its
 * creation (PC16550D Table IV, master reset: IER, FCR, LCR, MCR, LSR
 * clear; the divisor latch and scratch register zero too, as QEMU's),
 * the FIFO empty, no overrun.
 */
void vns16550_reset(struct vm *vm)
{
	struct vns16550 *u = &vns16550s[vm->id];

	if (u->vm != vm)
		return;
	pt_spin_lock(&u->lock);
	u->rx_head = u->rx_count = 0;
	u->oe = false;
	pt_spin_unlock(&u->lock);
	for (u32 i = 0; i < UART_REGS; i++)
		u->regs[i] = 0;
	u->dll = u->dlm = 0;
	for (u32 i = 0; i < VM_MAX_VCPUS; i++)
		u->after_tx[i] = 0;
}

int vns16550_add(struct vm *vm, struct vdev_bus *bus, u64 base, u64 size)
{
	struct vns16550 *u = &vns16550s[vm->id];
	int ret = vdev_add(bus, base, size, vns16550_read_access, vns16550_write_access, u);

	if (ret)
		return ret;
	*u = (struct vns16550){
		.input = { .name = vm->name, .owner = vm, .receive = vns16550_receive,
			   .switched = vns16550_switched, .can_hold = vns16550_can_hold },
		.vm = vm,
	};
	return hyp_console_input_add(&u->input);
}
