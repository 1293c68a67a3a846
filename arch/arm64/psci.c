// SPDX-License-Identifier: MIT
/* PSCI through the SMC conduit (SMCCC: x0 = function id, x1-x3 = arguments). */
#include "psci.h"
#include "sysreg.h"

static s64 psci_smc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	/* SMCCC v1.0 lets the callee corrupt x4-x17. */
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (s64)x0;
}

u32 psci_version(void)
{
	return (u32)psci_smc(PSCI_VERSION, 0, 0, 0);
}

int psci_cpu_on(u64 target, u64 entry, u64 context)
{
	return (int)psci_smc(PSCI_CPU_ON_64, target & MPIDR_AFF_MASK, entry, context);
}

void psci_system_off(void)
{
	psci_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
