/* SPDX-License-Identifier: MIT */
/*
 * The arch contract, waiting and waking. A CPU with nothing to do waits;
 * another CPU that changed what it waits for wakes it.
 */
#ifndef HYP_ARCH_IRQ_H
#define HYP_ARCH_IRQ_H

/* The longest a CPU stays in arch_wait_event() without being woken. */
#define ARCH_WAIT_MAX_US	10000

/*
 * Wait for an event. Returns once any CPU called arch_send_event() after
 * this call began, or after at most ARCH_WAIT_MAX_US in any case, or
 * earlier for no reason: callers re-check what they wait for in a loop.
 * (arm64: WFI with the EL2 timer armed and the wake-up SGI, WFE with the
 * event stream where there is no GICv3; RISC-V: WFI with a timer or an IPI;
 * x86: HLT with the APIC timer or an IPI.)
 */
void arch_wait_event(void);
/*
 * Wake every CPU in arch_wait_event(). This CPU's earlier stores are
 * visible to a woken CPU before it returns from its wait. (arm64: DSB,
 * SEV and the wake-up SGI to every other CPU; RISC-V and x86 have no SEV:
 * an IPI to each waiting CPU.)
 */
void arch_send_event(void);
/*
 * Wake logical CPU @cpu as arch_send_event() would, and make it leave a
 * guest it runs to look again (a VM stopped, an interrupt is due); other
 * CPUs, and other VMs' vCPUs, are not disturbed beyond a SEV. (arm64:
 * DSB, SEV and the wake-up SGI to that CPU.)
 */
void arch_wake_cpu(u32 cpu);

#endif
