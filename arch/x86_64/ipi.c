// SPDX-License-Identifier: MIT
/*
 * Reaching the other CPUs that run a VM: INVEPT acts on the executing CPU
 * only (SDM Vol. 3C 31.3), so an EPT invalidation sets each other CPU's
 * ept_flush and, if that CPU is in its guest, sends it an NMI (NMI
 * exiting: it exits at once; x86_cpu.h says why not an interrupt) and waits
 * until it has flushed or left its guest. A CPU checks ept_flush after
 * marking itself in_guest and before every VM entry, so one that was not
 * in its guest flushes before it re-enters. Both flags are sequentially
 * consistent: a CPU cannot miss the other's store (the Dekker pattern).
 * An NMI that reaches the target in the hypervisor, after its check and
 * before its entry, is dropped there: the initiator kicks again while it
 * waits.
 */
#include "arch/cpu.h"
#include "console.h"
#include "vm.h"
#include "vmx.h"
#include "x86.h"
#include "x86_cpu.h"

#define EPT_FLUSH_SPINS		100000000ull	/* a CPU that never answers: a bug, panic */
#define EPT_KICK_SPINS		10000		/* then the kick again */

static void invept_loaded(void)
{
	x86_invept(INVEPT_SINGLE, vmread(VMCS_EPT_POINTER));
}

/*
 * A VM stopped by another CPU that saw this one out of its guest (and so
 * sent no NMI) is seen here, as the flush is: the Dekker pattern again.
 */
void x86_guest_entering(struct vcpu *vcpu)
{
	struct x86_percpu *p = x86_percpu();

	__atomic_store_n(&p->in_guest, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&p->console_kick, __ATOMIC_RELAXED)) {
		__atomic_store_n(&p->console_kick, 0, __ATOMIC_RELAXED);
		vmx_console_timer(hyp_console_tx_push());
	}
	if (__atomic_load_n(&p->ept_flush, __ATOMIC_SEQ_CST)) {
		invept_loaded();
		__atomic_store_n(&p->ept_flush, 0, __ATOMIC_SEQ_CST);
	}
	if (__atomic_load_n(&vcpu->vm->stopped, __ATOMIC_SEQ_CST)) {
		x86_guest_exited();
		vcpu_trap_enter(vcpu);
	}
}

static void ept_flush_cpu(u32 cpu)
{
	struct x86_percpu *p = x86_percpu_of(cpu);
	u64 spins = 0;

	__atomic_store_n(&p->ept_flush, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&p->in_guest, __ATOMIC_SEQ_CST))
		return;
	x86_lapic_send_nmi(p->apic_id);
	while (__atomic_load_n(&p->ept_flush, __ATOMIC_SEQ_CST) &&
	       __atomic_load_n(&p->in_guest, __ATOMIC_SEQ_CST)) {
		if (++spins == EPT_FLUSH_SPINS)
			hyp_panic("cpu %u does not answer the EPT flush IPI\n", cpu);
		/* A kick that lands between its check and its entry is dropped: again. */
		if (spins % EPT_KICK_SPINS == 0)
			x86_lapic_send_nmi(p->apic_id);
		cpu_relax();
	}
}

/* Every CPU but this one that runs a vCPU of @vm (one vCPU per CPU). */
void x86_ept_flush_others(struct vm *vm)
{
	u32 self = x86_this_cpu();

	if (!x86_lapic_mapped())
		return;
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].cpu != self)
			ept_flush_cpu(vm->vcpus[i].cpu);
}
