// SPDX-License-Identifier: MIT
/*
 * Waiting and waking (hyp/arch/irq.h). There is no SEV: a waiting hart
 * sits in WFI with sstatus.SIE clear and sie.SSIE and sie.STIE set, so an
 * SBI IPI (SSIP) or its own SBI timer (STIP, at most WAIT_TICK_US away,
 * or sooner for its vCPU's SBI set_timer without Sstc: vtimer.c) ends the
 * WFI without a trap (Privileged Architecture 3.3.3: WFI resumes on any
 * locally enabled pending interrupt). While a guest runs the same
 * sie bits make either one trap to HS-mode (riscv_guest_trap).
 */
#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/vm_irq.h"
#include "csr.h"
#include "riscv64.h"
#include "sbi.h"
#include "vm.h"

#define WAIT_TICK_US		1000
#define SBI_TIMER_NEVER		(~0ull)

void riscv_irq_ack(void);
void riscv_irq_ack(void)
{
	csr_clear(sip, SIE_SSIE);
}

void arch_wait_event(void)
{
	u64 ticks = riscv_timebase_hz / (1000000 / WAIT_TICK_US);

	riscv_timer_program(csr_read(time) + ticks);
	csr_set(sie, SIE_SSIE | SIE_STIE);
	__asm__ volatile("wfi" ::: "memory");
	csr_clear(sip, SIE_SSIE);
	riscv_gvma_serve();
	riscv_timer_program(SBI_TIMER_NEVER);	/* the vCPU's deadline stays (vtimer.c) */
	riscv_vtimer_check();
}

/* The IPI extension, one hart at a time: hart ids need not be below 64 apart. */
static void ipi_cpu(u32 cpu)
{
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, 1, riscv_hartids[cpu], 0, 0, 0);
}

void arch_send_event(void)
{
	u32 self = riscv_this_cpu(), n = hyp_cpu_count();

	__asm__ volatile("fence rw, rw" ::: "memory");
	for (u32 cpu = 0; cpu < n && cpu < HYP_MAX_CPUS; cpu++)
		if (cpu != self)
			ipi_cpu(cpu);
}

void arch_wake_cpu(u32 cpu)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
	if (cpu != riscv_this_cpu() && cpu < HYP_MAX_CPUS)
		ipi_cpu(cpu);
}

void riscv_vcpu_raise(struct vcpu *target, u32 irq)
{
	virq_raise(&target->arch->virq, irq);
	if (target->cpu == riscv_this_cpu())
		riscv_vcpu_flush(target);
	else
		arch_wake_cpu(target->cpu);
}

/* Only VSSIP is raised this way; VSTIP follows vstimecmp (Sstc) or vtimer.c's deadline. */
void riscv_vcpu_flush(struct vcpu *vcpu)
{
	u32 bits = virq_take(&vcpu->arch->virq, 0);

	if (bits & BIT(IRQ_VS_SOFT))
		csr_set(hvip, HIP_VSSIP);
}

/* An interrupt the guest has enabled is pending for it (hip and hie: 8.2.3). */
static bool vcpu_irq_pending(void)
{
	return csr_read(hip) & csr_read(hie) & (HIP_VSSIP | HIP_VSTIP | HIP_VSEIP);
}

/*
 * A trapped WFI: the hart waits until an interrupt is pending for @vcpu,
 * its VM stops, or ARCH_WAIT_MAX_US passed (a WFI may end for no reason).
 */
void riscv_vcpu_wfi(struct vcpu *vcpu)
{
	u64 start = arch_time_us();

	for (riscv_vcpu_flush(vcpu); !vcpu_irq_pending(); riscv_vcpu_flush(vcpu)) {
		vcpu_wait(vcpu);
		vcpu_trap_enter(vcpu);
		if (arch_time_us() - start >= ARCH_WAIT_MAX_US)
			return;
	}
}

/*
 * SBI hart_suspend: like WFI, but only an interrupt ends it (or its VM
 * stopping, which parks the hart in vcpu_trap_enter()); the guest's hart
 * is its own, so a guest that enabled none waits for ever, as on hardware.
 */
void riscv_vcpu_suspend(struct vcpu *vcpu)
{
	for (riscv_vcpu_flush(vcpu); !vcpu_irq_pending(); riscv_vcpu_flush(vcpu)) {
		vcpu_wait(vcpu);
		vcpu_trap_enter(vcpu);
	}
}

/* No platform interrupt controller (PLIC/APLIC) for VMs yet: a device's line goes nowhere. */
void arch_vm_irq_level(struct vm *vm, u32 spi, bool level)
{
	(void)vm;
	(void)spi;
	(void)level;
}
