// SPDX-License-Identifier: MIT
/*
 * Level confusion: a fake format whose every PTE carries the level it was
 * made for, and whose decoders abort when asked about it at another level.
 * Seeded random map/unmap/protect/split/collapse, checked with pt_lookup
 * against a flat model (there is no hardware to model: the check is that
 * no operation ever hands an entry to the format at the wrong level).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "harness.h"

#define LV_VALID	BIT(0)
#define LV_TABLE	BIT(1)
#define LV_R		BIT(2)
#define LV_W		BIT(3)
#define LV_X		BIT(4)
#define LV_DEV		BIT(5)
#define LV_A		BIT(6)
#define LV_ADDR		GENMASK(47, 12)
#define LV_TAG_SHIFT	56
#define LV_TAG		GENMASK(59, 56)
#define LV_FROZEN	BIT(62)

static void lv_check(u64 pte, u32 level)
{
	u64 tag = (pte & LV_TAG) >> LV_TAG_SHIFT;

	if (tag != level) {
		fprintf(stderr, "level confusion: pte 0x%llx made for level %llu used at level %u\n",
			(unsigned long long)pte, (unsigned long long)tag, level);
		abort();
	}
}

static enum pt_kind lv_kind(u64 pte, u32 level)
{
	if (!(pte & LV_VALID))
		return PT_KIND_EMPTY;
	lv_check(pte, level);
	return (pte & LV_TABLE) ? PT_KIND_TABLE : PT_KIND_LEAF;
}

static u64 lv_oa(u64 pte, u32 level)
{
	lv_check(pte, level);
	return pte & LV_ADDR;
}

static u32 lv_prot(u64 pte, u32 level)
{
	lv_check(pte, level);
	return ((pte & LV_R) ? PT_PROT_R : 0) | ((pte & LV_W) ? PT_PROT_W : 0) |
	       ((pte & LV_X) ? PT_PROT_X : 0) | ((pte & LV_DEV) ? PT_PROT_DEVICE : 0) |
	       ((pte & LV_A) ? PT_PROT_A : 0);
}

static u64 lv_tag(u32 level)
{
	return (u64)level << LV_TAG_SHIFT;
}

static u64 lv_mk_leaf(u64 oa, u32 level, u32 prot)
{
	return LV_VALID | LV_A | lv_tag(level) | (oa & LV_ADDR) |
	       ((prot & PT_PROT_R) ? LV_R : 0) | ((prot & PT_PROT_W) ? LV_W : 0) |
	       ((prot & PT_PROT_X) ? LV_X : 0) | ((prot & PT_PROT_DEVICE) ? LV_DEV : 0);
}

static u64 lv_mk_table(u64 pa, u32 level)
{
	return LV_VALID | LV_TABLE | lv_tag(level) | (pa & LV_ADDR);
}

static const struct pt_fmt_ops lv_ops = {
	.kind = lv_kind, .oa = lv_oa, .prot = lv_prot,
	.mk_leaf = lv_mk_leaf, .mk_table = lv_mk_table,
};

/* Four levels with a 4-table concatenated root; blocks at levels 1 and 2. */
static const struct pt_fmt lv_fmt = {
	.name = "level-tagged", .levels = 4, .page_shift = 12, .level_bits = 9,
	.ia_bits = 41, .oa_bits = 48, .leaf_levels = 0x7, .flags = PT_FMT_SPLIT_BBM,
	.prot_mask = PT_PROT_RWX | PT_PROT_DEVICE | PT_PROT_A, .frozen = LV_FROZEN,
	.ops = &lv_ops,
};

#define SZ_4K	0x1000ull
#define SZ_2M	0x200000ull
#define SZ_1G	0x40000000ull
#define WINDOW	(4 * SZ_1G)
#define PAGES	(WINDOW / SZ_4K)

struct lv_model {
	u64 oa;
	u32 prot;
	bool mapped;
};

static u64 lv_size(u64 *rng)
{
	u64 r = th_rand_below(rng, 10);

	return r < 5 ? SZ_4K * (1 + th_rand_below(rng, 40)) : r < 9 ? SZ_2M : SZ_1G;
}

static void lv_check_page(struct pt *pt, struct lv_model *m, u64 idx, u64 seed)
{
	struct pt_lookup l;
	int ret = pt_lookup(pt, idx * SZ_4K, &l);

	if (m[idx].mapped ? (ret || l.oa != m[idx].oa ||
			     (l.prot & PT_PROT_PERM) != m[idx].prot) : ret != -ENOENT)
		fail_msg("seed 0x%llx: page 0x%llx disagrees with the model (ret %d)",
			 (unsigned long long)seed, (unsigned long long)(idx * SZ_4K), ret);
}

static void lv_step(struct th_env *env, struct lv_model *m, u64 *rng, u64 seed)
{
	struct pt *pt = &env->pt;
	u64 size = lv_size(rng), align = MIN(size, SZ_1G);
	u64 ia = ALIGN_DOWN(th_rand_below(rng, WINDOW - size), size >= SZ_2M ? align : SZ_4K);
	u64 oa = ALIGN_DOWN(th_rand(rng) & GENMASK(40, 12), align) | (ia & (align - 1));
	u32 prot = th_rand_below(rng, 2) ? PT_PROT_RW : PT_PROT_R | PT_PROT_X;
	u64 r = th_rand_below(rng, 5), i;

	if (r == 0 || r == 1) {
		assert_int_equal(pt_map(pt, ia, size, oa, prot, 0, 0), 0);
		for (i = 0; i < size / SZ_4K; i++)
			m[ia / SZ_4K + i] = (struct lv_model){ oa + i * SZ_4K, prot, true };
	} else if (r == 2) {
		assert_int_equal(pt_unmap(pt, ia, size, 0), 0);
		for (i = 0; i < size / SZ_4K; i++)
			m[ia / SZ_4K + i].mapped = false;
	} else if (r == 3) {
		assert_int_equal(pt_protect(pt, ia, size, prot, 0), 0);
		for (i = 0; i < size / SZ_4K; i++)
			m[ia / SZ_4K + i].prot = prot;
	} else {
		assert_int_equal(pt_split(pt, ia, size, 0, 0), 0);
		pt_collapse(pt, ALIGN_DOWN(ia, SZ_2M), 1, 0);
		pt_collapse(pt, ALIGN_DOWN(ia, SZ_1G), 2, 0);
	}
	for (i = 0; i < 64; i++)
		lv_check_page(pt, m, (ia / SZ_4K + th_rand_below(rng, size / SZ_4K)) % PAGES, seed);
	for (i = 0; i < 16; i++)
		lv_check_page(pt, m, th_rand_below(rng, PAGES), seed);
}

static void test_no_level_confusion(void **state)
{
	static struct th_fmt tf = { .name = "level-tagged", .fmt = &lv_fmt };
	u64 seed = th_seed(0x1e7e1), rng = seed;
	struct lv_model *m = calloc(PAGES, sizeof(*m));
	struct th_env *env = th_env_new(&tf, 32ull << 20, 1);
	unsigned int step;

	(void)state;
	for (step = 0; step < 3000; step++) {
		lv_step(env, m, &rng, seed);
		pt_pool_reclaim(&env->pool);	/* as the trap-return path does */
	}
	assert_int_equal(pt_unmap(&env->pt, 0, WINDOW, 0), 0);
	pt_pool_drain(&env->pool);
	assert_int_equal(pt_pool_pages_in_use(&env->pool), pt_root_bytes(&lv_fmt) / SZ_4K);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_level_confusion),
	};

	return cmocka_run_group_tests_name("levels", tests, NULL, NULL);
}
