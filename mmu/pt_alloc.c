// SPDX-License-Identifier: MIT
/* Table page pool, per-CPU caches and epoch-based reclamation. */
#include "pt_alloc.h"

#define PT_NO_PAGE	0xffffffffu

static u64 pt_pool_page_size(void)
{
	return PT_POOL_PAGE;
}

static u64 pt_pool_index(const struct pt_pool *pool, const void *va)
{
	u64 off = (u64)((const u8 *)va - pool->base);

	PT_BUG_ON(off >= pool->nr_pages * pt_pool_page_size() ||
		  !IS_ALIGNED(off, pt_pool_page_size()));
	return off / pt_pool_page_size();
}

static void *pt_pool_page_va(const struct pt_pool *pool, u64 idx)
{
	return pool->base + idx * pt_pool_page_size();
}

/*
 * Before the MMU is on, memory is Device memory on Arm, where exclusive
 * accesses need not work: an early pool is used by the boot CPU alone.
 */
static void pt_pool_lock(struct pt_pool *pool)
{
	if (!pool->early)
		pt_spin_lock(&pool->lock);
}

static void pt_pool_unlock(struct pt_pool *pool)
{
	if (!pool->early)
		pt_spin_unlock(&pool->lock);
}

void pt_pool_set_early(struct pt_pool *pool, bool early)
{
	pool->early = early;
}

/* Atomic only so that debug checks may read it from any CPU. */
static void pt_page_set_state(struct pt_pool *pool, u64 idx, u32 from, u32 to)
{
	PT_BUG_ON(__atomic_load_n(&pool->meta[idx].state, __ATOMIC_RELAXED) != from);
	__atomic_store_n(&pool->meta[idx].state, to, __ATOMIC_RELAXED);
}

u32 pt_pool_page_state(struct pt_pool *pool, const void *va)
{
	return __atomic_load_n(&pool->meta[pt_pool_index(pool, va)].state, __ATOMIC_RELAXED);
}

static void pt_page_scrub(struct pt_pool *pool, void *va, u64 bytes)
{
	if (pool->poison)
		memset(va, 0xdb, bytes);
	else
		pt_zero_pages(va, bytes);
}

static void pt_page_ready(struct pt_pool *pool, void *va, u64 bytes)
{
	if (pool->poison)
		pt_zero_pages(va, bytes);
}

/*
 * Trailing zeros of @x != 0. Without Zbb, RISC-V gcc would call libgcc's
 * __ctzdi2: no libgcc here. The lowest set bit times a de Bruijn sequence
 * has a distinct top six bits for each position.
 */
static u64 pt_ctz64(u64 x)
{
	static const u8 pos[64] = {
		0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
		62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
		63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
		46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
	};

	return pos[((x & -x) * 0x03f79d71b4cb0a89ull) >> 58];
}

static bool pt_bitmap_test(const u64 *map, u64 i)
{
	return map[i / 64] & BIT(i % 64);
}

static void pt_bitmap_assign(u64 *map, u64 i, u64 n, bool set)
{
	for (; n; n--, i++) {
		if (set)
			map[i / 64] |= BIT(i % 64);
		else
			map[i / 64] &= ~BIT(i % 64);
	}
}

/* Set bits [from, to) of a zeroed bitmap, a word at a time. */
static void pt_bitmap_fill(u64 *map, u64 from, u64 to)
{
	for (; from < to && from % 64; from++)
		map[from / 64] |= BIT(from % 64);
	for (; from + 64 <= to; from += 64)
		map[from / 64] = ~0ull;
	for (; from < to; from++)
		map[from / 64] |= BIT(from % 64);
}

static bool pt_bitmap_all_set(const u64 *map, u64 i, u64 n)
{
	for (; n; n--, i++)
		if (!pt_bitmap_test(map, i))
			return false;
	return true;
}

/* Under the pool lock. First fit, aligned to the run's size. */
static u64 pt_pool_find_locked(struct pt_pool *pool, u64 n)
{
	u64 i, w;

	if (n == 1) {
		for (w = pool->hint / 64; w < (pool->nr_pages + 63) / 64; w++)
			if (pool->free_bitmap[w])
				return w * 64 + pt_ctz64(pool->free_bitmap[w]);
		for (w = 0; w < pool->hint / 64; w++)
			if (pool->free_bitmap[w])
				return w * 64 + pt_ctz64(pool->free_bitmap[w]);
		return PT_NO_PAGE;
	}
	/* Aligned in physical addresses, whatever the pool's own alignment. */
	i = (ALIGN_UP(pool->base_pa, n * pt_pool_page_size()) - pool->base_pa) /
	    pt_pool_page_size();
	for (; i + n <= pool->nr_pages; i += n)
		if (pt_bitmap_all_set(pool->free_bitmap, i, n))
			return i;
	return PT_NO_PAGE;
}

