// SPDX-License-Identifier: MIT
/*
 * The walker shared by every format and stage, an iterator in the shape of
 * Linux's tdp_iter (step down, side, up), and the entry-update primitives
 * visitors build on.
 */
#include "atomic.h"
#include "pt.h"

/*
 * A walk's position: the table walked at each level from the root down to
 * @level, and @addr, the next address to visit in the table at @level.
 */
struct pt_walk_iter {
	struct pt *pt;
	const struct pt_walker *walker;
	u64 *tables[PT_MAX_LEVELS];
	u64 addr;
	u64 start, end;
	u32 level;
};

u64 pt_canonical(const struct pt_fmt *fmt, u64 ia)
{
	u32 sign = fmt->ia_bits - 1;

	if ((fmt->flags & PT_FMT_SIGN_EXTEND) && (ia & BIT(sign)))
		return ia | ~pt_ia_mask(fmt);
	return ia;
}

/*
 * Take ownership of the entry: nobody installs over a frozen entry and a
 * shared walk that meets one backs off with -EAGAIN. ctx->old keeps the
 * value that was frozen.
 */
bool pt_try_freeze(struct pt_ctx *ctx)
{
	u64 old = ctx->old;

	if (!pte_try_cmpxchg(ctx->ptep, &old, ctx->fmt->frozen)) {
		ctx->old = old;
		return false;
	}
	return true;
}

void pt_inval_entry(struct pt_ctx *ctx, u32 why)
{
	struct pt *pt = ctx->pt;
	u64 base = pt_ctx_entry_base(ctx);

	if (pt->tlb)
		pt->tlb->inval(pt, pt_canonical(ctx->fmt, base), pt_ctx_entry_size(ctx),
			       ctx->level, why);
}

/* Break-before-make, first half: freeze, then invalidate what the TLBs hold. */
int pt_try_break(struct pt_ctx *ctx, u32 why)
{
	enum pt_kind kind = pt_ctx_kind(ctx, ctx->old);

	if (!pt_try_freeze(ctx))
		return -EAGAIN;
	if (kind == PT_KIND_TABLE)
		why |= PT_INVAL_TABLE;
	if (kind != PT_KIND_EMPTY)
		pt_inval_entry(ctx, why);
	return 0;
}

/* Second half: only the owner of a frozen entry writes it. */
void pt_make(struct pt_ctx *ctx, u64 new)
{
	PT_BUG_ON(pte_read(ctx->ptep) != ctx->fmt->frozen);
	pte_write(ctx->ptep, new);
	ctx->old = new;
}

static u64 pt_level_index(const struct pt_fmt *fmt, u64 addr, u32 level)
{
	u64 idx = addr >> pt_level_shift(fmt, level);

	return idx & (pt_level_entries(fmt, level) - 1);
}

static void pt_walk_ctx(const struct pt_walk_iter *it, struct pt_ctx *ctx, u64 addr)
{
	const struct pt_fmt *fmt = it->pt->fmt;

	*ctx = (struct pt_ctx){
		.pt = it->pt, .fmt = fmt,
		.ptep = &it->tables[it->level][pt_level_index(fmt, addr, it->level)],
		.addr = addr, .start = it->start, .end = it->end, .level = it->level,
		.walk_flags = it->walker->walk_flags, .arg = it->walker->arg,
	};
}

/* A LEAF or TABLE_PRE visit, then the entry re-read: the visitor may have changed it. */
static int pt_walk_call(const struct pt_walk_iter *it, struct pt_ctx *ctx, enum pt_visit visit)
{
	int ret = it->walker->cb(ctx, visit);

	if (ret)
		return ret;
	ctx->old = pte_read(ctx->ptep);
	return pt_ctx_kind(ctx, ctx->old) == PT_KIND_FROZEN ? -EAGAIN : 0;
}

/*
 * Visit the entry at it->addr. It is re-read only after a visit, since a
 * visitor may install or remove a table. Without a visit the value read
 * first decides: an unlinked table is still readable (its page outlives
 * our epoch) and its frozen entries send us back to the root. A table that
 * a TABLE_PRE visit saw turn into a leaf gets its LEAF visit: skipping it
 * would leave its range unvisited.
 */
static int pt_walk_visit(const struct pt_walk_iter *it, struct pt_ctx *ctx)
{
	enum pt_kind kind;
	int ret;

	pt_walk_ctx(it, ctx, it->addr);
	ctx->old = pte_read(ctx->ptep);
	kind = pt_ctx_kind(ctx, ctx->old);
	if (kind == PT_KIND_FROZEN)
		return -EAGAIN;
	if (kind == PT_KIND_TABLE) {
		if (!(it->walker->visits & PT_VISIT_TABLE_PRE))
			return 0;
		ret = pt_walk_call(it, ctx, PT_VISIT_TABLE_PRE);
		if (ret || pt_ctx_kind(ctx, ctx->old) == PT_KIND_TABLE)
			return ret;
	}
	if (!(it->walker->visits & PT_VISIT_LEAF))
		return 0;
	return pt_walk_call(it, ctx, PT_VISIT_LEAF);
}

