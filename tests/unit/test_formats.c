// SPDX-License-Identifier: MIT
/*
 * Every format: map, protect, split, collapse and unmap through the walker,
 * each result checked by the independent reference translator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "harness.h"

#define SZ_4K	0x1000ull
#define SZ_2M	0x200000ull
#define SZ_1G	0x40000000ull
#define POOL	(8ull << 20)

static char why[512];
static const char *cur_fmt;

#define assert_eq(a, b)							\
	do {								\
		long long a_ = (long long)(a), b_ = (long long)(b);	\
		if (a_ != b_)						\
			fail_msg("%s: %s is %lld, expected %lld", cur_fmt, #a, a_, b_); \
	} while (0)

static void expect_range(struct th_env *env, u64 ia, u64 size, u64 oa, u32 prot)
{
	u64 off;

	for (off = 0; off < size; off += MAX(size / 16, SZ_4K))
		if (!th_expect_mapped(env, ia + off, oa + off, prot, why, sizeof(why)))
			fail_msg("%s", why);
	if (!th_expect_mapped(env, ia + size - SZ_4K, oa + size - SZ_4K, prot, why, sizeof(why)))
		fail_msg("%s", why);
}

static void expect_none(struct th_env *env, u64 ia, u64 size)
{
	u64 off;

	for (off = 0; off < size; off += MAX(size / 16, SZ_4K))
		if (!th_expect_unmapped(env, ia + off, why, sizeof(why)))
			fail_msg("%s", why);
}

static u32 leaf_level_of(struct th_env *env, u64 ia)
{
	struct pt_lookup l;

	assert_eq(pt_lookup(&env->pt, ia, &l), 0);
	return l.level;
}

static u32 rw_prot(const struct th_fmt *tf)
{
	return (PT_PROT_RW | PT_PROT_D) & tf->fmt->prot_mask;
}

/* Highest page-aligned input address of the format (top of the low half if signed). */
static u64 top_ia(const struct pt_fmt *fmt, u64 size)
{
	u64 top = (fmt->flags & PT_FMT_SIGN_EXTEND) ? BIT(fmt->ia_bits - 1) : BIT(fmt->ia_bits);

	return top - size;
}

static void check_map_sizes(const struct th_fmt *tf)
{
	struct th_env *env = th_env_new(tf, POOL, 1);
	const struct pt_fmt *fmt = tf->fmt;
	u32 prot = rw_prot(tf) & fmt->prot_mask;
	u64 root_pages = pt_root_bytes(fmt) / SZ_4K;
	u64 ia = SZ_1G, hi = top_ia(fmt, SZ_1G);

	/* A 4 KiB page, a 2 MiB block and a 1 GiB block where the format has them. */
	assert_eq(pt_map(&env->pt, ia + SZ_4K, SZ_4K, 0x7000, prot, 0, 0), 0);
	expect_range(env, ia + SZ_4K, SZ_4K, 0x7000, prot);
	assert_eq(leaf_level_of(env, ia + SZ_4K), 0);
	assert_eq(pt_map(&env->pt, ia + SZ_2M, SZ_2M, 0x40200000, prot, 0, 0), 0);
	expect_range(env, ia + SZ_2M, SZ_2M, 0x40200000, prot);
	assert_eq(leaf_level_of(env, ia + SZ_2M), 1);
	if (pt_level_has_leaves(fmt, 2) && fmt->levels > 2 && fmt->ia_bits > 33) {
		assert_eq(pt_map(&env->pt, 4 * SZ_1G, SZ_1G, 0x80000000, prot, 0, 0), 0);
		expect_range(env, 4 * SZ_1G, SZ_1G, 0x80000000, prot);
		assert_eq(leaf_level_of(env, 4 * SZ_1G), 2);
	}
	/* The top of the address space: concatenated roots' last index, Sv39x4's 2047th. */
	assert_eq(pt_map(&env->pt, hi, SZ_1G, 0xc0000000, prot, PT_MAP_PAGES_ONLY, 0), 0);
	expect_range(env, hi, SZ_1G, 0xc0000000, prot);
	assert_eq(leaf_level_of(env, hi + SZ_1G - SZ_4K), 0);
	expect_none(env, ia + 2 * SZ_4K, SZ_2M - 2 * SZ_4K);
	expect_none(env, ia + 2 * SZ_2M, SZ_1G - 2 * SZ_2M);

	/* Unmapping everything frees every table but the root. */
	assert_eq(pt_unmap(&env->pt, ia, SZ_1G, 0), 0);
	if (pt_level_has_leaves(fmt, 2) && fmt->levels > 2 && fmt->ia_bits > 33)
		assert_eq(pt_unmap(&env->pt, 4 * SZ_1G, SZ_1G, 0), 0);
	assert_eq(pt_unmap(&env->pt, hi, SZ_1G, 0), 0);
	expect_none(env, ia, SZ_1G);
	expect_none(env, hi, SZ_1G);
	pt_pool_drain(&env->pool);
	assert_eq(pt_pool_pages_in_use(&env->pool), root_pages);
	if (!th_tlb_check(env, why, sizeof(why)))
		fail_msg("%s", why);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
}

