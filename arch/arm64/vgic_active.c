// SPDX-License-Identifier: MIT
/*
 * The vGIC's active state (GICR_ISACTIVER0/ICACTIVER0 of each vCPU's SGI
 * frame, GICD_ISACTIVER1/ICACTIVER1; IHI 0069 12.9.17-18, 12.11.18-19):
 * an interrupt is active only in a list register of the CPU its vCPU
 * runs on. The accessing vCPU's own are read and changed in place.
 * Another vCPU's are asked for: the request goes into that vCPU's
 * mailbox (struct vgic_active_req) and SGI 1 to its CPU, whose IRQ path
 * answers (vgic_active_serve()); the asker waits at most ACTIVE_WAIT_US
 * (then it reads nothing active or pending) and serves its own mailbox
 * meanwhile (two vCPUs may ask each other). Only its own VM waits: the
 * asker's CPU, and the target's, which is the same VM's. A
 * vCPU not on its CPU (off, stopped) answers from the list registers it
 * left (vgic_vcpu_put()), and ignores changes. The same request reads the
 * LRs' pending bits (ISPENDR) and clears them (ICPENDR).
 * Setting: the LR holding the INTID becomes active too, or a free LR
 * takes it active (not pending); no free LR: ignored. Clearing: the LR
 * loses its active state; one linked to the physical PPI 27 deactivates
 * that too, and one with ICH_LR.EOI raises its EOI maintenance interrupt
 * (a level line is sampled again, as after the guest's own EOI).
 */
#include "arch/cpu.h"
#include "arm64.h"
#include "gicv3.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

#define ACTIVE_WAIT_US		50000	/* generous: QEMU without -icount on a loaded host */
#define REQ_POSTED		1
#define REQ_SERVING		2

/* The bit of @lr's INTID in word @word (INTIDs 32 * @word + 0-31), or 0. */
static u32 lr_bit(u64 lr, u32 word)
{
	u64 intid = lr & ICH_LR_VINTID_MASK;

	return intid - 32 * word < 32 ? BIT(intid - 32 * word) : 0;
}

static void lr_clear_active(u32 n, u64 lr)
{
	u64 left = lr & ~ICH_LR_ACTIVE;

	if ((lr & ICH_LR_HW) && !(left & ICH_LR_STATE_MASK)) {
		vgic_lr_write(n, 0);	/* the physical interrupt goes with it */
		gicv3_deactivate((u32)((lr >> ICH_LR_PINTID_SHIFT) & ICC_IAR_INTID_MASK));
		return;
	}
	vgic_lr_write(n, left);
}

