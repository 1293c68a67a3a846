// SPDX-License-Identifier: MIT
/*
 * The EL1 physical timer of each vCPU, emulated (docs/arm64.md, "Physical
 * timer"). CNTHCTL_EL2.EL1PCEN = 0 traps CNTP_CTL_EL0, CNTP_CVAL_EL0 and
 * CNTP_TVAL_EL0 (EC 0x18; EL1PCTEN stays 1, so CNTPCT_EL0 does not trap);
 * each vCPU keeps CVAL and CTL in struct vgic_cpu, compared with the
 * physical counter (no offset, as CNTP_* on hardware: Arm ARM D13.8).
 * PPI 30 is a level line: ENABLE && !IMASK && ISTATUS. It rises on an
 * access that makes it so, or when the deadline passes: the deadline runs
 * on the EL2 physical timer (CNTHP_*, PPI 26), which this CPU's waits
 * (arch_wait_event()) also use for their 1 ms bound, so CNTHP_CVAL_EL2 is
 * the earlier of the two. The line high: PPI 30 goes into a list
 * register with ICH_LR.EOI, and the guest's EOI samples it again (listed
 * again while high). The line falling takes the pending state out of its
 * list register.
 */
#include "arm64.h"
#include "gicv3.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

#define CNT_NONE		(~0ull)	/* no deadline */
#define CNTP_TVAL_OP2		0	/* CNTP_*_EL0: op0 3, op1 3, CRn 14, CRm 2, op2 */
#define CNTP_CTL_OP2		1
#define CNTP_CVAL_OP2		2
#define CNTP_CTL_WRITABLE	(CNT_CTL_ENABLE | CNT_CTL_IMASK)
#define TVAL_MASK		0xffffffffull	/* TimerValue [31:0], [63:32] RES0 */

/* Per CPU: its vCPU's timer deadline. */
static u64 ptimer_deadline[HYP_MAX_CPUS] = { [0 ... HYP_MAX_CPUS - 1] = CNT_NONE };

static u64 cnt_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/*
 * CNTHP for the vCPU's deadline (CNTHP_CVAL_EL2, compared with CNTPCT).
 * A wait (vptimer_wait()) sets the earlier of it and its bound, and this
 * again when it ends; an IRQ ends the wait's WFI, so its handler may set
 * this meanwhile.
 */
static void cnthp_program(u32 cpu)
{
	u64 at = ptimer_deadline[cpu];

	if (at == CNT_NONE) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, at);
		write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	}
	isb();
}

static bool ptimer_line(const struct vgic_cpu *c, u64 now)
{
	return (c->ptimer_ctl & CNTP_CTL_WRITABLE) == CNT_CTL_ENABLE && now >= c->ptimer_cval;
}

/*
 * @vcpu's timer (on this CPU) after a change of its registers or of the
 * time: PPI 30 follows its line, the deadline is armed while it is low.
 */
static void ptimer_update(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;
	bool line = ptimer_line(c, cnt_now());
	u32 cpu = arm64_this_cpu();

	if (line && !c->ptimer_level) {
		c->ptimer_level = true;
		c->timer_held |= BIT(GIC_PPI_PTIMER);
	} else if (!line && c->ptimer_level) {
		c->ptimer_level = false;
		c->timer_held &= ~BIT(GIC_PPI_PTIMER);
		vgic_lr_lower(GIC_PPI_PTIMER);
	}
	ptimer_deadline[cpu] = !line && (c->ptimer_ctl & CNTP_CTL_WRITABLE) == CNT_CTL_ENABLE ?
			       c->ptimer_cval : CNT_NONE;
	cnthp_program(cpu);
}

static u64 ptimer_read(const struct vgic_cpu *c, u32 op2)
{
	u64 now = cnt_now();

	switch (op2) {
	case CNTP_TVAL_OP2:
		return (c->ptimer_cval - now) & TVAL_MASK;
	case CNTP_CTL_OP2:	/* ISTATUS only while enabled (QEMU and KVM alike) */
		return c->ptimer_ctl | ((c->ptimer_ctl & CNT_CTL_ENABLE) && now >= c->ptimer_cval ?
					CNT_CTL_ISTATUS : 0);
	default:
		return c->ptimer_cval;
	}
}

void vptimer_access(struct vcpu *vcpu, u32 op2, bool read, u64 *val)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;

	if (read) {
		*val = ptimer_read(c, op2);
		return;
	}
	switch (op2) {
	case CNTP_TVAL_OP2:	/* CVAL = now + SignExtend(TVAL[31:0]) */
		c->ptimer_cval = cnt_now() + (u64)(s64)(s32)(u32)*val;
		break;
	case CNTP_CTL_OP2:
		c->ptimer_ctl = (u32)(*val & CNTP_CTL_WRITABLE);
		break;
	default:
		c->ptimer_cval = *val;
	}
	ptimer_update(vcpu);
	vgic_flush(vcpu);
}

void vptimer_hyp_timer_fired(void)
{
	struct vcpu *v = vgic_this_vcpu();
	u32 cpu = arm64_this_cpu();

	if (v) {
		ptimer_update(v);	/* the flush after the IRQ lists PPI 30 */
		return;
	}
	ptimer_deadline[cpu] = CNT_NONE;
	cnthp_program(cpu);
}

void vptimer_eoi(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->arch->vgic;

	if (c->ptimer_level)
		c->timer_held |= BIT(GIC_PPI_PTIMER);
}

/*
 * WFI with IRQs masked ends on a pending one; it is taken once they are
 * unmasked, in the window after it. At most @ticks, or the vCPU's deadline.
 */
void vptimer_wait(u64 ticks)
{
	u32 cpu = arm64_this_cpu();
	u64 bound = read_sysreg(cntpct_el0) + ticks;

	write_sysreg(cnthp_cval_el2, MIN(bound, ptimer_deadline[cpu]));
	write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
	__asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2"
			 ::: "memory");
	if (__builtin_expect(ptimer_deadline[cpu] == CNT_NONE, 1))
		write_sysreg(cnthp_ctl_el2, 0);
	else
		write_sysreg(cnthp_cval_el2, ptimer_deadline[cpu]);
	isb();
}

void vptimer_load(struct vcpu *vcpu)
{
	ptimer_update(vcpu);
}

void vptimer_put(void)
{
	u32 cpu = arm64_this_cpu();

	ptimer_deadline[cpu] = CNT_NONE;
	cnthp_program(cpu);
}
