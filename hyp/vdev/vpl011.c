// SPDX-License-Identifier: MIT
/*
 * The guest's PL011 (PrimeCell UART PL011 TRM r1p5, 3.3 "Register
 * descriptions"), as Linux's amba-pl011 driver uses it. A byte written to
 * the data register goes to the VM's console; the transmit FIFO is always
 * empty. The receive FIFO holds what the console gives the VM while it
 * holds console input (hyp/console.h), PL011_RX_DEPTH bytes of its own: a
 * byte that finds it full is dropped and flagged as an overrun, as the
 * hardware does. The host UART is polled: when the holder reads FR or DR,
 * and when a vCPU of any VM waits (hyp/vcpu.c). Baud rate, line control,
 * control and FIFO levels hold what is written and change nothing else
 * (the FIFO stays 32 deep with LCR_H.FEN clear); IMSC, RIS, MIS and ICR
 * drive one level-sensitive line (hyp/arch/vm_irq.h): RIS & IMSC != 0.
 * The peripheral and PrimeCell IDs read as r1p5's; DMACR, the modem
 * lines and every other register read as zero, writes ignored.
 */
#include "arch/vm_irq.h"
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
#define UART_IBRD		0x024	/* integer baud rate divisor, 16 bits */
#define UART_FBRD		0x028	/* fractional baud rate divisor, 6 bits */
#define UART_LCR_H		0x02c	/* line control, 8 bits */
#define UART_CR			0x030	/* control, 16 bits */
#define UART_CR_RESET		0x0300	/* TXE | RXE (UARTCR reset value) */
#define UART_IFLS		0x034	/* FIFO levels, 6 bits */
#define UART_IFLS_RESET		0x12	/* both at half full (UARTIFLS reset value) */
#define UART_IFLS_RX_SHIFT	3	/* RXIFLSEL, bits [5:3] */
#define UART_IFLS_RX_MASK	0x7
#define UART_IMSC		0x038	/* interrupt mask set/clear, 11 bits */
#define UART_RIS		0x03c	/* raw interrupt status */
#define UART_MIS		0x040	/* masked interrupt status */
#define UART_ICR		0x044	/* interrupt clear (write) */
#define UART_DMACR		0x048	/* DMA control: no DMA, reads zero */
#define UART_INT_RX		BIT(4)	/* RXRIS: the receive FIFO at its trigger level */
#define UART_INT_TX		BIT(5)	/* TXRIS: the transmit FIFO fell to its trigger level */
#define UART_INT_RT		BIT(6)	/* RTRIS: receive timeout, bytes wait in the FIFO */
#define UART_INT_OE		BIT(10)	/* OERIS: overrun */
#define UART_INT_MASK		0x7ff	/* the 11 interrupt bits of IMSC, RIS, MIS, ICR */
#define UART_ID_BASE		0xfe0	/* UARTPeriphID0-3, then UARTPCellID0-3 */
#define PL011_RX_DEPTH		32	/* the receive FIFO: 32 entries of 12 bits */
#define PL011_RX_LEVELS		5	/* RXIFLSEL values 0-4: 1/8, 1/4, 1/2, 3/4, 7/8 full */

/* UARTPeriphID0-3 = 0x00341011 (PL011 r1p5), UARTPCellID0-3 = 0xb105f00d, a byte each. */
static const u8 pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
/* The receive FIFO's trigger level in bytes, by RXIFLSEL. */
static const u8 pl011_rx_trigger[PL011_RX_LEVELS] = { 4, 8, 16, 24, 28 };

