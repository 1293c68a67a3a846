// SPDX-License-Identifier: MIT
/* Unexpected exceptions at EL2: report the syndrome and stop. */
#include "arm64.h"
#include "console.h"
#include "sysreg.h"

static const char *const vector_names[16] = {
	"sync (EL2, SP_EL0)", "IRQ (EL2, SP_EL0)", "FIQ (EL2, SP_EL0)", "SError (EL2, SP_EL0)",
	"sync (EL2)", "IRQ (EL2)", "FIQ (EL2)", "SError (EL2)",
	"sync (lower EL, AArch64)", "IRQ (lower EL, AArch64)",
	"FIQ (lower EL, AArch64)", "SError (lower EL, AArch64)",
	"sync (lower EL, AArch32)", "IRQ (lower EL, AArch32)",
	"FIQ (lower EL, AArch32)", "SError (lower EL, AArch32)",
};

void arm64_exception(u64 kind, const struct arm64_regs *regs);
void arm64_exception(u64 kind, const struct arm64_regs *regs)
{
	u64 esr = read_sysreg(esr_el2);
	u64 elr = read_sysreg(elr_el2);
	u64 far = read_sysreg(far_el2);

	hyp_panic("unexpected exception %s: ESR_EL2 0x%llx (EC 0x%llx) ELR_EL2 0x%llx "
		  "FAR_EL2 0x%llx SPSR_EL2 0x%llx LR 0x%llx\n",
		  vector_names[kind & 15], (unsigned long long)esr,
		  (unsigned long long)((esr >> ESR_EL2_EC_SHIFT) & ESR_EL2_EC_MASK),
		  (unsigned long long)elr, (unsigned long long)far,
		  (unsigned long long)read_sysreg(spsr_el2),
		  (unsigned long long)regs->x[30]);
}