/* Into the table the visited entry points to, if it (still) is one and needs a visit. */
static bool pt_walk_try_step_down(struct pt_walk_iter *it, const struct pt_ctx *ctx)
{
	if (ctx->no_descend || pt_ctx_kind(ctx, ctx->old) != PT_KIND_TABLE)
		return false;
	PT_BUG_ON(it->level == 0);
	it->tables[it->level - 1] = pt_table_va(ctx, ctx->old);
	it->level--;
	return true;
}

/* Past the visited entry and the @nr_more next ones its visitor handled. */
static void pt_walk_step_side(struct pt_walk_iter *it, u32 nr_more)
{
	u64 size = pt_level_size(it->pt->fmt, it->level);

	it->addr = ALIGN_DOWN(it->addr, size) + size * (1 + nr_more);
}

/* Below the root: has the walk left this table, or its range? */
static bool pt_walk_table_done(const struct pt_walk_iter *it)
{
	return it->addr >= it->end ||
	       IS_ALIGNED(it->addr, pt_level_size(it->pt->fmt, it->level + 1));
}

/*
 * Back to the entry above once its table is done, for its TABLE_POST
 * visit, at the position its TABLE_PRE visit had: the walk's start or the
 * entry's base.
 */
static int pt_walk_step_up(struct pt_walk_iter *it)
{
	struct pt_ctx ctx;
	u64 base;

	it->level++;
	if (!(it->walker->visits & PT_VISIT_TABLE_POST))
		return 0;
	base = ALIGN_DOWN(it->addr - 1, pt_level_size(it->pt->fmt, it->level));
	pt_walk_ctx(it, &ctx, MAX(base, it->start));
	ctx.old = pte_read(ctx.ptep);
	return it->walker->cb(&ctx, PT_VISIT_TABLE_POST);
}

/* Visit one entry, then move to the next one in tree order. */
static int pt_walk_step(struct pt_walk_iter *it)
{
	u32 root = pt_root_level(it->pt->fmt);
	struct pt_ctx ctx;
	int ret = pt_walk_visit(it, &ctx);

	if (ret || pt_walk_try_step_down(it, &ctx))
		return ret;
	pt_walk_step_side(it, ctx.nr_more);
	while (!ret && it->level != root && pt_walk_table_done(it))
		ret = pt_walk_step_up(it);
	return ret;
}

/*
 * Mask a canonical range to ia_bits. A range must not leave the input
 * address space nor, for sign-extended formats, cross the canonical hole.
 */
int pt_range_mask(const struct pt_fmt *fmt, u64 addr, u64 size, u64 *start, u64 *end)
{
	u64 mask = pt_ia_mask(fmt);
	u64 half = BIT(fmt->ia_bits - 1);

	if (!size || pt_canonical(fmt, addr & mask) != addr)
		return -ERANGE;
	*start = addr & mask;
	if (size - 1 > mask - *start)
		return -ERANGE;
	*end = *start + size;
	if ((fmt->flags & PT_FMT_SIGN_EXTEND) && *start < half && *end > half)
		return -ERANGE;
	return 0;
}

int pt_walk_masked(struct pt *pt, u64 start, u64 end, struct pt_walker *walker)
{
	struct pt_walk_iter it = {
		.pt = pt, .walker = walker, .addr = start, .start = start, .end = end,
		.level = pt_root_level(pt->fmt),
	};
	int ret = 0;

	it.tables[it.level] = pt->root;
	while (!ret && it.addr < it.end)
		ret = pt_walk_step(&it);
	return ret == PT_WALK_STOP ? 0 : ret;
}

int pt_walk(struct pt *pt, u64 addr, u64 size, struct pt_walker *walker)
{
	u64 start, end;
	int ret = pt_range_mask(pt->fmt, addr, size, &start, &end);

	return ret ? ret : pt_walk_masked(pt, start, end, walker);
}

void pt_init(struct pt *pt, const struct pt_fmt *fmt, const struct pt_mm_ops *mm,
	     void *priv, u64 *root)
{
	PT_BUG_ON(fmt->levels > PT_MAX_LEVELS);
	pt->fmt = fmt;
	pt->mm = mm;
	pt->priv = priv;
	pt->tlb = NULL;
	pt->tlb_ctx = NULL;
	pt->root = root;
	pt->root_pa = mm->virt_to_phys(pt, root);
}

void pt_set_tlb_ops(struct pt *pt, const struct pt_tlb_ops *ops, void *ctx)
{
	PT_BUG_ON(ops && !ops->inval);
	pt->tlb = ops;
	pt->tlb_ctx = ctx;
}
