// SPDX-License-Identifier: MIT
/*
 * The PSCI subset a guest gets (Arm DEN0022): VERSION, FEATURES, CPU_ON,
 * CPU_OFF, AFFINITY_INFO, SYSTEM_OFF. A target CPU is named by its
 * virtual MPIDR affinity: Aff0 = the vCPU's index, Aff1-Aff3 zero.
 */
#include "console.h"
#include "hvc_abi.h"
#include "sysreg.h"
#include "vpsci.h"

#define PSCI_SMC64		SR_BIT(30)	/* SMCCC: the SMC64 calling convention */
#define PSCI_AFF_LEVEL0		0		/* AFFINITY_INFO's lowest level: CPUs */
#define SMC32_ARG_MASK		0xffffffffull	/* SMCCC: SMC32 arguments are W registers */

/* The vCPU index of an MPIDR-format @target, or ~0u if it is not one. */
static u32 target_index(u64 target, bool smc64)
{
	if (!smc64)
		target &= SMC32_ARG_MASK;
	if (target & ~MPIDR_AFF0_MASK)
		return ~0u;
	return (u32)target;
}

static s64 psci_features(u32 fn)
{
	switch (fn) {
	case HYP_PSCI_VERSION:
	case HYP_PSCI_CPU_OFF:
	case HYP_PSCI_CPU_ON_32:
	case HYP_PSCI_CPU_ON_64:
	case HYP_PSCI_AFFINITY_INFO_32:
	case HYP_PSCI_AFFINITY_INFO_64:
	case HYP_PSCI_SYSTEM_OFF:
	case HYP_PSCI_SYSTEM_RESET:
	case HYP_PSCI_FEATURES:
		return HYP_PSCI_SUCCESS;
	default:
		return HYP_PSCI_NOT_SUPPORTED;
	}
}

static s64 psci_cpu_on(struct vcpu *vcpu, const struct arm64_regs *regs, bool smc64)
{
	u64 entry = smc64 ? regs->x[2] : regs->x[2] & SMC32_ARG_MASK;
	u64 context = smc64 ? regs->x[3] : regs->x[3] & SMC32_ARG_MASK;
	u32 id = target_index(regs->x[1], smc64);

	if (id == ~0u)
		return HYP_PSCI_INVALID_PARAMS;
	return vcpu_on(vcpu->vm, id, entry, context);
}

static s64 psci_affinity_info(struct vcpu *vcpu, const struct arm64_regs *regs, bool smc64)
{
	u32 id = target_index(regs->x[1], smc64);

	if (id == ~0u || (u32)regs->x[2] != PSCI_AFF_LEVEL0)
		return HYP_PSCI_INVALID_PARAMS;
	return vcpu_affinity_info(vcpu->vm, id);
}

/*
 * Restart the VM from its image: its RAM is given back (refilled from the
 * image or zeroed on the next touch) and vCPU 0 re-enters at the RAM base.
 * Only vCPU 0 alone can do it: other vCPUs cannot be stopped without an IPI.
 */
static void psci_system_reset(struct vcpu *vcpu, struct arm64_regs *regs)
{
	struct vm *vm = vcpu->vm;

	for (u32 i = 1; i < vm->nr_vcpus; i++)
		if (vcpu_affinity_info(vm, i) != HYP_PSCI_AFFINITY_OFF)
			vm_stop(vm, "PSCI SYSTEM_RESET while vCPU %u is on: not supported", i);
	if (vcpu->id)
		vm_stop(vm, "PSCI SYSTEM_RESET from vCPU %u: only vCPU 0 may reset", vcpu->id);
	hyp_log("hyp: %s: PSCI SYSTEM_RESET\n", vm->name);
	if (vm_release(vm, vm->ram_base, vm->ram_size))
		vm_stop(vm, "PSCI SYSTEM_RESET: its memory could not be reset");
	memset(regs, 0, sizeof(*regs));
	regs->x[0] = vm->ram_base;	/* the entry ABI, hyp/hvc_abi.h */
	regs->x[1] = vm->ram_size;
	regs->elr = vm->ram_base;
	regs->spsr = SPSR_EL2_GUEST_ENTRY;
	write_sysreg(sctlr_el1, SCTLR_EL1_GUEST_ENTRY);
	isb();
}

bool vpsci_call(struct vcpu *vcpu, struct arm64_regs *regs)
{
	u32 fn = (u32)regs->x[0];
	bool smc64 = fn & PSCI_SMC64;
	s64 ret;

	switch (fn) {
	case HYP_PSCI_VERSION:
		ret = HYP_PSCI_VERSION_1_1;
		break;
	case HYP_PSCI_FEATURES:
		ret = psci_features((u32)regs->x[1]);
		break;
	case HYP_PSCI_CPU_ON_32:
	case HYP_PSCI_CPU_ON_64:
		ret = psci_cpu_on(vcpu, regs, smc64);
		break;
	case HYP_PSCI_AFFINITY_INFO_32:
	case HYP_PSCI_AFFINITY_INFO_64:
		ret = psci_affinity_info(vcpu, regs, smc64);
		break;
	case HYP_PSCI_CPU_OFF:
		vcpu_off(vcpu);
	case HYP_PSCI_SYSTEM_OFF:
		hyp_log("hyp: %s: PSCI SYSTEM_OFF\n", vcpu->vm->name);
		vm_stop(vcpu->vm, NULL);
	case HYP_PSCI_SYSTEM_RESET:
		psci_system_reset(vcpu, regs);
		return true;
	default:
		return false;
	}
	regs->x[0] = (u64)ret;
	return true;
}
