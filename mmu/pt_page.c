// SPDX-License-Identifier: MIT
/*
 * One 4 KiB leaf mapped in a shared walk (the demand fault): straight down
 * the levels with the shared walk's rules, the generic walk (pt_map.c) for
 * anything unusual.
 */
#include "atomic.h"
#include "pt.h"

/* A table entry above level 0 and the table it points to; NULL if it is no table. */
static inline u64 *pt_page_next(struct pt *pt, u64 pte, u32 level)
{
	const struct pt_fmt *fmt = pt->fmt;
	u64 pa;

	if (fmt->table_mask) {
		if (!pt_fmt_is_table(fmt, pte))
			return NULL;
		pa = pt_fmt_table_pa(fmt, pte);
	} else {
		if (!pte || pte == fmt->frozen || fmt->ops->kind(pte, level) != PT_KIND_TABLE)
			return NULL;
		pa = fmt->ops->oa(pte, level);
	}
	if (pt->table_va_linear)
		return (u64 *)(uintptr_t)(pa + pt->table_va_off);
	return pt->mm->phys_to_virt(pt, pa);
}

/* A walk context for one entry of the fast path, for the shared helpers. */
static void pt_page_ctx(struct pt_ctx *ctx, struct pt *pt, u64 ia, u64 *ptep, u64 old,
			u32 level)
{
	*ctx = (struct pt_ctx){
		.pt = pt, .fmt = pt->fmt, .ptep = ptep, .old = old, .addr = ia, .start = ia,
		.end = ia + (1ull << pt->fmt->page_shift), .level = level,
		.walk_flags = PT_WALK_SHARED,
	};
}

/*
 * The table at @ptep (read as @pte): the one there, else one installed
 * (or the winner's); else NULL and *@ret says why not:
 * -EAGAIN (frozen, lost to a leaf, no page in the cache) or
 * PT_MAP_PAGE_SLOW (a block or anything the generic walk must judge).
 */
static u64 *pt_page_install(struct pt *pt, u64 ia, u64 *ptep, u64 pte, u32 level, int *ret)
{
	struct pt_ctx ctx;
	enum pt_kind kind;

	pt_page_ctx(&ctx, pt, ia, ptep, pte, level);
	kind = pt_ctx_kind(&ctx, ctx.old);
	if (kind == PT_KIND_EMPTY) {
		if (pt_install_table(&ctx)) {
			*ret = -EAGAIN;
			return NULL;
		}
		kind = pt_ctx_kind(&ctx, ctx.old);
	}
	if (kind != PT_KIND_TABLE) {
		*ret = kind == PT_KIND_FROZEN ? -EAGAIN : PT_MAP_PAGE_SLOW;
		return NULL;
	}
	/* A table by the ops, followed by them (its format's mask may not know it). */
	return pt_table_va(&ctx, ctx.old);
}

/*
 * The rest of the way down from the first entry the walk found no table
 * at (@ptep, read as @pte, at @level): tables installed where missing,
 * each entry read once. The level-0 entry, or NULL and *@ret.
 */
static u64 * __attribute__((noinline))
pt_page_walk_slow(struct pt *pt, u64 ia, u64 *ptep, u64 pte, u32 level, int *ret)
{
	const struct pt_fmt *fmt = pt->fmt;

	for (;;) {
		u64 *table = pt_page_install(pt, ia, ptep, pte, level, ret);

		if (!table)
			return NULL;
		level--;
		ptep = &table[(ia >> pt_level_shift(fmt, level)) & (pt_level_entries(fmt, level) - 1)];
		if (!level)
			return ptep;
		pte = pte_read(ptep);
	}
}

struct pt_page_miss {
	u64 *ptep;
	u64 pte;
	u32 level;
};

/*
 * Down the tables to @ia's level-0 entry, each entry read once: its
 * address, or NULL and in @miss the first entry that is no table. @fast:
 * the format has table_mask and the pool maps its tables linearly, so no
 * call is made (the fields are read once, before the acquire loads).
 */
