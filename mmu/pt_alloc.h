/* SPDX-License-Identifier: MIT */
/*
 * Table pages: a pool over one physically contiguous region, a per-CPU cache
 * in front of it so that a shared walk never takes a lock to allocate, and
 * epoch-based reclamation of unlinked pages.
 *
 * A CPU is "in an epoch" while it may hold pointers into tables: from
 * pt_epoch_enter() (trap entry, or before a walk) to pt_epoch_exit() (trap
 * return). A page retired at epoch e is unlinked already; every CPU that
 * entered before the unlink has left once the global epoch reaches e + 2,
 * and only then is the page freed.
 */
#ifndef MMU_PT_ALLOC_H
#define MMU_PT_ALLOC_H

#include "atomic.h"
#include "pt.h"

#define PT_MAX_CPUS		64
#define PT_CACHE_PAGES		64
#define PT_CACHE_KEEP		16	/* pages a CPU keeps of those it frees */
#define PT_POOL_PAGE		4096	/* bytes of a table page */
#define PT_POOL_POISON		0xdbdbdbdbdbdbdbdbull

enum pt_page_state {
	PT_PAGE_FREE,		/* in the pool (0: what cleared bookkeeping says) */
	PT_PAGE_RESERVED,	/* pool metadata */
	PT_PAGE_CACHED,		/* in a CPU's cache */
	PT_PAGE_USED,		/* a table, or a root */
	PT_PAGE_RETIRED,	/* unlinked, waiting for its grace period */
};

struct pt_page_meta {
	u64 epoch;		/* retire epoch */
	u32 next;		/* retire list link (page index) */
	u32 state;		/* enum pt_page_state */
};

struct pt_pool_cpu {
	u64 epoch;		/* 0: quiescent; else the epoch it entered in */
	u32 epoch_depth;	/* nesting of pt_epoch_enter() */
	u32 nr_cached;
	u32 retired_head, retired_tail;
	u64 nr_retired;
	u64 allocs, frees;	/* table pages taken / given back, this CPU */
	void *cache[PT_CACHE_PAGES];
} __attribute__((aligned(64)));

struct pt_pool {
	struct pt_spinlock lock;
	u8 *base;
	u64 base_pa;
	u64 nr_pages;
	u64 nr_free;		/* in the pool proper, not counting caches */
	u64 hint;
	u64 zeroed;		/* pages from here on were never taken: not zeroed yet */
	u64 *free_bitmap;	/* bit set: page free in the pool */
	struct pt_page_meta *meta;
	u32 nr_cpus;
	bool poison;		/* fill freed pages with PT_POOL_POISON (tests) */
	bool early;		/* boot CPU only, MMU maybe off: no lock taken */
	u64 global_epoch __attribute__((aligned(64)));
	struct pt_pool_cpu cpu[PT_MAX_CPUS];
};

/* mm ops for a struct pt whose priv is its struct pt_pool. */
extern const struct pt_mm_ops pt_pool_mm_ops;

int pt_pool_init(struct pt_pool *pool, void *va, u64 pa, u64 size, u32 nr_cpus);

/*
 * Early: only the boot CPU runs, perhaps with the MMU off (Device memory,
 * where exclusives may not work): the pool takes no lock. Clear it before
 * any other CPU uses the pool.
 */
void pt_pool_set_early(struct pt_pool *pool, bool early);

/* Bytes of @pool itself that pt_pool_init() set: the CPUs past nr_cpus are never used. */
static inline u64 pt_pool_struct_bytes(const struct pt_pool *pool)
{
	return offsetof(struct pt_pool, cpu) + pool->nr_cpus * sizeof(pool->cpu[0]);
}

/* Bytes from the pool's start that were ever written: its bookkeeping and pages taken. */
static inline u64 pt_pool_bytes_zeroed(const struct pt_pool *pool)
{
	return pool->zeroed * PT_POOL_PAGE;
}

/* Contiguous pages, physically aligned to their size (a power of two pages). */
void *pt_pool_alloc_contig(struct pt_pool *pool, u64 bytes);
void pt_pool_free_contig(struct pt_pool *pool, void *va, u64 bytes);

/* Fill this CPU's cache up to @nr pages, outside any walk. */
int pt_cache_topup(struct pt_pool *pool, u32 nr);

/* Give this CPU's cached pages back to the pool (CPU going offline). */
void pt_cache_flush(struct pt_pool *pool);

void pt_epoch_enter(struct pt_pool *pool);
void pt_epoch_exit(struct pt_pool *pool);

/* The same for a hot path that holds this CPU's part of the pool already. */
static inline struct pt_pool_cpu *pt_pool_this_cpu(struct pt_pool *pool)
{
	unsigned int cpu = pt_this_cpu();

	PT_BUG_ON(cpu >= pool->nr_cpus);
	return &pool->cpu[cpu];
}

/* Would pt_cache_topup(@nr) have nothing to do (no retired page, @nr cached)? */
static inline bool pt_cache_ready(const struct pt_pool_cpu *c, u32 nr)
{
	return !c->nr_retired && c->nr_cached >= nr;
}

/* Nests: the trap path may hold an epoch around a fault that takes one too. */
static inline void pt_epoch_enter_cpu(struct pt_pool *pool, struct pt_pool_cpu *c)
{
	u64 e;

	if (c->epoch_depth++)
		return;
	e = __atomic_load_n(&pool->global_epoch, __ATOMIC_SEQ_CST);
	/* Publish "in epoch e" before reading any table entry. */
	pt_store_mb(&c->epoch, e);
}

static inline void pt_epoch_exit_cpu(struct pt_pool_cpu *c)
{
	PT_BUG_ON(!c->epoch_depth);
	if (--c->epoch_depth)
		return;
	__atomic_store_n(&c->epoch, 0, __ATOMIC_RELEASE);
}
/* Advance the epoch if every CPU allows it and free what is past grace. */
void pt_pool_reclaim(struct pt_pool *pool);
/* Every CPU quiescent and idle: free all that any CPU retired (teardown). */
void pt_pool_drain(struct pt_pool *pool);

/* enum pt_page_state of the page at @va (debug checks). */
u32 pt_pool_page_state(struct pt_pool *pool, const void *va);

/* Pages neither free in the pool nor cached: tables, roots, retired ones. */
u64 pt_pool_pages_in_use(struct pt_pool *pool);

/* A table with its root from @pool (zeroed, aligned to its size), no TLB ops yet. */
int pt_pool_table_init(struct pt_pool *pool, struct pt *pt, const struct pt_fmt *fmt);
void pt_pool_table_destroy(struct pt_pool *pool, struct pt *pt);

#endif
