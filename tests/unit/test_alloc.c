// SPDX-License-Identifier: MIT
/* The table page pool: per-CPU caches, epochs and reclamation, one CPU at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"

#define POOL	(1ull << 20)

struct fixture {
	struct th_env *env;
	u64 *page;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	th_fmts_init();
	pt_host_cpu = 0;
	f->env = th_env_new(th_fmt_find("ept-4l"), POOL, 2);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pt_host_cpu = 0;
	th_env_free(f->env);
	free(f);
	return 0;
}

static u32 state_of(struct fixture *f, void *va)
{
	return pt_pool_page_state(&f->env->pool, va);
}

/* A page retired while another CPU is inside an epoch waits for that CPU. */
static void test_retire_waits_for_readers(void **state)
{
	struct fixture *f = *state;
	struct pt *pt = &f->env->pt;
	void *va = pt->mm->alloc_table(pt, 0);
	int i;

	assert_non_null(va);
	pt_host_cpu = 1;
	pt_epoch_enter(&f->env->pool);		/* a walker that may hold va */
	pt_host_cpu = 0;
	pt->mm->retire_table(pt, va);
	for (i = 0; i < 10; i++)
		pt_pool_reclaim(&f->env->pool);
	assert_int_equal(state_of(f, va), PT_PAGE_RETIRED);
	pt_host_cpu = 1;
	pt_epoch_exit(&f->env->pool);
	pt_host_cpu = 0;
	pt_pool_reclaim(&f->env->pool);
	pt_pool_reclaim(&f->env->pool);
	assert_int_equal(state_of(f, va), PT_PAGE_CACHED);
	/* Freed pages are poisoned until handed out again, then zeroed. */
	assert_true(((u64 *)va)[7] == PT_POOL_POISON);
}

/* Epochs nest: an inner exit keeps the CPU in its epoch. */
static void test_epoch_nests(void **state)
{
	struct fixture *f = *state;
	struct pt_pool *pool = &f->env->pool;
	u64 e;

	pt_epoch_enter(pool);
	e = pool->cpu[0].epoch;
	pt_epoch_enter(pool);
	pt_epoch_exit(pool);
	assert_int_equal(pool->cpu[0].epoch, e);
	pt_host_cpu = 1;
	pt_pool_reclaim(pool);
	pt_pool_reclaim(pool);
	pt_pool_reclaim(pool);
	assert_true(pool->global_epoch <= e + 1);
	pt_host_cpu = 0;
	pt_epoch_exit(pool);
	assert_int_equal(pool->cpu[0].epoch, 0);
}

static void test_cache_and_exhaustion(void **state)
{
	struct fixture *f = *state;
	struct pt_pool *pool = &f->env->pool;
	struct pt *pt = &f->env->pt;
	u64 before = pt_pool_pages_in_use(pool);
	void *va;

	assert_int_equal(pt_cache_topup(pool, 8), 0);
	assert_int_equal(pool->cpu[0].nr_cached, 8);
	va = pt->mm->alloc_table(pt, PT_WALK_SHARED);
	assert_int_equal(state_of(f, va), PT_PAGE_USED);
	assert_int_equal(pool->cpu[0].nr_cached, 7);
	assert_int_equal(pt_pool_pages_in_use(pool), before + 1);
	pt->mm->free_table(pt, va);
	assert_int_equal(pt_pool_pages_in_use(pool), before);
	/* A shared walk never falls back to the pool; an exclusive one may. */
	pt_cache_flush(pool);
	assert_null(pt->mm->alloc_table(pt, PT_WALK_SHARED));
	va = pt->mm->alloc_table(pt, 0);
	assert_non_null(va);
	pt->mm->free_table(pt, va);
	/* Asking for more than the pool holds fails, and says so. */
	while (pt_cache_topup(pool, PT_CACHE_PAGES) == 0) {
		while (pool->cpu[0].nr_cached)
			assert_non_null(pt->mm->alloc_table(pt, PT_WALK_SHARED));
	}
	assert_int_equal(pool->nr_free, 0);
	while (pool->cpu[0].nr_cached)	/* what the last, partial top-up got */
		assert_non_null(pt->mm->alloc_table(pt, PT_WALK_SHARED));
	assert_int_equal(pt_map(pt, 0x40000000, 0x1000, 0, PT_PROT_R, 0, PT_WALK_SHARED), -ENOMEM);
}