static inline __attribute__((always_inline)) u64 *
pt_page_walk_down(struct pt *pt, u64 ia, struct pt_page_miss *miss, bool fast)
{
	const struct pt_fmt *fmt = pt->fmt;
	u64 table_mask = fmt->table_mask, table_bits = fmt->table_bits;
	u64 pa_mask = fmt->table_pa_mask, va_off = pt->table_va_off;
	u32 pa_shift = fmt->table_pa_shift, page_shift = fmt->page_shift;
	u32 shift = pt_level_shift(fmt, pt_root_level(fmt)), level_bits = fmt->level_bits;
	u64 idx_mask = pt_level_entries(fmt, pt_root_level(fmt)) - 1, *table = pt->root;

	/* The level counted by its shift: one register and one step less per level. */
	for (;; shift -= level_bits) {
		u64 *ptep = &table[(ia >> shift) & idx_mask];
		u32 level;
		u64 pte;

		if (shift == page_shift)
			return ptep;
		pte = pte_read(ptep);
		/* Fast: the table test itself, not a NULL made of it and tested again. */
		if (fast && (pte & table_mask) == table_bits) {
			table = (u64 *)(uintptr_t)(((pte & pa_mask) >> pa_shift << page_shift) +
						   va_off);
		} else {
			level = (shift - page_shift) / level_bits;
			if (fast || !(table = pt_page_next(pt, pte, level))) {
				*miss = (struct pt_page_miss){
					.ptep = ptep, .pte = pte, .level = level,
				};
				return NULL;
			}
		}
		idx_mask = (1ull << level_bits) - 1;
	}
}

/* The leaf entry was not empty, or its compare-and-swap lost: what pt_map_leaf() says. */
static int __attribute__((noinline))
pt_page_leaf_taken(struct pt *pt, u64 ia, u64 *ptep, u64 old, u64 oa, u32 prot)
{
	struct pt_ctx ctx;

	pt_page_ctx(&ctx, pt, ia, ptep, old, 0);
	if (pt_ctx_kind(&ctx, old) == PT_KIND_LEAF)
		return pt_leaf_maps(&ctx, oa, prot) ? 0 : -EEXIST;
	return -EAGAIN;
}

/* A new leaf in place: the fence formats that cache invalid entries need. 0. */
static int __attribute__((noinline))
pt_page_leaf_sync(struct pt *pt, u64 ia, u64 *ptep, u64 pte)
{
	struct pt_ctx ctx;

	pt_page_ctx(&ctx, pt, ia, ptep, pte, 0);
	pt_sync_new(&ctx, pt_ctx_entry_size(&ctx));
	return 0;
}

int pt_page_leaf_init(const struct pt_fmt *fmt, u32 prot, struct pt_page_leaf *leaf)
{
	u64 granule = 1ull << fmt->page_shift;
	int ret = pt_check_prot(fmt, prot);

	if (ret)
		return ret;
	prot |= PT_PROT_A;
	leaf->prot = prot;
	leaf->base = fmt->ops->mk_leaf(0, 0, prot);
	/* Linear in the output address, as pt_map_run() relies on (test_formats checks it). */
	leaf->step = fmt->ops->mk_leaf(granule, 0, prot) - leaf->base;
	return 0;
}

/*
 * The leaf @new into the level-0 entry @ptep by one compare-and-swap from
 * empty. Every call here is a tail call, so the fast path keeps nothing
 * in callee-saved registers.
 */
static inline __attribute__((always_inline)) int
pt_page_set_leaf(struct pt *pt, u64 ia, u64 *ptep, u64 oa, u64 new, u32 prot)
{
	u64 old = 0;

	if (!pte_try_cmpxchg(ptep, &old, new))
		return pt_page_leaf_taken(pt, ia, ptep, old, oa, prot);
	if (pt->fmt->flags & PT_FMT_CACHES_INVALID)
		return pt_page_leaf_sync(pt, ia, ptep, new);
	return 0;
}

