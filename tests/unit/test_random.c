// SPDX-License-Identifier: MIT
/*
 * Randomized differential test: long seeded sequences of map, unmap,
 * protect, split and collapse on every format, against a flat model
 * (4 KiB page -> output address and permissions), checked through the
 * reference translator and the TLB model after every step.
 * TEST_SEED=n and TEST_STEPS=n repeat or lengthen a run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "harness.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define SZ_1G		0x40000000ull
#define WINDOW		(2 * SZ_1G)
#define NR_PAGES	(WINDOW / SZ_4K)
#define POOL		(24ull << 20)

struct model_page {
	u64 oa;
	u32 prot;
	bool mapped;
};

struct rt {
	struct th_env *env;
	struct model_page *model;
	u64 base;		/* window start (canonical) */
	u64 rng, seed;
	unsigned int step;
	char op[160];
	char why[512];
};

static void rt_fail(struct rt *t, const char *what)
{
	fail_msg("%s seed 0x%llx step %u after %s: %s (repeat with TEST_SEED=0x%llx)",
		 t->env->tf->name, (unsigned long long)t->seed, t->step, t->op, what,
		 (unsigned long long)t->seed);
}

static u64 rt_page(const struct rt *t, u64 ia)
{
	return (ia - t->base) / SZ_4K;
}

static void rt_check_page(struct rt *t, u64 idx)
{
	struct model_page *m = &t->model[idx];
	u64 ia = t->base + idx * SZ_4K;
	bool ok = m->mapped ? th_expect_mapped(t->env, ia, m->oa, m->prot, t->why, sizeof(t->why)) :
			      th_expect_unmapped(t->env, ia, t->why, sizeof(t->why));
	struct pt_lookup l;
	int ret;

	if (!ok)
		rt_fail(t, t->why);
	ret = pt_lookup(&t->env->pt, ia, &l);
	if (m->mapped ? (ret || l.oa != m->oa) : ret != -ENOENT)
		rt_fail(t, "pt_lookup disagrees with the model");
}

static void rt_check_range(struct rt *t, u64 ia, u64 size)
{
	u64 first = rt_page(t, ia), nr = size / SZ_4K, i;
	u64 stride = nr > 1024 ? nr / 256 : 1;

	for (i = 0; i < nr; i += stride)
		rt_check_page(t, first + i);
	rt_check_page(t, first + nr - 1);
	for (i = 0; i < 32; i++)
		rt_check_page(t, th_rand_below(&t->rng, NR_PAGES));
	if (!th_tlb_check(t->env, t->why, sizeof(t->why)))
		rt_fail(t, t->why);
}

/* Populate the TLB model with translations the next operation may change. */
static void rt_touch(struct rt *t, u64 ia, u64 size)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		th_tlb_fill(t->env, (unsigned int)th_rand_below(&t->rng, 2),
			    ia + th_rand_below(&t->rng, size / SZ_4K) * SZ_4K);
}

static u64 rt_granule(struct rt *t)
{
	u64 r = th_rand_below(&t->rng, 100);

	if (r < 10 && pt_level_has_leaves(t->env->tf->fmt, 2) && t->env->tf->fmt->levels > 2)
		return SZ_1G;
	return r < 45 ? SZ_2M : SZ_4K;
}

/* A random range of whole granules inside the window. */
static void rt_range(struct rt *t, u64 *ia, u64 *size)
{
	u64 g = rt_granule(t);
	u64 max = g == SZ_4K ? 64 : g == SZ_2M ? 3 : 1;
	u64 n = 1 + th_rand_below(&t->rng, max);

	*ia = t->base + th_rand_below(&t->rng, WINDOW / g - n + 1) * g;
	*size = n * g;
	if (g != SZ_4K && th_rand_below(&t->rng, 4) == 0) {	/* ragged edges */
		*ia += th_rand_below(&t->rng, 8) * SZ_4K;
		*size -= 8 * SZ_4K;
	}
}

static enum pt_walk_flags rt_walk_flags(struct rt *t)
{
	if (th_rand_below(&t->rng, 3))
		return 0;
	pt_cache_topup(&t->env->pool, PT_CACHE_PAGES);
	return PT_WALK_SHARED;
}