static void check_high_half(const struct th_fmt *tf)
{
	const struct pt_fmt *fmt = tf->fmt;
	struct th_env *env;
	u64 high, prot = PT_PROT_RW;

	if (!(fmt->flags & PT_FMT_SIGN_EXTEND))
		return;
	env = th_env_new(tf, POOL, 1);
	high = ~0ull << (fmt->ia_bits - 1);	/* lowest canonical high address */
	high = ~0ull - SZ_2M * 4 + 1;		/* the top 8 MiB, like a kernel's */
	assert_eq(pt_map(&env->pt, high, SZ_2M * 4, 0x200000, (u32)prot, 0, 0), 0);
	expect_range(env, high, SZ_2M * 4, 0x200000, (u32)prot);
	/* Non-canonical, and ranges across the hole, are refused. */
	assert_eq(pt_map(&env->pt, BIT(fmt->ia_bits - 1), SZ_4K, 0, (u32)prot, 0, 0), -ERANGE);
	assert_eq(pt_map(&env->pt, BIT(fmt->ia_bits - 1) - SZ_4K, 2 * SZ_4K, 0,
				(u32)prot, 0, 0), -ERANGE);
	assert_eq(pt_unmap(&env->pt, high, SZ_2M * 4, 0), 0);
	expect_none(env, high, SZ_2M * 4);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
}

static void check_protect_split_collapse(const struct th_fmt *tf)
{
	struct th_env *env = th_env_new(tf, POOL, 1);
	const struct pt_fmt *fmt = tf->fmt;
	u32 rw = rw_prot(tf) & fmt->prot_mask, ro = PT_PROT_R, rx = PT_PROT_R | PT_PROT_X;
	u64 ia = 3 * SZ_2M * 8, oa = 0x80000000;

	assert_eq(pt_map(&env->pt, ia, SZ_2M, oa, rw, 0, 0), 0);
	th_tlb_fill(env, 0, ia + 5 * SZ_4K);
	th_tlb_fill(env, 0, ia);
	/* Downgrading one page splits the block; the rest keeps its attributes. */
	assert_eq(pt_protect(&env->pt, ia + 5 * SZ_4K, SZ_4K, ro, 0), 0);
	if (!th_tlb_check(env, why, sizeof(why)))
		fail_msg("%s", why);
	if (!th_expect_mapped(env, ia + 5 * SZ_4K, oa + 5 * SZ_4K, ro | (rw & PT_PROT_D), why, sizeof(why)))
		fail_msg("%s", why);
	expect_range(env, ia, 5 * SZ_4K, oa, rw);
	expect_range(env, ia + 6 * SZ_4K, SZ_2M - 6 * SZ_4K, oa + 6 * SZ_4K, rw);
	assert_eq(leaf_level_of(env, ia), 0);
	/* Mixed permissions do not collapse; uniform ones do. */
	assert_eq(pt_collapse(&env->pt, ia, 1, 0), -EINVAL);
	assert_eq(pt_protect(&env->pt, ia, SZ_2M, rx, 0), 0);
	assert_eq(pt_collapse(&env->pt, ia, 1, 0), 0);
	assert_eq(leaf_level_of(env, ia + SZ_2M - SZ_4K), 1);
	expect_range(env, ia, SZ_2M, oa, rx | (rw & PT_PROT_D));
	/* Explicit split down to pages, then a collapse again. */
	th_tlb_fill(env, 0, ia + SZ_4K);
	assert_eq(pt_split(&env->pt, ia, SZ_2M, 0, 0), 0);
	assert_eq(leaf_level_of(env, ia + 7 * SZ_4K), 0);
	expect_range(env, ia, SZ_2M, oa, rx | (rw & PT_PROT_D));
	if (!th_tlb_check(env, why, sizeof(why)))
		fail_msg("%s", why);
	assert_eq(pt_collapse(&env->pt, ia, 1, 0), 0);
	/* Not contiguous: no collapse. */
	assert_eq(pt_map(&env->pt, ia + SZ_2M, SZ_2M, oa + SZ_2M, rw, PT_MAP_PAGES_ONLY, 0), 0);
	assert_eq(pt_map(&env->pt, ia + SZ_2M + SZ_4K, SZ_4K, 0x1000, rw, 0, 0), 0);
	assert_eq(pt_collapse(&env->pt, ia + SZ_2M, 1, 0), -EINVAL);
	assert_eq(pt_collapse(&env->pt, ia + 3 * SZ_2M, 1, 0), -ENOENT);
	/* Unmap a page out of a block: split, then the page goes. */
	th_tlb_fill(env, 0, ia + 9 * SZ_4K);
	assert_eq(pt_unmap(&env->pt, ia + 9 * SZ_4K, SZ_4K, 0), 0);
	expect_none(env, ia + 9 * SZ_4K, SZ_4K);
	expect_range(env, ia + 10 * SZ_4K, SZ_2M - 10 * SZ_4K, oa + 10 * SZ_4K, rx | (rw & PT_PROT_D));
	if (!th_tlb_check(env, why, sizeof(why)))
		fail_msg("%s", why);
	assert_eq(pt_unmap(&env->pt, ia, 2 * SZ_2M, 0), 0);
	pt_pool_drain(&env->pool);
	assert_eq(pt_pool_pages_in_use(&env->pool), pt_root_bytes(fmt) / SZ_4K);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
}

