// SPDX-License-Identifier: MIT
/*
 * The vGIC's distributor and redistributors, emulated by trapping their
 * MMIO (IHI 0069 12.9 and 12.11), as a VM sees them on QEMU virt: GICD
 * at 0x0800_0000, one redistributor (RD_base + SGI_base, 128 KiB) per
 * vCPU from 0x080a_0000. Affinity routing only (ARE reads 1), one security
 * state (DS reads 1), no LPIs and no ITS. Registers are 32-bit unless
 * noted; the priorities take bytes too, TYPER and IROUTER 64-bit too; any
 * other access, and reserved offsets, read as zero and ignore writes.
 */
#include "arch/vcpu.h"
#include "arm64.h"
#include "gicv3.h"
#include "vdev.h"
#include "vgic.h"
#include "vm.h"

#define VGIC_IIDR		0x0000043bu	/* ProductID 0, Implementer Arm (JEP106 0x43b) */
#define VGIC_PIDR2		(GIC_PIDR2_ARCH_V3 | 0xbu)	/* JEP106 ident bits */
#define VGIC_IDBITS		9		/* 10 INTID bits */
#define GICD_CTLR_GUEST_RW	(GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G1A)
#define GICR_ICFGR0_SGIS	0xaaaaaaaau	/* SGIs: edge-triggered, read-only */
#define VGIC_SPI_WORD		1		/* the 32-bit word of SPIs 32-63 */

static struct arch_vm *avm(const struct vcpu *vcpu)
{
	return vcpu->vm->arch;
}

void vgic_dist_reset(struct vgic_dist *d)
{
	u32 level = __atomic_load_n(&d->spi_level, __ATOMIC_ACQUIRE);

	*d = (struct vgic_dist){ .spi_level = level };
	for (u32 i = 0; i < ARRAY_SIZE(d->group); i++)
		d->group[i] = ~0u;
}

void vgic_cpu_reset(struct vgic_cpu *c)
{
	virq_take(&c->pending, 0);
	virq_take(&c->pending, 1);
	c->enabled = 0;
	c->group = ~0u;		/* group 1, as KVM's GICv3 resets them */
	c->icfgr1 = 0;
	c->waker = GICR_WAKER_PSLEEP;
	for (u32 i = 0; i < ARRAY_SIZE(c->prio); i++)
		c->prio[i] = 0;
	c->timer_held = 0;
	c->ptimer_cval = 0;
	c->ptimer_ctl = 0;
	c->ptimer_level = false;
}

/* A priority byte register block: @prio[@n] onwards, @size bytes (1 or 4). */
static void prio_access(u8 *prio, u32 nr, u32 n, u32 size, bool write, u64 *val)
{
	if ((size != 1 && size != 4) || n + size > nr) {
		if (!write)
			*val = 0;
		return;
	}
	for (u32 i = 0; i < size; i++) {
		if (write)
			prio[n + i] = (u8)(*val >> (8 * i));
		else
			*val = (i ? *val : 0) | (u64)prio[n + i] << (8 * i);
	}
}

/* Set-/clear-bit register pair: write 1s set (@set) or clear; reads give the bits. */
static u32 setclr(u32 *reg, bool write, bool set, u32 val)
{
	if (write) {
		if (set)
			__atomic_fetch_or(reg, val, __ATOMIC_ACQ_REL);
		else
			__atomic_fetch_and(reg, ~val, __ATOMIC_ACQ_REL);
	}
	return __atomic_load_n(reg, __ATOMIC_ACQUIRE);
}

static u64 gicd_typer(const struct vm *vm)
{
	return (VGIC_NR_IRQS / 32 - 1) | VGIC_IDBITS << GICD_TYPER_IDBITS_SHIFT |
	       (u64)(MIN(vm->nr_vcpus, 8u) - 1) << 5;	/* CPUNumber [7:5] */
}

/*
 * GICD_ISPENDR1/ICPENDR1: the latch set or cleared (an SPI whose line is
 * high stays pending: ICPENDR1 leaves its LR), read as line | latch |
 * pending in a list register.
 */
static u32 gicd_spi_pend(struct vcpu *vcpu, struct vgic_dist *d, u32 v, bool set)
{
	struct vgic_lr_change ch = { 0 };
	u32 listed;

	setclr(&d->spi_latch, v != 0, set, v);
	if (v && set)
		vgic_spi_enabled(vcpu->vm, v);	/* delivered if enabled */
	ch.clear_pending = set ? 0 : v & ~__atomic_load_n(&d->spi_level, __ATOMIC_ACQUIRE);
	vgic_spi_lr_access(vcpu, &ch, &listed);
	return vgic_spi_pending(d) | listed;
}