/* Shared walks run out of cached pages: top up and retry, as a fault would. */
static int rt_retry(struct rt *t, int ret)
{
	if (ret == -ENOMEM)
		assert_int_equal(pt_cache_topup(&t->env->pool, PT_CACHE_PAGES), 0);
	return ret == -ENOMEM;
}

static void rt_map(struct rt *t)
{
	u64 ia, size, oa, i;
	u32 prot = th_random_prot(t->env->tf, &t->rng);
	enum pt_walk_flags walk = rt_walk_flags(t);
	enum pt_map_flags map = th_rand_below(&t->rng, 8) ? 0 : PT_MAP_PAGES_ONLY;
	int ret;

	rt_range(t, &ia, &size);
	oa = th_rand_below(&t->rng, 1ull << 27) * SZ_4K;
	if (th_rand_below(&t->rng, 4))
		oa = ALIGN_DOWN(oa, SZ_1G) + (ia & (SZ_1G - 1));	/* blocks possible */
	snprintf(t->op, sizeof(t->op), "map 0x%llx+0x%llx -> 0x%llx prot 0x%x map 0x%x walk 0x%x",
		 (unsigned long long)ia, (unsigned long long)size, (unsigned long long)oa, prot,
		 map, walk);
	rt_touch(t, ia, size);
	while (rt_retry(t, ret = pt_map(&t->env->pt, ia, size, oa, prot, map, walk)))
		;
	if (ret)
		rt_fail(t, "map failed");
	for (i = 0; i < size / SZ_4K; i++)
		t->model[rt_page(t, ia) + i] = (struct model_page){
			.oa = oa + i * SZ_4K, .prot = prot, .mapped = true,
		};
	rt_check_range(t, ia, size);
}

enum rt_op { RT_UNMAP, RT_PROTECT, RT_SPLIT };

static int rt_call(struct rt *t, enum rt_op op, u64 ia, u64 size, u32 arg,
		   enum pt_walk_flags walk)
{
	switch (op) {
	case RT_UNMAP:
		return pt_unmap(&t->env->pt, ia, size, walk);
	case RT_PROTECT:
		return pt_protect(&t->env->pt, ia, size, arg, walk);
	default:
		return pt_split(&t->env->pt, ia, size, arg, walk);
	}
}

/* One operation over a random range, retried as a fault would; the range back. */
static void rt_range_op(struct rt *t, enum rt_op op, u32 arg, u64 *ia, u64 *size)
{
	static const char *const names[] = { "unmap", "protect", "split" };
	enum pt_walk_flags walk;
	int ret;

	rt_range(t, ia, size);
	walk = rt_walk_flags(t);
	snprintf(t->op, sizeof(t->op), "%s 0x%llx+0x%llx arg 0x%x walk 0x%x", names[op],
		 (unsigned long long)*ia, (unsigned long long)*size, arg, walk);
	rt_touch(t, *ia, *size);
	while (rt_retry(t, ret = rt_call(t, op, *ia, *size, arg, walk)))
		;
	if (ret)
		rt_fail(t, "the operation failed");
}

static void rt_unmap(struct rt *t)
{
	u64 ia, size, i;

	rt_range_op(t, RT_UNMAP, 0, &ia, &size);
	for (i = 0; i < size / SZ_4K; i++)
		t->model[rt_page(t, ia) + i].mapped = false;
	rt_check_range(t, ia, size);
}

static void rt_protect(struct rt *t)
{
	u32 prot = th_random_prot(t->env->tf, &t->rng) & PT_PROT_PERM;
	u64 ia, size, i;

	rt_range_op(t, RT_PROTECT, prot, &ia, &size);
	for (i = 0; i < size / SZ_4K; i++) {
		struct model_page *m = &t->model[rt_page(t, ia) + i];

		m->prot = prot | (m->prot & PT_PROT_D);
	}
	rt_check_range(t, ia, size);
}

static void rt_split(struct rt *t)
{
	u64 ia, size;

	rt_range_op(t, RT_SPLIT, (u32)th_rand_below(&t->rng, 2), &ia, &size);
	rt_check_range(t, ia, size);
}

