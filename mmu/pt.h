/* SPDX-License-Identifier: MIT */
/*
 * The page-table walker shared by every architecture and both stages.
 *
 * A walk visits every entry overlapping [addr, addr + size) in tree order:
 * TABLE_PRE before descending, LEAF for pages, blocks and empty entries,
 * TABLE_POST after the subtree. After a LEAF or TABLE_PRE visit the entry is
 * re-read, so a visitor that installs a table makes the walk descend into
 * it (unless it sets ctx->no_descend: it filled the table itself), and one
 * that replaces a table by a leaf stops it descending.
 *
 * Shared walks (PT_WALK_SHARED) may run on many CPUs at once on one table:
 * entries change only by compare-and-swap, a valid entry is replaced only by
 * first freezing it (fmt->frozen), and table pages that are unlinked go to
 * the epoch reclaimer. See docs/mmu.md.
 */
#ifndef MMU_PT_H
#define MMU_PT_H

#include "atomic.h"
#include "pt_fmt.h"

struct pt;

/*
 * Three kinds of flags, each its own type (-Wenum-conversion keeps them
 * apart): how a walk runs, which entries a walker visits, how pt_map maps.
 */
enum pt_walk_flags {
	PT_WALK_SHARED		= BIT(0),	/* other walkers may run at once */
};

enum pt_visit {
	PT_VISIT_LEAF		= BIT(0),
	PT_VISIT_TABLE_PRE	= BIT(1),
	PT_VISIT_TABLE_POST	= BIT(2),
};

enum pt_map_flags {
	PT_MAP_PAGES_ONLY	= BIT(0),	/* granule leaves only, no blocks */
	PT_MAP_NO_REPLACE	= BIT(1),	/* -EEXIST where another mapping is */
};

#define PT_INVAL_LEAF	BIT(0)	/* a leaf was removed or downgraded */
#define PT_INVAL_TABLE	BIT(1)	/* a table was unlinked: walk caches too */

struct pt_mm_ops {
	/*
	 * A zeroed table page; NULL when none. A shared walk (PT_WALK_SHARED in
	 * @walk_flags) must only take from this CPU's pre-filled cache.
	 */
	void *(*alloc_table)(struct pt *pt, enum pt_walk_flags walk_flags);
	/* A page that was never made visible to another walker. */
	void (*free_table)(struct pt *pt, void *va);
	/* An unlinked page: freed once no walker can still be reading it. */
	void (*retire_table)(struct pt *pt, void *va);
	void *(*phys_to_virt)(struct pt *pt, u64 pa);
	u64 (*virt_to_phys)(struct pt *pt, void *va);
};

/*
 * A table's TLB maintenance. @inval gets the exact range and level of an
 * entry just frozen (or swapped for an equivalent table), before its new
 * value is written or its table page retired; @why is PT_INVAL_*.
 */
struct pt_tlb_ops {
	/* Returns only once no CPU can still use a translation of [ia, ia+size) as it was. */
	void (*inval)(struct pt *pt, u64 ia, u64 size, u32 level, u32 why);
	/* Optional: after new valid entries, for formats with PT_FMT_CACHES_INVALID (RISC-V). */
	void (*sync_new)(struct pt *pt, u64 ia, u64 size);
};

struct pt {
	const struct pt_fmt *fmt;
	const struct pt_mm_ops *mm;
	void *priv;			/* the mm ops' data (the pool) */
	const struct pt_tlb_ops *tlb;	/* NULL: no TLB maintenance */
	void *tlb_ctx;			/* the owner's object (the VM) for the TLB ops */
	u64 root_pa;
	u64 *root;
	/* Every table page at pa + table_va_off (a pool's one region); else mm->phys_to_virt. */
	bool table_va_linear;
	u64 table_va_off;
};

#define PT_WALK_STOP		1	/* a visitor's "done": the walk returns 0 */

struct pt_ctx {
	struct pt *pt;
	const struct pt_fmt *fmt;
	u64 *ptep;
	u64 old;		/* the entry as read before this visit */
	u64 addr;		/* walk position, masked to ia_bits; may be unaligned */
	u64 start, end;		/* the walk's range, masked */
	u32 level;
	enum pt_walk_flags walk_flags;
	void *arg;
	u32 nr_more;		/* LEAF visitor: it also handled this many next entries */
	bool no_descend;	/* LEAF visitor: the tables it installed are complete */
};

typedef int (*pt_visitor_fn)(struct pt_ctx *ctx, enum pt_visit visit);

struct pt_walker {
	pt_visitor_fn cb;
	void *arg;
	enum pt_visit visits;		/* the PT_VISIT_* that @cb is called for */
	enum pt_walk_flags walk_flags;
};

int pt_walk(struct pt *pt, u64 addr, u64 size, struct pt_walker *walker);
/* The same over [start, end) already masked to ia_bits, unchecked. */
int pt_walk_masked(struct pt *pt, u64 start, u64 end, struct pt_walker *walker);

/* Building blocks for visitors: the small ones here, inline; the rest in pt_walk.c. */
static inline enum pt_kind pt_ctx_kind(const struct pt_ctx *ctx, u64 pte)
{
	if (!pte)
		return PT_KIND_EMPTY;
	if (pte == ctx->fmt->frozen)
		return PT_KIND_FROZEN;
	return ctx->fmt->ops->kind(pte, ctx->level);
}

static inline u64 pt_ctx_entry_size(const struct pt_ctx *ctx)
{
	return pt_level_size(ctx->fmt, ctx->level);
}

