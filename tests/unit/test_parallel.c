// SPDX-License-Identifier: MIT
/*
 * The shared fault path under contention: NR_FAULTERS threads fault random,
 * overlapping pages into one stage-2 table while NR_CHURNERS threads split,
 * collapse and unmap under them (and race each other). Built with ThreadSanitizer as well as
 * ASan/UBSan. Afterwards no mapping is lost or wrong, no table page leaked
 * or freed twice, and no TLB model holds a translation the table lost.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <cmocka.h>

#include "harness.h"
#include "pt_fault.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define REGION		(16 * SZ_2M)		/* A: faults, splits, collapses */
#define NR_PAGES	(2 * REGION / SZ_4K)	/* A then B: B is also unmapped */
#define OA_BASE		0x4000000000ull
#define NR_FAULTERS	4
#define NR_CHURNERS	2
#define NR_THREADS	(NR_FAULTERS + NR_CHURNERS)
#define CPU_MAIN	NR_THREADS
#define NR_CPUS		(NR_THREADS + 1)
#define POOL		(64ull << 20)
/* Out of pages while reclamation waits on a preempted thread's epoch: retry. */
#define NOMEM_RETRIES	100000
#define MIN_CHURN_OPS	1500

struct par {
	struct th_env *env;
	u64 faulted[NR_PAGES / 64];	/* region A pages some fault mapped */
	/* Region B: unmaps of each page begun and finished, to tell an unmap from a loss. */
	u32 unmap_begun[NR_PAGES], unmap_done[NR_PAGES];
	unsigned int faults_per_thread;
	int stop;
	int failed;
	char why[512];
	char tlb_why[512];
	u64 seed;
	u64 churn_ops, churn_fail, fault_retries;
	bool no_unmap;			/* split/collapse only: the fastest churn */
	/* Operations hold it shared; a TLB check holds it alone, between operations. */
	pthread_rwlock_t ops_lock;
};

struct worker {
	struct par *p;
	unsigned int cpu;
	u64 rng;
};

static u32 par_prot(void)
{
	return PT_PROT_RW | PT_PROT_X;
}

static void par_fail(struct par *p, const char *fmt, const char *what)
{
	if (!__atomic_exchange_n(&p->failed, 1, __ATOMIC_SEQ_CST))
		snprintf(p->why, sizeof(p->why), "%s: %s", fmt, what);
}

static void par_fault(struct par *p, u64 ia)
{
	int ret;

	unsigned int nomem = 0;

	while ((ret = pt_fault_map(&p->env->pool, &p->env->pt, ia, SZ_4K, OA_BASE + ia,
				   par_prot())) == -EAGAIN ||
	       (ret == -ENOMEM && nomem++ < NOMEM_RETRIES)) {
		__atomic_fetch_add(&p->fault_retries, 1, __ATOMIC_RELAXED);
		if (ret == -ENOMEM)
			sched_yield();
	}
	if (ret)
		par_fail(p, p->env->tf->name, "fault failed");
}

static u32 par_load(const u32 *v)
{
	return __atomic_load_n(v, __ATOMIC_SEQ_CST);
}

/*
 * Right after our fault returns the page must be mapped, correctly, unless
 * (region B) an unmap of it overlapped the fault. Anything else is a lost
 * mapping, e.g. an install into a table that was being freed.
 */
static void par_check_fresh(struct par *p, u64 ia, u32 begun, u32 done)
{
	u64 page = ia / SZ_4K;
	struct pt_lookup l;
	int ret;

	do {
		pt_epoch_enter(&p->env->pool);
		ret = pt_lookup(&p->env->pt, ia, &l);
		pt_epoch_exit(&p->env->pool);
	} while (ret == -EAGAIN);
	if (ret == 0 && l.oa != OA_BASE + ia) {
		char msg[160];

		snprintf(msg, sizeof(msg), "ia 0x%llx maps 0x%llx (level %u pte 0x%llx), not 0x%llx",
			 (unsigned long long)ia, (unsigned long long)l.oa, l.level,
			 (unsigned long long)l.pte, (unsigned long long)(OA_BASE + ia));
		par_fail(p, p->env->tf->name, msg);
	}
	if (ret && begun == done && par_load(&p->unmap_begun[page]) == begun)
		par_fail(p, p->env->tf->name, "a mapping was lost with no unmap of it");
}