/*
 * An exclusive map that fills whole tables before linking them runs out of
 * pages in the middle of a batch: what it linked maps right, nothing past
 * it does, no page is lost.
 */
static void test_fill_runs_out(void **state)
{
	struct fixture *f = *state;
	struct pt_pool *pool = &f->env->pool;
	struct pt *pt = &f->env->pt;
	void *held[256];
	struct pt_lookup l;
	u64 before, n = 0, ia = 1ull << 30, oa = 0x80000000, last;

	pt_cache_flush(pool);
	while (pool->nr_free > 6)	/* a level-2 and a level-1 table, four of pages */
		assert_non_null(held[n++] = pt->mm->alloc_table(pt, 0));
	before = pt_pool_pages_in_use(pool);
	assert_int_equal(pt_map(pt, ia, 64ull << 20, oa, PT_PROT_RW, PT_MAP_PAGES_ONLY, 0),
			 -ENOMEM);
	assert_int_equal(pt_pool_pages_in_use(pool), before + 6);
	last = ia + (8ull << 20) - 0x1000;
	assert_int_equal(pt_lookup(pt, last, &l), 0);
	assert_int_equal(l.level, 0);
	assert_int_equal(l.oa, oa + (last - ia));
	assert_int_equal(l.prot & PT_PROT_PERM, PT_PROT_RW);
	assert_int_equal(pt_lookup(pt, ia + (8ull << 20), &l), -ENOENT);
	assert_int_equal(pt_unmap(pt, ia, 64ull << 20, 0), 0);
	while (n)
		pt->mm->free_table(pt, held[--n]);
}

/* Roots are aligned in physical addresses even in a pool that is not. */
static void test_contig_physically_aligned(void **state)
{
	static u8 area[256 << 10] __attribute__((aligned(4096)));
	struct pt_pool *pool = calloc(1, sizeof(*pool));
	u64 pa = 0x80001000;	/* 4 KiB aligned only */
	u64 bytes;

	(void)state;
	assert_int_equal(pt_pool_init(pool, area, pa, sizeof(area), 1), 0);
	for (bytes = 8192; bytes <= 65536; bytes *= 2) {
		u8 *va = pt_pool_alloc_contig(pool, bytes);

		assert_non_null(va);
		assert_true(IS_ALIGNED(pa + (u64)(va - area), bytes));
		pt_pool_free_contig(pool, va, bytes);
	}
	free(pool);
}

static bool page_is_zero(const u8 *va)
{
	for (u32 i = 0; i < 4096; i++)
		if (va[i])
			return false;
	return true;
}

/*
 * A pool over memory holding garbage (the hypervisor's is not cleared at
 * boot): only its bookkeeping is cleared at init, every page is zero when
 * handed out, pages skipped over by an aligned run too, and the pages
 * past the last one taken are left as they were.
 */
