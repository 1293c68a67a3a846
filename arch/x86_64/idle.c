// SPDX-License-Identifier: MIT
/*
 * Waiting and waking (hyp/arch/irq.h) through the local APIC. A waiting
 * CPU arms its APIC timer (one-shot, at most WAIT_TICK_US) and runs STI;
 * HLT with the wake-up vector the only interrupt it takes: the hypervisor
 * otherwise runs with RFLAGS.IF clear, so a wake-up IPI sent at any time
 * after the caller last looked stays pending in the IRR until that STI,
 * and STI's one-instruction shadow means it ends the HLT rather than
 * arriving just before it (SDM Vol. 3A 6.8.3): no wake-up is lost.
 *
 * A CPU in its guest is also sent an NMI (NMI exiting): Bochs 2.7 takes
 * the external-interrupt exit only while the guest has RFLAGS.IF set
 * (x86_cpu.h), and the IPI then waits in the IRR for the CPU's next HLT.
 * One that raced into its guest after the sender saw it out checks its
 * VM (x86_guest_entering) after marking itself in its guest.
 */
#include "arch/cpu.h"
#include "arch/irq.h"
#include "vm.h"
#include "x86.h"
#include "x86_cpu.h"

#define LAPIC_LVT_TIMER		0x320	/* SDM Vol. 3A 11.5.1: one-shot when bits 18:17 are 0 */
#define LAPIC_TIMER_INIT	0x380	/* initial count: writing it starts the timer, 0 stops it */
#define LAPIC_TIMER_CUR		0x390
#define LAPIC_TIMER_DIV		0x3e0
#define LAPIC_TIMER_DIV_1	0xb	/* divide by 1 (SDM Vol. 3A Figure 11-10) */
#define LAPIC_LVT_MASKED	BIT(16)
#define WAIT_TICK_US		1000	/* each wait: at most 1 ms, as on arm64 and RISC-V */
#define CAL_US			100	/* APIC timer calibration against the TSC */

static u32 timer_per_wait;	/* APIC timer counts in WAIT_TICK_US; 0: poll */

/* The count the APIC timer runs down in CAL_US, read on the boot CPU. */
static void idle_calibrate(void)
{
	u64 end;
	u32 left;

	x86_lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | X86_VEC_WAKE);
	x86_lapic_write(LAPIC_TIMER_INIT, ~0u);
	end = arch_time_us() + CAL_US;
	while (arch_time_us() < end)
		cpu_relax();
	left = x86_lapic_read(LAPIC_TIMER_CUR);
	x86_lapic_write(LAPIC_TIMER_INIT, 0);
	timer_per_wait = (u32)MIN((u64)(~0u - left) * (WAIT_TICK_US / CAL_US), 0xffffffffull);
}

void x86_idle_init(u32 cpu)
{
	x86_lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_1);
	if (cpu == 0)
		idle_calibrate();
	x86_lapic_write(LAPIC_LVT_TIMER, X86_VEC_WAKE);
	__atomic_store_n(&x86_percpu()->wake_ok, 1, __ATOMIC_RELEASE);
}

void arch_wait_event(void)
{
	if (!timer_per_wait) {
		cpu_relax();
		return;
	}
	x86_lapic_write(LAPIC_TIMER_INIT, timer_per_wait);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	x86_lapic_write(LAPIC_TIMER_INIT, 0);
}

static void wake(u32 cpu)
{
	struct x86_percpu *p = x86_percpu_of(cpu);

	if (!__atomic_load_n(&p->wake_ok, __ATOMIC_ACQUIRE))
		return;
	x86_lapic_send_fixed(p->apic_id, X86_VEC_WAKE);
	if (__atomic_load_n(&p->in_guest, __ATOMIC_SEQ_CST))
		x86_lapic_send_nmi(p->apic_id);
}

void arch_send_event(void)
{
	u32 self = x86_this_cpu(), n = hyp_cpu_count();

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (u32 cpu = 0; cpu < n && cpu < HYP_MAX_CPUS; cpu++)
		if (cpu != self)
			wake(cpu);
}

void arch_wake_cpu(u32 cpu)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (cpu != x86_this_cpu() && cpu < HYP_MAX_CPUS)
		wake(cpu);
}

/*
 * A guest's HLT: the CPU waits until its vCPU has something to do (x86
 * guests get no interrupts yet: nothing), its VM stops, or
 * ARCH_WAIT_MAX_US passed; then the guest goes on past its HLT.
 */
void x86_vcpu_hlt(struct vcpu *vcpu)
{
	u64 start = arch_time_us();

	do {
		vcpu_wait(vcpu);
		vcpu_trap_enter(vcpu);
	} while (arch_time_us() - start < ARCH_WAIT_MAX_US);
}
