// SPDX-License-Identifier: MIT
/*
 * Exceptions the hypervisor hands back to a guest, as real hardware would
 * give them, instead of stopping the VM: an access to the guest's device
 * window (QEMU virt's low peripherals) where no emulated device sits
 * becomes a synchronous external abort, an instruction the VM does not
 * have an Undefined Instruction exception. The registers are set as for
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

void vabort_inject_data(struct vcpu *vcpu, struct arm64_regs *regs, u64 ipa, bool write)
{
	/* A data abort from EL0 has the lower-EL class, from EL1 the current-EL one. */
	u64 ec = (regs->spsr & SPSR_EL2_M_MASK) == SPSR_EL2_M_EL0T ? ESR_EC_DABT_LOW :
								       ESR_EC_DABT_CUR;
	u64 esr = ec << ESR_EL2_EC_SHIFT | ESR_IL | ESR_FSC_SEA | (write ? ESR_ISS_WNR : 0);

	vm_log_injected(vcpu->vm, "data abort injected: %s IPA 0x%08llx, no device there",
			write ? "write to" : "read from", (unsigned long long)ipa);
	write_sysreg(far_el1, read_sysreg(far_el2));	/* the guest's VA, FnV = 0 */
	inject_sync(regs, esr);
}

void inject_undef(struct vcpu *vcpu, struct arm64_regs *regs, const char *what)
{
	vm_log_injected(vcpu->vm, "undefined instruction injected: %s (PC 0x%llx)", what,
			(unsigned long long)regs->elr);
	inject_sync(regs, ESR_EC_UNKNOWN << ESR_EL2_EC_SHIFT | ESR_IL);
}
