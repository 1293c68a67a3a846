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
#define HCR_EL2_VM		SR_BIT(0)	/* stage 2 on for EL1&0 */
#define HCR_EL2_SWIO		SR_BIT(1)	/* set/way invalidate becomes clean+invalidate */
#define HCR_EL2_FMO		SR_BIT(3)	/* physical FIQs to EL2, virtual FIQs to EL1 */
#define HCR_EL2_IMO		SR_BIT(4)	/* physical IRQs to EL2, virtual IRQs to EL1 */
#define HCR_EL2_AMO		SR_BIT(5)	/* physical SErrors to EL2 */
#define HCR_EL2_TWI		SR_BIT(13)	/* trap WFI from EL1/EL0 (EC 0x01) */
#define HCR_EL2_TID3		SR_BIT(18)	/* trap reads of the ID group 3 registers (EC 0x18) */
#define HCR_EL2_TSC		SR_BIT(19)	/* trap SMC from EL1 (EC 0x17) */
#define HCR_EL2_RW		SR_BIT(31)	/* EL1 is AArch64 */
#define HCR_EL2_E2H		SR_BIT(34)	/* VHE: left 0 */
/* FEAT_PAuth (RES0 without it): */
#define HCR_EL2_APK		SR_BIT(40)	/* 1: EL1 reaches the AP*Key_EL1 registers untrapped */
#define HCR_EL2_API		SR_BIT(41)	/* 1: PAC and AUT instructions at EL1/EL0 do not trap */
#define HCR_EL2_FWB		SR_BIT(46)	/* stage 2 MemAttr forces the memory type (FEAT_S2FWB) */
/*
 * No traps, no stage 2, E2H = TGE = 0; IMO: physical IRQs target EL2, else
 * they would target EL1 and never be taken at EL2 (D1.3.6): a CPU with no
 * vCPU then never acknowledges its wake-up SGI, and its WFI ends at once.
 */
#define HCR_EL2_BOOT		(HCR_EL2_RW | HCR_EL2_IMO)
#define HCR_EL2_GUEST		(HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | \
				 HCR_EL2_AMO | HCR_EL2_TWI | HCR_EL2_TID3 | HCR_EL2_TSC | \
				 HCR_EL2_RW)

/*
 * CPTR_EL2 with E2H == 0 (D24.2, "CPTR_EL2, Architectural Feature Trap
 * Register (EL2)"): RES1 bits 13, 9, 7:0, and TZ/TSM where SVE/SME are
 * absent. The traps each lead to EL2 with their own exception class.
 */
#define CPTR_EL2_RES1		(SR_BIT(13) | SR_BIT(9) | SR_UL(0xff))
#define CPTR_EL2_TZ		SR_BIT(8)	/* SVE instructions and ZCR_EL1 (EC 0x19) */
#define CPTR_EL2_TFP		SR_BIT(10)	/* FP and Advanced SIMD (EC 0x07): left 0 */
#define CPTR_EL2_TSM		SR_BIT(12)	/* SME instructions and registers (EC 0x1d) */
#define CPTR_EL2_TTA		SR_BIT(20)	/* trace registers (EC 0x18) */
#define CPTR_EL2_TAM		SR_BIT(30)	/* activity monitors (EC 0x18); RES0 without FEAT_AMUv1 */
/*
 * What a guest does not get: SME, trace and (if present) the AMU are
 * hidden and trapped; SVE only where the PE lacks it (TZ is RES1 then).
 */
#define CPTR_EL2_GUEST		(CPTR_EL2_RES1 | CPTR_EL2_TSM | CPTR_EL2_TTA)

/*
 * ZCR_EL2 (D24.2, "ZCR_EL2, SVE Control Register (EL2)"), by its encoding
 * (op0 3, op1 4, CRn 1, CRm 2, op2 0) so no +sve is needed to assemble it:
 * LEN [3:0] caps EL1's vector length at (LEN + 1) x 128 bits; the PE
 * clamps it to the lengths it has. Accessible only with CPTR_EL2.TZ = 0.
 */
#define ZCR_EL2_LEN_MAX		SR_UL(0xf)