/*
 * Pages from pool->zeroed on were never taken and hold whatever the memory
 * held: zero them the first time one of them is taken (those skipped over
 * too, so that every free page below pool->zeroed stays zero).
 */
static void pt_pool_zero_fresh_locked(struct pt_pool *pool, u64 idx, u64 n)
{
	if (idx + n <= pool->zeroed)
		return;
	pt_zero_pages(pt_pool_page_va(pool, pool->zeroed),
		      (idx + n - pool->zeroed) * pt_pool_page_size());
	pool->zeroed = idx + n;
}

static void *pt_pool_take_locked(struct pt_pool *pool, u64 n, u32 state)
{
	u64 idx = pt_pool_find_locked(pool, n), i;

	if (idx == PT_NO_PAGE || idx + n > pool->nr_pages)
		return NULL;
	pt_pool_zero_fresh_locked(pool, idx, n);
	pt_bitmap_assign(pool->free_bitmap, idx, n, false);
	for (i = 0; i < n; i++)
		pt_page_set_state(pool, idx + i, PT_PAGE_FREE, state);
	pool->nr_free -= n;
	pool->hint = idx + n;
	return pt_pool_page_va(pool, idx);
}

static void pt_pool_give_locked(struct pt_pool *pool, void *va, u64 n, u32 state)
{
	u64 idx = pt_pool_index(pool, va), i;

	for (i = 0; i < n; i++)
		pt_page_set_state(pool, idx + i, state, PT_PAGE_FREE);
	pt_bitmap_assign(pool->free_bitmap, idx, n, true);
	pool->nr_free += n;
	/* First fit: freed pages are reused first, while they are still cached. */
	pool->hint = MIN(pool->hint, idx);
}

int pt_pool_init(struct pt_pool *pool, void *va, u64 pa, u64 size, u32 nr_cpus)
{
	u64 page = pt_pool_page_size(), nr = size / page, reserved, i;
	u64 bitmap_bytes = ALIGN_UP(nr, 64) / 8;
	u64 meta_bytes = nr * sizeof(struct pt_page_meta);

	if (!IS_ALIGNED((u64)(uintptr_t)va | pa, page) || nr_cpus > PT_MAX_CPUS ||
	    nr >= PT_NO_PAGE)
		return -EINVAL;
	/*
	 * The CPUs past nr_cpus are never used (pt_pool_this_cpu()), nor a
	 * CPU's cache slots past its nr_cached.
	 */
	memset(pool, 0, offsetof(struct pt_pool, cpu));
	for (i = 0; i < nr_cpus; i++)
		memset(&pool->cpu[i], 0, offsetof(struct pt_pool_cpu, cache));
	reserved = ALIGN_UP(bitmap_bytes + meta_bytes, page) / page;
	if (reserved >= nr)
		return -ENOMEM;
	pool->base = va;
	pool->base_pa = pa;
	pool->nr_pages = nr;
	pool->nr_cpus = nr_cpus;
	pool->global_epoch = 1;
	pool->meta = va;
	pool->free_bitmap = (u64 *)((u8 *)va + meta_bytes);
	/* Only the bookkeeping: the other pages are zeroed when first taken. */
	pt_zero_pages(va, reserved * page);
	_Static_assert(PT_PAGE_FREE == 0, "cleared bookkeeping: every page free");
	for (i = 0; i < reserved; i++)
		pool->meta[i].state = PT_PAGE_RESERVED;
	pt_bitmap_fill(pool->free_bitmap, reserved, nr);
	pool->nr_free = nr - reserved;
	pool->hint = reserved;
	pool->zeroed = reserved;
	for (i = 0; i < nr_cpus; i++)
		pool->cpu[i].retired_head = pool->cpu[i].retired_tail = PT_NO_PAGE;
	return 0;
}

