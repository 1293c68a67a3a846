// SPDX-License-Identifier: MIT
/*
 * The vGIC's CPU interface, through the GICv3 virtualization hardware
 * (IHI 0069 chapter 6, registers in 12.4): the guest's ICC_* accesses
 * reach the virtual CPU interface directly, the hypervisor places pending
 * interrupts in list registers. A vCPU never leaves its CPU while it runs
 * (hyp/vcpu.c); when it leaves (off, stopped, reset: arch_cpu_idle_reset)
 * its list registers, VMCR, APRs and virtual timer are saved and the
 * hardware left quiet (vgic_vcpu_put()), and entering it loads them
 * (vgic_vcpu_restore()), all zero for a vCPU entered afresh.
 * - The EL1 virtual timer (the guest's own): its physical PPI 27 fires at
 *   EL2, is held active and goes into a list register with HW = 1, pINTID
 *   27, so the guest's EOI deactivates the physical interrupt; a guest
 *   that has not enabled the PPI keeps it held (the physical active state
 *   masks it).
 * - The EL1 physical timer, emulated (vptimer.c): its PPI 30 is a level
 *   line, listed with ICH_LR.EOI and sampled again on EOI.
 * - SGIs and software-pending interrupts: in the vCPU's pending set
 *   (hyp/virq.h) until this CPU flushes them into free list registers;
 *   more than fit set ICH_HCR_EL2.UIE, and the underflow maintenance
 *   interrupt flushes the rest.
 */
#include "arch/cpu.h"
#include "arm64.h"
#include "gicv3.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

#define ICH_VTR_PREBITS_SHIFT	26	/* ICH_VTR_EL2.PREbits [28:26]: preemption bits - 1 */
#define ICH_VTR_PREBITS_MASK	0x7u
#define ICH_LR_PINTID_MASK	(0x1fffull << ICH_LR_PINTID_SHIFT)

_Static_assert(VGIC_MAX_LRS == ICH_MAX_LRS, "a vCPU saves every list register");

static struct vcpu *vgic_cur[HYP_MAX_CPUS];
static u32 nr_lrs;

#define LR_CASE(n) case n: return read_sysreg(ich_lr##n##_el2)
u64 vgic_lr_read(u32 n)
{
	switch (n) {
	LR_CASE(0); LR_CASE(1); LR_CASE(2); LR_CASE(3);
	LR_CASE(4); LR_CASE(5); LR_CASE(6); LR_CASE(7);
	LR_CASE(8); LR_CASE(9); LR_CASE(10); LR_CASE(11);
	LR_CASE(12); LR_CASE(13); LR_CASE(14); LR_CASE(15);
	default: return 0;
	}
}
#undef LR_CASE

#define LR_CASE(n) case n: write_sysreg(ich_lr##n##_el2, val); return
void vgic_lr_write(u32 n, u64 val)
{
	switch (n) {
	LR_CASE(0); LR_CASE(1); LR_CASE(2); LR_CASE(3);
	LR_CASE(4); LR_CASE(5); LR_CASE(6); LR_CASE(7);
	LR_CASE(8); LR_CASE(9); LR_CASE(10); LR_CASE(11);
	LR_CASE(12); LR_CASE(13); LR_CASE(14); LR_CASE(15);
	default: return;
	}
}
#undef LR_CASE

u32 vgic_nr_lrs(void)
{
	if (!nr_lrs)
		nr_lrs = MIN((u32)(read_sysreg(ich_vtr_el2) & ICH_VTR_LISTREGS_MASK) + 1,
			     ICH_MAX_LRS);
	return nr_lrs;
}

struct vcpu *vgic_loaded_vcpu(void)
{
	return vgic_cur[arm64_this_cpu()];
}

struct vcpu *vgic_this_vcpu(void)
{
	struct vcpu *v = vgic_cur[arm64_this_cpu()];

	return v && !__atomic_load_n(&v->vm->stopped, __ATOMIC_ACQUIRE) ? v : NULL;
}

bool vgic_vcpu_loaded(const struct vcpu *vcpu)
{
	return __atomic_load_n(&vgic_cur[vcpu->cpu], __ATOMIC_ACQUIRE) == vcpu;
}