static void check_bad_input(const struct th_fmt *tf)
{
	struct th_env *env = th_env_new(tf, POOL, 1);
	const struct pt_fmt *fmt = tf->fmt;
	u64 beyond = BIT(fmt->ia_bits);

	assert_eq(pt_map(&env->pt, 0x1001, SZ_4K, 0, PT_PROT_R, 0, 0), -EINVAL);
	assert_eq(pt_map(&env->pt, 0x1000, SZ_4K, 0x10, PT_PROT_R, 0, 0), -EINVAL);
	assert_eq(pt_map(&env->pt, 0x1000, 0, 0, PT_PROT_R, 0, 0), -EINVAL);
	assert_eq(pt_map(&env->pt, 0x1000, SZ_4K, 0, PT_PROT_W, 0, 0), -EINVAL);
	assert_eq(pt_map(&env->pt, 0x1000, SZ_4K, 0, 0, 0, 0), -EINVAL);
	assert_eq(pt_map(&env->pt, 0x1000, SZ_4K, BIT(fmt->oa_bits), PT_PROT_R, 0, 0), -ERANGE);
	if (!(fmt->flags & PT_FMT_SIGN_EXTEND)) {
		assert_eq(pt_map(&env->pt, beyond, SZ_4K, 0, PT_PROT_R, 0, 0), -ERANGE);
		assert_eq(pt_map(&env->pt, beyond - SZ_4K, 2 * SZ_4K, 0, PT_PROT_R, 0, 0), -ERANGE);
	}
	if (!(fmt->prot_mask & PT_PROT_U))
		assert_eq(pt_map(&env->pt, 0x1000, SZ_4K, 0, PT_PROT_R | PT_PROT_U, 0, 0), -EINVAL);
	assert_eq(pt_lookup(&env->pt, 0x1000, &(struct pt_lookup){ 0 }), -ENOENT);
	/* The fault path never replaces another mapping; the same one is fine. */
	assert_eq(pt_map(&env->pt, 0x200000, SZ_2M, 0x400000, PT_PROT_R, 0, 0), 0);
	assert_eq(pt_map(&env->pt, 0x201000, SZ_4K, 0x401000, PT_PROT_R, PT_MAP_NO_REPLACE, 0), 0);
	assert_eq(pt_map(&env->pt, 0x201000, SZ_4K, 0x9000, PT_PROT_R, PT_MAP_NO_REPLACE, 0), -EEXIST);
	assert_eq(pt_map(&env->pt, 0x200000, SZ_2M, 0x400000, PT_PROT_R | PT_PROT_X,
			 PT_MAP_NO_REPLACE, 0), -EEXIST);
	expect_range(env, 0x200000, SZ_2M, 0x400000, PT_PROT_R);
	assert_eq(pt_unmap(&env->pt, 0x200000, SZ_2M, 0), 0);
	pt_pool_drain(&env->pool);
	assert_eq(pt_pool_pages_in_use(&env->pool), pt_root_bytes(fmt) / SZ_4K);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
}

