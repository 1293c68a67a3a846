// SPDX-License-Identifier: MIT
/* IA-32e paging (4- and 5-level) and EPT (4- and 5-level) as walker formats. */
#include "pt_fmt_x86.h"
#include "pte.h"

/* Levels 1 and 2 hold a PS bit; the levels above may only point to tables. */
static bool x86_level_has_ps(u32 level)
{
	return level == 1 || level == 2;
}

static u64 x86_leaf_addr_mask(u32 level)
{
	return GENMASK(51, 12 + 9 * level);
}

static enum pt_kind x86_s1_kind(u64 pte, u32 level)
{
	if (!(pte & X86_PTE_P))
		return PT_KIND_EMPTY;
	if (level == 0 || (x86_level_has_ps(level) && (pte & X86_PTE_PS)))
		return PT_KIND_LEAF;
	return PT_KIND_TABLE;
}

static u64 x86_s1_oa(u64 pte, u32 level)
{
	if (x86_s1_kind(pte, level) == PT_KIND_LEAF)
		return pte & x86_leaf_addr_mask(level);
	return pte & X86_PTE_ADDR;
}

static u32 x86_s1_prot(u64 pte, u32 level)
{
	u32 prot = PT_PROT_R;

	(void)level;
	if (pte & X86_PTE_RW)
		prot |= PT_PROT_W;
	if (!(pte & X86_PTE_XD))
		prot |= PT_PROT_X;
	if (pte & X86_PTE_US)
		prot |= PT_PROT_U;
	if ((pte & X86_PTE_UC) == X86_PTE_UC)
		prot |= PT_PROT_DEVICE;
	if (pte & X86_PTE_A)
		prot |= PT_PROT_A;
	if (pte & X86_PTE_D)
		prot |= PT_PROT_D;
	return prot;
}

static u64 x86_s1_mk_leaf(u64 oa, u32 level, u32 prot)
{
	u64 pte = X86_PTE_P | X86_PTE_A | (oa & x86_leaf_addr_mask(level));

	if (prot & PT_PROT_W)
		pte |= X86_PTE_RW;
	if (!(prot & PT_PROT_X))
		pte |= X86_PTE_XD;
	if (prot & PT_PROT_U)
		pte |= X86_PTE_US;
	if (prot & PT_PROT_DEVICE)
		pte |= X86_PTE_UC;
	if (prot & PT_PROT_D)
		pte |= X86_PTE_D;
	if (level)
		pte |= X86_PTE_PS;
	return pte;
}

/* Permissions combine with AND/OR across levels: tables allow everything. */
static u64 x86_s1_mk_table(u64 pa, u32 level)
{
	(void)level;
	return X86_PTE_P | X86_PTE_RW | X86_PTE_US | (pa & X86_PTE_ADDR);
}

static const struct pt_fmt_ops x86_s1_ops = {
	.kind = x86_s1_kind,
	.oa = x86_s1_oa,
	.prot = x86_s1_prot,
	.mk_leaf = x86_s1_mk_leaf,
	.mk_table = x86_s1_mk_table,
};

#define X86_S1_PROT	(PT_PROT_RWX | PT_PROT_U | PT_PROT_DEVICE | PT_PROT_AD)

const struct pt_fmt pt_fmt_x86_s1_4l = {
	.name = "x86-64 4-level", .levels = 4, .page_shift = 12, .level_bits = 9,
	.ia_bits = 48, .oa_bits = 52, .leaf_levels = 0x7,
	.flags = PT_FMT_SIGN_EXTEND | PT_FMT_R_IMPLICIT,
	.prot_mask = X86_S1_PROT, .frozen = X86_PTE_FROZEN, .ops = &x86_s1_ops,
};

const struct pt_fmt pt_fmt_x86_s1_5l = {
	.name = "x86-64 5-level", .levels = 5, .page_shift = 12, .level_bits = 9,
	.ia_bits = 57, .oa_bits = 52, .leaf_levels = 0x7,
	.flags = PT_FMT_SIGN_EXTEND | PT_FMT_R_IMPLICIT,
	.prot_mask = X86_S1_PROT, .frozen = X86_PTE_FROZEN, .ops = &x86_s1_ops,
};

