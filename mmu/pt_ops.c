// SPDX-License-Identifier: MIT
/* Operations that change or remove valid entries: each breaks before it makes. */
#include "atomic.h"
#include "pt.h"

static bool pt_entry_inside(const struct pt_ctx *ctx)
{
	u64 base = pt_ctx_entry_base(ctx);

	return base >= ctx->start && base + pt_ctx_entry_size(ctx) <= ctx->end;
}

static bool pt_table_is_empty(const u64 *table, u64 nr)
{
	u64 i;

	for (i = 0; i < nr; i++)
		if (pte_read(&table[i]))
			return false;
	return true;
}

/*
 * Freeze every entry of a child table so that a walker still inside it can
 * install nothing; on failure the frozen ones get back their old value.
 */
static bool pt_try_freeze_empty_children(const struct pt_fmt *fmt, u64 *child, u64 nr)
{
	u64 i, j;

	for (i = 0; i < nr; i++) {
		u64 old = 0;

		if (!pte_try_cmpxchg(&child[i], &old, fmt->frozen)) {
			for (j = 0; j < i; j++)
				pte_write(&child[j], 0);
			return false;
		}
	}
	return true;
}

/* TABLE_POST: unlink and retire the table below ctx if it is empty. */
static int pt_try_free_table(struct pt_ctx *ctx)
{
	u64 nr = pt_level_entries(ctx->fmt, ctx->level - 1);
	u64 table_pte = ctx->old;
	u64 *child;

	if (pt_ctx_kind(ctx, table_pte) != PT_KIND_TABLE)
		return 0;
	child = pt_table_va(ctx, table_pte);
	if (!pt_table_is_empty(child, nr) || !pt_try_freeze(ctx))
		return 0;
	if (!pt_try_freeze_empty_children(ctx->fmt, child, nr)) {
		pte_write(ctx->ptep, table_pte);
		return 0;
	}
	pt_inval_entry(ctx, PT_INVAL_TABLE);
	pt_make(ctx, 0);
	ctx->pt->mm->retire_table(ctx->pt, child);
	return 0;
}

static int pt_unmap_visitor(struct pt_ctx *ctx, enum pt_visit visit)
{
	int ret;

	if (visit == PT_VISIT_TABLE_POST)
		return pt_try_free_table(ctx);
	if (pt_ctx_kind(ctx, ctx->old) != PT_KIND_LEAF)
		return 0;
	if (!pt_entry_inside(ctx))
		return pt_split_leaf(ctx);
	ret = pt_try_break(ctx, PT_INVAL_LEAF);
	if (!ret)
		pt_make(ctx, 0);
	return ret;
}

int pt_unmap(struct pt *pt, u64 ia, u64 size, enum pt_walk_flags walk_flags)
{
	struct pt_walker walker = {
		.cb = pt_unmap_visitor,
		.visits = PT_VISIT_LEAF | PT_VISIT_TABLE_POST, .walk_flags = walk_flags,
	};

	return pt_walk(pt, ia, size, &walker);
}

static int pt_protect_visitor(struct pt_ctx *ctx, enum pt_visit visit)
{
	const struct pt_fmt_ops *ops = ctx->fmt->ops;
	u32 *prot = ctx->arg;
	u32 old_prot, new_prot;
	u64 new;

	(void)visit;
	if (pt_ctx_kind(ctx, ctx->old) != PT_KIND_LEAF)
		return 0;
	if (!pt_entry_inside(ctx))
		return pt_split_leaf(ctx);
	old_prot = ops->prot(ctx->old, ctx->level);
	new_prot = (*prot & PT_PROT_PERM) | (old_prot & PT_PROT_AD);
	if (new_prot == old_prot)
		return 0;
	new = ops->mk_leaf(ops->oa(ctx->old, ctx->level), ctx->level, new_prot);
	if (pt_try_break(ctx, PT_INVAL_LEAF))
		return -EAGAIN;
	pt_make(ctx, new);
	return 0;
}

int pt_protect(struct pt *pt, u64 ia, u64 size, u32 prot, enum pt_walk_flags walk_flags)
{
	struct pt_walker walker = {
		.cb = pt_protect_visitor, .arg = &prot,
		.visits = PT_VISIT_LEAF, .walk_flags = walk_flags,
	};

	int ret = pt_check_prot(pt->fmt, prot);

	return ret ? ret : pt_walk(pt, ia, size, &walker);
}

static int pt_split_visitor(struct pt_ctx *ctx, enum pt_visit visit)
{
	u32 *to_level = ctx->arg;

	(void)visit;
	if (pt_ctx_kind(ctx, ctx->old) != PT_KIND_LEAF || ctx->level <= *to_level)
		return 0;
	return pt_split_leaf(ctx);
}

int pt_split(struct pt *pt, u64 ia, u64 size, u32 to_level, enum pt_walk_flags walk_flags)
{
	struct pt_walker walker = {
		.cb = pt_split_visitor, .arg = &to_level,
		.visits = PT_VISIT_LEAF, .walk_flags = walk_flags,
	};

	return pt_walk(pt, ia, size, &walker);
}

struct pt_collapse_data {
	u32 level;
	u64 a_bits[8], d_bits[8];	/* A/D of each frozen child, to undo */
	u32 perm;
	u64 oa;
};

