/* SPDX-License-Identifier: MIT */
/*
 * Reference translators: an independent model of how the hardware walks each
 * translation format, written from the architecture manuals. They never call
 * into mmu/ (no shared code, no shared constants): the walker's output is
 * checked against them.
 */
#ifndef REF_H
#define REF_H

#include <stdbool.h>
#include <stdint.h>

/* Reads one naturally aligned 64-bit word of "physical memory". */
typedef uint64_t (*ref_read64_fn)(void *ctx, uint64_t pa);

enum ref_format {
	REF_X86_64_S1,		/* IA-32e paging, 4-level (cfg.levels = 4) or 5-level (5) */
	REF_X86_EPT,		/* Intel EPT, 4-level or 5-level */
	REF_ARM64_S1_EL2,	/* VMSAv8-64, 4 KiB granule, EL2 single-range regime (nVHE) */
	REF_ARM64_S2,		/* VMSAv8-64, 4 KiB granule, stage 2 (VTCR_EL2) */
	REF_RISCV_SV39,		/* RISC-V Sv39 (satp) */
	REF_RISCV_SV48,		/* RISC-V Sv48 (satp) */
	REF_RISCV_SV39X4,	/* RISC-V G-stage Sv39x4 (hgatp) */
	REF_RISCV_SV48X4,	/* RISC-V G-stage Sv48x4 (hgatp) */
};

struct ref_cfg {
	enum ref_format format;
	uint64_t root_pa;	/* CR3 / EPTP / TTBR0_EL2 / VTTBR_EL2 / satp / hgatp base */
	unsigned int levels;	/* x86 and EPT only: 4 or 5 */
	unsigned int ia_bits;	/* ARM only: 64 - T0SZ */
	int start_level;	/* ARM S2 only: initial lookup level (0, 1 or 2) from SL0 */
	uint64_t mair;		/* ARM S1 only: MAIR_EL2 */
	bool ept_ad;		/* EPT only: EPTP bit 6, accessed/dirty flags enabled */
	bool s2fwb;		/* ARM S2 only: HCR_EL2.FWB (FEAT_S2FWB) */
};

enum ref_fault {
	REF_OK = 0,
	REF_FAULT_NOT_PRESENT,	/* translation fault / non-present / EPT violation (RWX=0) */
	REF_FAULT_RESERVED,	/* reserved bit set, misconfiguration, misaligned superpage */
	REF_FAULT_ADDRESS,	/* input address out of range / not canonical */
	REF_FAULT_NO_ACCESS,	/* a valid leaf that no access may use (G-stage leaf with U=0) */
};

enum ref_memtype {
	REF_MT_NORMAL_WB,	/* normal, write-back cacheable */
	REF_MT_DEVICE,		/* UC / Device-nGnRnE / Device-nGnRE / PBMT IO */
	REF_MT_OTHER,		/* anything else (WT, WC, non-cacheable, ...) */
};

struct ref_result {
	enum ref_fault fault;
	int fault_depth;	/* 0 = root table, 1 = next lookup, ... where it stopped */
	uint64_t pa;		/* output address of the input address (not of the page) */
	unsigned int page_shift;/* size of the leaf: 12, 21, 30, 39 */
	bool r, w, x, u;	/* effective permissions, combined over every level */
	bool a, d;		/* accessed / dirty state of the leaf (false if the format has none) */
	enum ref_memtype memtype;
};

/* Translates one input address; returns result.fault for convenience. */
enum ref_fault ref_translate(const struct ref_cfg *cfg, ref_read64_fn rd, void *ctx,
			     uint64_t ia, struct ref_result *out);

#endif