/* MDCR_EL2 (D24.2, "MDCR_EL2, Monitor Debug Configuration Register (EL2)"). */
#define MDCR_EL2_HPMN_MASK	SR_UL(0x1f)	/* [4:0]: event counters EL1 may use */
#define MDCR_EL2_TPMCR		SR_BIT(5)	/* trap PMCR_EL0 */
#define MDCR_EL2_TPM		SR_BIT(6)	/* trap every PMU register */
#define MDCR_EL2_TDA		SR_BIT(9)	/* trap debug registers (DBG*, MDSCR_EL1, MDCC*) */
#define MDCR_EL2_TDOSA		SR_BIT(10)	/* trap OS lock and power-down registers */
#define MDCR_EL2_TDRA		SR_BIT(11)	/* trap the debug ROM address register */
#define MDCR_EL2_GUEST_TRAPS	(MDCR_EL2_TPMCR | MDCR_EL2_TPM | MDCR_EL2_TDA | \
				 MDCR_EL2_TDOSA | MDCR_EL2_TDRA)

/* VTCR_EL2, D24.2.210: stage 2 of the EL1&0 regime (4 KiB granule values). */
#define VTCR_EL2_T0SZ_SHIFT	0		/* IPA size 2^(64 - T0SZ) */
#define VTCR_EL2_SL0_SHIFT	6		/* SL0[7:6]: 0 level 2, 1 level 1, 2 level 0 */
#define VTCR_EL2_SL0_LEVEL1	SR_UL(0x1)
#define VTCR_EL2_IRGN0_WBWA	(SR_UL(0x1) << 8)	/* walks: inner WB read/write-allocate */
#define VTCR_EL2_ORGN0_WBWA	(SR_UL(0x1) << 10)	/* walks: outer WB read/write-allocate */
#define VTCR_EL2_SH0_INNER	(SR_UL(0x3) << 12)	/* walks: inner shareable */
#define VTCR_EL2_TG0_4K		(SR_UL(0x0) << 14)	/* 4 KiB granule */
#define VTCR_EL2_PS_SHIFT	16		/* PS[18:16]: output size, PARange encoding */
#define VTCR_EL2_RES1		SR_BIT(31)

/*
 * VTTBR_EL2 (D24.2, "VTTBR_EL2, Virtualization Translation Table Base
 * Register"): BADDR [47:1], VMID [55:48] (8-bit VMIDs).
 */
#define VTTBR_EL2_VMID_SHIFT	48
#define VTTBR_EL2_VMID_MASK	SR_UL(0xff)

/* HPFAR_EL2, D24.2.70: FIPA[43:4] holds IPA[51:12] of a stage-2 fault. */
#define HPFAR_EL2_FIPA_MASK	SR_UL(0xffffffffff0)
#define HPFAR_EL2_FIPA_SHIFT	8		/* IPA = (HPFAR & FIPA_MASK) << 8 */

/* The TLBI IPAS2E1IS operand (its description in the Arm ARM): IPA[47:12] in [35:0]. */
#define TLBI_IPA_SHIFT		12

/* DCZID_EL0, D19.2.32: the block DC ZVA zeroes (log2 of 4-byte words), and whether it may. */
#define DCZID_EL0_BS_MASK	SR_UL(0xf)
#define DCZID_EL0_DZP		SR_BIT(4)

/*
 * CTR_EL0 (D24.2, "CTR_EL0, Cache Type Register"): DminLine [19:16], log2
 * of the smallest data cache line in 4-byte words.
 */
#define CTR_EL0_DMINLINE_SHIFT	16
#define CTR_EL0_DMINLINE_MASK	SR_UL(0xf)
#define CTR_EL0_IDC		SR_BIT(28)	/* no D-cache clean needed for I/D coherence */
#define CTR_EL0_DIC		SR_BIT(29)	/* no I-cache invalidation needed for I/D coherence */

