// SPDX-License-Identifier: MIT
/*
 * Reference model of VMSAv8-64 translation with the 4 KiB granule, 48-bit
 * output addresses (no FEAT_LPA/LPA2), for the EL2 single-range stage 1
 * regime (TTBR0_EL2, HCR_EL2.E2H = 0) and for stage 2 (VTTBR_EL2/VTCR_EL2).
 *
 * Sources: Arm ARM (DDI 0487), chapter "The AArch64 Virtual Memory System
 * Architecture" (D8 in issues J/K, D5 or D4 in earlier ones): "Translation
 * table descriptor formats" (D8.3), "Memory access control" (hierarchical
 * APTable/XNTable; in the EL2 regime APTable[0], PXNTable and PXN are RES0
 * and treated as 0), "Memory region attributes", the MAIR_EL2 register
 * description, and the pseudocode functions AArch64.S1StartLevel,
 * AArch64.S2StartLevel and AArch64.S2InconsistentSL.
 *
 * Assumed controls: TCR_EL2.HPD = 0 (hierarchical permissions on),
 * VTCR_EL2.TG0 = 4 KiB, HCR_EL2.FWB = 0, no FEAT_TTST / FEAT_LPA2.
 */
#include "ref_internal.h"

/* --- Descriptor type, D8.3: bits[1:0] --- */
#define ARM_DESC_VALID		REF_BIT(0)	/* 0: invalid (translation fault) */
#define ARM_DESC_TABLE		REF_BIT(1)	/* 1: table (L0-2) / page (L3); 0: block */
/* Next-level table / output address bits 47:12 (48-bit OA, 4 KiB granule). */
#define ARM_DESC_OA		REF_GENMASK(47, 12)

/* --- Stage 1 table descriptor, EL2 regime: D8.3, "Memory access control" --- */
#define ARM_TBL_XNTABLE		REF_BIT(60)	/* no execute at later levels */
#define ARM_TBL_APTABLE_RO	REF_BIT(62)	/* APTable[1]: no write at later levels */

/* --- Stage 1 block/page attributes, D8.3 --- */
#define ARM_S1_ATTRINDX		REF_GENMASK(4, 2)	/* MAIR_EL2 index */
#define ARM_S1_ATTRINDX_SHIFT	2
#define ARM_S1_AP2_RO		REF_BIT(7)	/* AP[2]: read-only */
#define ARM_DESC_AF		REF_BIT(10)	/* access flag (both stages) */
#define ARM_S1_XN		REF_BIT(54)	/* execute-never, EL2 regime */

/* --- Stage 2 block/page attributes, D8.3 --- */
#define ARM_S2_MEMATTR		REF_GENMASK(5, 2)	/* MemAttr[3:0], FWB = 0 */
#define ARM_S2_MEMATTR_SHIFT	2
#define ARM_S2_S2AP_R		REF_BIT(6)	/* S2AP[0]: read allowed */
#define ARM_S2_S2AP_W		REF_BIT(7)	/* S2AP[1]: write allowed */
#define ARM_S2_XN		REF_GENMASK(54, 53)	/* XN[1:0], FEAT_XNX */

/* --- Memory region attributes: MAIR_EL2.Attr<n>, stage 2 MemAttr --- */
#define ARM_MAIR_ATTR_BITS	8
#define ARM_MAIR_ATTR_MASK	0xffu
#define ARM_MAIR_DEVICE_MASK	0xf3u	/* Device: 0b0000dd00 */
#define ARM_MAIR_DEVICE		0x00u
#define ARM_MAIR_WB_NT		0xcu	/* nibble 0b11RW: write-back non-transient */
#define ARM_MAIR_WB_T		0x4u	/* nibble 0b01RW, RW != 00: WB transient */
#define ARM_MAIR_CLASS_MASK	0xcu
#define ARM_MAIR_RW_MASK	0x3u
#define ARM_S2_MEMATTR_WB	0xfu	/* Normal, outer WB, inner WB */
#define ARM_S2_MEMATTR_DEV_MASK	0xcu	/* 0b00xx: Device */

/* --- Geometry, 4 KiB granule (translation process, pseudocode) --- */
#define ARM_PAGE_SHIFT		12
#define ARM_IDX_BITS		9	/* stride: 512 entries per table */
#define ARM_IDX_MASK		0x1ffull
#define ARM_FINAL_LEVEL		3
#define ARM_IA_BITS_MIN		25	/* T0SZ max 39 (no FEAT_TTST) */
#define ARM_IA_BITS_MAX		48	/* T0SZ min 16 (no FEAT_LVA/LPA2) */
#define ARM_S2_CONCAT_BITS	4	/* up to 16 concatenated tables */

