// SPDX-License-Identifier: MIT
/*
 * Trapped system-register accesses (EC 0x18): the VM's view of what it
 * may read about the machine.
 * - ID registers (HCR_EL2.TID3; op0 3, op1 0, CRn 0, CRm 1-7): the
 *   hardware's values, less what the VM does not get (one table below);
 *   unallocated ones read as zero. What they show is what the VM can use
 *   untrapped: FP/SIMD, SVE and pointer authentication (guest.c).
 * - SME, trace and activity-monitor registers (CPTR_EL2): hidden, so
 *   UNDEFINED, as on a machine without them.
 * - The PMU (MDCR_EL2.TPM, TPMCR): hidden (PMUVer 0), so its registers are
 *   UNDEFINED: the VM cannot count events of the hypervisor or another VM.
 * - Debug registers (op0 2: MDCR_EL2.TDA, TDOSA, TDRA): read as zero,
 *   writes ignored, so no breakpoint or watchpoint is ever armed.
 * - SGI generation (ICC_SGI1R_EL1, trapped by HCR_EL2.IMO): to the vGIC.
 * - The EL1 physical timer (CNTP_CTL/CVAL/TVAL_EL0, trapped by
 *   CNTHCTL_EL2.EL1PCEN = 0): emulated (vptimer.c).
 * Anything else trapped here is UNDEFINED for the VM.
 */
#include "arm64.h"
#include "console.h"
#include "inject.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "vgic.h"
#include "vm.h"

#define ARM64_INSN_SIZE		4
#define SYS_ID(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
#define SYS_ID_CRM(id)		(((id) >> 3) & 0xf)
#define SYS_ID_OP2(id)		((id) & 0x7)
#define SYS_ID_DFR0		SYS_ID(3, 0, 0, 1, 2)	/* ID_DFR0_EL1 */
#define SYS_ID_AA64PFR0		SYS_ID(3, 0, 0, 4, 0)	/* ID_AA64PFR0_EL1 */
#define SYS_ID_AA64PFR1		SYS_ID(3, 0, 0, 4, 1)	/* ID_AA64PFR1_EL1 */
#define SYS_ID_AA64SMFR0	SYS_ID(3, 0, 0, 4, 5)	/* ID_AA64SMFR0_EL1: SME's features */
#define SYS_ID_AA64DFR0		SYS_ID(3, 0, 0, 5, 0)	/* ID_AA64DFR0_EL1 */
#define ID_ALL			(~0ull)

struct sys_access {
	u32 op0, op1, crn, crm, op2;
	u32 rt;
	bool read;
};

/*
 * Fields of an ID register the VM is told are not implemented (0): what
 * CPTR_EL2_GUEST, MDCR_EL2 and HCR_EL2 trap (SME, AMU, trace, PMU,
 * MTE's tag registers). The GIC's system registers are shown only where
 * VMs get a vGIC (id_read()): a kernel seeing them probes ICC_SRE_EL1.
 */
static const struct {
	u32 id;
	u64 hidden;
} id_hidden[] = {
	{ SYS_ID_AA64PFR0, ID_AA64PFR0_AMU },
	{ SYS_ID_AA64PFR1, ID_AA64PFR1_MTE | ID_AA64PFR1_SME | ID_AA64PFR1_MTE_FRAC },
	{ SYS_ID_AA64SMFR0, ID_ALL },
	{ SYS_ID_AA64DFR0, ID_AA64DFR0_TRACEVER | ID_AA64DFR0_PMUVER | ID_AA64DFR0_PMSVER |
			   ID_AA64DFR0_TRACEFILT | ID_AA64DFR0_TRACEBUF | ID_AA64DFR0_MTPMU |
			   ID_AA64DFR0_BRBE | ID_AA64DFR0_HPMN0 },
	{ SYS_ID_DFR0, ID_DFR0_COPTRC | ID_DFR0_MMAPTRC | ID_DFR0_PERFMON | ID_DFR0_TRACEFILT },
};