static void *faulter(void *arg)
{
	struct worker *w = arg;
	struct par *p = w->p;
	unsigned int i;

	pt_host_cpu = w->cpu;
	/* Keep faulting until the churners have done their share too. */
	for (i = 0; (i < p->faults_per_thread ||
		     __atomic_load_n(&p->churn_ops, __ATOMIC_RELAXED) < MIN_CHURN_OPS) &&
		    !__atomic_load_n(&p->failed, __ATOMIC_RELAXED); i++) {
		u64 page = th_rand_below(&w->rng, NR_PAGES);
		u64 ia = page * SZ_4K;
		u32 done = par_load(&p->unmap_done[page]);
		u32 begun = par_load(&p->unmap_begun[page]);

		par_fault(p, ia);
		if (ia < REGION)
			__atomic_fetch_or(&p->faulted[page / 64], BIT(page % 64), __ATOMIC_RELAXED);
		par_check_fresh(p, ia, begun, done);
		th_tlb_fill(p->env, w->cpu, ia);
	}
	return NULL;
}

static void par_count_unmaps(u32 *counts, u64 ia, u64 size)
{
	u64 page;

	for (page = ia / SZ_4K; page < (ia + size) / SZ_4K; page++)
		__atomic_fetch_add(&counts[page], 1, __ATOMIC_SEQ_CST);
}

static int churn_unmap(struct par *p, u64 ia, u64 size)
{
	int ret;

	par_count_unmaps(p->unmap_begun, ia, size);
	ret = pt_unmap(&p->env->pt, ia, size, PT_WALK_SHARED);
	par_count_unmaps(p->unmap_done, ia, size);
	return ret;
}

static int churn_one(struct par *p, u64 *rng)
{
	struct pt *pt = &p->env->pt;
	u64 block = th_rand_below(rng, 2 * REGION / SZ_2M) * SZ_2M;
	u64 r = th_rand_below(rng, 10);
	u64 off = th_rand_below(rng, 512) * SZ_4K;

	if (r < 3)
		return pt_split(pt, block, SZ_2M, 0, PT_WALK_SHARED);
	if (r < 6 || block < REGION || p->no_unmap) {
		int ret = pt_collapse(pt, block, 1, PT_WALK_SHARED);

		return ret == -EINVAL || ret == -ENOENT ? 0 : ret;
	}
	if (r < 8)
		return churn_unmap(p, block + off, MIN(SZ_2M - off, 64 * SZ_4K));
	return churn_unmap(p, block, SZ_2M);
}

