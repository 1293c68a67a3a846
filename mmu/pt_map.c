// SPDX-License-Identifier: MIT
/* Map and look up, and the table installers every operation shares (one 4 KiB page: pt_page.c). */
#include "atomic.h"
#include "pt.h"

int pt_install_table(struct pt_ctx *ctx)
{
	struct pt *pt = ctx->pt;
	void *va = pt->mm->alloc_table(pt, ctx->walk_flags);

	if (!va)
		return -ENOMEM;
	if (pt_try_set(ctx, ctx->fmt->ops->mk_table(pt->mm->virt_to_phys(pt, va),
						    ctx->level)))
		return 0;
	/* Lost the race: use the winner's table, or start over. */
	pt->mm->free_table(pt, va);
	return pt_ctx_kind(ctx, ctx->old) == PT_KIND_TABLE ? 0 : -EAGAIN;
}

/*
 * The output address field is linear in every format: the leaf at oa + k *
 * size is the one at oa plus k times this step.
 */
static u64 pt_leaf_step(const struct pt_fmt *fmt, u64 pte, u64 oa, u32 level, u32 prot)
{
	return fmt->ops->mk_leaf(oa + pt_level_size(fmt, level), level, prot) - pte;
}

/*
 * A whole table of leaves at @level, the first @pte. Out of line: inlined
 * into pt_map_visitor() its one-store loop crossed a 32-byte boundary on
 * x86 and the host bench's 1 GiB map ran ~10% slower.
 */
static __attribute__((noinline)) void pt_fill_table(const struct pt_fmt *fmt, u64 *table,
						    u32 level, u64 pte, u64 step)
{
	u64 i, nr = pt_level_entries(fmt, level);

	for (i = 0; i < nr; i++, pte += step)
		pte_write_relaxed(&table[i], pte);
}

static void pt_fill_leaves(const struct pt_fmt *fmt, u64 *table, u32 level,
			   u64 oa, u32 prot)
{
	u64 pte = fmt->ops->mk_leaf(oa, level, prot);

	pt_fill_table(fmt, table, level, pte, pt_leaf_step(fmt, pte, oa, level, prot));
}

/*
 * Replace the leaf at ctx by a table of next-level leaves with the same
 * output, permissions and memory type, so nothing the TLB may hold changes
 * meaning. Formats that forbid two live translations of one address (ARM)
 * break the entry first; the others swap it in one compare-and-swap.
 */
int pt_split_leaf(struct pt_ctx *ctx)
{
	const struct pt_fmt *fmt = ctx->fmt;
	struct pt *pt = ctx->pt;
	u32 level = ctx->level;
	u64 *table, new;

	PT_BUG_ON(level == 0 || !pt_level_has_leaves(fmt, level - 1));
	table = pt->mm->alloc_table(pt, ctx->walk_flags);
	if (!table)
		return -ENOMEM;
	pt_fill_leaves(fmt, table, level - 1, fmt->ops->oa(ctx->old, level),
		       fmt->ops->prot(ctx->old, level));
	new = fmt->ops->mk_table(pt->mm->virt_to_phys(pt, table), level);

	if (fmt->flags & PT_FMT_SPLIT_BBM) {
		if (pt_try_break(ctx, PT_INVAL_LEAF))
			goto lost;
		pt_make(ctx, new);
		pt_sync_new(ctx, pt_ctx_entry_size(ctx));
		return 0;
	}
	if (!pt_try_set(ctx, new))
		goto lost;
	pt_inval_entry(ctx, PT_INVAL_LEAF);
	return 0;
lost:
	pt->mm->free_table(pt, table);
	return -EAGAIN;
}

struct pt_map_data {
	u64 oa_start;
	u32 prot;
	u32 max_level;
	bool no_replace;
	u64 fresh_table;	/* pa of the table this exclusive walk just created */
};