/* GICD words of SPIs 32-63 (the SGI/PPI word reads zero with ARE). */
static bool gicd_spi_word(struct vcpu *vcpu, struct vgic_dist *d, u64 off, bool write, u64 *val)
{
	struct vm *vm = vcpu->vm;
	u32 v = (u32)*val;

	if (off == GICD_IGROUPR + 4 * VGIC_SPI_WORD) {
		if (write)
			d->group[VGIC_SPI_WORD] = v;
		*val = d->group[VGIC_SPI_WORD];
	} else if (off == GICD_ISENABLER + 4 * VGIC_SPI_WORD ||
		   off == GICD_ICENABLER + 4 * VGIC_SPI_WORD) {
		*val = setclr(&d->enabled[VGIC_SPI_WORD], write, off < GICD_ICENABLER, v);
		if (write && off < GICD_ICENABLER)
			vgic_spi_enabled(vm, v);	/* lines already high */
	} else if (off == GICD_ISPENDR + 4 * VGIC_SPI_WORD ||
		   off == GICD_ICPENDR + 4 * VGIC_SPI_WORD) {
		*val = gicd_spi_pend(vcpu, d, write ? v : 0, off < GICD_ICPENDR);
	} else if (off == GICD_ISACTIVER + 4 * VGIC_SPI_WORD ||
		   off == GICD_ICACTIVER + 4 * VGIC_SPI_WORD) {
		struct vgic_lr_change ch = {
			.set_active = write && off < GICD_ICACTIVER ? v : 0,
			.clear_active = write && off >= GICD_ICACTIVER ? v : 0,
		};

		*val = vgic_spi_lr_access(vcpu, &ch, NULL);
	} else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 16) {
		if (write)
			d->icfgr[(off - GICD_ICFGR) / 4] = v;
		*val = d->icfgr[(off - GICD_ICFGR) / 4];
	} else {
		return false;
	}
	return true;
}

static void gicd_access(struct vcpu *vcpu, const struct vdev *dev, u64 off, u32 size,
			bool write, u64 *val)
{
	struct vgic_dist *d = &avm(vcpu)->vgic;

	(void)dev;
	if (off & (size - 1)) {		/* unaligned: RAZ/WI */
		*val = 0;
		return;
	}
	if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
		prio_access(d->prio, VGIC_NR_IRQS, (u32)(off - GICD_IPRIORITYR), size, write, val);
		return;
	}
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * VGIC_NR_IRQS &&
	    (size == 8 || size == 4)) {
		u64 *r = &d->irouter[(off - GICD_IROUTER) / 8];
		u32 shift = (off & 4) * 8;
		u64 mask = size == 8 ? ~0ull : 0xffffffffull << shift;

		if (write) {
			*r = (*r & ~mask) | (*val << shift & mask);
			vgic_spi_deliver(vcpu->vm, (u32)((off - GICD_IROUTER) / 8));
		}
		*val = (*r & mask) >> shift;
		return;
	}
	if (size != 4 || (off & 3)) {
		*val = 0;
		return;
	}
	switch (off) {
	case GICD_CTLR:
		if (write)
			d->ctlr = (u32)*val & GICD_CTLR_GUEST_RW;
		*val = d->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
		return;
	default:	/* TYPER, IIDR and PIDR2 are gicd_read()'s: writes ignored here */
		if (!gicd_spi_word(vcpu, d, off, write, val))
			*val = 0;	/* reserved, or RAZ/WI here */
	}
}

static u64 gicr_typer(const struct vm *vm, u32 id)
{
	return (u64)id << GICR_TYPER_AFF_SHIFT | (u64)id << GICR_TYPER_PROCNUM_SHIFT |
	       (id + 1 == vm->nr_vcpus ? GICR_TYPER_LAST : 0);
}

static void gicr_rd(struct vcpu *target, u64 off, u32 size, bool write, u64 *val)
{
	struct vgic_cpu *c = &target->arch->vgic;

	if (off == GICR_TYPER && size == 8) {
		*val = gicr_typer(target->vm, target->id);
		return;
	}
	if (size != 4) {
		*val = 0;
		return;
	}
	switch (off) {
	case GICR_TYPER:
	case GICR_TYPER + 4:
		*val = gicr_typer(target->vm, target->id) >> ((off & 4) * 8) & 0xffffffffu;
		return;
	case GICR_WAKER:	/* ChildrenAsleep follows ProcessorSleep at once */
		if (write)
			c->waker = (u32)*val & GICR_WAKER_PSLEEP;
		*val = c->waker ? GICR_WAKER_PSLEEP | GICR_WAKER_CASLEEP : 0;
		return;
	case GICR_IIDR:
		*val = VGIC_IIDR;
		return;
	case GICR_PIDR2:
		*val = VGIC_PIDR2;
		return;
	default:
		*val = 0;	/* CTLR: no LPIs, RWP never set */
	}
}

/*
 * GICR_ISPENDR0/ICPENDR0: raised (the target's CPU lists them) or taken
 * out of the pending set and the list registers; read as those two and
 * the timer PPIs held.
 */
