/* SPDX-License-Identifier: MIT */
/*
 * EL2 system-register bits this hypervisor programs, for C and assembly.
 * Sections are from the Arm Architecture Reference Manual for A-profile
 * (DDI 0487), chapter D24 "AArch64 System Register Descriptions"; all
 * descriptions are the ones for HCR_EL2.E2H == 0 (no VHE), which is how
 * this hypervisor runs.
 */
#ifndef ARCH_ARM64_SYSREG_H
#define ARCH_ARM64_SYSREG_H

#ifdef __ASSEMBLER__
#define SR_BIT(n)		(1 << (n))
#define SR_UL(x)		(x)
#else
#define SR_BIT(n)		(1ull << (n))
#define SR_UL(x)		(x##ull)
#endif

/* CurrentEL ("Special-purpose registers", C5.2): EL in bits [3:2]. */
#define CURRENTEL_EL_SHIFT	2
#define CURRENTEL_EL_MASK	3

/* HCR_EL2, D24.2.62. */
#define HCR_EL2_RW		SR_BIT(31)	/* EL1 is AArch64 */
#define HCR_EL2_E2H		SR_BIT(34)	/* VHE: left 0 */
#define HCR_EL2_BOOT		HCR_EL2_RW	/* no traps, no stage 2, E2H = TGE = 0 */

/* SCTLR_EL2, D24.2.176. */
#define SCTLR_EL2_M		SR_BIT(0)	/* EL2 stage-1 MMU enable */
#define SCTLR_EL2_A		SR_BIT(1)	/* alignment check */
#define SCTLR_EL2_C		SR_BIT(2)	/* data cacheability */
#define SCTLR_EL2_SA		SR_BIT(3)	/* SP alignment check */
#define SCTLR_EL2_I		SR_BIT(12)	/* instruction cacheability */
#define SCTLR_EL2_WXN		SR_BIT(19)	/* writable implies execute-never */
#define SCTLR_EL2_EE		SR_BIT(25)	/* big-endian data: left 0 */
/* RES1 with E2H == 0: bits 4, 5, 11 (EOS), 16, 18, 22 (EIS), 23 (SPAN), 28, 29. */
#define SCTLR_EL2_RES1		(SR_BIT(4) | SR_BIT(5) | SR_BIT(11) | SR_BIT(16) | \
				 SR_BIT(18) | SR_BIT(22) | SR_BIT(23) | SR_BIT(28) | \
				 SR_BIT(29))
#define SCTLR_EL2_MMU_OFF	SCTLR_EL2_RES1	/* little-endian, MMU and caches off */
#define SCTLR_EL2_MMU_ON	(SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | \
				 SCTLR_EL2_I | SCTLR_EL2_SA | SCTLR_EL2_WXN)

/* TCR_EL2, D24.2.195. */
#define TCR_EL2_T0SZ_SHIFT	0		/* input size 2^(64 - T0SZ) */
#define TCR_EL2_IRGN0_WBWA	(SR_UL(0x1) << 8)	/* walks: inner WB read/write-allocate */
#define TCR_EL2_ORGN0_WBWA	(SR_UL(0x1) << 10)	/* walks: outer WB read/write-allocate */
#define TCR_EL2_SH0_INNER	(SR_UL(0x3) << 12)	/* walks: inner shareable */
#define TCR_EL2_TG0_4K		(SR_UL(0x0) << 14)	/* 4 KiB granule */
#define TCR_EL2_PS_SHIFT	16		/* PS[18:16]: output size, PARange encoding */
#define TCR_EL2_RES1		(SR_BIT(23) | SR_BIT(31))

/* ID_AA64MMFR0_EL1, D24.2.88. */
#define ID_AA64MMFR0_PARANGE_MASK	SR_UL(0xf)	/* [3:0] */
#define ID_AA64MMFR0_PARANGE_48		SR_UL(0x5)	/* 0:32 1:36 2:40 3:42 4:44 5:48 6:52 bits */
#define ID_AA64MMFR0_TGRAN4_SHIFT	28		/* [31:28], 0xf: no 4 KiB granule */
#define ID_AA64MMFR0_TGRAN4_NONE	SR_UL(0xf)

/* MPIDR_EL1, D24.2.138: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
#define MPIDR_AFF_MASK		SR_UL(0xff00ffffff)

/* ESR_EL2 (D24.2): exception class EC in [31:26]. */
#define ESR_EL2_EC_SHIFT	26
#define ESR_EL2_EC_MASK		SR_UL(0x3f)

/* CNTHCTL_EL2, D24.10.2. */
#define CNTHCTL_EL1PCTEN	SR_BIT(0)	/* EL1/EL0 may read the physical counter */
#define CNTHCTL_EL1PCEN		SR_BIT(1)	/* EL1/EL0 may use the physical timer */
#define CNTHCTL_EVNTEN		SR_BIT(2)	/* event stream on */
#define CNTHCTL_EVNTI_SHIFT	4		/* EVNTI[7:4]: counter bit that triggers it */

#ifndef __ASSEMBLER__
#include "types.h"

#define read_sysreg(reg) ({						\
	u64 __val;							\
	__asm__ volatile("mrs %0, " #reg : "=r"(__val));		\
	__val;								\
})

#define write_sysreg(reg, val)						\
	__asm__ volatile("msr " #reg ", %0" :: "r"((u64)(val)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}
#endif

#endif
