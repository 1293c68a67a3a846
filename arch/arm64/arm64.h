/* SPDX-License-Identifier: MIT */
/* What arch/arm64 and boot/arm64 share. */
#ifndef ARCH_ARM64_ARM64_H
#define ARCH_ARM64_ARM64_H

#include "types.h"

/* The EL2 translation registers every CPU loads; read by CPUs with the MMU off. */
struct arm64_mmu_regs {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
};

extern struct arm64_mmu_regs arm64_mmu_regs;

/* boot/arm64/head.S */
void arm64_dcache_inval_range(u64 start, u64 end);
void arm64_mmu_enable(const struct arm64_mmu_regs *regs);
void arm64_secondary_entry(void);
/* The image, from the linker script. */
extern char _start[], _etext[], _erodata[], _end[];

#endif
