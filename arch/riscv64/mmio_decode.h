/* SPDX-License-Identifier: MIT */
/*
 * Loads and stores decoded for MMIO emulation (The RISC-V Instruction Set
 * Manual, Volume I, 20191213: 2.6 "Load and Store Instructions", RV64I
 * 5.3, and 16.3-16.4 for the compressed forms).
 */
#ifndef ARCH_RISCV64_MMIO_DECODE_H
#define ARCH_RISCV64_MMIO_DECODE_H

#include "types.h"

/* Inline: the MMIO exit's hot path (guest.c) keeps the result in registers. */
struct riscv_mmio {
	u32 len;	/* of the instruction: 2 or 4 */
	u32 size;	/* of the access: 1, 2, 4 or 8 */
	u32 reg;	/* rd of a load, rs2 of a store */
	bool write;
	bool sign;	/* a load that sign-extends */
};

#define MMIO_OP_MASK		0x7fu
#define MMIO_OP_LOAD		0x03u	/* Vol. I 2.6: LB LH LW LD LBU LHU LWU */
#define MMIO_OP_STORE		0x23u	/* SB SH SW SD */
#define MMIO_RD(i)		((i) >> 7 & 0x1f)
#define MMIO_RS2(i)		((i) >> 20 & 0x1f)
#define MMIO_FUNCT3(i)		((i) >> 12 & 0x7)
#define MMIO_FUNCT3_UNSIGNED	0x4u	/* LBU LHU LWU */
#define MMIO_INSN_IS_32BIT(i)	(((i) & 3) == 3)

/* Compressed, quadrants 0 and 2 (Vol. I 16.3, 16.4, table 16.5). */
#define MMIO_C_OP(i)		((i) & 3)
#define MMIO_C_FUNCT3(i)	((i) >> 13 & 7)
#define MMIO_C_Q0		0
#define MMIO_C_Q2		2
#define MMIO_C_LW		2
#define MMIO_C_LD		3
#define MMIO_C_SW		6
#define MMIO_C_SD		7
#define MMIO_C_RD_PRIME(i)	(((i) >> 2 & 7) + 8)	/* rd'/rs2' of C.LW C.LD C.SW C.SD */
#define MMIO_C_RD(i)		((i) >> 7 & 0x1f)	/* rd of C.LWSP C.LDSP */
#define MMIO_C_RS2(i)		((i) >> 2 & 0x1f)	/* rs2 of C.SWSP C.SDSP */

static inline bool riscv_mmio_decode_32(u32 insn, struct riscv_mmio *m)
{
	u32 f3 = MMIO_FUNCT3(insn);

	m->len = 4;
	switch (insn & MMIO_OP_MASK) {
	case MMIO_OP_LOAD:
		if (f3 == 7)
			return false;
		m->size = 1u << (f3 & 3);
		m->sign = !(f3 & MMIO_FUNCT3_UNSIGNED) && m->size < 8;
		m->reg = MMIO_RD(insn);
		m->write = false;
		return true;
	case MMIO_OP_STORE:
		if (f3 > 3)
			return false;
		m->size = 1u << f3;
		m->reg = MMIO_RS2(insn);
		m->write = true;
		return true;
	default:
		return false;
	}
}

static inline bool riscv_mmio_decode_16(u32 insn, struct riscv_mmio *m)
{
	u32 f3 = MMIO_C_FUNCT3(insn);
	bool q0 = MMIO_C_OP(insn) == MMIO_C_Q0;

	if (MMIO_C_OP(insn) != MMIO_C_Q0 && MMIO_C_OP(insn) != MMIO_C_Q2)
		return false;
	m->len = 2;
	switch (f3) {
	case MMIO_C_LW:
	case MMIO_C_LD:
		m->size = f3 == MMIO_C_LW ? 4 : 8;
		m->sign = f3 == MMIO_C_LW;
		m->reg = q0 ? MMIO_C_RD_PRIME(insn) : MMIO_C_RD(insn);
		m->write = false;
		return m->reg != 0;	/* C.LWSP/C.LDSP with rd 0 are reserved */
	case MMIO_C_SW:
	case MMIO_C_SD:
		m->size = f3 == MMIO_C_SW ? 4 : 8;
		m->reg = q0 ? MMIO_C_RD_PRIME(insn) : MMIO_C_RS2(insn);
		m->write = true;
		return true;
	default:
		return false;
	}
}

/* @insn (a 16-bit one in its low half): true if it is a load or store. */
static inline bool riscv_mmio_decode(u32 insn, struct riscv_mmio *m)
{
	*m = (struct riscv_mmio){ 0 };
	return MMIO_INSN_IS_32BIT(insn) ? riscv_mmio_decode_32(insn, m) :
				   riscv_mmio_decode_16(insn & 0xffff, m);
}

#endif