/* An LR for @intid in active state alone, as the flush would list it. */
static u64 lr_active_value(const struct vcpu *vcpu, u32 intid)
{
	const struct vgic_cpu *c = &vcpu->arch->vgic;
	const struct vgic_dist *d = &vcpu->vm->arch->vgic;

	if (intid >= VGIC_SPI_BASE)
		return (vgic_spi_lr(d, intid) & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	return intid | (u64)c->prio[intid] << ICH_LR_PRIO_SHIFT | ICH_LR_ACTIVE |
	       ((c->group & BIT(intid)) ? ICH_LR_GROUP1 : 0);
}

/* Free LRs take the INTIDs of @set (word @word) in active state. */
static void lr_set_active(const struct vcpu *vcpu, u32 word, u32 set, u64 elrsr)
{
	for (u32 i = 0; i < vgic_nr_lrs() && set; i++) {
		if (!(elrsr & BIT(i)))
			continue;
		vgic_lr_write(i, lr_active_value(vcpu, 32 * word + (u32)__builtin_ctz(set)));
		set &= set - 1;
	}
}

/* This CPU's vCPU @vcpu: @ch made in word @word; the LRs' active bits after, *@pend pending. */
static u32 lr_local(const struct vcpu *vcpu, u32 word, const struct vgic_lr_change *ch, u32 *pend)
{
	u64 elrsr = read_sysreg(ich_elrsr_el2);
	u32 active = 0, set = ch->set_active & ~ch->clear_active;

	*pend = 0;
	for (u32 i = 0; i < vgic_nr_lrs(); i++) {
		u64 lr = vgic_lr_read(i), was = lr;
		u32 bit = lr_bit(lr, word);

		if ((elrsr & BIT(i)) || !bit)
			continue;
		if (set & bit)
			lr |= ICH_LR_ACTIVE;
		if ((ch->clear_pending & bit) && !(lr & ICH_LR_HW))
			lr &= ~ICH_LR_PENDING;	/* a linked one: pending as the timer is */
		set &= ~bit;
		if ((ch->clear_active & bit) && (lr & ICH_LR_ACTIVE)) {
			lr_clear_active(i, lr);
			lr &= ~ICH_LR_ACTIVE;
		} else if (lr != was) {
			vgic_lr_write(i, lr);
		}
		active |= (lr & ICH_LR_ACTIVE) ? bit : 0;
		*pend |= (lr & ICH_LR_PENDING) ? bit : 0;
	}
	lr_set_active(vcpu, word, set, elrsr);
	isb();
	return active | set;	/* where no LR was free, set reads back anyway: close enough */
}

/* The active bits of word @word in the LRs a vCPU left; *@pend its pending ones. */
static u32 lr_saved(const struct vgic_hw_ctx *x, u32 word, u32 *pend)
{
	u32 active = 0;

	*pend = 0;
	for (u32 i = 0; i < VGIC_MAX_LRS; i++) {
		active |= (x->lr[i] & ICH_LR_ACTIVE) ? lr_bit(x->lr[i], word) : 0;
		*pend |= (x->lr[i] & ICH_LR_PENDING) ? lr_bit(x->lr[i], word) : 0;
	}
	return active;
}

void vgic_active_serve(void)
{
	struct vcpu *v = vgic_loaded_vcpu();
	struct vgic_active_req *r;
	u32 posted = REQ_POSTED;

	if (!v)
		return;
	r = &v->arch->vgic.areq;
	if (!__atomic_compare_exchange_n(&r->posted, &posted, REQ_SERVING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	r->active = lr_local(v, r->word, &r->change, &r->pending);
	__atomic_store_n(&r->posted, 0, __ATOMIC_RELEASE);
}

/*
 * Until *@p is 0 (true), or ACTIVE_WAIT_US passed or @t left its CPU
 * (false); this CPU's mailbox served meanwhile.
 */
static bool wait_zero(u32 *p, const struct vcpu *t, u64 start)
{
	while (__atomic_load_n(p, __ATOMIC_ACQUIRE)) {
		vgic_active_serve();
		if (arch_time_us() - start >= ACTIVE_WAIT_US || !vgic_vcpu_loaded(t))
			return false;
	}
	return true;
}

static u32 lr_remote(struct vcpu *t, u32 word, const struct vgic_lr_change *ch, u32 *pend)
{
	struct vgic_active_req *r = &t->arch->vgic.areq;
	u64 start = arch_time_us();
	u32 unlocked = 0, posted = REQ_POSTED, active = 0;

	while (!__atomic_compare_exchange_n(&r->lock, &unlocked, 1, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		unlocked = 0;
		if (!wait_zero(&r->lock, t, start))
			return lr_saved(&t->arch->vgic.ctx, word, pend);
	}
	r->word = word;
	r->change = *ch;
	__atomic_store_n(&r->posted, REQ_POSTED, __ATOMIC_RELEASE);
	gicv3_sgi_cpu(t->cpu, GIC_SGI_ACTIVE);
	*pend = 0;
	/* Not answered in time: taken back, unless its CPU is answering now. */
	if (wait_zero(&r->posted, t, start) ||
	    !__atomic_compare_exchange_n(&r->posted, &posted, 0, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&r->posted, __ATOMIC_ACQUIRE))
			;
		active = r->active;
		*pend = r->pending;
	} else if (!vgic_vcpu_loaded(t)) {	/* it left meanwhile: what it saved */
		active = lr_saved(&t->arch->vgic.ctx, word, pend);
	}
	__atomic_store_n(&r->lock, 0, __ATOMIC_RELEASE);
	return active;
}

u32 vgic_lr_access(struct vcpu *self, struct vcpu *target, u32 word,
		   const struct vgic_lr_change *change, u32 *pending)
{
	u32 pend;

	if (!pending)
		pending = &pend;
	if (target == self)
		return lr_local(self, word, change, pending);
	if (!vgic_vcpu_loaded(target))
		return lr_saved(&target->arch->vgic.ctx, word, pending);
	return lr_remote(target, word, change, pending);
}

u32 vgic_spi_lr_access(struct vcpu *self, const struct vgic_lr_change *change, u32 *pending)
{
	struct vm *vm = self->vm;
	u32 active = 0, all_pend = 0;

	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = &vm->vcpus[i];
		struct vgic_lr_change mine = *change;
		u32 pend;

		mine.set_active = 0;
		for (u32 bits = change->set_active; bits; bits &= bits - 1) {
			u32 n = (u32)__builtin_ctz(bits);

			if (vgic_spi_target(vm, VGIC_SPI_BASE + n) == t)
				mine.set_active |= BIT(n);
		}
		active |= vgic_lr_access(self, t, 1, &mine, &pend);
		all_pend |= pend;
	}
	if (pending)
		*pending = all_pend;
	return active;
}
