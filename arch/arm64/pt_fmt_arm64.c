// SPDX-License-Identifier: MIT
/* VMSAv8-64 4 KiB granule: EL2 stage 1 and stage 2 as walker formats. */
#include "pt_fmt_arm64.h"
#include "pte.h"

#define ARM64_GRANULE_SHIFT	12
#define ARM64_LEVEL_BITS	9
#define ARM64_MAX_IA_BITS	48
#define ARM64_MAX_CONCAT_BITS	4	/* up to 16 tables at the stage-2 initial level, D8.2.7 */

/* Walker level 0 is the Arm level-3 table; blocks exist at Arm levels 1 and 2. */
static enum pt_kind arm64_kind(u64 pte, u32 level)
{
	u64 type = pte & ARM64_PTE_TYPE_MASK;

	if (!(pte & ARM64_PTE_VALID))
		return PT_KIND_EMPTY;
	if (level == 0)
		return type == ARM64_PTE_TYPE_MASK ? PT_KIND_LEAF : PT_KIND_EMPTY;
	if (type == ARM64_PTE_TYPE_MASK)
		return PT_KIND_TABLE;
	return level <= 2 ? PT_KIND_LEAF : PT_KIND_EMPTY;
}

static u64 arm64_oa(u64 pte, u32 level)
{
	if (arm64_kind(pte, level) == PT_KIND_LEAF)
		return pte & GENMASK(47, ARM64_GRANULE_SHIFT + ARM64_LEVEL_BITS * level);
	return pte & ARM64_PTE_ADDR;
}

static u64 arm64_leaf_base(u64 oa, u32 level)
{
	u64 type = level ? ARM64_PTE_VALID : ARM64_PTE_TYPE_MASK;

	return type | ARM64_PTE_AF | ARM64_PTE_SH_IS |
	       (oa & GENMASK(47, ARM64_GRANULE_SHIFT + ARM64_LEVEL_BITS * level));
}

static u64 arm64_mk_table(u64 pa, u32 level)
{
	(void)level;
	return ARM64_PTE_TYPE_MASK | (pa & ARM64_PTE_ADDR);
}

static u32 arm64_s1_prot(u64 pte, u32 level)
{
	u64 idx = (pte & ARM64_S1_ATTRIDX_MASK) >> ARM64_S1_ATTRIDX_SHIFT;
	u32 prot = PT_PROT_R;

	(void)level;
	if (!(pte & ARM64_S1_AP_RO))
		prot |= PT_PROT_W;
	if (!(pte & ARM64_PTE_XN))
		prot |= PT_PROT_X;
	if (idx == ARM64_MAIR_IDX_DEVICE)
		prot |= PT_PROT_DEVICE;
	if (pte & ARM64_PTE_AF)
		prot |= PT_PROT_A;
	return prot;
}

static u64 arm64_s1_mk_leaf(u64 oa, u32 level, u32 prot)
{
	u64 idx = (prot & PT_PROT_DEVICE) ? ARM64_MAIR_IDX_DEVICE : ARM64_MAIR_IDX_NORMAL;
	u64 pte = arm64_leaf_base(oa, level) | ARM64_S1_AP_RES1 |
		  (idx << ARM64_S1_ATTRIDX_SHIFT);

	if (!(prot & PT_PROT_W))
		pte |= ARM64_S1_AP_RO;
	if (!(prot & PT_PROT_X))
		pte |= ARM64_PTE_XN;
	return pte;
}

static const struct pt_fmt_ops arm64_s1_ops = {
	.kind = arm64_kind,
	.oa = arm64_oa,
	.prot = arm64_s1_prot,
	.mk_leaf = arm64_s1_mk_leaf,
	.mk_table = arm64_mk_table,
};

static u32 arm64_s2_prot(u64 pte, u32 level)
{
	u64 attr = (pte & ARM64_S2_MEMATTR_MASK) >> ARM64_S2_MEMATTR_SHIFT;
	u32 prot = 0;

	(void)level;
	if (pte & ARM64_S2_AP_R)
		prot |= PT_PROT_R;
	if (pte & ARM64_S2_AP_W)
		prot |= PT_PROT_W;
	if (!(pte & ARM64_S2_XN_MASK))
		prot |= PT_PROT_X;
	if (attr == ARM64_S2_MEMATTR_DEVICE_nGnRE)
		prot |= PT_PROT_DEVICE;
	if (pte & ARM64_PTE_AF)
		prot |= PT_PROT_A;
	return prot;
}

static u64 arm64_s2_leaf(u64 oa, u32 level, u32 prot, u64 normal)
{
	u64 attr = (prot & PT_PROT_DEVICE) ? ARM64_S2_MEMATTR_DEVICE_nGnRE : normal;
	u64 pte = arm64_leaf_base(oa, level) | (attr << ARM64_S2_MEMATTR_SHIFT);

	if (prot & PT_PROT_R)
		pte |= ARM64_S2_AP_R;
	if (prot & PT_PROT_W)
		pte |= ARM64_S2_AP_W;
	/* XN[1:0] = 0b10: no execution at EL1 or EL0, with or without FEAT_XNX. */
	if (!(prot & PT_PROT_X))
		pte |= ARM64_PTE_XN;
	return pte;
}

