// SPDX-License-Identifier: MIT
/*
 * The EL1 and EL0 state a vCPU starts from, at every start (its VM's
 * first, a PSCI CPU_ON, a SYSTEM_RESET): the registers the guest reaches
 * without a trap at zero, as KVM resets them (their architectural reset
 * values are UNKNOWN, Arm ARM D1.9), never what firmware or its previous
 * run left there; SCTLR_EL1 is guest.c's, the timers vgic.c's, the PMU
 * and debug registers trapped (sysreg_trap.c), SME trapped (CPTR_EL2.TSM).
 * A CPU runs one vCPU only, so nothing is saved.
 */
#include "arm64.h"
#include "sysreg.h"

/* Pointer authentication keys (Arm ARM D23.2): Lo, Hi of APIA, APIB, APDA, APDB, APGA. */
#define PAUTH_KEYS_ZERO()						\
	__asm__ volatile("msr S3_0_C2_C1_0, xzr\n\tmsr S3_0_C2_C1_1, xzr\n\t"	\
			 "msr S3_0_C2_C1_2, xzr\n\tmsr S3_0_C2_C1_3, xzr\n\t"	\
			 "msr S3_0_C2_C2_0, xzr\n\tmsr S3_0_C2_C2_1, xzr\n\t"	\
			 "msr S3_0_C2_C2_2, xzr\n\tmsr S3_0_C2_C2_3, xzr\n\t"	\
			 "msr S3_0_C2_C3_0, xzr\n\tmsr S3_0_C2_C3_1, xzr" ::: "memory")

static void el1_regs_zero(void)
{
	write_sysreg(vbar_el1, 0);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(csselr_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
}

/*
 * V0-V31 (a write of a V register zeroes the rest of its Z register,
 * Arm ARM B1.2.2), FPCR, FPSR; with SVE also P0-P15, FFR and ZCR_EL1.
 * CPTR_EL2 lets EL2 reach them (guest.c's vcpu_load() wrote it first).
 */
static void fp_regs_zero(bool sve)
{
	__asm__ volatile(".arch_extension fp\n\t.arch_extension simd\n\t"
			 ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,"
			 "24,25,26,27,28,29,30,31\n\tmovi v\\n\\().2d, #0\n\t.endr\n\t"
			 "msr fpcr, xzr\n\tmsr fpsr, xzr" ::: "memory");
	if (!sve)
		return;
	__asm__ volatile(".arch_extension sve\n\t"
			 ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\tpfalse p\\n\\().b\n\t"
			 ".endr\n\twrffr p0.b" ::: "memory");
	write_sysreg(S3_0_C1_C2_0, 0);	/* ZCR_EL1 */
}

void arm64_vcpu_reset_el1(bool sve, bool pauth)
{
	el1_regs_zero();
	fp_regs_zero(sve);
	if (pauth)
		PAUTH_KEYS_ZERO();
	isb();
}
