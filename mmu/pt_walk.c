// SPDX-License-Identifier: MIT
/*
 * The walker: one recursive descent shared by every format and stage, and
 * the entry-update primitives visitors build on.
 */
#include "atomic.h"
#include "pt.h"

struct pt_walk_data {
	struct pt *pt;
	struct pt_walker *walker;
	u64 addr;
	u64 start;
	u64 end;
};

enum pt_kind pt_ctx_kind(const struct pt_ctx *ctx, u64 pte)
{
	if (!pte)
		return PT_KIND_EMPTY;
	if (pte == ctx->fmt->frozen)
		return PT_KIND_FROZEN;
	return ctx->fmt->ops->kind(pte, ctx->level);
}

u64 pt_ctx_entry_size(const struct pt_ctx *ctx)
{
	return pt_level_size(ctx->fmt, ctx->level);
}

u64 pt_ctx_entry_base(const struct pt_ctx *ctx)
{
	return ALIGN_DOWN(ctx->addr, pt_ctx_entry_size(ctx));
}

bool pt_ctx_shared(const struct pt_ctx *ctx)
{
	return ctx->walk_flags & PT_WALK_SHARED;
}

u64 pt_canonical(const struct pt_fmt *fmt, u64 ia)
{
	u32 sign = fmt->ia_bits - 1;

	if ((fmt->flags & PT_FMT_SIGN_EXTEND) && (ia & BIT(sign)))
		return ia | ~pt_ia_mask(fmt);
	return ia;
}

void *pt_table_va(const struct pt_ctx *ctx, u64 table_pte)
{
	u64 pa = ctx->fmt->ops->oa(table_pte, ctx->level);

	return ctx->pt->mm->phys_to_virt(ctx->pt, pa);
}

/*
 * Install @new over ctx->old. A shared walk can lose the race: ctx->old then
 * holds what is there now. An exclusive walk has no one to race with.
 */
bool pt_try_set(struct pt_ctx *ctx, u64 new)
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

static int pt_walk_table(struct pt_walk_data *data, u64 *table, u32 level);

static int pt_visit(struct pt_walk_data *data, struct pt_ctx *ctx,
		    enum pt_visit visit)
{
	if (!(data->walker->visits & visit))
		return 0;
	return data->walker->cb(ctx, visit);
}

/*
 * Visit one entry, then descend if it is (still) a table. The entry is
 * re-read only after a visitor ran, since a visitor may install or remove
 * a table. Without a visit the value read first decides: an unlinked table
 * is still readable (its page outlives our epoch) and its frozen entries
 * send us back to the root. A table that a TABLE_PRE visit saw turn into a
 * leaf gets its LEAF visit: skipping it would leave its range unvisited.
 */
static int pt_walk_entry(struct pt_walk_data *data, u64 *ptep, u32 level)
{
	struct pt *pt = data->pt;
	struct pt_ctx ctx = {
		.pt = pt, .fmt = pt->fmt, .ptep = ptep, .old = pte_read(ptep),
		.addr = data->addr, .start = data->start, .end = data->end,
		.level = level, .walk_flags = data->walker->walk_flags,
		.arg = data->walker->arg,
	};
	enum pt_kind kind = pt_ctx_kind(&ctx, ctx.old);
	u64 size = pt_level_size(pt->fmt, level);
	enum pt_visit visit;
	void *child;
	int ret;

	if (kind == PT_KIND_FROZEN)
		return -EAGAIN;
	visit = kind == PT_KIND_TABLE ? PT_VISIT_TABLE_PRE : PT_VISIT_LEAF;
	while (data->walker->visits & visit) {
		ret = data->walker->cb(&ctx, visit);
		if (ret)
			return ret;
		ctx.old = pte_read(ptep);
		kind = pt_ctx_kind(&ctx, ctx.old);
		if (kind == PT_KIND_FROZEN)
			return -EAGAIN;
		if (visit == PT_VISIT_LEAF || kind == PT_KIND_TABLE)
			break;
		visit = PT_VISIT_LEAF;
	}
	if (kind != PT_KIND_TABLE) {
		data->addr = ALIGN_DOWN(data->addr, size) + size * (1 + ctx.nr_more);
		return 0;
	}

	PT_BUG_ON(level == 0);
	child = pt_table_va(&ctx, ctx.old);
	ret = pt_walk_table(data, child, level - 1);
	if (ret)
		return ret;

	ctx.old = pte_read(ptep);
	return pt_visit(data, &ctx, PT_VISIT_TABLE_POST);
}

static int pt_walk_table(struct pt_walk_data *data, u64 *table, u32 level)
{
	const struct pt_fmt *fmt = data->pt->fmt;
	u64 span = pt_level_size(fmt, level) * pt_level_entries(fmt, level);
	u64 table_end = ALIGN_DOWN(data->addr, span) + span;
	int ret;

	while (data->addr < data->end && data->addr < table_end) {
		u64 idx = pt_level_index(fmt, data->addr, level);

		ret = pt_walk_entry(data, &table[idx], level);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Mask a canonical range to ia_bits. A range must not leave the input
 * address space nor, for sign-extended formats, cross the canonical hole.
 */
static int pt_range_mask(const struct pt_fmt *fmt, u64 addr, u64 size,
			 u64 *start, u64 *end)
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
	struct pt_walk_data data = {
		.pt = pt, .walker = walker, .addr = start, .start = start, .end = end,
	};
	int ret = pt_walk_table(&data, pt->root, pt_root_level(pt->fmt));

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
