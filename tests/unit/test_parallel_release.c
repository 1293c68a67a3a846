// SPDX-License-Identifier: MIT
/*
 * HYP_MEM_RELEASE against faults in the same 2 MiB ranges (ASan and TSan
 * builds). NR_VCPUS threads play a guest's vCPUs. Each owns chunks of
 * CHUNK pages spread over every range (some chunks straddle two ranges),
 * and touches only its own pages, as the release contract asks: fill them
 * (so ranges fill up and collapse into blocks), write a marker, release a
 * run of them, and touch them again. After EVERY successful release each
 * released page must be unmapped in the table, and its next touch must read
 * zeros, not the marker. Meanwhile the other vCPUs fault, mark and release
 * their own pages of the same ranges, which splits and collapses the blocks
 * under the release.
 *
 * A guest touch is what the hardware does: a translation through the table
 * if there is one, else a stage-2 fault (s2_mem_fault) until there is.
 *
 * More vCPUs than host CPUs, and the TLB invalidation of a block being split
 * or unmapped yields the CPU: on hardware a broadcast invalidation waits for
 * every other CPU, and under QEMU a vCPU thread may lose its host CPU
 * anywhere. That widens the window between a table update and the walker's
 * next read of the entry. A vCPU told -EAGAIN yields too (it re-enters the
 * guest), so that one preempted in a frozen window is not spun against.
 * TEST_RELEASE_ITERS overrides the number of releases per vCPU.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "harness.h"
#include "s2_mem.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define RAM_GPA		0x80000000ull
#define NR_RANGES	4
#define RAM_SIZE	(NR_RANGES * SZ_2M)
#define RAM_PAGES	(RAM_SIZE / SZ_4K)
#define HOST_PA		0x4000000000ull
#define NR_VCPUS	8		/* on few host CPUs: vCPUs lose their CPU anywhere */
#define CPU_MAIN	NR_VCPUS
#define CHUNK		8		/* pages a vCPU owns in a row */
#define CHUNK_SHIFT	4		/* chunks start 4 pages off: some straddle ranges */
#define MARK_OFFS	{ 0, 0x808, SZ_4K - 8 }
#define POOL_BYTES	(16ull << 20)
/* Releases per vCPU per format: catches today's walker/s2_mem race 20 times in 20. */
#if defined(__SANITIZE_THREAD__)
#define DEFAULT_ITERS	200
#else
#define DEFAULT_ITERS	1000
#endif

struct rel {
	struct th_env *env;
	struct s2_mem mem;
	u8 *backing;
	u64 *bitmaps;
	u64 expect[RAM_PAGES];		/* 0: reads zero; else the marker: owner only */
	unsigned int iters;
	bool hostile;			/* vCPUs also touch others' pages, released or not */
	u64 run[NR_VCPUS];		/* hostile: each vCPU's run being released, first << 8 | n */
	u64 releases, pages_released, intrusions;
	int failed;
	char why[256];
};

struct vcpu {
	struct rel *r;
	unsigned int cpu;
	u64 rng;
};

static const u64 mark_offs[] = MARK_OFFS;

static void rel_fail(struct rel *r, const char *why, u64 page)
{
	if (!__atomic_exchange_n(&r->failed, 1, __ATOMIC_SEQ_CST))
		snprintf(r->why, sizeof(r->why), "%s (page %llu, range %llu)", why,
			 (unsigned long long)page, (unsigned long long)(page * SZ_4K / SZ_2M));
}

static bool rel_failed(struct rel *r)
{
	return __atomic_load_n(&r->failed, __ATOMIC_RELAXED);
}

static u64 gpa_of(u64 page)
{
	return RAM_GPA + page * SZ_4K;
}

static unsigned int owner_of(u64 page)
{
	return (unsigned int)(((page + CHUNK_SHIFT) / CHUNK) % NR_VCPUS);
}

/* [first, end) of the chunk holding @page. */
static void chunk_of(u64 page, u64 *first, u64 *end)
{
	u64 base = (page + CHUNK_SHIFT) / CHUNK * CHUNK;

	*first = base < CHUNK_SHIFT ? 0 : base - CHUNK_SHIFT;
	*end = MIN(base + CHUNK - CHUNK_SHIFT, RAM_PAGES);
}

/* The table's translation of @page: 0, -ENOENT; never -EAGAIN. */
static int rel_lookup(struct rel *r, u64 page, struct pt_lookup *l)
{
	int ret;

	do {
		pt_epoch_enter(&r->env->pool);
		ret = pt_lookup(&r->env->pt, gpa_of(page), l);
		pt_epoch_exit(&r->env->pool);
		if (ret == -EAGAIN)
			sched_yield();
	} while (ret == -EAGAIN);
	return ret;
}