/* ICH_AP0R<n>/AP1R<n>_EL2 that exist: 1 << (PREbits + 1 - 5) of each (12.4.1). */
static u32 nr_aprs(void)
{
	u32 pre = (u32)(read_sysreg(ich_vtr_el2) >> ICH_VTR_PREBITS_SHIFT) & ICH_VTR_PREBITS_MASK;

	return pre >= 4 ? 1u << (pre + 1 - 5) : 1;
}

#define APR_RW(g)							\
static u64 ap##g##r_read(u32 n)						\
{									\
	switch (n) {							\
	case 1: return read_sysreg(ich_ap##g##r1_el2);			\
	case 2: return read_sysreg(ich_ap##g##r2_el2);			\
	case 3: return read_sysreg(ich_ap##g##r3_el2);			\
	default: return read_sysreg(ich_ap##g##r0_el2);			\
	}								\
}									\
static void ap##g##r_write(u32 n, u64 v)				\
{									\
	switch (n) {							\
	case 1: write_sysreg(ich_ap##g##r1_el2, v); return;		\
	case 2: write_sysreg(ich_ap##g##r2_el2, v); return;		\
	case 3: write_sysreg(ich_ap##g##r3_el2, v); return;		\
	default: write_sysreg(ich_ap##g##r0_el2, v); return;		\
	}								\
}
APR_RW(0)
APR_RW(1)
#undef APR_RW

void vgic_vcpu_reset(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;

	c->ctx = (struct vgic_hw_ctx){ 0 };
	vgic_cpu_reset(c);
}

void vgic_vcpu_restore(struct vcpu *vcpu)
{
	const struct vgic_hw_ctx *x = &vcpu->arch->vgic.ctx;

	if (!gicv3_ready())
		return;
	for (u32 i = 0; i < vgic_nr_lrs(); i++)
		vgic_lr_write(i, x->lr[i]);
	for (u32 i = 0; i < nr_aprs(); i++) {
		ap0r_write(i, x->ap0r[i]);
		ap1r_write(i, x->ap1r[i]);
	}
	write_sysreg(ich_vmcr_el2, x->vmcr);
	write_sysreg(ich_hcr_el2, ICH_HCR_EN);
	write_sysreg(cntv_cval_el0, x->cntv_cval);
	write_sysreg(cntv_ctl_el0, x->cntv_ctl);
	write_sysreg(cntp_ctl_el0, 0);	/* the EL1 physical timer is emulated: never armed */
	isb();
	__atomic_store_n(&vgic_cur[arm64_this_cpu()], vcpu, __ATOMIC_RELEASE);
	vptimer_load(vcpu);
	vgic_flush(vcpu);
}

/*
 * Saved and cleared. An LR linked to the physical PPI 27 is saved as a
 * virtual one (HW = 0) and the physical interrupt deactivated: the timer,
 * loaded again, fires again if its condition still holds.
 */
void vgic_vcpu_put(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;
	struct vgic_hw_ctx *x = &c->ctx;

	if (!gicv3_ready())
		return;
	vgic_active_serve();	/* a request already posted is answered, not timed out */
	for (u32 i = 0; i < vgic_nr_lrs(); i++) {
		x->lr[i] = vgic_lr_read(i) & ~(ICH_LR_HW | ICH_LR_PINTID_MASK);
		vgic_lr_write(i, 0);
	}
	for (u32 i = 0; i < nr_aprs(); i++) {
		x->ap0r[i] = (u32)ap0r_read(i);
		x->ap1r[i] = (u32)ap1r_read(i);
		ap0r_write(i, 0);
		ap1r_write(i, 0);
	}
	x->vmcr = (u32)read_sysreg(ich_vmcr_el2);
	x->cntv_ctl = (u32)read_sysreg(cntv_ctl_el0);
	x->cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(ich_vmcr_el2, 0);
	write_sysreg(ich_hcr_el2, 0);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	c->timer_held &= ~BIT(GIC_PPI_VTIMER);
	gicv3_ppi_clear_active(GIC_PPI_VTIMER);
	vptimer_put();
	/* Saved before it reads as gone: a request after this reads the saved state. */
	__atomic_store_n(&vgic_cur[arm64_this_cpu()], NULL, __ATOMIC_RELEASE);
}

/* A level line fell: pending -> gone, active + pending -> active (12.4.6). */
void vgic_lr_lower(u32 intid)
{
	u64 elrsr = read_sysreg(ich_elrsr_el2);

	for (u32 i = 0; i < vgic_nr_lrs(); i++) {
		u64 lr = vgic_lr_read(i);

		if ((elrsr & BIT(i)) || (lr & ICH_LR_VINTID_MASK) != intid)
			continue;
		vgic_lr_write(i, (lr & ICH_LR_STATE_MASK) == ICH_LR_PENDING ? 0 :
				 lr & ~ICH_LR_PENDING);
		return;
	}
}

/* The LR already holding @intid, or -1; *@free: a free LR, or -1. */
static int lr_find(u32 intid, u64 elrsr, int *free)
{
	*free = -1;
	for (u32 i = 0; i < vgic_nr_lrs(); i++) {
		if (elrsr & BIT(i)) {
			if (*free < 0)
				*free = (int)i;
		} else if ((vgic_lr_read(i) & ICH_LR_VINTID_MASK) == intid) {
			return (int)i;
		}
	}
	return -1;
}

static u64 lr_value(const struct vgic_cpu *c, u32 intid)
{
	u64 lr = intid | (u64)c->prio[intid] << ICH_LR_PRIO_SHIFT | ICH_LR_PENDING;

	if (c->group & BIT(intid))
		lr |= ICH_LR_GROUP1;
	if (intid == GIC_PPI_VTIMER)
		lr |= ICH_LR_HW | (u64)intid << ICH_LR_PINTID_SHIFT;
	else if (intid == GIC_PPI_PTIMER)
		lr |= ICH_LR_EOI;	/* a level line: sampled again on EOI */
	return lr;
}

/* Into an LR: true, or false when none is free (the caller keeps it pending). */
static bool lr_inject(const struct vgic_cpu *c, u32 intid, u64 *elrsr)
{
	int free, n = lr_find(intid, *elrsr, &free);

	if (n >= 0) {		/* already there: pending again (active + pending) */
		vgic_lr_write((u32)n, vgic_lr_read((u32)n) | ICH_LR_PENDING);
		return true;
	}
	if (free < 0)
		return false;
	vgic_lr_write((u32)free, lr_value(c, intid));
	*elrsr &= ~BIT(free);
	return true;
}

/* Pending SPIs into free LRs; what does not fit is put back (true). Out of the timer's way. */
static bool __attribute__((noinline)) vgic_flush_spis(struct vcpu *vcpu, u64 *elrsr)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;
	struct vgic_dist *d = &vcpu->vm->arch->vgic;
	u32 pend = virq_take(&c->pending, 1), left = 0;

	/* Lowered or disabled since it was raised: dropped (raised again when it rises). */
	pend &= vgic_spi_pending(d) & __atomic_load_n(&d->enabled[1], __ATOMIC_ACQUIRE);
	for (u32 bits = pend; bits; bits &= bits - 1) {
		u32 intid = VGIC_SPI_BASE + (u32)__builtin_ctz(bits);
		int free, n = lr_find(intid, *elrsr, &free);

		if (n >= 0) {
			vgic_lr_write((u32)n, vgic_lr_read((u32)n) | ICH_LR_PENDING);
		} else if (free >= 0) {
			vgic_lr_write((u32)free, vgic_spi_lr(d, intid));
			*elrsr &= ~BIT(free);
		} else {
			left |= BIT(intid - VGIC_SPI_BASE);
		}
	}
	__atomic_fetch_and(&d->spi_latch, ~(pend & ~left), __ATOMIC_ACQ_REL);	/* taken */
	virq_put_back(&c->pending, 1, left);
	return left != 0;
}

void vgic_flush(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;
	u32 pend = virq_take(&c->pending, 0);
	u32 enabled = __atomic_load_n(&c->enabled, __ATOMIC_ACQUIRE);
	u32 left = pend & ~enabled;	/* stays pending until enabled */
	u64 elrsr = read_sysreg(ich_elrsr_el2);
	u64 hcr = ICH_HCR_EN;

	for (u32 bits = pend & enabled; bits; bits &= bits - 1) {
		u32 intid = (u32)__builtin_ctz(bits);

		if (!lr_inject(c, intid, &elrsr))
			left |= BIT(intid);
	}
	if (c->timer_held & enabled & BIT(GIC_PPI_VTIMER)) {
		if (lr_inject(c, GIC_PPI_VTIMER, &elrsr)) {
			c->timer_held &= ~BIT(GIC_PPI_VTIMER);
			c->nr_vtimer++;
		} else {
			hcr |= ICH_HCR_UIE;
		}
	}
	if (__builtin_expect(c->timer_held & enabled & BIT(GIC_PPI_PTIMER), 0)) {
		if (lr_inject(c, GIC_PPI_PTIMER, &elrsr))
			c->timer_held &= ~BIT(GIC_PPI_PTIMER);
		else
			hcr |= ICH_HCR_UIE;
	}
	virq_put_back(&c->pending, 0, left);
	if (left & enabled)
		hcr |= ICH_HCR_UIE;
	if (__builtin_expect(virq_peek(&c->pending, 1) != 0, 0) && vgic_flush_spis(vcpu, &elrsr))
		hcr |= ICH_HCR_UIE;
	write_sysreg(ich_hcr_el2, hcr);
	isb();
}

void vgic_kick(struct vcpu *vcpu)
{
	if (vcpu == vgic_cur[arm64_this_cpu()])
		vgic_flush(vcpu);
	else
		gicv3_sgi_cpu(vcpu->cpu, GIC_SGI_WAKE);
}

void vgic_timer_fired(u32 ppi)
{
	struct vcpu *v = vgic_this_vcpu();

	if (!v) {		/* no VM runs here: its timer must not keep firing */
		write_sysreg(cntv_ctl_el0, 0);
		isb();
		gicv3_deactivate(ppi);
		return;
	}
	v->arch->vgic.timer_held |= BIT(ppi);	/* flushed on the way back */
}

/*
 * Underflow (UIE): the flush after this places what waited. EOI of an
 * SPI or of PPI 30 (ICH_EISR_EL2, 12.4.5): its LR is freed and its line
 * sampled again.
 */
void vgic_maintenance(void)
{
	struct vcpu *v = vgic_this_vcpu();
	u64 eisr = read_sysreg(ich_eisr_el2);

	write_sysreg(ich_hcr_el2, ICH_HCR_EN);	/* UIE off; the flush sets it again if needed */
	for (; eisr; eisr &= eisr - 1) {
		u32 n = (u32)__builtin_ctzll(eisr);
		u32 intid = (u32)(vgic_lr_read(n) & ICH_LR_VINTID_MASK);

		vgic_lr_write(n, 0);
		if (v && intid == GIC_PPI_PTIMER)
			vptimer_eoi(v);
		else if (v)
			vgic_spi_eoi(v->vm, intid);
	}
	isb();
}

bool vgic_vcpu_pending(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;

	if ((virq_peek(&c->pending, 0) & __atomic_load_n(&c->enabled, __ATOMIC_ACQUIRE)) ||
	    virq_peek(&c->pending, 1))
		return true;
	for (u32 i = 0; i < vgic_nr_lrs(); i++)
		if (vgic_lr_read(i) & ICH_LR_PENDING)
			return true;
	return false;
}

/*
 * ICC_SGI1R_EL1 (12.2.23): IRM = 1, every vCPU but the sender; else the
 * vCPUs whose Aff3.Aff2.Aff1 match and whose Aff0 is RS * 16 + a bit of
 * TargetList. A VM's vCPU i has affinity 0.0.0.i; others get nothing.
 */
void vgic_sgi1r(struct vcpu *vcpu, u64 val)
{
	struct vm *vm = vcpu->vm;
	u32 intid = (u32)((val >> ICC_SGI1R_INTID_SHIFT) & ICC_SGI1R_INTID_MASK);
	u64 aff321 = val & (ICC_SGI1R_AFF_MASK << ICC_SGI1R_AFF1_SHIFT |
			    ICC_SGI1R_AFF_MASK << ICC_SGI1R_AFF2_SHIFT |
			    ICC_SGI1R_AFF_MASK << ICC_SGI1R_AFF3_SHIFT);
	u32 base = (u32)((val >> ICC_SGI1R_RS_SHIFT) & 0xf) * 16;

	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		bool hit = (val & ICC_SGI1R_IRM) ? i != vcpu->id :
			   !aff321 && i >= base && i - base < 16 && (val & BIT(i - base));

		if (!hit)
			continue;
		virq_raise(&vm->vcpus[i].arch->vgic.pending, intid);
		__atomic_fetch_add(&vm->vcpus[i].arch->vgic.nr_sgi, 1, __ATOMIC_RELAXED);
		vgic_kick(&vm->vcpus[i]);
	}
}
