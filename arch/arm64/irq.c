// SPDX-License-Identifier: MIT
/*
 * Interrupts at EL2 and the arm64 side of hyp/arch/irq.h. A guest runs
 * with HCR_EL2.IMO, so every physical IRQ traps to EL2 (vectors.S kind 9);
 * EL2 itself keeps PSTATE.I set except for a moment after each WFI in
 * arch_wait_event() (kind 5). Both acknowledge everything pending:
 * - the wake-up SGI: nothing but the flush below;
 * - the EL2 physical timer (PPI 26): the bound on a wait, turned off;
 * - the EL1 virtual timer (PPI 27): held active for the vCPU (vgic.c);
 * - the maintenance interrupt (PPI 25): list registers ran low;
 * then hand the vCPU's pending interrupts to its list registers.
 */
#include "arch/cpu.h"
#include "arch/irq.h"
#include "arm64.h"
#include "gicv3.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

#define WAIT_TICK_US		1000	/* each wait: at most 1 ms, as the event stream was */
#define CNTHP_CTL_ENABLE	BIT(0)	/* CNTHP_CTL_EL2 (Arm ARM D24.10) */

static void irq_handle(u32 intid)
{
	switch (intid) {
	case GIC_PPI_VTIMER:
	case GIC_PPI_PTIMER:
		vgic_timer_fired(intid);	/* deactivated by the guest's EOI, or there */
		return;
	case GIC_PPI_HYP_TIMER:
		write_sysreg(cnthp_ctl_el2, 0);
		isb();
		break;
	case GIC_PPI_MAINT:
		vgic_maintenance();
		break;
	default:			/* the wake-up SGI; nothing else is enabled */
		break;
	}
	gicv3_deactivate(intid);
}

static void irq_dispatch(void)
{
	u32 intid;

	while ((intid = gicv3_ack()) < GIC_INTID_SPURIOUS)
		irq_handle(intid);
}

void arm64_host_irq(u64 kind, struct arm64_regs *regs);
void arm64_host_irq(u64 kind, struct arm64_regs *regs)
{
	struct vcpu *vcpu;

	(void)kind;
	(void)regs;
	irq_dispatch();
	vcpu = vgic_this_vcpu();
	if (vcpu)
		vgic_flush(vcpu);
}

void arm64_guest_irq(u64 kind, struct arm64_regs *regs);
void arm64_guest_irq(u64 kind, struct arm64_regs *regs)
{
	struct vcpu *vcpu = vgic_loaded_vcpu();

	(void)kind;
	(void)regs;
	irq_dispatch();
	if (!vcpu)
		hyp_panic("IRQ from a lower EL with no vCPU loaded\n");
	vcpu_trap_enter(vcpu);
	vgic_flush(vcpu);
}

/* WFI with IRQs masked ends on a pending one; it is taken once they are unmasked. */
void arch_wait_event(void)
{
	u64 freq = read_sysreg(cntfrq_el0);

	if (!gicv3_ready()) {
		__asm__ volatile("wfe" ::: "memory");	/* the event stream bounds it */
		return;
	}
	write_sysreg(cnthp_tval_el2, freq / (1000000 / WAIT_TICK_US));
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
	__asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2"
			 ::: "memory");
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}

void arch_send_event(void)
{
	dsb_ish();
	__asm__ volatile("sev" ::: "memory");
	if (gicv3_ready())
		gicv3_sgi_others(GIC_SGI_WAKE);
}

void arch_wake_cpu(u32 cpu)
{
	dsb_ish();
	__asm__ volatile("sev" ::: "memory");
	if (gicv3_ready())
		gicv3_sgi_cpu(cpu, GIC_SGI_WAKE);
}

/*
 * A trapped WFI: the CPU waits until an interrupt is pending for @vcpu,
 * its VM stops, or ARCH_WAIT_MAX_US passed (a WFI may end for no reason).
 */
void arm64_vcpu_wfi(struct vcpu *vcpu)
{
	u64 start = arch_time_us();

	if (!gicv3_ready()) {
		vcpu_wait(vcpu);
		return;
	}
	for (;;) {
		vgic_flush(vcpu);	/* what a full set of list registers held back */
		if (vgic_vcpu_pending(vcpu))
			return;
		vcpu_wait(vcpu);
		vcpu_trap_enter(vcpu);
		if (arch_time_us() - start >= ARCH_WAIT_MAX_US)
			return;
	}
}