/* A guest access: through the table if it maps the page, else fault until it does. */
static void guest_touch(struct rel *r, u64 page)
{
	struct pt_lookup l;
	int ret;

	while (!rel_failed(r)) {
		if (!rel_lookup(r, page, &l)) {
			if (l.oa != HOST_PA + page * SZ_4K)
				rel_fail(r, "page mapped to another page's backing", page);
			return;
		}
		ret = s2_mem_fault(&r->mem, gpa_of(page));
		if (ret && ret != -EAGAIN) {
			rel_fail(r, "fault failed", page);
			return;
		}
		if (ret)
			sched_yield();		/* re-enter the guest */
	}
}

static u64 *word_at(struct rel *r, u64 page, u64 off)
{
	return (u64 *)(r->backing + page * SZ_4K + off);
}

/* Touch the page, check it holds what we left there, leave a new marker. */
static void guest_check_and_mark(struct rel *r, u64 page, u64 marker)
{
	unsigned int i;

	guest_touch(r, page);
	if (rel_failed(r))
		return;
	for (i = 0; i < ARRAY_SIZE(mark_offs); i++) {
		u64 v = *word_at(r, page, mark_offs[i]);

		if (v != r->expect[page]) {
			char why[160];

			snprintf(why, sizeof(why), "%s: word at 0x%llx is 0x%llx, expected 0x%llx",
				 r->expect[page] ? "a guest write was lost"
						 : "a released page read back its old contents",
				 (unsigned long long)mark_offs[i], (unsigned long long)v,
				 (unsigned long long)r->expect[page]);
			rel_fail(r, why, page);
			return;
		}
	}
	for (i = 0; i < ARRAY_SIZE(mark_offs); i++)
		*word_at(r, page, mark_offs[i]) = marker;
	r->expect[page] = marker;
}

/*
 * Right after a successful release: unmapped. A hostile vCPU may have
 * touched it since, but then it was filled anew: zeros, never our marker.
 */
static bool released_page_ok(struct rel *r, u64 page)
{
	struct pt_lookup l;
	char why[160];
	unsigned int i;

	if (rel_lookup(r, page, &l))
		return true;
	if (r->hostile) {
		for (i = 0; i < ARRAY_SIZE(mark_offs); i++)
			if (*word_at(r, page, mark_offs[i]))
				break;
		if (i == ARRAY_SIZE(mark_offs))
			return true;
		snprintf(why, sizeof(why),
			 "a page released with success is mapped again with its old contents "
			 "(level %u)", l.level);
	} else {
		snprintf(why, sizeof(why), "a page released with success is still mapped (level %u)",
			 l.level);
	}
	rel_fail(r, why, page);
	return false;
}

/* Hostile: touch pages of another vCPU's run being released (without looking inside). */
static void intrude(struct vcpu *v)
{
	struct rel *r = v->r;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		u64 run = __atomic_load_n(&r->run[th_rand_below(&v->rng, NR_VCPUS)],
					  __ATOMIC_RELAXED);

		if (!run || owner_of(run >> 8) == v->cpu)
			continue;
		guest_touch(r, (run >> 8) + th_rand_below(&v->rng, run & 0xff));
		__atomic_fetch_add(&r->intrusions, 1, __ATOMIC_RELAXED);
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct rel *r = v->r;
	u64 page, i, first, end, a, n, q, marks = 0;
	int ret;

	pt_host_cpu = v->cpu;
	/* Fill every page we own: with the other vCPUs' pages the ranges fill and collapse. */
	for (page = 0; page < RAM_PAGES && !rel_failed(r); page++)
		if (owner_of(page) == v->cpu)
			guest_check_and_mark(r, page, ((u64)v->cpu << 56) | ++marks);
	for (i = 0; i < r->iters && !rel_failed(r); i++) {
		/* A run of our pages, marked, released, then touched again. */
		do
			page = th_rand_below(&v->rng, RAM_PAGES);
		while (owner_of(page) != v->cpu);
		chunk_of(page, &first, &end);
		a = first + th_rand_below(&v->rng, end - first);
		n = 1 + th_rand_below(&v->rng, end - a);
		for (q = a; q < a + n; q++)
			guest_check_and_mark(r, q, ((u64)v->cpu << 56) | ++marks);
		if (r->hostile) {
			__atomic_store_n(&r->run[v->cpu], a << 8 | n, __ATOMIC_RELAXED);
			intrude(v);
		}
		ret = s2_mem_release(&r->mem, gpa_of(a), n * SZ_4K);
		if (ret) {
			rel_fail(r, "release failed", a);
			break;
		}
		__atomic_fetch_add(&r->releases, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&r->pages_released, n, __ATOMIC_RELAXED);
		for (q = a; q < a + n; q++) {
			if (!released_page_ok(r, q))
				break;
			r->expect[q] = 0;
		}
		if (r->hostile) {
			intrude(v);
			__atomic_store_n(&r->run[v->cpu], 0, __ATOMIC_RELAXED);
		}
		/* The next touch fills them anew: zeros. Their ranges fill up again. */
		for (q = a; q < a + n && !rel_failed(r); q++)
			guest_check_and_mark(r, q, ((u64)v->cpu << 56) | ++marks);
	}
	return NULL;
}