/* Derived from the walk position, never tracked apart from it. */
static u64 pt_map_oa(const struct pt_ctx *ctx, const struct pt_map_data *d)
{
	return d->oa_start + (ctx->addr - ctx->start);
}

static bool pt_map_leaf_fits(const struct pt_ctx *ctx, const struct pt_map_data *d)
{
	u64 size = pt_ctx_entry_size(ctx);

	if (ctx->level > d->max_level || !pt_level_has_leaves(ctx->fmt, ctx->level))
		return false;
	return IS_ALIGNED(ctx->addr | pt_map_oa(ctx, d), size) &&
	       ctx->end - ctx->addr >= size;
}

static u64 pt_entries_left(const struct pt_ctx *ctx)
{
	u64 nr = pt_level_entries(ctx->fmt, ctx->level);
	u64 idx = (ctx->addr >> pt_level_shift(ctx->fmt, ctx->level)) & (nr - 1);
	u64 in_range = (ctx->end - ctx->addr) >> pt_level_shift(ctx->fmt, ctx->level);

	return MIN(nr - idx, in_range);
}

/* Is the entry in a table this exclusive walk created, so still empty? */
static bool pt_map_in_fresh(const struct pt_ctx *ctx, const struct pt_map_data *d)
{
	struct pt *pt = ctx->pt;
	u64 pa = pt->mm->virt_to_phys(pt, ctx->ptep);

	return d->fresh_table && ALIGN_DOWN(pa, 1ull << ctx->fmt->page_shift) == d->fresh_table;
}

/* Shared: each entry by compare-and-swap, stopping at the first one taken. */
static u64 pt_map_run_shared(u64 *ptep, u64 nr, u64 pte, u64 step)
{
	u64 i;

	for (i = 1; i < nr; i++) {
		u64 old = 0;

		if (!pte_try_cmpxchg(&ptep[i], &old, pte + i * step))
			break;
	}
	return i;
}

/*
 * Exclusive: nobody else walks this table, so plain accesses are race-free
 * and the compiler may vectorise the fill like a memset.
 */
static u64 pt_map_run_exclusive(u64 *ptep, u64 nr, u64 pte, u64 step, bool fresh)
{
	u64 i, n = fresh ? nr : 1;

	/* Whole blocks of eight empty entries first: an OR the compiler vectorises. */
	while (n + 8 <= nr) {
		u64 any = 0;

		for (i = 0; i < 8; i++)
			any |= ptep[n + i];
		if (any)
			break;
		n += 8;
	}
	while (n < nr && !ptep[n])
		n++;
	for (i = 1; i < n; i++)
		ptep[i] = pte + i * step;
	return n;
}

/*
 * Fill a run of empty entries of one table with consecutive leaves, the
 * first already installed. The output address field is linear in every
 * format, so leaf i is the first plus i times a constant step.
 */
static int pt_map_run(struct pt_ctx *ctx, const struct pt_map_data *d, u64 pte)
{
	const struct pt_fmt *fmt = ctx->fmt;
	u64 nr = pt_entries_left(ctx), step = 0, done;
	u64 size = pt_ctx_entry_size(ctx);

	if (nr > 1)
		step = fmt->ops->mk_leaf(pt_map_oa(ctx, d) + size, ctx->level, d->prot) - pte;
	if (pt_ctx_shared(ctx))
		done = pt_map_run_shared(ctx->ptep, nr, pte, step);
	else
		done = pt_map_run_exclusive(ctx->ptep, nr, pte, step, pt_map_in_fresh(ctx, d));
	ctx->nr_more = (u32)(done - 1);
	pt_sync_new(ctx, size * done);
	return 0;
}