/*
 * The walker asks for the kind and the address of every table entry on
 * its way down (every stage-2 fault): the table case (PS clear) is tested
 * first. PS (bit 7) is ignored at level 0 and reserved at level 3.
 */
static enum pt_kind ept_kind(u64 pte, u32 level)
{
	if (!(pte & EPT_PTE_RWX))
		return PT_KIND_EMPTY;
	if (!(pte & EPT_PTE_PS))
		return level ? PT_KIND_TABLE : PT_KIND_LEAF;
	return level == 0 || x86_level_has_ps(level) ? PT_KIND_LEAF : PT_KIND_TABLE;
}

/* A 4 KiB leaf's address and a table's are both bits 51:12. */
static u64 ept_oa(u64 pte, u32 level)
{
	if ((pte & EPT_PTE_PS) && (pte & EPT_PTE_RWX) && x86_level_has_ps(level))
		return pte & x86_leaf_addr_mask(level);
	return pte & EPT_PTE_ADDR;
}

static u32 ept_prot(u64 pte, u32 level)
{
	u32 prot = 0;

	(void)level;
	if (pte & EPT_PTE_R)
		prot |= PT_PROT_R;
	if (pte & EPT_PTE_W)
		prot |= PT_PROT_W;
	if (pte & EPT_PTE_X)
		prot |= PT_PROT_X;
	if (((pte & EPT_PTE_MT_MASK) >> EPT_PTE_MT_SHIFT) == EPT_MT_UC)
		prot |= PT_PROT_DEVICE;
	if (pte & EPT_PTE_A)
		prot |= PT_PROT_A;
	if (pte & EPT_PTE_D)
		prot |= PT_PROT_D;
	return prot;
}

/* The walker's R, W, X are EPT's bits 2:0, and its D moves to EPT's bit 9: no branch each. */
_Static_assert(PT_PROT_R == EPT_PTE_R && PT_PROT_W == EPT_PTE_W && PT_PROT_X == EPT_PTE_X,
	       "PT_PROT_RWX is EPT's RWX");
#define EPT_D_FROM_PROT_SHIFT	3
_Static_assert((u64)PT_PROT_D << EPT_D_FROM_PROT_SHIFT == EPT_PTE_D, "PT_PROT_D to EPT's D");

/* A/D are ignored unless EPTP enables them; set A so no update is needed. */
static u64 ept_mk_leaf(u64 oa, u32 level, u32 prot)
{
	u64 mt = (prot & PT_PROT_DEVICE) ? EPT_MT_UC : EPT_MT_WB;
	u64 pte = (mt << EPT_PTE_MT_SHIFT) | EPT_PTE_A | (oa & x86_leaf_addr_mask(level)) |
		  (prot & PT_PROT_RWX) | ((u64)(prot & PT_PROT_D) << EPT_D_FROM_PROT_SHIFT);

	if (level)
		pte |= EPT_PTE_PS;
	return pte;
}

static u64 ept_mk_table(u64 pa, u32 level)
{
	(void)level;
	return EPT_PTE_RWX | (pa & EPT_PTE_ADDR);
}

static const struct pt_fmt_ops ept_ops = {
	.kind = ept_kind,
	.oa = ept_oa,
	.prot = ept_prot,
	.mk_leaf = ept_mk_leaf,
	.mk_table = ept_mk_table,
};

#define EPT_PROT	(PT_PROT_RWX | PT_PROT_DEVICE | PT_PROT_AD)

const struct pt_fmt pt_fmt_x86_ept_4l = {
	.name = "EPT 4-level", .levels = 4, .page_shift = 12, .level_bits = 9,
	.ia_bits = 48, .oa_bits = 52, .leaf_levels = 0x7,
	.prot_mask = EPT_PROT, .frozen = EPT_PTE_FROZEN, .ops = &ept_ops,
};

const struct pt_fmt pt_fmt_x86_ept_5l = {
	.name = "EPT 5-level", .levels = 5, .page_shift = 12, .level_bits = 9,
	.ia_bits = 57, .oa_bits = 52, .leaf_levels = 0x7,
	.prot_mask = EPT_PROT, .frozen = EPT_PTE_FROZEN, .ops = &ept_ops,
};