/* Is @pte the child leaf @i of a block at @d->oa with @d->perm? */
static bool pt_collapse_child_ok(const struct pt_ctx *ctx, const struct pt_collapse_data *d,
				 u64 pte, u64 i)
{
	const struct pt_fmt_ops *ops = ctx->fmt->ops;
	u32 level = ctx->level - 1;
	u64 oa = d->oa + i * pt_level_size(ctx->fmt, level);
	u32 prot;

	if (!pte || pte == ctx->fmt->frozen || ops->kind(pte, level) != PT_KIND_LEAF)
		return false;
	prot = ops->prot(pte, level);
	/* Only leaves we could re-encode bit for bit can be put back on failure. */
	return ops->oa(pte, level) == oa && (prot & PT_PROT_PERM) == d->perm &&
	       ops->mk_leaf(oa, level, prot) == pte;
}

static u64 pt_collapse_child_pte(const struct pt_ctx *ctx, const struct pt_collapse_data *d,
				 u64 i)
{
	u32 level = ctx->level - 1;
	u32 prot = d->perm;

	if (d->a_bits[i / 64] & BIT(i % 64))
		prot |= PT_PROT_A;
	if (d->d_bits[i / 64] & BIT(i % 64))
		prot |= PT_PROT_D;
	return ctx->fmt->ops->mk_leaf(d->oa + i * pt_level_size(ctx->fmt, level), level, prot);
}

static bool pt_collapse_freeze_children(const struct pt_ctx *ctx, struct pt_collapse_data *d,
					u64 *child, u64 nr)
{
	const struct pt_fmt_ops *ops = ctx->fmt->ops;
	u64 i, j;

	for (i = 0; i < nr; i++) {
		u64 pte = pte_read(&child[i]);
		u32 prot;

		if (!pt_collapse_child_ok(ctx, d, pte, i) ||
		    !pte_try_cmpxchg(&child[i], &pte, ctx->fmt->frozen))
			goto undo;
		prot = ops->prot(pte, ctx->level - 1);
		if (prot & PT_PROT_A)
			d->a_bits[i / 64] |= BIT(i % 64);
		if (prot & PT_PROT_D)
			d->d_bits[i / 64] |= BIT(i % 64);
	}
	return true;
undo:
	for (j = 0; j < i; j++)
		pte_write(&child[j], pt_collapse_child_pte(ctx, d, j));
	return false;
}

static bool pt_collapse_any_dirty(const struct pt_collapse_data *d)
{
	u64 acc = 0;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(d->d_bits); i++)
		acc |= d->d_bits[i];
	return acc != 0;
}

static int pt_try_collapse(struct pt_ctx *ctx, struct pt_collapse_data *d)
{
	const struct pt_fmt *fmt = ctx->fmt;
	u64 table_pte = ctx->old, first, new;
	u64 nr = pt_level_entries(fmt, ctx->level - 1);
	u64 *child = pt_table_va(ctx, table_pte);

	first = pte_read(&child[0]);
	if (!first || first == fmt->frozen ||
	    fmt->ops->kind(first, ctx->level - 1) != PT_KIND_LEAF)
		return -EINVAL;
	d->oa = fmt->ops->oa(first, ctx->level - 1);
	d->perm = fmt->ops->prot(first, ctx->level - 1) & PT_PROT_PERM;
	if (!IS_ALIGNED(d->oa, pt_ctx_entry_size(ctx)))
		return -EINVAL;
	if (!pt_try_freeze(ctx))
		return -EAGAIN;
	if (!pt_collapse_freeze_children(ctx, d, child, nr)) {
		pte_write(ctx->ptep, table_pte);
		return -EINVAL;
	}
	new = fmt->ops->mk_leaf(d->oa, ctx->level,
				d->perm | (pt_collapse_any_dirty(d) ? PT_PROT_D : 0));
	pt_inval_entry(ctx, PT_INVAL_LEAF | PT_INVAL_TABLE);
	pt_make(ctx, new);
	ctx->pt->mm->retire_table(ctx->pt, child);
	return 0;
}

static int pt_collapse_visitor(struct pt_ctx *ctx, enum pt_visit visit)
{
	struct pt_collapse_data *d = ctx->arg;
	enum pt_kind kind = pt_ctx_kind(ctx, ctx->old);

	if (visit == PT_VISIT_TABLE_PRE)
		return ctx->level == d->level ? pt_try_collapse(ctx, d) : 0;
	return kind == PT_KIND_LEAF ? PT_WALK_STOP : -ENOENT;
}

/*
 * Replace the table under the level-@level entry covering @ia by one leaf,
 * if its leaves map one aligned, contiguous range with one set of
 * permissions. -EINVAL when they do not.
 */
int pt_collapse(struct pt *pt, u64 ia, u32 level, enum pt_walk_flags walk_flags)
{
	struct pt_collapse_data d = { .level = level };
	struct pt_walker walker = {
		.cb = pt_collapse_visitor, .arg = &d,
		.visits = PT_VISIT_LEAF | PT_VISIT_TABLE_PRE, .walk_flags = walk_flags,
	};
	u64 size;

	if (level == 0 || level >= pt->fmt->levels || !pt_level_has_leaves(pt->fmt, level))
		return -EINVAL;
	size = pt_level_size(pt->fmt, level);
	return pt_walk(pt, ALIGN_DOWN(ia, size), size, &walker);
}

static int pt_destroy_visitor(struct pt_ctx *ctx, enum pt_visit visit)
{
	(void)visit;
	ctx->pt->mm->retire_table(ctx->pt, pt_table_va(ctx, ctx->old));
	return 0;
}

void pt_destroy(struct pt *pt)
{
	struct pt_walker walker = {
		.cb = pt_destroy_visitor, .visits = PT_VISIT_TABLE_POST,
	};

	pt_walk_masked(pt, 0, pt_ia_mask(pt->fmt) + 1, &walker);
}