struct vpl011 {
	struct hyp_console_input input;
	struct vm *vm;
	struct pt_spinlock lock;	/* the FIFO, the registers and the line */
	u8 rx[PL011_RX_DEPTH];
	u32 rx_head, rx_count;
	u32 rsr;			/* UARTRSR */
	bool dr_oe;			/* UARTDR.OE of the next read */
	bool level;			/* the interrupt line, as last driven */
	u16 ibrd, cr, imsc;
	u16 ris;			/* the latched raw bits: TX, OE */
	u8 fbrd, lcr_h, ifls;
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

/*
 * UARTRIS: TX and OE latch until cleared (ICR); RX follows the FIFO's
 * level against its trigger and RT whether bytes wait at all (the
 * timeout is taken as past at once), so both fall as the FIFO is read.
 */
static u32 vpl011_ris(const struct vpl011 *u)
{
	u32 sel = (u->ifls >> UART_IFLS_RX_SHIFT) & UART_IFLS_RX_MASK;
	u32 trigger = sel < PL011_RX_LEVELS ? pl011_rx_trigger[sel] : PL011_RX_DEPTH;
	u32 ris = u->ris;

	if (u->rx_count)
		ris |= UART_INT_RT;
	if (u->rx_count >= trigger)
		ris |= UART_INT_RX;
	return ris;
}

/* UARTINTR, the ORed masked interrupts: driven after every change, under the lock. */
static void vpl011_update_line(struct vpl011 *u)
{
	bool level = (vpl011_ris(u) & u->imsc) != 0;

	if (level != u->level) {
		u->level = level;
		arch_vm_irq_level(u->vm, VPL011_SPI, level);
	}
}

static void vpl011_receive(struct hyp_console_input *in, u8 c)
{
	struct vpl011 *u = (struct vpl011 *)in;

	pt_spin_lock(&u->lock);
	if (u->rx_count == PL011_RX_DEPTH) {
		u->rsr |= UART_RSR_OE;
		u->ris |= UART_INT_OE;
		u->dr_oe = true;
	} else {
		u->rx[(u->rx_head + u->rx_count) % PL011_RX_DEPTH] = c;
		u->rx_count++;
	}
	vpl011_update_line(u);
	pt_spin_unlock(&u->lock);
}

static void vpl011_switched(struct hyp_console_input *in)
{
	vm_console_flush(((struct vpl011 *)in)->vm);
}

static bool vpl011_can_hold(const struct hyp_console_input *in)
{
	return !__atomic_load_n(&((const struct vpl011 *)in)->vm->stopped, __ATOMIC_ACQUIRE);
}

/* Called with the lock held. */
static u64 vpl011_read_dr(struct vpl011 *u)
{
	u64 val = 0;

	if (u->rx_count) {
		val = u->rx[u->rx_head] | (u->dr_oe ? UART_DR_OE : 0);
		u->rx_head = (u->rx_head + 1) % PL011_RX_DEPTH;
		u->rx_count--;
		u->dr_oe = false;	/* there is room again */
		vpl011_update_line(u);
	}
	return val;
}

static u64 vpl011_read_fr(const struct vpl011 *u)
{
	u32 n = u->rx_count;

	return UART_FR_TXFE | (n ? 0 : UART_FR_RXFE) | (n == PL011_RX_DEPTH ? UART_FR_RXFF : 0);
}

/*
 * The holder reads FR or DR: input first. An FR read not after a write
 * may be a prompt's wait for input: its part line goes out.
 */
static void vpl011_holder_read(struct vcpu *vcpu, struct vpl011 *u, u64 offset)
{
	hyp_console_poll();
	if (offset == UART_FR && !u->after_tx[vcpu->id])
		vm_console_input_wait(vcpu);
	u->after_tx[vcpu->id] = 0;
}

/* Called with the lock held. */
static u64 vpl011_read_reg(struct vpl011 *u, u64 offset)
{
	switch (offset) {
	case UART_DR:
		return vpl011_read_dr(u);
	case UART_RSR_ECR:
		return u->rsr;
	case UART_FR:
		return vpl011_read_fr(u);
	case UART_IFLS:
		return u->ifls;
	case UART_IMSC:
		return u->imsc;
	case UART_RIS:
		return vpl011_ris(u);
	case UART_MIS:
		return vpl011_ris(u) & u->imsc;
	default:
		if (offset >= UART_ID_BASE && offset % 4 == 0)
			return pl011_id[(offset - UART_ID_BASE) / 4];
		return 0;
	}
}

static u64 VPL011_OUT_OF_LINE vpl011_read_locked(struct vcpu *vcpu, struct vpl011 *u,
						 u64 offset)
{
	u64 val;

	if ((offset == UART_FR || offset == UART_DR) && hyp_console_input_owner() == vcpu->vm)
		vpl011_holder_read(vcpu, u, offset);
	pt_spin_lock(&u->lock);
	val = vpl011_read_reg(u, offset);
	pt_spin_unlock(&u->lock);
	return val;
}

/* What vpl011_write() stores without the lock is read likewise, by a leaf. */
static u64 vpl011_read(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size)
{
	struct vpl011 *u = dev->priv;

	(void)size;
	switch (offset) {
	case UART_IBRD:
		return u->ibrd;
	case UART_FBRD:
		return u->fbrd;
	case UART_LCR_H:
		return u->lcr_h;
	case UART_CR:
		return u->cr;
	default:
		return vpl011_read_locked(vcpu, u, offset);
	}
}

/* The registers that change the line; called with the lock held. */
static void vpl011_write_reg(struct vpl011 *u, u64 offset, u64 val)
{
	switch (offset) {
	case UART_IFLS:
		u->ifls = val & 0x3f;
		break;
	case UART_IMSC:
		u->imsc = val & UART_INT_MASK;
		break;
	case UART_ICR:
		u->ris &= ~val;
		break;
	case UART_RSR_ECR:
		u->rsr = 0;
		return;
	default:
		return;		/* read-only, reserved or unaligned: ignored */
	}
	vpl011_update_line(u);
}

/* The byte is out at once: the FIFO falls through its trigger level. */
static void VPL011_OUT_OF_LINE vpl011_write_dr(struct vcpu *vcpu, struct vpl011 *u, u64 val)
{
	vm_console_putc(vcpu, (char)(val & 0xff));
	u->after_tx[vcpu->id] = 1;
	pt_spin_lock(&u->lock);
	u->ris |= UART_INT_TX;
	vpl011_update_line(u);
	pt_spin_unlock(&u->lock);
}

static void VPL011_OUT_OF_LINE vpl011_write_locked(struct vpl011 *u, u64 offset, u64 val)
{
	pt_spin_lock(&u->lock);
	vpl011_write_reg(u, offset, val);
	pt_spin_unlock(&u->lock);
}

/*
 * IBRD, FBRD, LCR_H and CR hold what is written and change
 * nothing else: a leaf with no lock (the bench's MMIO write, IBRD, ends here).
 */
static void vpl011_write(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size, u64 val)
{
	struct vpl011 *u = dev->priv;

	(void)size;
	switch (offset) {
	case UART_DR:
		vpl011_write_dr(vcpu, u, val);
		return;
	case UART_IBRD:
		u->ibrd = (u16)val;
		return;
	case UART_FBRD:
		u->fbrd = val & 0x3f;
		return;
	case UART_LCR_H:
		u->lcr_h = (u8)val;
		return;
	case UART_CR:
		u->cr = (u16)val;
		return;
	default:
		vpl011_write_locked(u, offset, val);
	}
}

/*
 * A reset of @vm (hyp/vcpu.c's vm_reset()), as nPRESETn gives: the
 * registers at their reset values (TRM 3.2), the FIFO empty, the line low.
 */
void vpl011_reset(struct vm *vm)
{
	struct vpl011 *u = &vpl011s[vm->id];

	if (u->vm != vm)
		return;
	pt_spin_lock(&u->lock);
	u->rx_head = u->rx_count = 0;
	u->rsr = 0;
	u->dr_oe = false;
	u->ibrd = u->imsc = u->ris = 0;
	u->fbrd = u->lcr_h = 0;
	u->cr = UART_CR_RESET;
	u->ifls = UART_IFLS_RESET;
	for (u32 i = 0; i < VM_MAX_VCPUS; i++)
		u->after_tx[i] = 0;
	vpl011_update_line(u);
	pt_spin_unlock(&u->lock);
}

int vpl011_add(struct vm *vm, u64 base)
{
	struct vpl011 *u = &vpl011s[vm->id];
	int ret = vdev_add(&vm->mmio, base, VPL011_SIZE, vpl011_read, vpl011_write, u);

	if (ret)
		return ret;
	*u = (struct vpl011){
		.input = { .name = vm->name, .owner = vm, .receive = vpl011_receive,
			   .switched = vpl011_switched, .can_hold = vpl011_can_hold },
		.vm = vm,
		.cr = UART_CR_RESET,
		.ifls = UART_IFLS_RESET,
	};
	return hyp_console_input_add(&u->input);
}
