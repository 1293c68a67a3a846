// SPDX-License-Identifier: MIT
/*
 * The "handover" guest's arm64 checks of its entry state (booting.rst:
 * x1-x3 = 0, MMU off, at EL1 under a hypervisor), then the common part.
 */
#include "handover.h"

#define CURRENTEL_EL_SHIFT	2	/* CurrentEL[3:2] (Arm ARM D24.2.31) */
#define SCTLR_EL1_M		1ul	/* SCTLR_EL1.M, stage-1 MMU enable (D24.2.161) */

extern const char _start[];

void handover_arch_entry(u64 x0, u64 x1, u64 x2, u64 x3, u64 count);

void handover_arch_entry(u64 x0, u64 x1, u64 x2, u64 x3, u64 count)
{
	struct handover_entry e = { .count = count, .dtb = x0, .self = (u64)_start };
	u64 el, sctlr;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	if (x1 | x2 | x3)
		e.bad = "x1-x3 are not zero";
	else if ((el >> CURRENTEL_EL_SHIFT & 3) != 1)
		e.bad = "not entered at EL1";
	else if (sctlr & SCTLR_EL1_M)
		e.bad = "entered with the MMU on";
	handover_main(&e);
}
