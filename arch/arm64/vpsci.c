// SPDX-License-Identifier: MIT
/*
 * PSCI 1.1 for guests (Arm DEN0022), translated into the core's power calls
 * (hyp/power.h): VERSION, FEATURES, CPU_SUSPEND, CPU_ON, CPU_OFF,
 * AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET; FEATURES
 * also answers for SMCCC_VERSION (how Linux finds SMCCC 1.1). A target
 * CPU is named by its virtual MPIDR affinity: Aff0 = the vCPU's index,
 * Aff1-Aff3 zero. CPU_SUSPEND, standby or powerdown alike, is a WFI: the
 * vCPU waits as a trapped WFI does and the call returns SUCCESS (5.4.2
 * lets a powerdown return early as if it were a standby on a wake-up).
 */
#include "arm64.h"
#include "console.h"
#include "hvc_abi.h"
#include "power.h"
#include "sysreg.h"
#include "vm.h"
#include "vpsci.h"

#define PSCI_SMC64		SR_BIT(30)	/* SMCCC: the SMC64 calling convention */
#define PSCI_AFF_LEVEL0		0		/* AFFINITY_INFO's lowest level: CPUs */
#define PSCI_ENTRY_ALIGN	4		/* an A64 instruction */
#define SMC32_ARG_MASK		0xffffffffull	/* SMCCC: SMC32 arguments are W registers */
/* CPU_SUSPEND's power_state, original format (5.4.2.1): StateID [15:0], StateType 16, PowerLevel [25:24]. */
#define PSCI_POWER_STATE_RES0	0xfcfe0000u
/* FEATURES of CPU_SUSPEND (5.15.2): bit 1 = 0, the original power_state format; bit 0 = 0, no OS-initiated mode. */
#define PSCI_SUSPEND_FEATURES	0

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
	case HYP_PSCI_CPU_SUSPEND_32:
	case HYP_PSCI_CPU_SUSPEND_64:
		return PSCI_SUSPEND_FEATURES;
	case HYP_SMCCC_VERSION:
	case HYP_PSCI_MIGRATE_INFO_TYPE:
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

static s64 psci_result(enum power_ret ret)
{
	switch (ret) {
	case POWER_OK:
		return HYP_PSCI_SUCCESS;
	case POWER_BAD_ENTRY:
		return HYP_PSCI_INVALID_ADDRESS;
	case POWER_ALREADY_ON:
		return HYP_PSCI_ALREADY_ON;
	case POWER_ON_PENDING:
		return HYP_PSCI_ON_PENDING;
	case POWER_NO_CPU:
		return HYP_PSCI_INTERNAL_FAILURE;
	default:
		return HYP_PSCI_INVALID_PARAMS;
	}
}

static s64 psci_cpu_on(struct vcpu *vcpu, const struct arm64_regs *regs, bool smc64)
{
	u64 entry = smc64 ? regs->x[2] : regs->x[2] & SMC32_ARG_MASK;
	u64 context = smc64 ? regs->x[3] : regs->x[3] & SMC32_ARG_MASK;
	u32 id = target_index(regs->x[1], smc64);

	if (id == ~0u)
		return HYP_PSCI_INVALID_PARAMS;
	if (entry % PSCI_ENTRY_ALIGN)
		return HYP_PSCI_INVALID_ADDRESS;
	return psci_result(vcpu_power_on(vcpu->vm, id, entry, context, 0));
}

static s64 psci_affinity_info(struct vcpu *vcpu, const struct arm64_regs *regs, bool smc64)
{
	u32 id = target_index(regs->x[1], smc64);
	enum vcpu_power state;

	if (id == ~0u || (u32)regs->x[2] != PSCI_AFF_LEVEL0 ||
	    vcpu_power_state(vcpu->vm, id, &state))
		return HYP_PSCI_INVALID_PARAMS;
	if (state == VCPU_POWER_ON)
		return HYP_PSCI_AFFINITY_ON;
	return state == VCPU_POWER_OFF ? HYP_PSCI_AFFINITY_OFF : HYP_PSCI_AFFINITY_ON_PENDING;
}

/* The wait of a trapped WFI; its wake-ups are the suspend's. */
static s64 psci_cpu_suspend(struct vcpu *vcpu, const struct arm64_regs *regs)
{
	if ((u32)regs->x[1] & PSCI_POWER_STATE_RES0)
		return HYP_PSCI_INVALID_PARAMS;
	arm64_vcpu_wfi(vcpu);
	return HYP_PSCI_SUCCESS;
}

/* A refused CPU_ON is logged (rate-limited per VM); "already on" is an answer, not a refusal. */
static s64 psci_refused(struct vcpu *vcpu, const struct arm64_regs *regs, s64 ret)
{
	if (ret == HYP_PSCI_INVALID_PARAMS || ret == HYP_PSCI_INVALID_ADDRESS)
		vm_log_refused(vcpu->vm, "PSCI 0x%x (0x%llx, 0x%llx) refused: %lld",
			       (u32)regs->x[0], (unsigned long long)regs->x[1],
			       (unsigned long long)regs->x[2], (long long)ret);
	return ret;
}

bool vpsci_call(struct vcpu *vcpu, struct arm64_regs *regs)
{
	u32 fn = (u32)regs->x[0];
	bool smc64 = fn & PSCI_SMC64;
	s64 ret;

	if (fn == HYP_PSCI_VERSION) {	/* the hot one, before any stack frame */
		regs->x[0] = HYP_PSCI_VERSION_1_1;
		return true;
	}
	switch (fn) {
	case HYP_PSCI_FEATURES:
		ret = psci_features((u32)regs->x[1]);
		break;
	case HYP_PSCI_CPU_SUSPEND_32:
	case HYP_PSCI_CPU_SUSPEND_64:
		ret = psci_cpu_suspend(vcpu, regs);
		break;
	case HYP_PSCI_MIGRATE_INFO_TYPE:
		ret = HYP_PSCI_TOS_NOT_PRESENT;
		break;
	case HYP_PSCI_CPU_ON_32:
	case HYP_PSCI_CPU_ON_64:
		ret = psci_refused(vcpu, regs, psci_cpu_on(vcpu, regs, smc64));
		break;
	case HYP_PSCI_AFFINITY_INFO_32:
	case HYP_PSCI_AFFINITY_INFO_64:
		ret = psci_affinity_info(vcpu, regs, smc64);	/* probing past the last: an answer */
		break;
	case HYP_PSCI_CPU_OFF:
		vcpu_power_off(vcpu);
	case HYP_PSCI_SYSTEM_OFF:
		hyp_log("hyp: %s: PSCI SYSTEM_OFF\n", vcpu->vm->name);
		vm_power_off(vcpu);
	case HYP_PSCI_SYSTEM_RESET:
		vm_reset(vcpu, "PSCI SYSTEM_RESET");
	default:
		return false;
	}
	regs->x[0] = (u64)ret;
	return true;
}
