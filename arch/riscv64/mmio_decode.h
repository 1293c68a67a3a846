/* SPDX-License-Identifier: MIT */
/*
 * Loads and stores decoded for MMIO emulation (The RISC-V Instruction Set
 * Manual, Volume I, 20191213: 2.6 "Load and Store Instructions", RV64I
 * 5.3, and 16.3-16.4 for the compressed forms).
 */
#ifndef ARCH_RISCV64_MMIO_DECODE_H
#define ARCH_RISCV64_MMIO_DECODE_H

#include "types.h"

struct riscv_mmio {
	u32 len;	/* of the instruction: 2 or 4 */
	u32 size;	/* of the access: 1, 2, 4 or 8 */
	u32 reg;	/* rd of a load, rs2 of a store */
	bool write;
	bool sign;	/* a load that sign-extends */
};

/* @insn (a 16-bit one in its low half): true if it is a load or store. */
bool riscv_mmio_decode(u32 insn, struct riscv_mmio *m);

#endif