static inline u64 pt_ctx_entry_base(const struct pt_ctx *ctx)
{
	return ALIGN_DOWN(ctx->addr, pt_ctx_entry_size(ctx));
}

static inline bool pt_ctx_shared(const struct pt_ctx *ctx)
{
	return ctx->walk_flags & PT_WALK_SHARED;
}

static inline void *pt_table_va(const struct pt_ctx *ctx, u64 table_pte)
{
	u64 pa = ctx->fmt->ops->oa(table_pte, ctx->level);

	return ctx->pt->mm->phys_to_virt(ctx->pt, pa);
}

/*
 * Install @new over ctx->old. A shared walk can lose the race: ctx->old then
 * holds what is there now. An exclusive walk has no one to race with.
 */
static inline bool pt_try_set(struct pt_ctx *ctx, u64 new)
{
	if (!pt_ctx_shared(ctx)) {
		pte_write(ctx->ptep, new);
		ctx->old = new;
		return true;
	}
	if (!pte_try_cmpxchg(ctx->ptep, &ctx->old, new))
		return false;
	ctx->old = new;
	return true;
}

bool pt_try_freeze(struct pt_ctx *ctx);
int pt_try_break(struct pt_ctx *ctx, u32 why);
void pt_make(struct pt_ctx *ctx, u64 new);
void pt_inval_entry(struct pt_ctx *ctx, u32 why);
int pt_install_table(struct pt_ctx *ctx);
int pt_split_leaf(struct pt_ctx *ctx);
u64 pt_canonical(const struct pt_fmt *fmt, u64 masked_ia);

/* Formats whose TLBs may hold invalid entries need a fence for new ones. */
static inline void pt_sync_new(struct pt_ctx *ctx, u64 size)
{
	struct pt *pt = ctx->pt;

	if ((ctx->fmt->flags & PT_FMT_CACHES_INVALID) && pt->tlb && pt->tlb->sync_new)
		pt->tlb->sync_new(pt, pt_canonical(ctx->fmt, pt_ctx_entry_base(ctx)), size);
}

/* Does the leaf the walk stands on (ctx->old) already map @oa with @prot? */
static inline bool pt_leaf_maps(const struct pt_ctx *ctx, u64 oa, u32 prot)
{
	const struct pt_fmt_ops *ops = ctx->fmt->ops;
	u64 base = pt_ctx_entry_base(ctx);
	u64 leaf_oa = ops->oa(ctx->old, ctx->level) + (ctx->addr - base);

	return leaf_oa == oa &&
	       (ops->prot(ctx->old, ctx->level) & PT_PROT_PERM) == (prot & PT_PROT_PERM);
}

/* Table life cycle: @root is zeroed, pt_root_bytes() long and as aligned. */
void pt_init(struct pt *pt, const struct pt_fmt *fmt, const struct pt_mm_ops *mm,
	     void *priv, u64 *root);
/* Retires every table below the root; no other walker may be running. */
void pt_destroy(struct pt *pt);
/*
 * Before the table is in use, or while no walker runs on it. Until then
 * (early boot, tests that do not care) it does no TLB maintenance.
 */
void pt_set_tlb_ops(struct pt *pt, const struct pt_tlb_ops *ops, void *ctx);

/* Operations (pt_map.c, pt_page.c, pt_ops.c). */
int pt_check_prot(const struct pt_fmt *fmt, u32 prot);
/* @addr, @size as a range of the input address space masked to ia_bits (pt_walk.c). */
int pt_range_mask(const struct pt_fmt *fmt, u64 addr, u64 size, u64 *start, u64 *end);
int pt_map(struct pt *pt, u64 ia, u64 size, u64 oa, u32 prot, enum pt_map_flags map_flags,
	   enum pt_walk_flags walk_flags);
/*
 * pt_map() of one granule-sized page, shared, PT_MAP_NO_REPLACE, without
 * the generic walk: PT_MAP_PAGE_SLOW when a block or anything unusual is in
 * the way (the caller then uses pt_map()), else what pt_map() returns.
 */
#define PT_MAP_PAGE_SLOW	1
int pt_map_page_shared(struct pt *pt, u64 ia, u64 oa, u32 prot);
/*
 * A granule leaf of one set of permissions, made once: the leaf for
 * output address oa is base + (oa >> page_shift) * step (the output
 * address field is linear in every format, as test_formats checks).
 * pt_page_leaf_init(): -EINVAL for permissions the format cannot map.
 */
struct pt_page_leaf {
	u64 base, step;		/* step 0: not made */
	u32 prot;		/* with PT_PROT_A */
};
int pt_page_leaf_init(const struct pt_fmt *fmt, u32 prot, struct pt_page_leaf *leaf);
/* pt_map_page_shared() with the leaf made already. */
int pt_map_page_leaf_shared(struct pt *pt, u64 ia, u64 oa, const struct pt_page_leaf *leaf);
int pt_unmap(struct pt *pt, u64 ia, u64 size, enum pt_walk_flags walk_flags);
int pt_protect(struct pt *pt, u64 ia, u64 size, u32 prot, enum pt_walk_flags walk_flags);
int pt_split(struct pt *pt, u64 ia, u64 size, u32 to_level, enum pt_walk_flags walk_flags);
int pt_collapse(struct pt *pt, u64 ia, u32 level, enum pt_walk_flags walk_flags);

struct pt_lookup {
	u64 oa;			/* output address of ia */
	u32 prot;
	u32 level;		/* level of the leaf */
	u64 pte;
};
int pt_lookup(struct pt *pt, u64 ia, struct pt_lookup *out);

#endif