#define ID_READ(crm, op2) \
	case (crm) << 3 | (op2): return read_sysreg(S3_0_C0_C##crm##_##op2)
#define ID_READ_CRM(crm) \
	ID_READ(crm, 0); ID_READ(crm, 1); ID_READ(crm, 2); ID_READ(crm, 3); \
	ID_READ(crm, 4); ID_READ(crm, 5); ID_READ(crm, 6); ID_READ(crm, 7)

/* The hardware's ID register op0 3, op1 0, CRn 0, @crm (1-7), @op2: reserved ones read 0. */
static u64 id_read_hw(u32 crm, u32 op2)
{
	switch (crm << 3 | op2) {
	ID_READ_CRM(1);
	ID_READ_CRM(2);
	ID_READ_CRM(3);
	ID_READ_CRM(4);
	ID_READ_CRM(5);
	ID_READ_CRM(6);
	ID_READ_CRM(7);
	default:
		return 0;
	}
}

static u64 id_read(u32 id)
{
	u64 val = id_read_hw(SYS_ID_CRM(id), SYS_ID_OP2(id));

	for (u32 i = 0; i < ARRAY_SIZE(id_hidden); i++)
		if (id_hidden[i].id == id)
			val &= ~id_hidden[i].hidden;
	if (id == SYS_ID_AA64PFR0 && !vgic_available())
		val &= ~ID_AA64PFR0_GIC;
	return val;
}

static struct sys_access sys_decode(u64 esr)
{
	return (struct sys_access){
		.op0 = (esr >> ESR_SYS_OP0_SHIFT) & 0x3,
		.op2 = (esr >> ESR_SYS_OP2_SHIFT) & 0x7,
		.op1 = (esr >> ESR_SYS_OP1_SHIFT) & 0x7,
		.crn = (esr >> ESR_SYS_CRN_SHIFT) & 0xf,
		.rt = (esr >> ESR_SYS_RT_SHIFT) & 0x1f,
		.crm = (esr >> ESR_SYS_CRM_SHIFT) & 0xf,
		.read = esr & ESR_SYS_READ,
	};
}

static bool sys_is_id(const struct sys_access *a)
{
	return a->op0 == 3 && a->op1 == 0 && a->crn == 0 && a->crm >= 1 && a->crm <= 7;
}

/* ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1: op0 3, op1 0, CRn 12, CRm 11, op2 5-7. */
static bool sys_is_sgi(const struct sys_access *a)
{
	return a->op0 == 3 && a->op1 == 0 && a->crn == 12 && a->crm == 11 && a->op2 >= 5;
}

/* CNTP_TVAL_EL0, CNTP_CTL_EL0, CNTP_CVAL_EL0: op0 3, op1 3, CRn 14, CRm 2, op2 0-2. */
static bool sys_is_ptimer(const struct sys_access *a)
{
	return a->op0 == 3 && a->op1 == 3 && a->crn == 14 && a->crm == 2 && a->op2 <= 2;
}

static u64 reg_or_zero(const struct arm64_regs *regs, u32 rt)
{
	return rt == 31 ? 0 : regs->x[rt];
}

/* Group-1 SGIs go to the vGIC; the VM has no group 0 or other security state: ignored. */
static void sgi_write(struct vcpu *vcpu, const struct sys_access *a, u64 val)
{
	if (a->op2 == 5)
		vgic_sgi1r(vcpu, val);
}

/* The read's result into Rt (31 is XZR), then past the instruction. */
static void sys_complete(struct arm64_regs *regs, const struct sys_access *a, u64 val)
{
	if (a->read && a->rt != 31)
		arm64_frame_set_reg(regs, a->rt, val);
	regs->elr += ARM64_INSN_SIZE;
}

void arm64_sysreg_trap(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr)
{
	struct sys_access a = sys_decode(esr);

	if (sys_is_id(&a) && a.read) {
		sys_complete(regs, &a, id_read(SYS_ID(a.op0, a.op1, a.crn, a.crm, a.op2)));
		return;
	}
	if (sys_is_sgi(&a) && !a.read) {	/* ICC_SGI1R_EL1 etc.: HCR_EL2.IMO traps them */
		sgi_write(vcpu, &a, reg_or_zero(regs, a.rt));
		sys_complete(regs, &a, 0);
		return;
	}
	if (sys_is_ptimer(&a)) {
		u64 val = reg_or_zero(regs, a.rt);

		vptimer_access(vcpu, a.op2, a.read, &val);
		sys_complete(regs, &a, val);
		return;
	}
	if (a.op0 == 2 && a.op1 == 0) {		/* debug registers: RAZ/WI */
		sys_complete(regs, &a, 0);
		return;
	}
	inject_undef(vcpu, regs, a.read ? "MRS of a system register it does not have" :
					  "MSR to a system register it does not have");
}
