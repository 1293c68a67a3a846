// SPDX-License-Identifier: MIT
/*
 * Exceptions the hypervisor hands back to a guest, as real hardware would
 * give them, instead of stopping the VM: a load, store or instruction
 * fetch at a guest-physical address with neither RAM nor an emulated
 * device becomes a synchronous external abort, as an empty bus gives; an
 * instruction the VM does not have an Undefined Instruction exception. The registers are set as for
 * an exception taken to EL1 (Arm ARM D1.3 "Exceptions": ESR_EL1, FAR_EL1,
 * ELR_EL1, SPSR_EL1, then PSTATE and the vector from VBAR_EL1).
 */
#include "console.h"
#include "inject.h"
#include "sysreg.h"

/* Where an exception from the state in @spsr is taken at EL1. */
static u64 vabort_vector(u64 spsr)
{
	u64 vbar = read_sysreg(vbar_el1);

	if (spsr & SPSR_EL2_M_AARCH32)
		return vbar + VBAR_SYNC_LOWER_A32;
	switch (spsr & SPSR_EL2_M_MASK) {
	case SPSR_EL2_M_EL0T:
		return vbar + VBAR_SYNC_LOWER_A64;
	case SPSR_EL2_M_EL1T:
		return vbar + VBAR_SYNC_CUR_SP0;
	default:
		return vbar + VBAR_SYNC_CUR_SPX;
	}
}

/* PSTATE on taking it: EL1h, DAIF masked, PAN by SCTLR_EL1.SPAN if FEAT_PAN. */
static u64 vabort_pstate(u64 spsr)
{
	u64 pstate = SPSR_EL2_M_EL1H | SPSR_EL2_D | SPSR_EL2_A | SPSR_EL2_I | SPSR_EL2_F;
	u64 pan = (read_sysreg(id_aa64mmfr1_el1) >> ID_AA64MMFR1_PAN_SHIFT) & ID_AA64MMFR1_PAN_MASK;

	if (pan)
		pstate |= (read_sysreg(sctlr_el1) & SCTLR_EL1_SPAN) ? spsr & SPSR_EL2_PAN :
								      SPSR_EL2_PAN;
	return pstate;
}

/* Take a synchronous exception with @esr to EL1, at the instruction in regs->elr. */
static void inject_sync(struct arm64_regs *regs, u64 esr)
{
	write_sysreg(esr_el1, esr);
	write_sysreg(elr_el1, regs->elr);		/* the faulting instruction */
	write_sysreg(spsr_el1, regs->spsr);
	regs->elr = vabort_vector(regs->spsr);
	regs->spsr = vabort_pstate(regs->spsr);
}

bool vabort_can_take(const struct arm64_regs *regs, u64 esr)
{
	u64 vbar = read_sysreg(vbar_el1) & ~(VBAR_TABLE_SIZE - 1);

	return !(esr & ESR_ISS_S1PTW) && regs->elr - vbar >= VBAR_TABLE_SIZE;
}

void vabort_inject(struct vcpu *vcpu, struct arm64_regs *regs, u64 ipa, u64 esr, bool data)
{
	/* From EL0 the lower-EL class, from EL1 the current-EL one (D24.2.40). */
	bool el0 = (regs->spsr & SPSR_EL2_M_MASK) == SPSR_EL2_M_EL0T;
	bool write = data && (esr & ESR_ISS_WNR);
	u64 ec = data ? (el0 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR) :
			(el0 ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR);

	vm_log_injected(vcpu->vm, "%s abort injected: %s IPA 0x%08llx, no device there",
			data ? "data" : "instruction",
			data ? (write ? "write to" : "read from") : "fetch from",
			(unsigned long long)ipa);
	write_sysreg(far_el1, read_sysreg(far_el2));	/* the guest's VA, FnV = 0 */
	inject_sync(regs, ec << ESR_EL2_EC_SHIFT | ESR_IL | ESR_FSC_SEA | (write ? ESR_ISS_WNR : 0));
}

void inject_undef(struct vcpu *vcpu, struct arm64_regs *regs, const char *what)
{
	vm_log_injected(vcpu->vm, "undefined instruction injected: %s (PC 0x%llx)", what,
			(unsigned long long)regs->elr);
	inject_sync(regs, ESR_EC_UNKNOWN << ESR_EL2_EC_SHIFT | ESR_IL);
}