/* From the first entry the walk found no table at (@ptep, @pte, @level) on. */
static int __attribute__((noinline))
pt_page_map_slow(struct pt *pt, u64 ia, u64 *ptep, u64 pte, u32 level, u64 oa, u64 new,
		 u32 prot)
{
	int ret = 0;

	ptep = pt_page_walk_slow(pt, ia, ptep, pte, level, &ret);
	if (!ptep)
		return ret;
	return pt_page_set_leaf(pt, ia, ptep, oa, new, prot);
}

/* The walk through the format's ops (no table_mask, or tables not mapped linearly). */
static int __attribute__((noinline))
pt_page_map_ops(struct pt *pt, u64 ia, u64 oa, u64 new, u32 prot)
{
	struct pt_page_miss miss = { 0 };
	u64 *ptep = pt_page_walk_down(pt, ia, &miss, false);

	if (!ptep)
		return pt_page_map_slow(pt, ia, miss.ptep, miss.pte, miss.level, oa, new, prot);
	return pt_page_set_leaf(pt, ia, ptep, oa, new, prot);
}

/*
 * The same rules as a shared pt_map() walk (docs/mmu.md): each entry read
 * once, tables installed by compare-and-swap (a lost race takes the
 * winner's table), a frozen entry sends the caller back with -EAGAIN.
 * Table entries are recognised by the format's table_mask/table_bits, each
 * level's index shift is one subtraction from the last, and where a table
 * is missing the rest of the way goes out of line. @new: the leaf for
 * @oa with @prot (PT_PROT_A included), checked by the caller.
 */
static inline __attribute__((always_inline)) int
pt_map_page(struct pt *pt, u64 ia, u64 oa, u64 new, u32 prot)
{
	const struct pt_fmt *fmt = pt->fmt;
	struct pt_page_miss miss = { 0 };
	u64 *ptep;

	/* Sign-extended or out of range: the generic walk masks and checks it. */
	if ((fmt->flags & PT_FMT_SIGN_EXTEND) || (ia >> fmt->ia_bits))
		return PT_MAP_PAGE_SLOW;
	if (!fmt->table_mask || !pt->table_va_linear)
		return pt_page_map_ops(pt, ia, oa, new, prot);
	ptep = pt_page_walk_down(pt, ia, &miss, true);
	if (!ptep)
		return pt_page_map_slow(pt, ia, miss.ptep, miss.pte, miss.level, oa, new, prot);
	return pt_page_set_leaf(pt, ia, ptep, oa, new, prot);
}

/* Aligned, so the page's last byte is in range if its first is. */
static bool pt_page_oa_ok(const struct pt_fmt *fmt, u64 ia, u64 oa)
{
	return IS_ALIGNED(ia | oa, 1ull << fmt->page_shift) && !(oa >> fmt->oa_bits);
}

int pt_map_page_leaf_shared(struct pt *pt, u64 ia, u64 oa, const struct pt_page_leaf *leaf)
{
	if (!pt_page_oa_ok(pt->fmt, ia, oa))
		return PT_MAP_PAGE_SLOW;
	return pt_map_page(pt, ia, oa, leaf->base + (oa >> pt->fmt->page_shift) * leaf->step,
			   leaf->prot);
}

int pt_map_page_shared(struct pt *pt, u64 ia, u64 oa, u32 prot)
{
	const struct pt_fmt *fmt = pt->fmt;

	if (pt_check_prot(fmt, prot) || !pt_page_oa_ok(fmt, ia, oa))
		return PT_MAP_PAGE_SLOW;
	prot |= PT_PROT_A;
	return pt_map_page(pt, ia, oa, fmt->ops->mk_leaf(oa, 0, prot), prot);
}
