// SPDX-License-Identifier: MIT
/*
 * Interrupts at EL2 and the arm64 side of hyp/arch/irq.h. A guest runs
 * with HCR_EL2.IMO, so every physical IRQ traps to EL2 (vectors.S kind 9);
 * EL2 itself keeps PSTATE.I set except for a moment after each WFI in
 * arch_wait_event() (kind 5). Both acknowledge everything pending:
 * - the wake-up SGI: nothing but the flush below;
 * - the EL2 physical timer (PPI 26): the bound on a wait, or the
 *   deadline of the vCPU's emulated EL1 physical timer (vptimer.c);
 * - the EL1 virtual timer (PPI 27): held active for the vCPU (vgic.c);
 * - the maintenance interrupt (PPI 25): list registers ran low, or EOIs;
 * - SGI 1: another CPU asks for this vCPU's active state (vgic_active.c);
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

static u64 wait_ticks, wfi_max_ticks;	/* WAIT_TICK_US, ARCH_WAIT_MAX_US in counter ticks */

static void irq_handle(u32 intid)
{
	switch (intid) {
	case GIC_PPI_VTIMER:
		vgic_timer_fired(intid);	/* deactivated by the guest's EOI, or there */
		return;
	case GIC_PPI_HYP_TIMER:
		vptimer_hyp_timer_fired();
		break;
	case GIC_PPI_MAINT:
		vgic_maintenance();
		break;
	default:			/* the SGIs; nothing else is enabled */
		if (intid == GIC_SGI_ACTIVE)
			vgic_active_serve();
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

/* Once, by whichever CPU waits first (the same values on every CPU): wait_ticks last. */
static u64 ticks_get(void)
{
	u64 freq, ticks = __atomic_load_n(&wait_ticks, __ATOMIC_ACQUIRE);

	if (__builtin_expect(ticks != 0, 1))
		return ticks;
	freq = read_sysreg(cntfrq_el0);
	wfi_max_ticks = freq / 1000000 * ARCH_WAIT_MAX_US +
			freq % 1000000 * ARCH_WAIT_MAX_US / 1000000;
	ticks = freq / (1000000 / WAIT_TICK_US);
	__atomic_store_n(&wait_ticks, ticks, __ATOMIC_RELEASE);
	return ticks;
}

/* WFI with IRQs masked ends on a pending one; it is taken once they are unmasked. */
void arch_wait_event(void)
{
	if (!gicv3_ready()) {
		__asm__ volatile("wfe" ::: "memory");	/* the event stream bounds it */
		return;
	}
	vptimer_wait(ticks_get());
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
	u64 start = read_sysreg(cntpct_el0);

	if (!gicv3_ready()) {
		vcpu_wait(vcpu);
		return;
	}
	ticks_get();		/* wfi_max_ticks set */
	for (;;) {
		vgic_flush(vcpu);	/* what a full set of list registers held back */
		if (vgic_vcpu_pending(vcpu))
			return;
		vcpu_wait(vcpu);
		vcpu_trap_enter(vcpu);
		if (read_sysreg(cntpct_el0) - start >= wfi_max_ticks)
			return;
	}
}