static int pt_map_leaf(struct pt_ctx *ctx, const struct pt_map_data *d)
{
	u64 oa = pt_map_oa(ctx, d);
	u64 new = ctx->fmt->ops->mk_leaf(oa, ctx->level, d->prot);

	switch (pt_ctx_kind(ctx, ctx->old)) {
	case PT_KIND_EMPTY:
		if (pt_try_set(ctx, new))
			return pt_map_run(ctx, d, new);
		return pt_ctx_kind(ctx, ctx->old) == PT_KIND_TABLE ? 0 : -EAGAIN;
	case PT_KIND_LEAF:
		if (pt_leaf_maps(ctx, oa, d->prot))
			return 0;
		if (d->no_replace)
			return -EEXIST;
		if (pt_try_break(ctx, PT_INVAL_LEAF))
			return -EAGAIN;
		pt_make(ctx, new);
		pt_sync_new(ctx, pt_ctx_entry_size(ctx));
		return 0;
	default:
		return -EAGAIN;
	}
}

/* Exclusive: would the walk fill a new table below ctx with leaves alone? */
static bool pt_map_tables_fit(const struct pt_ctx *ctx, const struct pt_map_data *d)
{
	u32 child = ctx->level - 1;
	u64 size = pt_ctx_entry_size(ctx);

	if (pt_ctx_shared(ctx) || !ctx->level || child > d->max_level ||
	    !pt_level_has_leaves(ctx->fmt, child))
		return false;
	return IS_ALIGNED(ctx->addr, size) &&
	       IS_ALIGNED(pt_map_oa(ctx, d), pt_level_size(ctx->fmt, child)) &&
	       ctx->end - ctx->addr >= size;
}

/* Tables taken per batch, all before any is filled (see pt_map_fill_tables()). */
#define PT_MAP_FILL_BATCH	16

/* The run of empty entries from ctx on that the range covers, up to a batch. */
static u64 pt_map_fill_count(const struct pt_ctx *ctx, const struct pt_map_data *d)
{
	u64 nr = MIN(pt_entries_left(ctx), PT_MAP_FILL_BATCH), i;

	if (pt_map_in_fresh(ctx, d))
		return nr;
	for (i = 1; i < nr && !pte_read(&ctx->ptep[i]); i++)
		;
	return i;
}

/*
 * Exclusive: for a run of empty entries from ctx on that the range covers
 * whole, tables of next-level leaves, each filled before it is linked (as a
 * split does), so the walk neither reads a new table nor descends into it.
 * The tables are taken before the first fill: taking one after a fill would
 * wait at the pool lock's atomic for the fill's stores to drain.
 */
static int pt_map_fill_tables(struct pt_ctx *ctx, struct pt_map_data *d)
{
	const struct pt_fmt *fmt = ctx->fmt;
	struct pt *pt = ctx->pt;
	u32 child = ctx->level - 1;
	u64 nr = pt_map_fill_count(ctx, d), size = pt_ctx_entry_size(ctx);
	u64 oa = pt_map_oa(ctx, d), pte, step, n, i;
	u64 *tables[PT_MAP_FILL_BATCH];

	for (n = 0; n < nr; n++) {
		tables[n] = pt->mm->alloc_table(pt, ctx->walk_flags);
		if (!tables[n])
			break;
	}
	if (!n)
		return -ENOMEM;
	pte = fmt->ops->mk_leaf(oa, child, d->prot);
	step = pt_leaf_step(fmt, pte, oa, child, d->prot);
	for (i = 0; i < n; i++, pte += step * pt_level_entries(fmt, child)) {
		pt_fill_table(fmt, tables[i], child, pte, step);
		pte_write(&ctx->ptep[i], fmt->ops->mk_table(pt->mm->virt_to_phys(pt, tables[i]),
							    ctx->level));
	}
	ctx->nr_more = (u32)(n - 1);
	ctx->no_descend = true;
	pt_sync_new(ctx, size * n);
	return 0;
}