struct arm_walk {
	int start;		/* initial lookup level */
	bool stage2;
	bool tbl_ro;		/* APTable[1] seen (stage 1) */
	bool tbl_xn;		/* XNTable seen (stage 1) */
};

static unsigned int arm_shift(int lvl)
{
	return ARM_PAGE_SHIFT + ARM_IDX_BITS * (unsigned int)(ARM_FINAL_LEVEL - lvl);
}

/*
 * At the initial level the index takes every remaining input-address bit
 * (the range check guarantees ia < 2^ia_bits); for stage 2 this covers
 * concatenated tables, which are contiguous in memory.
 */
static uint64_t arm_entry_pa(const struct arm_walk *aw, uint64_t table,
			     uint64_t ia, int lvl)
{
	uint64_t idx = ia >> arm_shift(lvl);

	if (lvl != aw->start)
		idx &= ARM_IDX_MASK;
	return table + idx * 8;
}

static bool arm_nibble_wb(unsigned int n)
{
	if ((n & ARM_MAIR_CLASS_MASK) == ARM_MAIR_WB_NT)
		return true;
	return (n & ARM_MAIR_CLASS_MASK) == ARM_MAIR_WB_T && (n & ARM_MAIR_RW_MASK);
}

static enum ref_memtype arm_mair_memtype(uint64_t mair, uint64_t desc)
{
	unsigned int idx = (unsigned int)((desc & ARM_S1_ATTRINDX) >> ARM_S1_ATTRINDX_SHIFT);
	unsigned int attr = (unsigned int)(mair >> (idx * ARM_MAIR_ATTR_BITS)) &
			    ARM_MAIR_ATTR_MASK;

	if ((attr & ARM_MAIR_DEVICE_MASK) == ARM_MAIR_DEVICE)
		return REF_MT_DEVICE;
	if (arm_nibble_wb(attr >> 4) && arm_nibble_wb(attr & 0xfu))
		return REF_MT_NORMAL_WB;
	return REF_MT_OTHER;
}

/*
 * HCR_EL2.FWB = 1 (D8.6.6, "Stage 2 memory type and Cacheability
 * attributes when FEAT_S2FWB is enabled"): MemAttr[2] = 0 is Device
 * (MemAttr[1:0] its kind); MemAttr[2] = 1 with MemAttr[1:0] = 0b10
 * forces Normal Write-Back; 0b01 Non-cacheable, 0b11 stage 1's type.
 */
static enum ref_memtype arm_s2_fwb_memtype(unsigned int ma)
{
	if (!(ma & 0x4u))
		return REF_MT_DEVICE;
	if ((ma & 0x3u) == 0x2u)
		return REF_MT_NORMAL_WB;
	return REF_MT_OTHER;
}

static enum ref_memtype arm_s2_memtype(uint64_t desc, bool fwb)
{
	unsigned int ma = (unsigned int)((desc & ARM_S2_MEMATTR) >> ARM_S2_MEMATTR_SHIFT);

	if (fwb)
		return arm_s2_fwb_memtype(ma);
	if (ma == ARM_S2_MEMATTR_WB)
		return REF_MT_NORMAL_WB;
	if (!(ma & ARM_S2_MEMATTR_DEV_MASK))
		return REF_MT_DEVICE;
	return REF_MT_OTHER;
}

static void arm_s1_leaf_attrs(struct ref_walk *w, const struct arm_walk *aw,
			      uint64_t desc)
{
	struct ref_result *o = w->out;

	o->r = true;
	o->w = !(desc & ARM_S1_AP2_RO) && !aw->tbl_ro;
	o->x = !(desc & ARM_S1_XN) && !aw->tbl_xn;
	o->u = false;
	o->memtype = arm_mair_memtype(w->cfg->mair, desc);
}

static void arm_s2_leaf_attrs(struct ref_walk *w, uint64_t desc)
{
	struct ref_result *o = w->out;

	o->r = desc & ARM_S2_S2AP_R;
	o->w = desc & ARM_S2_S2AP_W;
	o->x = !(desc & ARM_S2_XN);
	o->u = false;
	o->memtype = arm_s2_memtype(desc, w->cfg->s2fwb);
}

