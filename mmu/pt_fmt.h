/* SPDX-License-Identifier: MIT */
/*
 * A translation-table format: what the walker needs to know about one
 * (architecture, stage) pair. The shape is data; the PTE bits are a small
 * ops table implemented in arch/<arch>/, which declares its formats in its
 * own header (arch/<arch>/pt_fmt_<arch>.h). Levels count up from the leaf
 * table: level 0 maps granules (4 KiB), level 1 maps 2 MiB, ... and the
 * root is level (levels - 1), whatever the architecture calls them.
 */
#ifndef MMU_PT_FMT_H
#define MMU_PT_FMT_H

#include "types.h"

/* Permissions, memory type and hardware-managed state of a leaf. */
#define PT_PROT_R	BIT(0)
#define PT_PROT_W	BIT(1)
#define PT_PROT_X	BIT(2)
#define PT_PROT_U	BIT(3)	/* stage 1: user accessible */
#define PT_PROT_DEVICE	BIT(4)	/* device memory; otherwise normal write-back */
#define PT_PROT_A	BIT(5)	/* accessed (AF) */
#define PT_PROT_D	BIT(6)	/* dirty */
#define PT_PROT_RW	(PT_PROT_R | PT_PROT_W)
#define PT_PROT_RWX	(PT_PROT_R | PT_PROT_W | PT_PROT_X)
#define PT_PROT_PERM	(PT_PROT_RWX | PT_PROT_U | PT_PROT_DEVICE)
#define PT_PROT_AD	(PT_PROT_A | PT_PROT_D)

enum pt_kind {
	PT_KIND_EMPTY,		/* invalid: the hardware faults here */
	PT_KIND_TABLE,		/* points to a next-level table */
	PT_KIND_LEAF,		/* page or block mapping */
	PT_KIND_FROZEN,		/* invalid marker owned by an updater */
};

struct pt_fmt_ops {
	/* @pte is neither 0 nor the frozen marker. */
	enum pt_kind (*kind)(u64 pte, u32 level);
	/* Output address of a leaf, or the next table's address. */
	u64 (*oa)(u64 pte, u32 level);
	u32 (*prot)(u64 pte, u32 level);
	/* Leaves are created accessed (A/AF set): no access-flag faults. */
	u64 (*mk_leaf)(u64 oa, u32 level, u32 prot);
	u64 (*mk_table)(u64 pa, u32 level);
};

/* Replacing a leaf by a table (or back) must go through an invalid entry. */
#define PT_FMT_SPLIT_BBM	BIT(0)
/* Input addresses are sign-extended from bit (ia_bits - 1) (stage-1 VAs). */
#define PT_FMT_SIGN_EXTEND	BIT(1)
/* Every valid leaf is readable: mapping without PT_PROT_R is refused. */
#define PT_FMT_R_IMPLICIT	BIT(2)
/* The hardware may cache invalid entries: a new mapping needs a fence. */
#define PT_FMT_CACHES_INVALID	BIT(3)

/* The deepest tables known: 57-bit input addresses with 4 KiB granules. */
#define PT_MAX_LEVELS	5

struct pt_fmt {
	const char *name;
	u8 levels;		/* at most PT_MAX_LEVELS; the root is level (levels - 1) */
	u8 page_shift;		/* granule: 12 */
	u8 level_bits;		/* index bits per non-root level: 9 */
	u8 ia_bits;		/* input address bits; the root gets what is left */
	u8 oa_bits;		/* output address bits a leaf can hold */
	u8 leaf_levels;		/* bit L: level L may hold a leaf */
	u8 flags;		/* PT_FMT_* */
	u8 table_pa_shift;	/* bit of a table entry where the next table's page number starts */
	u32 prot_mask;		/* PT_PROT_* bits this format can express */
	u64 frozen;		/* invalid, and never produced by mk_leaf/mk_table */
	/*
	 * Optional, for the 4 KiB fast path (pt_map_page_shared()): above level
	 * 0, (pte & table_mask) == table_bits says ops->kind() is
	 * PT_KIND_TABLE, whose next table is at the page number in
	 * table_pa_mask (from table_pa_shift). Any entry mk_table() makes
	 * must match; the frozen marker must not. 0: ask the ops.
	 */
	u64 table_mask, table_bits, table_pa_mask;
	const struct pt_fmt_ops *ops;
};

/*
 * @prot made dirty up front where it is writable and @fmt has a D bit: a
 * hart without hardware A/D updates (RISC-V Svade) faults a store through
 * a clear D, and nothing here would set it.
 */
static inline u32 pt_prot_dirty(const struct pt_fmt *fmt, u32 prot)
{
	return prot & PT_PROT_W ? prot | (fmt->prot_mask & PT_PROT_D) : prot;
}

static inline u32 pt_level_shift(const struct pt_fmt *fmt, u32 level)
{
	return fmt->page_shift + level * fmt->level_bits;
}

static inline u64 pt_level_size(const struct pt_fmt *fmt, u32 level)
{
	return 1ull << pt_level_shift(fmt, level);
}

static inline u32 pt_root_level(const struct pt_fmt *fmt)
{
	return fmt->levels - 1u;
}

/* Index bits at @level: the root takes the rest of ia_bits (concatenated or partial). */
static inline u32 pt_level_index_bits(const struct pt_fmt *fmt, u32 level)
{
	if (level == pt_root_level(fmt))
		return fmt->ia_bits - pt_level_shift(fmt, level);
	return fmt->level_bits;
}

static inline u64 pt_level_entries(const struct pt_fmt *fmt, u32 level)
{
	return 1ull << pt_level_index_bits(fmt, level);
}

static inline u64 pt_root_bytes(const struct pt_fmt *fmt)
{
	u64 bytes = pt_level_entries(fmt, pt_root_level(fmt)) * sizeof(u64);

	return MAX(bytes, 1ull << fmt->page_shift);
}

static inline bool pt_level_has_leaves(const struct pt_fmt *fmt, u32 level)
{
	return fmt->leaf_levels & (1u << level);
}

/* Above level 0, is @pte a table by the format's table_mask/table_bits? */
static inline bool pt_fmt_is_table(const struct pt_fmt *fmt, u64 pte)
{
	return (pte & fmt->table_mask) == fmt->table_bits;
}

/* The next table's physical address of a table entry (pt_fmt_is_table()). */
static inline u64 pt_fmt_table_pa(const struct pt_fmt *fmt, u64 pte)
{
	return ((pte & fmt->table_pa_mask) >> fmt->table_pa_shift) << fmt->page_shift;
}

static inline u64 pt_ia_mask(const struct pt_fmt *fmt)
{
	return GENMASK(fmt->ia_bits - 1, 0);
}

#endif
