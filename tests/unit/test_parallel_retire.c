// SPDX-License-Identifier: MIT
/*
 * Retired table pages come back without depending on other CPUs' faults
 * (ASan and TSan builds). One thread churns like the drain attack: it
 * fills a 2 MiB range (it collapses into a block), releases one page (the
 * block is split: a new table) and then the rest (the table is retired),
 * over and over on a few ranges. Another thread only idles, taking back
 * what it retired (none) as an idle vCPU does. The churner's retired pages
 * and the pool's pages in use must stay bounded all along: a page retired
 * is freed within a couple of its own later calls.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "s2_mem.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define RAM_GPA		0x80000000ull
#define RANGES		4ull
#define RAM_SIZE	(RANGES * SZ_2M)
#define HOST_PA		0x4000000000ull
#define POOL_BYTES	(256ull << 10)
#define CPU_CHURN	0
#define CPU_IDLE	1
#define ROUNDS_DEFAULT	100
/* A range's tables, twice over (one retired, one new), plus the CPU's cache. */
#define RETIRED_BOUND	(2 * RANGES + PT_CACHE_KEEP)

struct retire {
	struct th_env *env;
	struct s2_mem mem;
	u8 *backing;
	u64 *bitmaps;
	u32 rounds;
	u32 stop;
	u64 max_retired, max_in_use, failed;
};

static void churn_range(struct retire *t, u64 gpa)
{
	for (u64 a = gpa; a < gpa + SZ_2M; a += SZ_4K)
		while (s2_mem_fault(&t->mem, a) == -EAGAIN)
			;
	if (s2_mem_release(&t->mem, gpa, SZ_4K) ||
	    s2_mem_release(&t->mem, gpa + SZ_4K, SZ_2M - SZ_4K))
		t->failed++;
	pt_pool_reclaim(&t->env->pool);	/* where pages are retired: vm_release */
}

static void *churn_thread(void *arg)
{
	struct retire *t = arg;
	struct pt_pool_cpu *c = &t->env->pool.cpu[CPU_CHURN];

	pt_host_cpu = CPU_CHURN;
	for (u32 r = 0; r < t->rounds; r++) {
		for (u64 i = 0; i < RANGES; i++)
			churn_range(t, RAM_GPA + i * SZ_2M);
		t->max_retired = MAX(t->max_retired, c->nr_retired);
		t->max_in_use = MAX(t->max_in_use, pt_pool_pages_in_use(&t->env->pool));
	}
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *idle_thread(void *arg)
{
	struct retire *t = arg;

	pt_host_cpu = CPU_IDLE;
	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE))
		pt_pool_reclaim(&t->env->pool);	/* vcpu_wait(): an idle CPU */
	return NULL;
}

static void test_retired_bounded(void **state)
{
	struct retire *t = calloc(1, sizeof(*t));
	const char *env_rounds = getenv("TEST_RETIRE_ROUNDS");
	pthread_t churn, idle;

	(void)state;
	assert_non_null(t);
	t->rounds = env_rounds ? (u32)strtoul(env_rounds, NULL, 0) : ROUNDS_DEFAULT;
	t->env = th_env_new(th_fmt_find("arm64-s2-40-l1"), POOL_BYTES, 2);
	t->backing = aligned_alloc(SZ_2M, RAM_SIZE);
	t->bitmaps = calloc(1, s2_mem_bitmaps_size(RAM_SIZE));
	assert_non_null(t->backing);
	assert_int_equal(s2_mem_init(&t->mem, &t->env->pool, &t->env->pt, RAM_GPA, RAM_SIZE,
				     HOST_PA, t->backing, t->bitmaps), 0);
	pthread_create(&idle, NULL, idle_thread, t);
	pthread_create(&churn, NULL, churn_thread, t);
	pthread_join(churn, NULL);
	pthread_join(idle, NULL);
	print_message("retire: %u rounds, at most %llu retired, %llu pages in use\n", t->rounds,
		      (unsigned long long)t->max_retired, (unsigned long long)t->max_in_use);
	assert_int_equal(t->failed, 0);
	assert_true(t->max_retired <= RETIRED_BOUND);
	assert_true(t->max_in_use <= 2 + 2 * (RANGES + 1) + PT_CACHE_PAGES);
	free(t->bitmaps);
	free(t->backing);
	th_env_free(t->env);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retired_bounded),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("retire", tests, NULL, NULL);
}