/*
 * Invalidating a block that was split (or unmapped) gives the CPU away; a
 * collapse's does not. Only where the new entry is already live: with
 * break-before-make (Arm) the entry is still frozen here, and a yield
 * would only have the other vCPUs spin against it.
 */
static void slow_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	(void)ia;
	(void)size;
	if (level >= 1 && !(why & PT_INVAL_TABLE) && !(pt->fmt->flags & PT_FMT_SPLIT_BBM))
		sched_yield();
}

static const struct pt_tlb_ops slow_tlb_ops = {
	.inval = slow_tlb_inval,
};

static unsigned int iters_from_env(void)
{
	const char *s = getenv("TEST_RELEASE_ITERS");

	return s ? (unsigned int)strtoul(s, NULL, 0) : DEFAULT_ITERS;
}

static void run_release(const char *fmt_name, u64 seed, bool hostile)
{
	struct rel *r = calloc(1, sizeof(*r));
	struct vcpu v[NR_VCPUS];
	pthread_t tid[NR_VCPUS];
	char why[sizeof(r->why)];
	struct timespec t0, t1;
	u64 page;
	unsigned int i;
	int failed;

	assert_non_null(r);
	r->env = th_env_new(th_fmt_find(fmt_name), POOL_BYTES, NR_VCPUS + 1);
	pt_set_tlb_ops(&r->env->pt, &slow_tlb_ops, NULL);
	r->iters = iters_from_env();
	r->hostile = hostile;
	r->backing = aligned_alloc(SZ_2M, RAM_SIZE);
	memset(r->backing, 0xee, RAM_SIZE);	/* never read before a fill */
	r->bitmaps = calloc(1, s2_mem_bitmaps_size(RAM_SIZE));
	assert_int_equal(s2_mem_init(&r->mem, &r->env->pool, &r->env->pt, RAM_GPA, RAM_SIZE,
				     HOST_PA, r->backing, r->bitmaps), 0);
	pt_host_cpu = CPU_MAIN;
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA + RAM_SIZE, SZ_4K), -EINVAL);
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA + 8, SZ_4K), -EINVAL);
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA, 0), -EINVAL);
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA + SZ_4K, RAM_SIZE), -EINVAL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < NR_VCPUS; i++) {
		v[i] = (struct vcpu){ .r = r, .cpu = i, .rng = seed + i };
		pthread_create(&tid[i], NULL, vcpu_thread, &v[i]);
	}
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(tid[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pt_host_cpu = CPU_MAIN;

	/* Quiescent: every page was left touched, so filled, mapped, holding its last marker. */
	for (page = 0; page < RAM_PAGES && !r->failed; page++) {
		struct pt_lookup l;

		if (rel_lookup(r, page, &l) || l.oa != HOST_PA + page * SZ_4K)
			rel_fail(r, "not mapped to its backing at the end", page);
		else if (*word_at(r, page, 0) != r->expect[page])
			rel_fail(r, "lost its last marker", page);
		else if (!(r->mem.claimed[page / 64] & r->mem.present[page / 64] & BIT(page % 64)))
			rel_fail(r, "mapped at the end but not claimed and present", page);
	}
	if (!r->failed)
		print_message("%s%s: %llu releases (%llu pages), %llu fills, %llu collapses, "
			      "%llu touches of others' pages, %.2f s\n", fmt_name,
			      hostile ? " hostile" : "",
			      (unsigned long long)r->releases,
			      (unsigned long long)r->pages_released,
			      (unsigned long long)r->mem.nr_faults,
			      (unsigned long long)r->mem.nr_collapses,
			      (unsigned long long)r->intrusions,
			      (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9);
	failed = r->failed;
	snprintf(why, sizeof(why), "%s", r->why);
	pt_pool_table_destroy(&r->env->pool, &r->env->pt);
	th_env_free(r->env);
	free(r->bitmaps);
	free(r->backing);
	free(r);
	if (failed)
		fail_msg("%s: %s (seed 0x%llx)", fmt_name, why, (unsigned long long)seed);
}

static void test_release_arm64(void **state)
{
	(void)state;
	run_release("arm64-s2-40-l1", th_seed(0x7e1a), false);
}

static void test_release_ept(void **state)
{
	(void)state;
	run_release("ept-4l", th_seed(0x7e1b), false);
}

static void test_release_sv39x4(void **state)
{
	(void)state;
	run_release("sv39x4", th_seed(0x7e1c), false);
}

/* The guest breaks the contract: it must not see old contents nor lose writes. */
static void test_release_hostile_arm64(void **state)
{
	(void)state;
	run_release("arm64-s2-40-l1", th_seed(0x7e1d), true);
}

static void test_release_hostile_ept(void **state)
{
	(void)state;
	run_release("ept-4l", th_seed(0x7e1e), true);
}

static bool all_set(const u64 *map, u64 first, u64 n, bool set)
{
	u64 page;

	for (page = first; page < first + n; page++)
		if (!!(map[page / 64] & BIT(page % 64)) != set)
			return false;
	return true;
}

static int lookup_level(struct th_env *env, u64 page)
{
	struct pt_lookup l;
	int ret;

	while ((ret = pt_lookup(&env->pt, gpa_of(page), &l)) == -EAGAIN)
		;
	return ret ? ret : (int)l.level;
}

/*
 * All or nothing: a release that needs a table page (to split a block) and
 * finds none changes nothing; one of whole 2 MiB ranges needs none.
 */
static void test_release_nomem(void **state)
{
	struct th_env *env = th_env_new(th_fmt_find("arm64-s2-40-l1"), 256 << 10, NR_VCPUS + 1);
	u64 *bitmaps = calloc(1, s2_mem_bitmaps_size(RAM_SIZE));
	u8 *backing = aligned_alloc(SZ_2M, RAM_SIZE);
	const u64 per_range = SZ_2M / SZ_4K;
	struct s2_mem m;
	unsigned int cpu;
	u64 page;

	(void)state;
	assert_int_equal(s2_mem_init(&m, &env->pool, &env->pt, RAM_GPA, RAM_SIZE, HOST_PA,
				     backing, bitmaps), 0);
	pt_host_cpu = CPU_MAIN;
	for (page = 0; page < 2 * per_range; page++) {
		while (s2_mem_fault(&m, gpa_of(page)) == -EAGAIN)
			;
		*(u64 *)(backing + page * SZ_4K) = 0x5eed0000 + page;
	}
	assert_int_equal(lookup_level(env, 5), 1);	/* collapsed */
	/* Every free table page into the other CPUs' caches, none in ours. */
	pt_cache_flush(&env->pool);
	for (cpu = 0; cpu < NR_VCPUS; cpu++) {
		pt_host_cpu = cpu;
		pt_cache_topup(&env->pool, PT_CACHE_PAGES);
	}
	pt_host_cpu = CPU_MAIN;
	assert_int_equal(env->pool.nr_free, 0);

	assert_int_equal(s2_mem_release(&m, gpa_of(5), 3 * SZ_4K), -ENOMEM);
	assert_int_equal(s2_mem_release(&m, gpa_of(per_range - 2), 4 * SZ_4K), -ENOMEM);
	for (page = 0; page < 2 * per_range; page++) {
		assert_int_equal(lookup_level(env, page), 1);
		assert_int_equal(*(u64 *)(backing + page * SZ_4K), 0x5eed0000 + page);
	}
	assert_true(all_set(m.claimed, 0, 2 * per_range, true));
	assert_true(all_set(m.present, 0, 2 * per_range, true));

	/* Whole ranges: no split, no table page needed. */
	assert_int_equal(s2_mem_release(&m, gpa_of(per_range), SZ_2M), 0);
	assert_int_equal(lookup_level(env, per_range), -ENOENT);
	assert_int_equal(lookup_level(env, per_range - 1), 1);
	assert_true(all_set(m.claimed, per_range, per_range, false));
	assert_true(all_set(m.present, per_range, per_range, false));

	/* Pages back: the same partial release now succeeds, and only it. */
	for (cpu = 0; cpu < NR_VCPUS; cpu++) {
		pt_host_cpu = cpu;
		pt_cache_flush(&env->pool);
	}
	pt_host_cpu = CPU_MAIN;
	assert_int_equal(s2_mem_release(&m, gpa_of(5), 3 * SZ_4K), 0);
	for (page = 0; page < per_range; page++) {
		bool released = page >= 5 && page < 8;

		assert_int_equal(lookup_level(env, page), released ? -ENOENT : 0);
		assert_true(all_set(m.present, page, 1, !released));
		assert_true(all_set(m.claimed, page, 1, !released));
		if (!released)
			assert_int_equal(*(u64 *)(backing + page * SZ_4K), 0x5eed0000 + page);
	}
	assert_int_equal(s2_mem_fault(&m, gpa_of(6)), 0);
	assert_int_equal(*(u64 *)(backing + 6 * SZ_4K), 0);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
	free(backing);
	free(bitmaps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_arm64),
		cmocka_unit_test(test_release_ept),
		cmocka_unit_test(test_release_sv39x4),
		cmocka_unit_test(test_release_hostile_arm64),
		cmocka_unit_test(test_release_hostile_ept),
		cmocka_unit_test(test_release_nomem),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