/* SPSR_EL2 (C5.2, "Special-purpose registers") for an exception return. */
#define SPSR_EL2_M_MASK		SR_UL(0xf)	/* M[3:0]: the EL and its stack pointer */
#define SPSR_EL2_M_EL0T		SR_UL(0x0)	/* M[3:0]: EL0 */
#define SPSR_EL2_M_EL1T		SR_UL(0x4)	/* M[3:0]: EL1 using SP_EL0 */
#define SPSR_EL2_M_EL1H		SR_UL(0x5)	/* M[3:0]: EL1 using SP_EL1 */
#define SPSR_EL2_M_AARCH32	SR_BIT(4)	/* M[4]: the state was AArch32 */
#define SPSR_EL2_PAN		SR_BIT(22)	/* PSTATE.PAN */
#define SPSR_EL2_F		SR_BIT(6)	/* FIQ masked */
#define SPSR_EL2_I		SR_BIT(7)	/* IRQ masked */
#define SPSR_EL2_A		SR_BIT(8)	/* SError masked */
#define SPSR_EL2_D		SR_BIT(9)	/* debug masked */
#define SPSR_EL2_GUEST_ENTRY	(SPSR_EL2_M_EL1H | SPSR_EL2_F | SPSR_EL2_I | \
				 SPSR_EL2_A | SPSR_EL2_D)

/*
 * SCTLR_EL1 (D24.2, "SCTLR_EL1, System Control Register (EL1)"): RES1 bits
 * 11, 20, 22, 23, 28, 29 (for FEAT_* absent); MMU and caches off.
 */
#define SCTLR_EL1_RES1		(SR_BIT(11) | SR_BIT(20) | SR_BIT(22) | SR_BIT(23) | \
				 SR_BIT(28) | SR_BIT(29))
#define SCTLR_EL1_GUEST_ENTRY	SCTLR_EL1_RES1
#define SCTLR_EL1_SPAN		SR_BIT(23)	/* 0: PSTATE.PAN is set on an exception to EL1 */

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

/*
 * ISS of a trapped MSR/MRS (EC 0x18, "ISS encoding for an exception from
 * MSR, MRS, or System instruction execution in AArch64 state").
 */
#define ESR_SYS_OP0_SHIFT	20		/* [21:20] */
#define ESR_SYS_OP2_SHIFT	17		/* [19:17] */
#define ESR_SYS_OP1_SHIFT	14		/* [16:14] */
#define ESR_SYS_CRN_SHIFT	10		/* [13:10] */
#define ESR_SYS_RT_SHIFT	5		/* [9:5] */
#define ESR_SYS_CRM_SHIFT	1		/* [4:1] */
#define ESR_SYS_READ		SR_BIT(0)	/* Direction: 1 = MRS */

/* ID_AA64DFR0_EL1 (D24.2): what the VM is told of debug, trace and the PMU. */
#define ID_AA64DFR0_TRACEVER	SR_UL(0xf0)			/* [7:4] */
#define ID_AA64DFR0_PMUVER	SR_UL(0xf00)			/* [11:8] */
#define ID_AA64DFR0_PMSVER	SR_UL(0xf00000000)		/* [35:32] */
#define ID_AA64DFR0_TRACEFILT	SR_UL(0xf0000000000)		/* [43:40] */
#define ID_AA64DFR0_TRACEBUF	SR_UL(0xf00000000000)		/* [47:44] */
#define ID_AA64DFR0_MTPMU	SR_UL(0xf000000000000)		/* [51:48] */
#define ID_AA64DFR0_BRBE	SR_UL(0xf0000000000000)		/* [55:52] */
#define ID_AA64DFR0_HPMN0	SR_UL(0xf000000000000000)	/* [63:60] */
/* ID_DFR0_EL1 (D24.2), the AArch32 view: CopTrc [15:12], MMapTrc [19:16], PerfMon [27:24], TraceFilt [31:28]. */
#define ID_DFR0_COPTRC		SR_UL(0xf000)
#define ID_DFR0_MMAPTRC		SR_UL(0xf0000)
#define ID_DFR0_PERFMON		SR_UL(0xf000000)
#define ID_DFR0_TRACEFILT	SR_UL(0xf0000000)

