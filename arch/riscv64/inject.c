// SPDX-License-Identifier: MIT
/*
 * Exceptions injected into VS-mode, as the hart would take them there
 * (Privileged Architecture 4.1.1, 4.1.7-4.1.9 for the VS copies of the
 * S-mode CSRs, 8.2.12): vsepc, vscause, vstval and vsstatus's SPP, SPIE
 * and SIE as a trap into VS-mode sets them, then the guest resumes at its
 * vstvec base, in VS-mode.
 */
#include "console.h"
#include "csr.h"
#include "inject.h"

#define EXC_ILLEGAL		2
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_ACCESS	7
#define STVEC_BASE_MASK		(~3ull)	/* MODE [1:0]: exceptions go to BASE in either mode */

static void inject_exception(struct riscv_regs *regs, u64 cause, u64 tval)
{
	u64 vsstatus = csr_read(vsstatus);

	vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE);
	if (regs->sstatus & SSTATUS_SPP)
		vsstatus |= SSTATUS_SPP;
	if (vsstatus & SSTATUS_SIE)
		vsstatus |= SSTATUS_SPIE;
	vsstatus &= ~SSTATUS_SIE;
	csr_write(vsstatus, vsstatus);
	csr_write(vsepc, regs->sepc);
	csr_write(vscause, cause);
	csr_write(vstval, tval);
	regs->sepc = csr_read(vstvec) & STVEC_BASE_MASK;
	regs->sstatus |= SSTATUS_SPP;	/* the handler runs in VS-mode */
	riscv_frame_restore_all(regs);	/* that SPP (guest.c saved gp and s0-s11) */
}

void vfault_inject_access(struct vcpu *vcpu, struct riscv_regs *regs, u64 gpa, bool write)
{
	vm_log_injected(vcpu->vm, "%s access fault injected: %s GPA 0x%08llx, no device there",
			write ? "store" : "load", write ? "write to" : "read from",
			(unsigned long long)gpa);
	inject_exception(regs, write ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, csr_read(stval));
}

void vinsn_inject_illegal(struct vcpu *vcpu, struct riscv_regs *regs, u32 insn)
{
	vm_log_injected(vcpu->vm, "illegal instruction injected: 0x%08x (PC 0x%llx)", insn,
			(unsigned long long)regs->sepc);
	inject_exception(regs, EXC_ILLEGAL, insn);
}
