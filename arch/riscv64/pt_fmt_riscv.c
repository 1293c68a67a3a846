// SPDX-License-Identifier: MIT
/* Sv39/Sv48 stage 1 and Sv39x4/Sv48x4 G-stage as walker formats. */
#include "pt_fmt_riscv.h"
#include "pte.h"

static enum pt_kind riscv_kind(u64 pte, u32 level)
{
	if (!(pte & RISCV_PTE_V))
		return PT_KIND_EMPTY;
	if (pte & (RISCV_PTE_R | RISCV_PTE_X))
		return PT_KIND_LEAF;
	/* A pointer at the last level is a page fault for the hardware. */
	return level ? PT_KIND_TABLE : PT_KIND_EMPTY;
}

static u64 riscv_oa(u64 pte, u32 level)
{
	(void)level;
	return ((pte & RISCV_PTE_PPN_MASK) >> RISCV_PTE_PPN_SHIFT) << RISCV_PAGE_SHIFT;
}

static u64 riscv_ppn(u64 pa)
{
	return ((pa >> RISCV_PAGE_SHIFT) << RISCV_PTE_PPN_SHIFT) & RISCV_PTE_PPN_MASK;
}

static u32 riscv_prot(u64 pte, u32 level)
{
	u32 prot = 0;

	(void)level;
	if (pte & RISCV_PTE_R)
		prot |= PT_PROT_R;
	if (pte & RISCV_PTE_W)
		prot |= PT_PROT_W;
	if (pte & RISCV_PTE_X)
		prot |= PT_PROT_X;
	if (pte & RISCV_PTE_U)
		prot |= PT_PROT_U;
	if (((pte & RISCV_PTE_PBMT_MASK) >> RISCV_PTE_PBMT_SHIFT) == RISCV_PBMT_IO)
		prot |= PT_PROT_DEVICE;
	if (pte & RISCV_PTE_A)
		prot |= PT_PROT_A;
	if (pte & RISCV_PTE_D)
		prot |= PT_PROT_D;
	return prot;
}

/* R W X U and D are the walker's bits one place up: one shift, no branches. */
#define RISCV_PROT_SHIFTED	(PT_PROT_R | PT_PROT_W | PT_PROT_X | PT_PROT_U | PT_PROT_D)
_Static_assert(PT_PROT_R << 1 == RISCV_PTE_R && PT_PROT_W << 1 == RISCV_PTE_W &&
	       PT_PROT_X << 1 == RISCV_PTE_X && PT_PROT_U << 1 == RISCV_PTE_U &&
	       PT_PROT_D << 1 == RISCV_PTE_D, "walker prot bits one below the PTE's");
/* DEVICE (one bit) moved up to PBMT = IO (2, the upper of the two bits). */
_Static_assert(RISCV_PBMT_IO << RISCV_PTE_PBMT_SHIFT == (u64)PT_PROT_DEVICE << (62 - 4) &&
	       PT_PROT_DEVICE == BIT(4), "DEVICE to PBMT IO");

/* A is set up front: with Svade a clear A bit is a page fault. */
static u64 riscv_mk_leaf(u64 oa, u32 level, u32 prot)
{
	(void)level;
	return RISCV_PTE_V | RISCV_PTE_A | riscv_ppn(oa) | (u64)(prot & RISCV_PROT_SHIFTED) << 1 |
	       (u64)(prot & PT_PROT_DEVICE) << (62 - 4);
}

static u64 riscv_mk_table(u64 pa, u32 level)
{
	(void)level;
	return RISCV_PTE_V | riscv_ppn(pa);
}

static const struct pt_fmt_ops riscv_s1_ops = {
	.kind = riscv_kind,
	.oa = riscv_oa,
	.prot = riscv_prot,
	.mk_leaf = riscv_mk_leaf,
	.mk_table = riscv_mk_table,
};

/* Stage 1 on a hart without Svpbmt: DEVICE in RSW, the PMAs decide (pte.h). */
static u32 riscv_nopbmt_prot(u64 pte, u32 level)
{
	return riscv_prot(pte, level) | (pte & RISCV_PTE_RSW_DEVICE ? PT_PROT_DEVICE : 0);
}

static u64 riscv_nopbmt_mk_leaf(u64 oa, u32 level, u32 prot)
{
	u64 pte = riscv_mk_leaf(oa, level, prot & ~PT_PROT_DEVICE);

	return pte | (prot & PT_PROT_DEVICE ? RISCV_PTE_RSW_DEVICE : 0);
}