static int pt_map_visitor(struct pt_ctx *ctx, enum pt_visit visit)
{
	struct pt_map_data *d = ctx->arg;
	int ret;

	(void)visit;
	if (pt_map_leaf_fits(ctx, d))
		return pt_map_leaf(ctx, d);
	/* A finer mapping is needed here: descend, through a new table if need be. */
	switch (pt_ctx_kind(ctx, ctx->old)) {
	case PT_KIND_EMPTY:
		if (pt_map_tables_fit(ctx, d))
			return pt_map_fill_tables(ctx, d);
		ret = pt_install_table(ctx);
		if (!ret && !pt_ctx_shared(ctx))
			d->fresh_table = ctx->fmt->ops->oa(ctx->old, ctx->level);
		return ret;
	case PT_KIND_LEAF:
		if (pt_leaf_maps(ctx, pt_map_oa(ctx, d), d->prot))
			return 0;
		if (d->no_replace)
			return -EEXIST;
		return pt_split_leaf(ctx);
	default:
		return -EAGAIN;
	}
}

/*
 * Permissions every format can encode as a valid leaf: readable or
 * executable (an EPT entry with no R/W/X is not present, a RISC-V one is a
 * table pointer), and never writable without being readable.
 */
int pt_check_prot(const struct pt_fmt *fmt, u32 prot)
{
	if (prot & ~(fmt->prot_mask | PT_PROT_A))
		return -EINVAL;
	if (!(prot & (PT_PROT_R | PT_PROT_X)))
		return -EINVAL;
	if ((prot & PT_PROT_W) && !(prot & PT_PROT_R))
		return -EINVAL;
	if ((fmt->flags & PT_FMT_R_IMPLICIT) && !(prot & PT_PROT_R))
		return -EINVAL;
	return 0;
}

int pt_map(struct pt *pt, u64 ia, u64 size, u64 oa, u32 prot, enum pt_map_flags map_flags,
	   enum pt_walk_flags walk_flags)
{
	const struct pt_fmt *fmt = pt->fmt;
	struct pt_map_data d = {
		.oa_start = oa,
		.prot = prot | PT_PROT_A,
		.max_level = (map_flags & PT_MAP_PAGES_ONLY) ? 0 : pt_root_level(fmt),
		.no_replace = map_flags & PT_MAP_NO_REPLACE,
	};
	struct pt_walker walker = {
		.cb = pt_map_visitor, .arg = &d,
		.visits = PT_VISIT_LEAF, .walk_flags = walk_flags,
	};
	u64 granule = 1ull << fmt->page_shift;
	int ret = pt_check_prot(fmt, prot);

	if (ret)
		return ret;
	if (!IS_ALIGNED(ia | oa | size, granule) || !size)
		return -EINVAL;
	if (oa + size - 1 < oa || (oa + size - 1) >> fmt->oa_bits)
		return -ERANGE;
	return pt_walk(pt, ia, size, &walker);
}

static int pt_lookup_visitor(struct pt_ctx *ctx, enum pt_visit visit)
{
	const struct pt_fmt_ops *ops = ctx->fmt->ops;
	struct pt_lookup *out = ctx->arg;

	(void)visit;
	if (pt_ctx_kind(ctx, ctx->old) != PT_KIND_LEAF)
		return -ENOENT;
	out->pte = ctx->old;
	out->level = ctx->level;
	out->prot = ops->prot(ctx->old, ctx->level);
	out->oa = ops->oa(ctx->old, ctx->level) + (ctx->addr - pt_ctx_entry_base(ctx));
	return PT_WALK_STOP;
}

int pt_lookup(struct pt *pt, u64 ia, struct pt_lookup *out)
{
	struct pt_walker walker = {
		.cb = pt_lookup_visitor, .arg = out, .visits = PT_VISIT_LEAF,
	};
	int ret;

	out->pte = 0;
	ret = pt_walk(pt, ia, 1, &walker);
	/* A leaf is never 0: no leaf visited means the walk must be retried. */
	return ret || out->pte ? ret : -EAGAIN;
}