/* ID_AA64PFR0_EL1 (D24.2): the parts of the PE a guest is told it lacks. */
#define ID_AA64PFR0_GIC		SR_UL(0xf000000)		/* [27:24]: GIC system registers */
#define ID_AA64PFR0_SVE		SR_UL(0xf00000000)		/* [35:32] */
#define ID_AA64PFR0_AMU_SHIFT	44				/* AMU [47:44] */
#define ID_AA64PFR0_AMU		(SR_UL(0xf) << ID_AA64PFR0_AMU_SHIFT)
/* ID_AA64PFR1_EL1 (D24.2): MTE [11:8], SME [27:24], MTE_frac [43:40]. */
#define ID_AA64PFR1_MTE		SR_UL(0xf00)
#define ID_AA64PFR1_SME		SR_UL(0xf000000)
#define ID_AA64PFR1_MTE_FRAC	SR_UL(0xf0000000000)
/*
 * FEAT_PAuth: ID_AA64ISAR1_EL1 APA [7:4], API [11:8], GPA [27:24], GPI
 * [31:28]; ID_AA64ISAR2_EL1 (op0 3, op1 0, CRn 0, CRm 6, op2 2) GPA3
 * [11:8], APA3 [15:12]. Any nonzero: pointer authentication is there.
 */
#define ID_AA64ISAR1_PAUTH	SR_UL(0xff000ff0)
#define ID_AA64ISAR2_PAUTH	SR_UL(0xff00)

/* ID_AA64MMFR0_EL1, D24.2.88. */
#define ID_AA64MMFR0_PARANGE_MASK	SR_UL(0xf)	/* [3:0] */
#define ID_AA64MMFR0_PARANGE_48		SR_UL(0x5)	/* 0:32 1:36 2:40 3:42 4:44 5:48 6:52 bits */
#define ID_AA64MMFR0_TGRAN4_SHIFT	28		/* [31:28], 0xf: no 4 KiB granule */
#define ID_AA64MMFR0_TGRAN4_NONE	SR_UL(0xf)

/* ID_AA64MMFR2_EL1 (op0 3, op1 0, CRn 0, CRm 7, op2 2), D24.2.90: FWB [43:40], 1: FEAT_S2FWB. */
#define ID_AA64MMFR2_FWB_SHIFT		40
#define ID_AA64MMFR2_FWB_MASK		SR_UL(0xf)

/* MPIDR_EL1, D24.2.138: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
#define MPIDR_AFF_MASK		SR_UL(0xff00ffffff)
#define MPIDR_AFF0_MASK		SR_UL(0xff)
#define MPIDR_RES1		SR_BIT(31)

/*
 * VMPIDR_EL2 (D24.2, "VMPIDR_EL2, Virtualization Multiprocessor ID
 * Register"): what EL1 reads as MPIDR_EL1, in MPIDR_EL1's format.
 */
#define VMPIDR_EL2_VALUE(aff0)	(MPIDR_RES1 | ((aff0) & MPIDR_AFF0_MASK))

/* ESR_EL2, D24.2.41: exception class EC in [31:26], IL [25], ISS [24:0]. */
#define ESR_EL2_EC_SHIFT	26
#define ESR_EL2_EC_MASK		SR_UL(0x3f)
#define ESR_EC_UNKNOWN		SR_UL(0x00)	/* unknown reason: an UNDEFINED instruction */
#define ESR_EC_WFX		SR_UL(0x01)	/* trapped WFI or WFE */
#define ESR_EC_FP		SR_UL(0x07)	/* FP/SIMD trapped by CPTR_EL2.TFP */
#define ESR_EC_HVC64		SR_UL(0x16)	/* HVC from AArch64 */
#define ESR_EC_SMC64		SR_UL(0x17)	/* SMC from AArch64, trapped by HCR_EL2.TSC */
#define ESR_EC_SYS64		SR_UL(0x18)	/* trapped MSR, MRS or system instruction */
#define ESR_EC_SVE		SR_UL(0x19)	/* SVE trapped by CPTR_EL2.TZ */
#define ESR_EC_SME		SR_UL(0x1d)	/* SME trapped by CPTR_EL2.TSM */
#define ESR_EC_IABT_LOW		SR_UL(0x20)	/* instruction abort from a lower EL */
#define ESR_EC_IABT_CUR		SR_UL(0x21)	/* instruction abort taken without a change of EL */
#define ESR_EC_DABT_LOW		SR_UL(0x24)	/* data abort from a lower EL */
#define ESR_EC_DABT_CUR		SR_UL(0x25)	/* data abort taken without a change of EL */
#define ESR_IL			SR_BIT(25)	/* the trapped instruction was 32-bit */
/* ISS for data aborts ("ISS encoding for an exception from a Data Abort"). */
#define ESR_ISS_ISV		SR_BIT(24)	/* SAS, SSE, SRT, SF, AR are valid */
#define ESR_ISS_SAS_SHIFT	22		/* SAS[23:22]: access size 1 << SAS bytes */
#define ESR_ISS_SAS_MASK	SR_UL(0x3)
#define ESR_ISS_SSE		SR_BIT(21)	/* load sign-extends */
#define ESR_ISS_SRT_SHIFT	16		/* SRT[20:16]: the register transferred */
#define ESR_ISS_SRT_MASK	SR_UL(0x1f)
#define ESR_ISS_SF		SR_BIT(15)	/* 64-bit register */
#define ESR_ISS_S1PTW		SR_BIT(7)	/* fault on a stage-1 table walk */
#define ESR_ISS_WNR		SR_BIT(6)	/* write */
#define ESR_ISS_FSC_MASK	SR_UL(0x3f)	/* DFSC / IFSC [5:0] */
#define ESR_FSC_TYPE_MASK	SR_UL(0x3c)	/* the fault type, without the level */
#define ESR_FSC_TRANS		SR_UL(0x04)	/* translation fault, level 0-3 in [1:0] */
#define ESR_FSC_SEA		SR_UL(0x10)	/* synchronous external abort, not on a walk */