/* A shared walk with an empty cache fails cleanly and changes nothing visible. */
static void check_out_of_pages(const struct th_fmt *tf)
{
	struct th_env *env = th_env_new(tf, POOL, 1);
	u32 prot = PT_PROT_R | PT_PROT_X;
	u64 ia = 5 * SZ_2M;

	assert_eq(pt_map(&env->pt, ia, SZ_4K, 0x3000, prot, 0, PT_WALK_SHARED), -ENOMEM);
	expect_none(env, ia, SZ_4K);
	assert_eq(pt_cache_topup(&env->pool, 8), 0);
	assert_eq(pt_map(&env->pt, ia, SZ_4K, 0x3000, prot, 0, PT_WALK_SHARED), 0);
	expect_range(env, ia, SZ_4K, 0x3000, prot);
	/* Running out mid-split leaves the block as it was. */
	assert_eq(pt_map(&env->pt, 2 * SZ_2M * 8, SZ_2M, 0x40000000, prot, 0, 0), 0);
	pt_cache_flush(&env->pool);
	assert_eq(pt_split(&env->pt, 2 * SZ_2M * 8, SZ_2M, 0, PT_WALK_SHARED), -ENOMEM);
	expect_range(env, 2 * SZ_2M * 8, SZ_2M, 0x40000000, prot);
	assert_eq(leaf_level_of(env, 2 * SZ_2M * 8), 1);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
}

struct tlb_calls {
	u32 inval, sync_new;
	u64 ia, size;		/* of the last call */
};

static void count_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 reason)
{
	struct tlb_calls *c = pt->tlb_ctx;

	(void)level;
	(void)reason;
	*c = (struct tlb_calls){ c->inval + 1, c->sync_new, ia, size };
}

static void count_sync_new(struct pt *pt, u64 ia, u64 size)
{
	struct tlb_calls *c = pt->tlb_ctx;

	*c = (struct tlb_calls){ c->inval, c->sync_new + 1, ia, size };
}

static const struct pt_tlb_ops count_ops = { .inval = count_inval, .sync_new = count_sync_new };

/* TLB ops belong to one table: another table of the same pool keeps its own, or none. */
static void check_tlb_ops_per_table(const struct th_fmt *tf)
{
	struct th_env *env = th_env_new(tf, POOL, 1);
	const struct pt_fmt *fmt = tf->fmt;
	u32 fence_new = (fmt->flags & PT_FMT_CACHES_INVALID) ? 1 : 0;
	u32 prot = PT_PROT_R | PT_PROT_X;
	struct tlb_calls c = { 0 };
	u64 ia = 3 * SZ_2M + SZ_4K;
	struct pt other;

	assert_eq(pt_pool_table_init(&env->pool, &other, fmt), 0);
	pt_set_tlb_ops(&other, &count_ops, &c);
	assert_eq(pt_map(&other, ia, SZ_4K, 0x5000, prot, 0, 0), 0);
	assert_eq(c.sync_new, fence_new);
	if (fence_new)
		assert_true(c.ia == ia && c.size == SZ_4K);
	/* The leaf, then each table below the root as it empties. */
	assert_eq(pt_unmap(&other, ia, SZ_4K, 0), 0);
	assert_eq(c.inval, fmt->levels);
	assert_eq(env->nr_inval, 0);
	assert_eq(pt_map(&env->pt, ia, SZ_4K, 0x5000, prot, 0, 0), 0);
	assert_eq(pt_unmap(&env->pt, ia, SZ_4K, 0), 0);
	assert_eq(env->nr_inval, fmt->levels);
	pt_set_tlb_ops(&other, NULL, NULL);
	assert_eq(pt_map(&other, ia, SZ_4K, 0x5000, prot, 0, 0), 0);
	assert_eq(pt_unmap(&other, ia, SZ_4K, 0), 0);
	assert_true(c.inval == fmt->levels && c.sync_new == fence_new);
	pt_pool_table_destroy(&env->pool, &other);
	pt_pool_table_destroy(&env->pool, &env->pt);
	th_env_free(env);
}