static u64 arm64_s2_mk_leaf(u64 oa, u32 level, u32 prot)
{
	return arm64_s2_leaf(oa, level, prot, ARM64_S2_MEMATTR_NORMAL_WB);
}

static u64 arm64_s2_fwb_mk_leaf(u64 oa, u32 level, u32 prot)
{
	return arm64_s2_leaf(oa, level, prot, ARM64_S2_FWB_MEMATTR_NORMAL_WB);
}

static const struct pt_fmt_ops arm64_s2_ops = {
	.kind = arm64_kind,
	.oa = arm64_oa,
	.prot = arm64_s2_prot,
	.mk_leaf = arm64_s2_mk_leaf,
	.mk_table = arm64_mk_table,
};

static const struct pt_fmt_ops arm64_s2_fwb_ops = {
	.kind = arm64_kind,
	.oa = arm64_oa,
	.prot = arm64_s2_prot,
	.mk_leaf = arm64_s2_fwb_mk_leaf,
	.mk_table = arm64_mk_table,
};

static void arm64_fmt_fill(struct pt_fmt *fmt, u32 ia_bits, u32 levels)
{
	fmt->levels = (u8)levels;
	fmt->page_shift = ARM64_GRANULE_SHIFT;
	fmt->level_bits = ARM64_LEVEL_BITS;
	fmt->ia_bits = (u8)ia_bits;
	fmt->oa_bits = ARM64_MAX_IA_BITS;
	/* Blocks at Arm levels 1 and 2 only, whatever the start level. */
	fmt->leaf_levels = (u8)(0x7 & ((1u << levels) - 1));
	fmt->flags = PT_FMT_SPLIT_BBM;
	fmt->frozen = ARM64_PTE_FROZEN;
	/* A valid table descriptor at levels 0-2 (D8.3.1): bits[1:0] = 0b11. */
	fmt->table_mask = ARM64_PTE_TYPE_MASK;
	fmt->table_bits = ARM64_PTE_TYPE_MASK;
	fmt->table_pa_mask = ARM64_PTE_ADDR;
	fmt->table_pa_shift = ARM64_GRANULE_SHIFT;
}

/* TCR_EL2.T0SZ = 64 - ia_bits; the start level follows from it (D8.2.6). */
int pt_fmt_arm64_s1_el2_init(struct pt_fmt *fmt, u32 ia_bits)
{
	u32 levels;

	if (ia_bits < 25 || ia_bits > ARM64_MAX_IA_BITS)
		return -EINVAL;
	levels = (ia_bits - ARM64_GRANULE_SHIFT + ARM64_LEVEL_BITS - 1) / ARM64_LEVEL_BITS;
	arm64_fmt_fill(fmt, ia_bits, levels);
	fmt->name = "arm64 EL2 stage-1";
	fmt->flags |= PT_FMT_R_IMPLICIT;
	fmt->prot_mask = PT_PROT_RWX | PT_PROT_DEVICE | PT_PROT_A;
	fmt->ops = &arm64_s1_ops;
	return 0;
}

/*
 * VTCR_EL2.T0SZ = 64 - ipa_bits, SL0 from the Arm start level. The initial
 * level resolves what is left of the IPA: a partial table, or up to 16
 * concatenated tables (never at level 0).
 */
int pt_fmt_arm64_s2_init(struct pt_fmt *fmt, u32 ipa_bits, u32 arm_start_level)
{
	u32 levels = 4 - arm_start_level, root_shift, root_bits;

	if (arm_start_level > 2 || ipa_bits > ARM64_MAX_IA_BITS)
		return -EINVAL;
	root_shift = ARM64_GRANULE_SHIFT + ARM64_LEVEL_BITS * (levels - 1);
	if (ipa_bits <= root_shift)
		return -EINVAL;
	root_bits = ipa_bits - root_shift;
	if (root_bits > ARM64_LEVEL_BITS + ARM64_MAX_CONCAT_BITS ||
	    (arm_start_level == 0 && root_bits > ARM64_LEVEL_BITS))
		return -EINVAL;
	arm64_fmt_fill(fmt, ipa_bits, levels);
	fmt->name = "arm64 stage-2";
	fmt->prot_mask = PT_PROT_RWX | PT_PROT_DEVICE | PT_PROT_A;
	fmt->ops = &arm64_s2_ops;
	return 0;
}

/* The same shape, for HCR_EL2.FWB = 1: guest RAM forced Write-Back whatever its stage 1 says. */
int pt_fmt_arm64_s2_fwb_init(struct pt_fmt *fmt, u32 ipa_bits, u32 arm_start_level)
{
	int ret = pt_fmt_arm64_s2_init(fmt, ipa_bits, arm_start_level);

	if (ret)
		return ret;
	fmt->name = "arm64 stage-2 FWB";
	fmt->ops = &arm64_s2_fwb_ops;
	return 0;
}