static void *churner(void *arg)
{
	struct worker *w = arg;
	struct par *p = w->p;
	unsigned int nomem = 0;

	pt_host_cpu = w->cpu;
	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&p->failed, __ATOMIC_RELAXED)) {
		int ret;

		if (pt_cache_topup(&p->env->pool, PT_CACHE_PAGES)) {
			if (++nomem > NOMEM_RETRIES)
				par_fail(p, p->env->tf->name, "pool exhausted");
			sched_yield();
			continue;
		}
		pthread_rwlock_rdlock(&p->ops_lock);
		pt_epoch_enter(&p->env->pool);
		ret = churn_one(p, &w->rng);
		pt_epoch_exit(&p->env->pool);
		pthread_rwlock_unlock(&p->ops_lock);
		__atomic_fetch_add(&p->churn_ops, 1, __ATOMIC_RELAXED);
		if (ret == -EAGAIN || ret == -ENOMEM) {
			__atomic_fetch_add(&p->churn_fail, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (ret)
			par_fail(p, p->env->tf->name, "split/collapse/unmap failed");
		pthread_rwlock_wrlock(&p->ops_lock);
		if (!th_tlb_check(p->env, p->tlb_why, sizeof(p->tlb_why)))
			par_fail(p, p->env->tf->name, p->tlb_why);
		pthread_rwlock_unlock(&p->ops_lock);
	}
	return NULL;
}

static void par_final_check(struct par *p)
{
	char why[512];
	u64 page;

	for (page = 0; page < NR_PAGES && !p->failed; page++) {
		u64 ia = page * SZ_4K;
		struct ref_result r;
		bool faulted = p->faulted[page / 64] & BIT(page % 64);

		if (page < REGION / SZ_4K && faulted) {
			if (!th_expect_mapped(p->env, ia, OA_BASE + ia, par_prot(), why, sizeof(why)))
				par_fail(p, "region A", why);
		} else if (th_ref(p->env, ia, &r) == REF_OK && r.pa != OA_BASE + ia) {
			par_fail(p, p->env->tf->name, "region B maps a wrong address");
		}
	}
	if (!p->failed && !th_tlb_check(p->env, why, sizeof(why)))
		par_fail(p, "final", why);
}

static void run_parallel(const char *name, u64 seed, unsigned int faults, bool no_unmap)
{
	struct par *p = calloc(1, sizeof(*p));
	struct worker w[NR_THREADS];
	pthread_t tid[NR_THREADS];
	unsigned int i;

	p->env = th_env_new(th_fmt_find(name), POOL, NR_CPUS);
	p->faults_per_thread = faults;
	p->seed = seed;
	p->no_unmap = no_unmap;
	pthread_rwlock_init(&p->ops_lock, NULL);
	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .p = p, .cpu = i, .rng = seed * 31 + i };
		assert_int_equal(pthread_create(&tid[i], NULL, i < NR_FAULTERS ? faulter : churner,
						&w[i]), 0);
	}
	for (i = 0; i < NR_FAULTERS; i++)
		pthread_join(tid[i], NULL);
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
	for (i = NR_FAULTERS; i < NR_THREADS; i++)
		pthread_join(tid[i], NULL);
	pthread_rwlock_destroy(&p->ops_lock);

	pt_host_cpu = CPU_MAIN;
	par_final_check(p);
	if (p->failed)
		fail_msg("%s seed 0x%llx: %s", name, (unsigned long long)seed, p->why);
	print_message("%s: %u faults x %u threads (%llu retried), %llu concurrent "
		      "split/collapse/unmap in %u threads (%llu retried), %llu TLB invalidations\n",
		      name, faults, NR_FAULTERS, (unsigned long long)p->fault_retries,
		      (unsigned long long)p->churn_ops, NR_CHURNERS, (unsigned long long)p->churn_fail,
		      (unsigned long long)p->env->nr_inval);
	assert_int_equal(pt_unmap(&p->env->pt, 0, 2 * REGION, 0), 0);
	pt_pool_drain(&p->env->pool);
	assert_int_equal(pt_pool_pages_in_use(&p->env->pool), pt_root_bytes(p->env->tf->fmt) / SZ_4K);
	pt_pool_table_destroy(&p->env->pool, &p->env->pt);
	th_env_free(p->env);
	free(p);
}

static unsigned int par_faults(void)
{
	const char *s = getenv("TEST_FAULTS");

	return s ? (unsigned int)atoi(s) : 20000;
}

#define PARALLEL_TEST(fn, fmt, seed, no_unmap)				\
	static void fn(void **state)					\
	{								\
		(void)state;						\
		run_parallel(fmt, th_seed(seed), par_faults(), no_unmap);	\
	}
PARALLEL_TEST(test_parallel_ept, "ept-4l", 0xfa01, false)
PARALLEL_TEST(test_parallel_arm64_s2, "arm64-s2-40-l1", 0xfa02, false)
PARALLEL_TEST(test_parallel_sv39x4, "sv39x4", 0xfa03, false)
PARALLEL_TEST(test_parallel_ept_split_collapse, "ept-4l", 0xfa04, true)
PARALLEL_TEST(test_parallel_arm64_s2_split_collapse, "arm64-s2-40-l1", 0xfa05, true)
PARALLEL_TEST(test_parallel_sv39x4_split_collapse, "sv39x4", 0xfa06, true)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parallel_ept),
		cmocka_unit_test(test_parallel_arm64_s2),
		cmocka_unit_test(test_parallel_sv39x4),
		cmocka_unit_test(test_parallel_ept_split_collapse),
		cmocka_unit_test(test_parallel_arm64_s2_split_collapse),
		cmocka_unit_test(test_parallel_sv39x4_split_collapse),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("parallel", tests, NULL, NULL);
}