static void rt_collapse(struct rt *t)
{
	u32 level = 1 + (u32)th_rand_below(&t->rng, 2);
	u64 size = level == 1 ? SZ_2M : SZ_1G;
	u64 ia = t->base + th_rand_below(&t->rng, WINDOW / size) * size;
	enum pt_walk_flags walk = rt_walk_flags(t);
	struct pt_lookup l;
	int ret;

	snprintf(t->op, sizeof(t->op), "collapse 0x%llx level %u walk 0x%x",
		 (unsigned long long)ia, level, walk);
	if (!pt_level_has_leaves(t->env->tf->fmt, level) || level >= t->env->tf->fmt->levels)
		return;
	rt_touch(t, ia, size);
	ret = pt_collapse(&t->env->pt, ia, level, walk);
	if (ret && ret != -EINVAL && ret != -ENOENT)
		rt_fail(t, "collapse failed");
	if (!ret && (pt_lookup(&t->env->pt, ia, &l) || l.level < level))
		rt_fail(t, "collapse succeeded but left no block");
	rt_check_range(t, ia, size);
}

/* Map one 2 MiB range page by page, contiguously, so collapses can happen. */
static void rt_map_collapsible(struct rt *t)
{
	u64 ia = t->base + th_rand_below(&t->rng, WINDOW / SZ_2M) * SZ_2M, i;
	u64 oa = th_rand_below(&t->rng, 1ull << 18) * SZ_2M;
	u32 prot = th_random_prot(t->env->tf, &t->rng);

	snprintf(t->op, sizeof(t->op), "map pages 0x%llx+2M -> 0x%llx prot 0x%x",
		 (unsigned long long)ia, (unsigned long long)oa, prot);
	if (pt_map(&t->env->pt, ia, SZ_2M, oa, prot, PT_MAP_PAGES_ONLY, 0))
		rt_fail(t, "map failed");
	for (i = 0; i < SZ_2M / SZ_4K; i++)
		t->model[rt_page(t, ia) + i] = (struct model_page){
			.oa = oa + i * SZ_4K, .prot = prot, .mapped = true,
		};
	rt_check_range(t, ia, SZ_2M);
}

static void rt_final(struct rt *t)
{
	u64 i;

	snprintf(t->op, sizeof(t->op), "the last step (full sweep)");
	for (i = 0; i < NR_PAGES; i++)
		if (t->model[i].mapped || (i % 61) == 0)
			rt_check_page(t, i);
	snprintf(t->op, sizeof(t->op), "unmapping the whole window");
	if (pt_unmap(&t->env->pt, t->base, WINDOW, 0))
		rt_fail(t, "unmap failed");
	pt_pool_drain(&t->env->pool);
	if (pt_pool_pages_in_use(&t->env->pool) != pt_root_bytes(t->env->tf->fmt) / SZ_4K)
		rt_fail(t, "table pages leaked");
}

static void run_format(const struct th_fmt *tf, u64 seed, unsigned int steps)
{
	struct rt t = { .seed = seed, .rng = seed };
	const struct pt_fmt *fmt = tf->fmt;

	t.env = th_env_new(tf, POOL, 2);
	t.model = calloc(NR_PAGES, sizeof(*t.model));
	if (fmt->flags & PT_FMT_SIGN_EXTEND)
		t.base = (seed & 1) ? 0 - WINDOW : 0;
	else
		t.base = (seed & 1) ? BIT(fmt->ia_bits) - WINDOW : 0;
	for (t.step = 0; t.step < steps; t.step++) {
		u64 r = th_rand_below(&t.rng, 100);

		if (r < 35)
			rt_map(&t);
		else if (r < 55)
			rt_unmap(&t);
		else if (r < 70)
			rt_protect(&t);
		else if (r < 80)
			rt_split(&t);
		else if (r < 92)
			rt_collapse(&t);
		else
			rt_map_collapsible(&t);
	}
	rt_final(&t);
	pt_pool_table_destroy(&t.env->pool, &t.env->pt);
	free(t.model);
	th_env_free(t.env);
}

static void test_random_all_formats(void **state)
{
	u64 seed = th_seed(0x5eed0001);
	const char *s = getenv("TEST_STEPS");
	unsigned int steps = s ? (unsigned int)atoi(s) : 600, i;

	(void)state;
	print_message("seed 0x%llx, %u steps per format\n", (unsigned long long)seed, steps);
	for (i = 0; i < th_nr_fmts; i++)
		run_format(&th_fmts[i], seed + i, steps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_all_formats),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("random", tests, NULL, NULL);
}