static enum ref_fault arm_leaf(struct ref_walk *w, const struct arm_walk *aw,
			       uint64_t desc, int lvl)
{
	ref_set_oa(w, desc & ARM_DESC_OA, arm_shift(lvl), lvl - aw->start);
	w->out->a = desc & ARM_DESC_AF;
	w->out->d = false;
	if (aw->stage2)
		arm_s2_leaf_attrs(w, desc);
	else
		arm_s1_leaf_attrs(w, aw, desc);
	return REF_OK;
}

static void arm_table_attrs(struct arm_walk *aw, uint64_t desc)
{
	if (aw->stage2)
		return;		/* no hierarchical attributes at stage 2 */
	aw->tbl_ro = aw->tbl_ro || (desc & ARM_TBL_APTABLE_RO);
	aw->tbl_xn = aw->tbl_xn || (desc & ARM_TBL_XNTABLE);
}

static enum ref_fault arm_walk(struct ref_walk *w, struct arm_walk *aw)
{
	uint64_t table = w->cfg->root_pa;
	int lvl;

	for (lvl = aw->start; lvl <= ARM_FINAL_LEVEL; lvl++) {
		int depth = lvl - aw->start;
		uint64_t desc = ref_read(w, arm_entry_pa(aw, table, w->ia, lvl));

		if (!(desc & ARM_DESC_VALID))
			return ref_fail(w, REF_FAULT_NOT_PRESENT, depth);
		if (lvl == ARM_FINAL_LEVEL) {
			if (!(desc & ARM_DESC_TABLE))	/* 0b01 at level 3 */
				return ref_fail(w, REF_FAULT_NOT_PRESENT, depth);
			return arm_leaf(w, aw, desc, lvl);
		}
		if (!(desc & ARM_DESC_TABLE)) {		/* block */
			if (lvl == 0)			/* no level 0 blocks */
				return ref_fail(w, REF_FAULT_NOT_PRESENT, depth);
			return arm_leaf(w, aw, desc, lvl);
		}
		arm_table_attrs(aw, desc);
		table = desc & ARM_DESC_OA;
	}
	return ref_fail(w, REF_FAULT_NOT_PRESENT, 0);	/* not reached */
}

/* AArch64.S1StartLevel: FINAL_LEVEL - ((ia_bits - 1 - granule_bits) / stride). */
static int arm_s1_start_level(unsigned int ia_bits)
{
	return ARM_FINAL_LEVEL -
	       (int)((ia_bits - 1 - ARM_PAGE_SHIFT) / ARM_IDX_BITS);
}

enum ref_fault ref_arm64_s1_walk(struct ref_walk *w)
{
	unsigned int ia_bits = w->cfg->ia_bits;
	struct arm_walk aw = { .stage2 = false };

	if (ia_bits < ARM_IA_BITS_MIN || ia_bits > ARM_IA_BITS_MAX)
		return ref_fail(w, REF_FAULT_RESERVED, 0);
	if (w->ia >> ia_bits)
		return ref_fail(w, REF_FAULT_ADDRESS, 0);
	aw.start = arm_s1_start_level(ia_bits);
	return arm_walk(w, &aw);
}

/*
 * AArch64.S2InconsistentSL: the initial level must resolve at least one bit
 * and at most one full stride plus 4 bits of concatenation.
 */
static bool arm_s2_sl_valid(unsigned int ia_bits, int start)
{
	unsigned int below, min, max;

	if (start < 0 || start > 2)
		return false;
	if (ia_bits < ARM_IA_BITS_MIN || ia_bits > ARM_IA_BITS_MAX)
		return false;
	below = arm_shift(start);	/* bits resolved below the initial level */
	min = below + 1;
	max = below + ARM_IDX_BITS + ARM_S2_CONCAT_BITS;
	return ia_bits >= min && ia_bits <= max;
}

enum ref_fault ref_arm64_s2_walk(struct ref_walk *w)
{
	unsigned int ia_bits = w->cfg->ia_bits;
	struct arm_walk aw = { .stage2 = true, .start = w->cfg->start_level };

	if (!arm_s2_sl_valid(ia_bits, aw.start))
		return ref_fail(w, REF_FAULT_RESERVED, 0);
	if (w->ia >> ia_bits)
		return ref_fail(w, REF_FAULT_ADDRESS, 0);
	return arm_walk(w, &aw);
}
