/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 descriptors, 4 KiB granule, 48-bit output addresses.
 * Arm ARM (DDI 0487) D8.3 "Translation table descriptor formats".
 */
#ifndef ARCH_ARM64_PTE_H
#define ARCH_ARM64_PTE_H

#include "types.h"

#define ARM64_PTE_VALID		BIT(0)		/* D8.3.1 */
#define ARM64_PTE_TYPE		BIT(1)		/* 1: table (L0-2) or page (L3); 0: block */
#define ARM64_PTE_TYPE_MASK	(ARM64_PTE_VALID | ARM64_PTE_TYPE)
#define ARM64_PTE_ADDR		GENMASK(47, 12)
#define ARM64_PTE_SH_IS		(3ull << 8)	/* SH[1:0] inner shareable, D8.6.2 */
#define ARM64_PTE_AF		BIT(10)		/* access flag, D8.5.1 */
#define ARM64_PTE_XN		BIT(54)		/* stage 1 EL2: XN; stage 2: XN[1], D8.4 */

/* Stage 1, EL2 single-range regime. */
#define ARM64_S1_ATTRIDX_SHIFT	2		/* AttrIndx[2:0] into MAIR_EL2 */
#define ARM64_S1_ATTRIDX_MASK	GENMASK(4, 2)
#define ARM64_S1_AP_RES1	BIT(6)		/* AP[1]: RES1 with one exception level, D8.4.1 */
#define ARM64_S1_AP_RO		BIT(7)		/* AP[2]: read-only */
/* The MAIR_EL2 indexes this project programs (arch/arm64 sets MAIR_EL2 to match). */
#define ARM64_MAIR_IDX_NORMAL	0ull
#define ARM64_MAIR_IDX_DEVICE	1ull
#define ARM64_MAIR_NORMAL_WB	0xffull		/* Normal, inner/outer WB RW-allocate */
#define ARM64_MAIR_DEVICE_nGnRE	0x04ull
#define ARM64_MAIR_EL2_VALUE	(ARM64_MAIR_NORMAL_WB << (8 * ARM64_MAIR_IDX_NORMAL) | \
				 ARM64_MAIR_DEVICE_nGnRE << (8 * ARM64_MAIR_IDX_DEVICE))

/* Stage 2. */
#define ARM64_S2_MEMATTR_SHIFT	2		/* MemAttr[3:0] with HCR_EL2.FWB = 0, D8.6.5 */
#define ARM64_S2_MEMATTR_MASK	GENMASK(5, 2)
#define ARM64_S2_MEMATTR_NORMAL_WB	0xfull	/* outer WB, inner WB */
#define ARM64_S2_MEMATTR_DEVICE_nGnRE	0x1ull	/* the same with HCR_EL2.FWB = 1 */
/* With HCR_EL2.FWB = 1 (FEAT_S2FWB, D8.6.6): MemAttr[2] = 1, [1:0] = 0b10, forced Write-Back. */
#define ARM64_S2_FWB_MEMATTR_NORMAL_WB	0x6ull
#define ARM64_S2_AP_R		BIT(6)		/* S2AP[0] */
#define ARM64_S2_AP_W		BIT(7)		/* S2AP[1] */
#define ARM64_S2_XN_MASK	GENMASK(54, 53)	/* XN[1:0] (FEAT_XNX) */

/* Invalid (bit 0 clear), so the hardware ignores the rest: a software lock. */
#define ARM64_PTE_FROZEN	BIT(10)

#endif