static u32 gicr_pend(struct vcpu *self, struct vcpu *target, u32 v, bool set)
{
	struct vgic_cpu *c = &target->arch->vgic;
	struct vgic_lr_change ch = { .clear_pending = set ? 0 : v };
	u32 listed;

	for (u32 bits = set ? v : 0; bits; bits &= bits - 1)
		virq_raise(&c->pending, (u32)__builtin_ctz(bits));
	if (!set)
		virq_clear(&c->pending, 0, v);
	vgic_lr_access(self, target, 0, &ch, &listed);
	return virq_peek(&c->pending, 0) | c->timer_held | listed;
}

static void gicr_sgi(struct vcpu *self, struct vcpu *target, u64 off, u32 size, bool write,
		     u64 *val)
{
	struct vgic_cpu *c = &target->arch->vgic;
	u32 v = (u32)*val;

	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + GIC_NR_PRIVATE) {
		prio_access(c->prio, GIC_NR_PRIVATE, (u32)(off - GICR_IPRIORITYR), size, write, val);
		return;
	}
	if (size != 4) {
		*val = 0;
		return;
	}
	switch (off) {
	case GICR_IGROUPR0:
		if (write)
			c->group = v;
		*val = c->group;
		return;
	case GICR_ISENABLER0:
	case GICR_ICENABLER0:
		*val = setclr(&c->enabled, write, off == GICR_ISENABLER0, v);
		break;
	case GICR_ISPENDR0:
	case GICR_ICPENDR0:
		*val = gicr_pend(self, target, write ? v : 0, off == GICR_ISPENDR0);
		break;
	case GICR_ICFGR0:
		*val = GICR_ICFGR0_SGIS;
		return;
	case GICR_ICFGR1:
		if (write)
			c->icfgr1 = v;
		*val = c->icfgr1;
		return;
	case GICR_ISACTIVER0:
	case GICR_ICACTIVER0: {
		struct vgic_lr_change ch = {
			.set_active = write && off == GICR_ISACTIVER0 ? v : 0,
			.clear_active = write && off == GICR_ICACTIVER0 ? v : 0,
		};

		*val = vgic_lr_access(self, target, 0, &ch, NULL);
		return;
	}
	default:
		*val = 0;
		return;
	}
	if (write)
		vgic_kick(target);
}

static void gicr_access(struct vcpu *vcpu, const struct vdev *dev, u64 off, u32 size,
			bool write, u64 *val)
{
	u64 id = off / GICR_STRIDE, frame = off % GICR_STRIDE;

	(void)dev;
	if (id >= vcpu->vm->nr_vcpus || (off & (size - 1))) {
		*val = 0;
		return;
	}
	if (frame < GICR_SGI_BASE)
		gicr_rd(&vcpu->vm->vcpus[id], frame, size, write, val);
	else
		gicr_sgi(vcpu, &vcpu->vm->vcpus[id], frame - GICR_SGI_BASE, size, write, val);
}

/* The bus's two entry points (hyp/vdev.h) around each frame's one access function. */
static u64 __attribute__((noinline)) gicd_read_other(struct vcpu *vcpu, const struct vdev *dev,
						      u64 off, u32 size)
{
	u64 val = 0;

	gicd_access(vcpu, dev, off, size, false, &val);
	return val;
}

/* The read-only identification registers first, in a leaf. */
static u64 gicd_read(struct vcpu *vcpu, const struct vdev *dev, u64 off, u32 size)
{
	if (size == 4) {
		switch (off) {
		case GICD_TYPER:
			return gicd_typer(vcpu->vm);
		case GICD_IIDR:
			return VGIC_IIDR;
		case GICD_PIDR2:
			return VGIC_PIDR2;
		}
	}
	return gicd_read_other(vcpu, dev, off, size);
}

static void gicd_write(struct vcpu *vcpu, const struct vdev *dev, u64 off, u32 size, u64 val)
{
	gicd_access(vcpu, dev, off, size, true, &val);
}

static u64 gicr_read(struct vcpu *vcpu, const struct vdev *dev, u64 off, u32 size)
{
	u64 val = 0;

	gicr_access(vcpu, dev, off, size, false, &val);
	return val;
}

static void gicr_write(struct vcpu *vcpu, const struct vdev *dev, u64 off, u32 size, u64 val)
{
	gicr_access(vcpu, dev, off, size, true, &val);
}

void arch_vm_reset(struct vm *vm)
{
	vgic_dist_reset(&vm->arch->vgic);
}

bool vgic_available(void)
{
	return gicv3_ready();
}

int vgic_vm_init(struct vm *vm)
{
	int ret;

	if (!gicv3_ready())
		return 0;
	vgic_dist_reset(&vm->arch->vgic);
	ret = vdev_add(&vm->mmio, VGIC_GICD_BASE, GICD_SIZE, gicd_read, gicd_write, NULL);
	if (!ret)
		ret = vdev_add(&vm->mmio, VGIC_GICR_BASE, (u64)vm->nr_vcpus * GICR_STRIDE,
			       gicr_read, gicr_write, NULL);
	return ret;
}