void *pt_pool_alloc_contig(struct pt_pool *pool, u64 bytes)
{
	u64 n = ALIGN_UP(bytes, pt_pool_page_size()) / pt_pool_page_size();
	void *va;

	if (n & (n - 1))
		return NULL;
	pt_pool_lock(pool);
	va = pt_pool_take_locked(pool, n, PT_PAGE_USED);
	pt_pool_unlock(pool);
	if (va)
		pt_page_ready(pool, va, n * pt_pool_page_size());
	return va;
}

void pt_pool_free_contig(struct pt_pool *pool, void *va, u64 bytes)
{
	u64 n = ALIGN_UP(bytes, pt_pool_page_size()) / pt_pool_page_size();

	pt_page_scrub(pool, va, n * pt_pool_page_size());
	pt_pool_lock(pool);
	pt_pool_give_locked(pool, va, n, PT_PAGE_USED);
	pt_pool_unlock(pool);
}

int pt_cache_topup(struct pt_pool *pool, u32 nr)
{
	struct pt_pool_cpu *c = pt_pool_this_cpu(pool);

	if (c->nr_retired)
		pt_pool_reclaim(pool);
	nr = MIN(nr, PT_CACHE_PAGES);
	if (c->nr_cached >= nr)
		return 0;
	pt_pool_lock(pool);
	while (c->nr_cached < nr) {
		void *va = pt_pool_take_locked(pool, 1, PT_PAGE_CACHED);

		if (!va)
			break;
		c->cache[c->nr_cached++] = va;
	}
	pt_pool_unlock(pool);
	return c->nr_cached >= nr ? 0 : -ENOMEM;
}

void pt_cache_flush(struct pt_pool *pool)
{
	struct pt_pool_cpu *c = pt_pool_this_cpu(pool);

	pt_pool_lock(pool);
	while (c->nr_cached)
		pt_pool_give_locked(pool, c->cache[--c->nr_cached], 1, PT_PAGE_CACHED);
	pt_pool_unlock(pool);
}

static void *pt_pool_alloc_table(struct pt *pt, enum pt_walk_flags walk_flags)
{
	struct pt_pool *pool = pt->priv;
	struct pt_pool_cpu *c = pt_pool_this_cpu(pool);
	void *va;

	if (c->nr_cached) {
		va = c->cache[--c->nr_cached];
		pt_page_set_state(pool, pt_pool_index(pool, va), PT_PAGE_CACHED, PT_PAGE_USED);
	} else if (!(walk_flags & PT_WALK_SHARED)) {
		pt_pool_lock(pool);
		va = pt_pool_take_locked(pool, 1, PT_PAGE_USED);
		pt_pool_unlock(pool);
		if (!va)
			return NULL;
	} else {
		return NULL;
	}
	pt_page_ready(pool, va, pt_pool_page_size());
	c->allocs++;
	return va;
}

/*
 * A used page goes back to this CPU's cache while it holds fewer than
 * PT_CACHE_KEEP, else to the pool: one CPU freeing many pages must not
 * starve the others, which only top up from the pool.
 */
static void pt_pool_release(struct pt_pool *pool, void *va, u32 state)
{
	struct pt_pool_cpu *c = pt_pool_this_cpu(pool);
	u64 idx = pt_pool_index(pool, va);

	pt_page_scrub(pool, va, pt_pool_page_size());
	c->frees++;
	if (c->nr_cached < PT_CACHE_KEEP) {
		pt_page_set_state(pool, idx, state, PT_PAGE_CACHED);
		c->cache[c->nr_cached++] = va;
		return;
	}
	pt_pool_lock(pool);
	pt_pool_give_locked(pool, va, 1, state);
	pt_pool_unlock(pool);
}

static void pt_pool_free_table(struct pt *pt, void *va)
{
	pt_pool_release(pt->priv, va, PT_PAGE_USED);
}

static void pt_pool_retire_table(struct pt *pt, void *va)
{
	struct pt_pool *pool = pt->priv;
	struct pt_pool_cpu *c = pt_pool_this_cpu(pool);
	u64 idx = pt_pool_index(pool, va);

	pt_page_set_state(pool, idx, PT_PAGE_USED, PT_PAGE_RETIRED);
	/*
	 * The unlink must be visible before the epoch is read (a release store
	 * and a later load may pass each other): any walker that can still
	 * reach the page then entered no later than the epoch read here.
	 * Pairs with the barrier in pt_epoch_enter().
	 */
	pt_smp_mb();
	pool->meta[idx].epoch = __atomic_load_n(&pool->global_epoch, __ATOMIC_SEQ_CST);
	pool->meta[idx].next = PT_NO_PAGE;
	if (c->retired_tail == PT_NO_PAGE)
		c->retired_head = (u32)idx;
	else
		pool->meta[c->retired_tail].next = (u32)idx;
	c->retired_tail = (u32)idx;
	c->nr_retired++;
}