static const struct pt_fmt_ops riscv_s1_nopbmt_ops = {
	.kind = riscv_kind,
	.oa = riscv_oa,
	.prot = riscv_nopbmt_prot,
	.mk_leaf = riscv_nopbmt_mk_leaf,
	.mk_table = riscv_mk_table,
};

/* G-stage accesses all count as U-mode: a leaf without U is no use to a guest. */
static u32 riscv_g_prot(u64 pte, u32 level)
{
	return riscv_prot(pte, level) & ~PT_PROT_U;
}

static u64 riscv_g_mk_leaf(u64 oa, u32 level, u32 prot)
{
	return riscv_mk_leaf(oa, level, prot | PT_PROT_U);
}

static const struct pt_fmt_ops riscv_g_ops = {
	.kind = riscv_kind,
	.oa = riscv_oa,
	.prot = riscv_g_prot,
	.mk_leaf = riscv_g_mk_leaf,
	.mk_table = riscv_mk_table,
};

#define RISCV_S1_PROT	(PT_PROT_RWX | PT_PROT_U | PT_PROT_DEVICE | PT_PROT_AD)
#define RISCV_G_PROT	(PT_PROT_RWX | PT_PROT_DEVICE | PT_PROT_AD)
#define RISCV_FLAGS	PT_FMT_CACHES_INVALID

const struct pt_fmt pt_fmt_riscv_sv39 = {
	.name = "riscv Sv39", .levels = 3, .page_shift = 12, .level_bits = 9,
	.ia_bits = 39, .oa_bits = 56, .leaf_levels = 0x7,
	.flags = RISCV_FLAGS | PT_FMT_SIGN_EXTEND,
	.prot_mask = RISCV_S1_PROT, .frozen = RISCV_PTE_FROZEN, .ops = &riscv_s1_ops,
};

const struct pt_fmt pt_fmt_riscv_sv39_nopbmt = {
	.name = "riscv Sv39 (no Svpbmt)", .levels = 3, .page_shift = 12, .level_bits = 9,
	.ia_bits = 39, .oa_bits = 56, .leaf_levels = 0x7,
	.flags = RISCV_FLAGS | PT_FMT_SIGN_EXTEND,
	.prot_mask = RISCV_S1_PROT, .frozen = RISCV_PTE_FROZEN, .ops = &riscv_s1_nopbmt_ops,
};

const struct pt_fmt pt_fmt_riscv_sv48_nopbmt = {
	.name = "riscv Sv48 (no Svpbmt)", .levels = 4, .page_shift = 12, .level_bits = 9,
	.ia_bits = 48, .oa_bits = 56, .leaf_levels = 0xf,
	.flags = RISCV_FLAGS | PT_FMT_SIGN_EXTEND,
	.prot_mask = RISCV_S1_PROT, .frozen = RISCV_PTE_FROZEN, .ops = &riscv_s1_nopbmt_ops,
};

const struct pt_fmt pt_fmt_riscv_sv48 = {
	.name = "riscv Sv48", .levels = 4, .page_shift = 12, .level_bits = 9,
	.ia_bits = 48, .oa_bits = 56, .leaf_levels = 0xf,
	.flags = RISCV_FLAGS | PT_FMT_SIGN_EXTEND,
	.prot_mask = RISCV_S1_PROT, .frozen = RISCV_PTE_FROZEN, .ops = &riscv_s1_ops,
};

/* x4: two more GPA bits than the VA mode, resolved by a 16 KiB root. */
const struct pt_fmt pt_fmt_riscv_sv39x4 = {
	.name = "riscv Sv39x4", .levels = 3, .page_shift = 12, .level_bits = 9,
	.ia_bits = 41, .oa_bits = 56, .leaf_levels = 0x7, .flags = RISCV_FLAGS,
	.prot_mask = RISCV_G_PROT, .frozen = RISCV_PTE_FROZEN, .ops = &riscv_g_ops,
};

const struct pt_fmt pt_fmt_riscv_sv48x4 = {
	.name = "riscv Sv48x4", .levels = 4, .page_shift = 12, .level_bits = 9,
	.ia_bits = 50, .oa_bits = 56, .leaf_levels = 0xf, .flags = RISCV_FLAGS,
	.prot_mask = RISCV_G_PROT, .frozen = RISCV_PTE_FROZEN, .ops = &riscv_g_ops,
};
