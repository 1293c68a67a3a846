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
#define DEFAULT_ITERS	300
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
	u64 releases, pages_released;
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
		ret = s2_mem_release(&r->mem, gpa_of(a), n * SZ_4K);
		if (ret) {
			rel_fail(r, "release failed", a);
			break;
		}
		__atomic_fetch_add(&r->releases, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&r->pages_released, n, __ATOMIC_RELAXED);
		for (q = a; q < a + n; q++) {
			struct pt_lookup l;

			if (!rel_lookup(r, q, &l)) {
				char why[160];

				snprintf(why, sizeof(why),
					 "a page released with success is still mapped (level %u)",
					 l.level);
				rel_fail(r, why, q);
				break;
			}
			r->expect[q] = 0;
		}
		/* The next touch fills them anew: zeros. Their ranges fill up again. */
		for (q = a; q < a + n && !rel_failed(r); q++)
			guest_check_and_mark(r, q, ((u64)v->cpu << 56) | ++marks);
	}
	return NULL;
}

/* Invalidating a block (a split, an unmap) gives the CPU away; a collapse's does not. */
static void slow_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	(void)pt;
	(void)ia;
	(void)size;
	(void)why;
	if (level >= 1 && !(why & PT_INVAL_TABLE))
		sched_yield();
}

static unsigned int iters_from_env(void)
{
	const char *s = getenv("TEST_RELEASE_ITERS");

	return s ? (unsigned int)strtoul(s, NULL, 0) : DEFAULT_ITERS;
}

static void run_release(const char *fmt_name, u64 seed)
{
	struct rel *r = calloc(1, sizeof(*r));
	struct vcpu v[NR_VCPUS];
	pthread_t tid[NR_VCPUS];
	char why[sizeof(r->why)];
	u64 page;
	unsigned int i;
	int failed;

	assert_non_null(r);
	r->env = th_env_new(th_fmt_find(fmt_name), POOL_BYTES, NR_VCPUS + 1);
	pt_pool_set_tlb_ops(&r->env->pool, slow_tlb_inval, NULL);
	r->iters = iters_from_env();
	r->backing = aligned_alloc(SZ_2M, RAM_SIZE);
	memset(r->backing, 0xee, RAM_SIZE);	/* never read before a fill */
	r->bitmaps = calloc(2 * s2_mem_bitmap_words(RAM_SIZE), sizeof(u64));
	assert_int_equal(s2_mem_init(&r->mem, &r->env->pool, &r->env->pt, RAM_GPA, RAM_SIZE,
				     HOST_PA, r->backing, r->bitmaps), 0);
	pt_host_cpu = CPU_MAIN;
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA + RAM_SIZE, SZ_4K), -EINVAL);
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA + 8, SZ_4K), -EINVAL);
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA, 0), -EINVAL);
	assert_int_equal(s2_mem_release(&r->mem, RAM_GPA + SZ_4K, RAM_SIZE), -EINVAL);

	for (i = 0; i < NR_VCPUS; i++) {
		v[i] = (struct vcpu){ .r = r, .cpu = i, .rng = seed + i };
		pthread_create(&tid[i], NULL, vcpu_thread, &v[i]);
	}
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(tid[i], NULL);
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
		print_message("%s: %llu releases (%llu pages), %llu fills, %llu collapses\n",
			      fmt_name, (unsigned long long)r->releases,
			      (unsigned long long)r->pages_released,
			      (unsigned long long)r->mem.nr_faults,
			      (unsigned long long)r->mem.nr_collapses);
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
	run_release("arm64-s2-40-l1", th_seed(0x7e1a));
}

static void test_release_ept(void **state)
{
	(void)state;
	run_release("ept-4l", th_seed(0x7e1b));
}

static void test_release_sv39x4(void **state)
{
	(void)state;
	run_release("sv39x4", th_seed(0x7e1c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_arm64),
		cmocka_unit_test(test_release_ept),
		cmocka_unit_test(test_release_sv39x4),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