void pt_epoch_enter(struct pt_pool *pool)
{
	pt_epoch_enter_cpu(pool, pt_pool_this_cpu(pool));
}

void pt_epoch_exit(struct pt_pool *pool)
{
	pt_epoch_exit_cpu(pt_pool_this_cpu(pool));
}

static void pt_epoch_try_advance(struct pt_pool *pool)
{
	u64 e = __atomic_load_n(&pool->global_epoch, __ATOMIC_SEQ_CST);
	u32 i;

	for (i = 0; i < pool->nr_cpus; i++) {
		u64 local = __atomic_load_n(&pool->cpu[i].epoch, __ATOMIC_SEQ_CST);

		if (local && local != e)
			return;
	}
	__atomic_compare_exchange_n(&pool->global_epoch, &e, e + 1, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Free what @c retired before epoch @e - 1 into this CPU's cache or the pool. */
static void pt_pool_reclaim_list(struct pt_pool *pool, struct pt_pool_cpu *c, u64 e)
{
	while (c->retired_head != PT_NO_PAGE && pool->meta[c->retired_head].epoch + 2 <= e) {
		u32 idx = c->retired_head;

		c->retired_head = pool->meta[idx].next;
		if (c->retired_head == PT_NO_PAGE)
			c->retired_tail = PT_NO_PAGE;
		c->nr_retired--;
		pt_pool_release(pool, pt_pool_page_va(pool, idx), PT_PAGE_RETIRED);
	}
}

void pt_pool_reclaim(struct pt_pool *pool)
{
	pt_epoch_try_advance(pool);
	pt_pool_reclaim_list(pool, pt_pool_this_cpu(pool),
			     __atomic_load_n(&pool->global_epoch, __ATOMIC_SEQ_CST));
}

void pt_pool_drain(struct pt_pool *pool)
{
	u32 i;

	pt_epoch_try_advance(pool);
	pt_epoch_try_advance(pool);
	for (i = 0; i < pool->nr_cpus; i++)
		pt_pool_reclaim_list(pool, &pool->cpu[i], pool->global_epoch);
	for (i = 0; i < pool->nr_cpus; i++)
		PT_BUG_ON(pool->cpu[i].nr_retired);
}

u64 pt_pool_pages_in_use(struct pt_pool *pool)
{
	u64 n = 0, i;

	for (i = 0; i < pool->nr_pages; i++) {
		u32 s = __atomic_load_n(&pool->meta[i].state, __ATOMIC_RELAXED);

		n += s == PT_PAGE_USED || s == PT_PAGE_RETIRED;
	}
	return n;
}

static void *pt_pool_phys_to_virt(struct pt *pt, u64 pa)
{
	struct pt_pool *pool = pt->priv;

	return pool->base + (pa - pool->base_pa);
}

static u64 pt_pool_virt_to_phys(struct pt *pt, void *va)
{
	struct pt_pool *pool = pt->priv;

	return pool->base_pa + (u64)((u8 *)va - pool->base);
}

const struct pt_mm_ops pt_pool_mm_ops = {
	.alloc_table = pt_pool_alloc_table,
	.free_table = pt_pool_free_table,
	.retire_table = pt_pool_retire_table,
	.phys_to_virt = pt_pool_phys_to_virt,
	.virt_to_phys = pt_pool_virt_to_phys,
};

int pt_pool_table_init(struct pt_pool *pool, struct pt *pt, const struct pt_fmt *fmt)
{
	u64 *root = pt_pool_alloc_contig(pool, pt_root_bytes(fmt));

	if (!root)
		return -ENOMEM;
	pt_init(pt, fmt, &pt_pool_mm_ops, pool, root);
	/* pt_pool_phys_to_virt() without the call. */
	pt->table_va_linear = true;
	pt->table_va_off = (u64)(uintptr_t)pool->base - pool->base_pa;
	return 0;
}

void pt_pool_table_destroy(struct pt_pool *pool, struct pt *pt)
{
	pt_destroy(pt);
	pt_pool_free_contig(pool, pt->root, pt_root_bytes(pt->fmt));
	pt->root = NULL;
}
