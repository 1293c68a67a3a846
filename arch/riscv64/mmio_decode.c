// SPDX-License-Identifier: MIT
/* Decoding the loads and stores a guest makes to an emulated device (mmio_decode.h). */
#include "mmio_decode.h"

#define OP_MASK			0x7fu
#define OP_LOAD			0x03u	/* Vol. I 2.6: LB LH LW LD LBU LHU LWU */
#define OP_STORE		0x23u	/* SB SH SW SD */
#define RD(i)			((i) >> 7 & 0x1f)
#define RS2(i)			((i) >> 20 & 0x1f)
#define FUNCT3(i)		((i) >> 12 & 0x7)
#define FUNCT3_UNSIGNED		0x4u	/* LBU LHU LWU */
#define INSN_IS_32BIT(i)	(((i) & 3) == 3)

/* Compressed, quadrants 0 and 2 (Vol. I 16.3, 16.4, table 16.5). */
#define C_OP(i)			((i) & 3)
#define C_FUNCT3(i)		((i) >> 13 & 7)
#define C_Q0			0
#define C_Q2			2
#define C_LW			2
#define C_LD			3
#define C_SW			6
#define C_SD			7
#define C_RD_PRIME(i)		(((i) >> 2 & 7) + 8)	/* rd' / rs2' of C.LW C.LD C.SW C.SD */
#define C_RD(i)			((i) >> 7 & 0x1f)	/* rd of C.LWSP C.LDSP */
#define C_RS2(i)		((i) >> 2 & 0x1f)	/* rs2 of C.SWSP C.SDSP */

static bool decode_32(u32 insn, struct riscv_mmio *m)
{
	u32 f3 = FUNCT3(insn);

	m->len = 4;
	switch (insn & OP_MASK) {
	case OP_LOAD:
		if (f3 == 7)
			return false;
		m->size = 1u << (f3 & 3);
		m->sign = !(f3 & FUNCT3_UNSIGNED) && m->size < 8;
		m->reg = RD(insn);
		m->write = false;
		return true;
	case OP_STORE:
		if (f3 > 3)
			return false;
		m->size = 1u << f3;
		m->reg = RS2(insn);
		m->write = true;
		return true;
	default:
		return false;
	}
}

static bool decode_16(u32 insn, struct riscv_mmio *m)
{
	u32 f3 = C_FUNCT3(insn);
	bool q0 = C_OP(insn) == C_Q0;

	if (C_OP(insn) != C_Q0 && C_OP(insn) != C_Q2)
		return false;
	m->len = 2;
	switch (f3) {
	case C_LW:
	case C_LD:
		m->size = f3 == C_LW ? 4 : 8;
		m->sign = f3 == C_LW;
		m->reg = q0 ? C_RD_PRIME(insn) : C_RD(insn);
		m->write = false;
		return m->reg != 0;	/* C.LWSP/C.LDSP with rd 0 are reserved */
	case C_SW:
	case C_SD:
		m->size = f3 == C_SW ? 4 : 8;
		m->reg = q0 ? C_RD_PRIME(insn) : C_RS2(insn);
		m->write = true;
		return true;
	default:
		return false;
	}
}

bool riscv_mmio_decode(u32 insn, struct riscv_mmio *m)
{
	*m = (struct riscv_mmio){ 0 };
	return INSN_IS_32BIT(insn) ? decode_32(insn, m) : decode_16(insn & 0xffff, m);
}