/*
 * The fast path's table test (table_mask/table_bits, table_pa_mask) agrees
 * with the ops: every table mk_table() makes matches and points where it
 * should; no leaf (page or block) and not the frozen marker matches.
 */
static void check_table_desc(const struct th_fmt *tf)
{
	const struct pt_fmt *fmt = tf->fmt;
	const u64 pas[] = { 0, SZ_4K, 0x12345000ull, (1ull << fmt->oa_bits) - SZ_4K };
	u32 level, i;

	if (!fmt->table_mask)
		return;		/* the fast path asks the ops */
	assert_false(pt_fmt_is_table(fmt, fmt->frozen));
	assert_false(pt_fmt_is_table(fmt, 0));
	for (level = 1; level < fmt->levels; level++) {
		for (i = 0; i < sizeof(pas) / sizeof(pas[0]); i++) {
			u64 pte = fmt->ops->mk_table(pas[i], level);

			assert_true(pt_fmt_is_table(fmt, pte));
			assert_eq(pt_fmt_table_pa(fmt, pte), pas[i]);
			assert_eq(fmt->ops->kind(pte, level), PT_KIND_TABLE);
			if (!pt_level_has_leaves(fmt, level))
				continue;
			pte = fmt->ops->mk_leaf(ALIGN_DOWN(pas[i], pt_level_size(fmt, level)), level,
						rw_prot(tf));
			assert_false(pt_fmt_is_table(fmt, pte));
		}
	}
}

/* pt_page_leaf_init(): the made leaf is mk_leaf()'s at every output address tried. */
static void check_page_leaf(const struct th_fmt *tf)
{
	const struct pt_fmt *fmt = tf->fmt;
	const u64 oas[] = { 0, SZ_4K, 0x12345000ull, (1ull << fmt->oa_bits) - SZ_4K };
	u32 prot = rw_prot(tf) | PT_PROT_R;
	struct pt_page_leaf leaf;
	u32 i;

	assert_eq(pt_page_leaf_init(fmt, PT_PROT_W, &leaf), -EINVAL);	/* W without R */
	assert_eq(pt_page_leaf_init(fmt, prot, &leaf), 0);
	assert_eq(leaf.prot, prot | PT_PROT_A);
	assert_eq(fmt->ops->prot(leaf.base, 0) & PT_PROT_PERM, prot & PT_PROT_PERM);
	for (i = 0; i < sizeof(oas) / sizeof(oas[0]); i++)
		assert_eq(leaf.base + (oas[i] >> fmt->page_shift) * leaf.step,
			  fmt->ops->mk_leaf(oas[i], 0, prot | PT_PROT_A));
}

#define FOR_EACH_FMT(fn)						\
	static void test_##fn(void **state)				\
	{								\
		unsigned int i;						\
		(void)state;						\
		for (i = 0; i < th_nr_fmts; i++) {			\
			cur_fmt = th_fmts[i].name;			\
			fn(&th_fmts[i]);				\
		}							\
	}
FOR_EACH_FMT(check_map_sizes)
FOR_EACH_FMT(check_high_half)
FOR_EACH_FMT(check_protect_split_collapse)
FOR_EACH_FMT(check_bad_input)
FOR_EACH_FMT(check_out_of_pages)
FOR_EACH_FMT(check_tlb_ops_per_table)
FOR_EACH_FMT(check_table_desc)
FOR_EACH_FMT(check_page_leaf)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_map_sizes),
		cmocka_unit_test(test_check_high_half),
		cmocka_unit_test(test_check_protect_split_collapse),
		cmocka_unit_test(test_check_bad_input),
		cmocka_unit_test(test_check_out_of_pages),
		cmocka_unit_test(test_check_tlb_ops_per_table),
		cmocka_unit_test(test_check_table_desc),
		cmocka_unit_test(test_check_page_leaf),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