static void test_fresh_pages_zeroed_when_taken(void **state)
{
	static u8 area[64 << 12] __attribute__((aligned(4096)));
	struct pt_pool *pool = calloc(1, sizeof(*pool));
	u8 *one, *run, *cached[4];
	u64 reserved;

	(void)state;
	memset(area, 0xa5, sizeof(area));
	assert_int_equal(pt_pool_init(pool, area, 0x80000000, sizeof(area), 1), 0);
	reserved = pool->hint;
	assert_int_equal(pt_pool_bytes_zeroed(pool), reserved * 4096);
	assert_int_equal(area[sizeof(area) - 1], 0xa5);
	one = pt_pool_alloc_contig(pool, 4096);
	assert_true(page_is_zero(one));
	run = pt_pool_alloc_contig(pool, 4 * 4096);	/* 16 KiB aligned: skips pages */
	for (u32 i = 0; i < 4; i++)
		assert_true(page_is_zero(run + i * 4096));
	assert_int_equal(pt_cache_topup(pool, 4), 0);
	for (u32 i = 0; i < 4; i++) {
		cached[i] = pool->cpu[0].cache[i];
		assert_true(page_is_zero(cached[i]));
	}
	/* Everything below the mark that is free is zero: the skipped pages. */
	for (u8 *p = area + reserved * 4096; p < area + pt_pool_bytes_zeroed(pool); p += 4096)
		if (pt_pool_page_state(pool, p) == PT_PAGE_FREE)
			assert_true(page_is_zero(p));
	assert_int_equal(area[sizeof(area) - 1], 0xa5);
	memset(one, 0x5a, 4096);
	pt_pool_free_contig(pool, one, 4096);
	assert_true(page_is_zero(pt_pool_alloc_contig(pool, 4096)));
	free(pool);
}

/* An early pool (boot CPU, MMU off) works without its lock. */
static void test_early_pool(void **state)
{
	struct fixture *f = *state;
	struct pt_pool *pool = &f->env->pool;

	pt_pool_set_early(pool, true);
	assert_int_equal(pt_map(&f->env->pt, 0x40000000, 0x400000, 0x80000000, PT_PROT_RW,
				PT_MAP_PAGES_ONLY, 0), 0);
	assert_int_equal(pool->lock.locked, 0);
	pt_pool_set_early(pool, false);
	assert_int_equal(pt_unmap(&f->env->pt, 0x40000000, 0x400000, 0), 0);
}

static void early_pool_spun(int sig)
{
	static const char msg[] = "test_early_pool_never_locks: the early pool waited for its lock\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

/* Everything the boot CPU does with an early pool: a root, tables, the cache, freeing. */
static int early_build_and_free(struct pt_pool *pool, const struct pt_fmt *fmt,
				struct pt_lookup *l)
{
	struct pt pt;
	int ret = pt_pool_table_init(pool, &pt, fmt);

	if (ret)
		return ret;
	ret = pt_map(&pt, 0x40000000, 0x400000, 0x40000000, PT_PROT_RW, PT_MAP_PAGES_ONLY, 0);
	if (!ret)
		ret = pt_lookup(&pt, 0x40123000, l);
	if (!ret)
		ret = pt_cache_topup(pool, 4);
	pt_cache_flush(pool);
	if (!ret)
		ret = pt_unmap(&pt, 0x40000000, 0x400000, 0);
	pt_pool_table_destroy(pool, &pt);
	pt_pool_drain(pool);
	return ret;
}

/*
 * The lock word is held throughout, as a tripwire: an early pool that took
 * the lock would spin (until the alarm), one that dropped it would clear it.
 */
static void test_early_pool_never_locks(void **state)
{
	static u8 area[256 << 10] __attribute__((aligned(4096)));
	struct pt_pool *pool = calloc(1, sizeof(*pool));
	struct pt_lookup l;
	int ret;

	(void)state;
	th_fmts_init();
	pt_host_cpu = 0;
	assert_int_equal(pt_pool_init(pool, area, 0x80000000, sizeof(area), 1), 0);
	pt_pool_set_early(pool, true);
	pool->lock.locked = 1;
	signal(SIGALRM, early_pool_spun);
	alarm(10);
	ret = early_build_and_free(pool, th_fmt_find("arm64-s1-48")->fmt, &l);
	alarm(0);
	assert_int_equal(ret, 0);
	assert_true(l.oa == 0x40123000 && l.level == 0);
	assert_int_equal(pool->lock.locked, 1);
	assert_int_equal(pt_pool_pages_in_use(pool), 0);
	free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_retire_waits_for_readers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoch_nests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_and_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_runs_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_pool, setup, teardown),
		cmocka_unit_test(test_early_pool_never_locks),
		cmocka_unit_test(test_contig_physically_aligned),
		cmocka_unit_test(test_fresh_pages_zeroed_when_taken),
	};

	return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
