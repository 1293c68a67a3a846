// SPDX-License-Identifier: MIT
/* Map and look up, and the two table installers every operation shares. */
#include "atomic.h"
#include "pt.h"

/* Formats whose TLBs may hold invalid entries need a fence for new ones. */
static inline void pt_sync_new(struct pt_ctx *ctx, u64 size)
{
	struct pt *pt = ctx->pt;

	if ((ctx->fmt->flags & PT_FMT_CACHES_INVALID) && pt->tlb && pt->tlb->sync_new)
		pt->tlb->sync_new(pt, pt_canonical(ctx->fmt, pt_ctx_entry_base(ctx)), size);
}

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

static bool pt_leaf_maps(const struct pt_ctx *ctx, u64 oa, u32 prot)
{
	const struct pt_fmt_ops *ops = ctx->fmt->ops;
	u64 base = pt_ctx_entry_base(ctx);
	u64 leaf_oa = ops->oa(ctx->old, ctx->level) + (ctx->addr - base);

	return leaf_oa == oa &&
	       (ops->prot(ctx->old, ctx->level) & PT_PROT_PERM) == (prot & PT_PROT_PERM);
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
