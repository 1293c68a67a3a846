// SPDX-License-Identifier: MIT
/*
 * A VM's guest-physical space on x86-64: the walker's 4-level EPT format
 * on the core's per-VM stage 2 (hyp/vm_s2.c), the EPT pointer (SDM Vol.
 * 3C 25.6.11), and INVEPT for invalidation (Vol. 3C 31.3).
 *
 * INVEPT acts on the executing CPU only: the other CPUs that run the VM's
 * vCPUs are reached by ipi.c before this returns (each flushes before it
 * re-enters its guest).
 *
 * VPID, where the CPU has it with INVVPID: one per VM (its id + 1; 0 is
 * the host's), so VM entries and exits keep the guest's TLB entries.
 * INVEPT single-context drops every guest-physical and combined mapping
 * of the EPTP for all VPIDs (Vol. 3C 29.4.3.1), so stage-2 changes need
 * no INVVPID; a vCPU (re)started from its VMCS set-up does, for the
 * translations its guest made before (a VM entry loading CR0 and CR3 is
 * not the MOV to CR0 or CR3 that would have flushed them).
 */
#include "arch/tlb.h"
#include "arch/vcpu.h"
#include "console.h"
#include "pt_fmt_x86.h"
#include "vm.h"
#include "vmx.h"
#include "x86.h"
#include "x86_cpu.h"

static struct arch_vm x86_vms[HYP_MAX_VMS];
static bool vpid_on;
/* How often each ran, on every CPU: printed at power-off (x86_tlb_report). */
static u64 nr_invept, nr_invvpid;

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

void x86_invept(u64 type, u64 eptp)
{
	struct { u64 eptp, zero; } d = { eptp, 0 };

	__asm__ volatile("invept %0, %1" :: "m"(d), "r"(type) : "cc", "memory");
	__atomic_add_fetch(&nr_invept, 1, __ATOMIC_RELAXED);
}

/* VPID if IA32_VMX_PROCBASED_CTLS2 allows it and INVVPID can drop one VPID's entries. */
u32 x86_vpid_probe(u64 proc2_cap)
{
	u64 cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);

	vpid_on = (proc2_cap >> 32) & PROC2_VPID && (cap & VPID_CAP_INVVPID) &&
		  (cap & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL));
	return vpid_on ? PROC2_VPID : 0;
}

u16 x86_vpid(const struct vm *vm)
{
	return vpid_on ? (u16)(vm->id + 1) : 0;
}

/* This CPU drops what the guests of @vm's VPID translated (single-context, else all). */
void x86_invvpid(const struct vm *vm)
{
	static int single = -1;
	struct { u64 vpid, zero; } d = { x86_vpid(vm), 0 };

	if (!vpid_on)
		return;
	if (single < 0)
		single = !!(rdmsr(MSR_IA32_VMX_EPT_VPID_CAP) & VPID_CAP_INVVPID_SINGLE);
	__asm__ volatile("invvpid %0, %1" :: "m"(d), "r"((u64)(single ? INVVPID_SINGLE : INVVPID_ALL))
			 : "cc", "memory");
	__atomic_add_fetch(&nr_invvpid, 1, __ATOMIC_RELAXED);
}

void x86_tlb_report(void)
{
	if (!vpid_on && !__atomic_load_n(&nr_invept, __ATOMIC_RELAXED))
		return;		/* no guest ran (no VMX) */
	hyp_log("hyp: VPID %s, INVEPT %llu, INVVPID %llu\n", vpid_on ? "per VM" : "off",
		(unsigned long long)__atomic_load_n(&nr_invept, __ATOMIC_RELAXED),
		(unsigned long long)__atomic_load_n(&nr_invvpid, __ATOMIC_RELAXED));
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
	x86_invept(single ? INVEPT_SINGLE : INVEPT_ALL, vm->arch->eptp);
	x86_ept_flush_others(vm);
}

/* EPT never caches not-present entries (Vol. 3C 29.4.3): nothing to do. */
void arch_tlb_s2_sync_new(struct vm *vm, u64 ipa, u64 size)
{
	(void)vm;
	(void)ipa;
	(void)size;
}
