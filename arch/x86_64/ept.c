// SPDX-License-Identifier: MIT
/*
 * A VM's guest-physical space on x86-64: the walker's 4-level EPT format
 * on the core's per-VM stage 2 (hyp/vm_s2.c), the EPT pointer (SDM Vol.
 * 3C 25.6.11), and INVEPT for invalidation (Vol. 3C 31.3).
 *
 * INVEPT acts on the executing CPU only: the other CPUs that run the VM's
 * vCPUs are reached by ipi.c before this returns (each flushes before it
 * re-enters its guest).
 */
#include "arch/tlb.h"
#include "arch/vcpu.h"
#include "pt_fmt_x86.h"
#include "vm.h"
#include "vmx.h"
#include "x86.h"
#include "x86_cpu.h"

static struct arch_vm x86_vms[HYP_MAX_VMS];

int arch_vm_s2_fmt(const struct vm *vm, struct pt_fmt *fmt)
{
	(void)vm;
	*fmt = pt_fmt_x86_ept_4l;
	return 0;
}

int arch_vm_init(struct vm *vm)
{
	struct arch_vm *a = &x86_vms[vm->id];

	a->eptp = vm->s2.root_pa | EPTP_WALK_4 | EPTP_MT_WB;
	vm->arch = a;
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].arch = &a->vcpus[i];
	return 0;
}

void arch_vm_reset(struct vm *vm)
{
	(void)vm;
}

static void invept(u64 type, u64 eptp)
{
	struct { u64 eptp, zero; } d = { eptp, 0 };

	__asm__ volatile("invept %0, %1" :: "m"(d), "r"(type) : "cc", "memory");
}

/* Single-context where the CPU has it, else every context (both: this CPU only). */
void arch_tlb_s2_inval(struct vm *vm, u64 ipa, u64 size, u32 why)
{
	static int single = -1;

	(void)ipa;
	(void)size;
	(void)why;
	if (single < 0)
		single = !!(rdmsr(MSR_IA32_VMX_EPT_VPID_CAP) & EPT_CAP_INVEPT_SINGLE);
	invept(single ? INVEPT_SINGLE : INVEPT_ALL, vm->arch->eptp);
	x86_ept_flush_others(vm);
}

/* EPT never caches not-present entries (Vol. 3C 29.4.3): nothing to do. */
void arch_tlb_s2_sync_new(struct vm *vm, u64 ipa, u64 size)
{
	(void)vm;
	(void)ipa;
	(void)size;
}