/*
 * VBAR_EL1 vector offsets of a synchronous exception ("Exception vectors",
 * D1.3.1): from the current EL with SP_EL0, with SP_ELx, from a lower EL
 * in AArch64, in AArch32.
 */
#define VBAR_SYNC_CUR_SP0	SR_UL(0x000)
#define VBAR_SYNC_CUR_SPX	SR_UL(0x200)
#define VBAR_SYNC_LOWER_A64	SR_UL(0x400)
#define VBAR_SYNC_LOWER_A32	SR_UL(0x600)
#define VBAR_TABLE_SIZE		SR_UL(0x800)	/* 16 vectors of 0x80 bytes (D1.3.1) */

/* ID_AA64MMFR1_EL1 (D24.2): PAN [23:20], nonzero if FEAT_PAN is implemented. */
#define ID_AA64MMFR1_PAN_SHIFT	20
#define ID_AA64MMFR1_PAN_MASK	SR_UL(0xf)

/*
 * CNTHCTL_EL2, D24.10.2 (D13.8 "The Generic Timer in AArch64 state"), as
 * laid out with HCR_EL2.E2H == 0: EL1PCTEN [0], EL1PCEN [1]. (With E2H
 * == 1 they move to [10] and [11], and [1:0] become EL0VCTEN/EL0PCTEN.)
 */
#define CNTHCTL_EL1PCTEN	SR_BIT(0)	/* EL1/EL0 may read the physical counter */
#define CNTHCTL_EL1PCEN		SR_BIT(1)	/* 0: EL1/EL0 CNTP_CTL/CVAL/TVAL_EL0 trap (EC 0x18) */
#define CNTHCTL_EVNTEN		SR_BIT(2)	/* event stream on */
#define CNTHCTL_EVNTI_SHIFT	4		/* EVNTI[7:4]: counter bit that triggers it */
#define CNTHCTL_EVNTI_1MS	15		/* counter bit 15 at 62.5 MHz: ~1 ms */
/*
 * EL1 may read the physical counter; its physical timer traps (emulated,
 * vptimer.c); an event every ~1 ms wakes WFE.
 */
#define CNTHCTL_EL2_VALUE	(CNTHCTL_EL1PCTEN | CNTHCTL_EVNTEN | \
				 CNTHCTL_EVNTI_1MS << CNTHCTL_EVNTI_SHIFT)
/* CNTHP_CTL_EL2 and CNTP_CTL_EL0 (D24.10): the same three bits. */
#define CNT_CTL_ENABLE		SR_BIT(0)
#define CNT_CTL_IMASK		SR_BIT(1)	/* the interrupt masked, ISTATUS still set */
#define CNT_CTL_ISTATUS		SR_BIT(2)	/* read-only: the condition is met */

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
