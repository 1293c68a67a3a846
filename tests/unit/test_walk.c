// SPDX-License-Identifier: MIT
/*
 * The walk order and re-read rules of mmu/pt.h, visit by visit: TABLE_PRE,
 * LEAF and TABLE_POST in tree order, a table a TABLE_PRE visit turned into
 * a leaf visited again as a leaf, a leaf a visit turned into a table
 * descended unless the visitor says it filled it (no_descend), nr_more,
 * PT_WALK_STOP, errors and frozen entries.
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
#define MAX_EVENTS	64

#define PRE		PT_VISIT_TABLE_PRE
#define LEAF		PT_VISIT_LEAF
#define POST		PT_VISIT_TABLE_POST
#define ALL		(PRE | LEAF | POST)

struct event {
	enum pt_visit visit;
	u32 level;
	u64 addr;
	enum pt_kind kind;	/* of ctx->old as the visitor got it */
};

struct trace {
	struct event ev[MAX_EVENTS];
	u32 n;
	int (*action)(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t);
};

static int record(struct pt_ctx *ctx, enum pt_visit visit)
{
	struct trace *t = ctx->arg;

	assert_true(t->n < MAX_EVENTS);
	t->ev[t->n++] = (struct event){ visit, ctx->level, ctx->addr, pt_ctx_kind(ctx, ctx->old) };
	return t->action ? t->action(ctx, visit, t) : 0;
}

static void expect_trace(const struct trace *t, const struct event *want, u32 n)
{
	u32 i;

	for (i = 0; i < MIN(n, t->n); i++)
		if (memcmp(&t->ev[i], &want[i], sizeof(want[i])))
			fail_msg("event %u: visit %u level %u addr 0x%llx kind %u, expected "
				 "visit %u level %u addr 0x%llx kind %u", i, t->ev[i].visit,
				 t->ev[i].level, (unsigned long long)t->ev[i].addr, t->ev[i].kind,
				 want[i].visit, want[i].level, (unsigned long long)want[i].addr,
				 want[i].kind);
	assert_int_equal(t->n, n);
}

static int walk(struct th_env *env, u64 addr, u64 size, enum pt_visit visits, struct trace *t)
{
	struct pt_walker walker = { .cb = record, .arg = t, .visits = visits };

	return pt_walk(&env->pt, addr, size, &walker);
}

/*
 * EPT, 4 levels: the level-1 entry at 2 MiB points to a table of pages,
 * the one at 4 MiB is a block, the one at 6 MiB is empty.
 */
static int setup(void **state)
{
	struct th_env *env;

	th_fmts_init();
	pt_host_cpu = 0;
	env = th_env_new(th_fmt_find("ept-4l"), 4ull << 20, 1);
	assert_int_equal(pt_map(&env->pt, SZ_2M, SZ_2M, SZ_2M, PT_PROT_R, PT_MAP_PAGES_ONLY, 0), 0);
	assert_int_equal(pt_map(&env->pt, 2 * SZ_2M, SZ_2M, 2 * SZ_2M, PT_PROT_R, 0, 0), 0);
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	struct th_env *env = *state;

	pt_pool_table_destroy(&env->pool, &env->pt);
	pt_pool_drain(&env->pool);
	th_env_free(env);
	return 0;
}

/* Tree order; TABLE_POST gets the position its TABLE_PRE had (the unaligned start). */
static void test_order(void **state)
{
	static const struct event want[] = {
		{ PRE, 3, 2 * SZ_2M - SZ_4K, PT_KIND_TABLE },
		{ PRE, 2, 2 * SZ_2M - SZ_4K, PT_KIND_TABLE },
		{ PRE, 1, 2 * SZ_2M - SZ_4K, PT_KIND_TABLE },
		{ LEAF, 0, 2 * SZ_2M - SZ_4K, PT_KIND_LEAF },
		{ POST, 1, 2 * SZ_2M - SZ_4K, PT_KIND_TABLE },
		{ LEAF, 1, 2 * SZ_2M, PT_KIND_LEAF },
		{ LEAF, 1, 3 * SZ_2M, PT_KIND_EMPTY },
		{ POST, 2, 2 * SZ_2M - SZ_4K, PT_KIND_TABLE },
		{ POST, 3, 2 * SZ_2M - SZ_4K, PT_KIND_TABLE },
	};
	struct trace t = { 0 };

	assert_int_equal(walk(*state, 2 * SZ_2M - SZ_4K, SZ_2M + 2 * SZ_4K, ALL, &t), 0);
	expect_trace(&t, want, ARRAY_SIZE(want));
}

/* Only the visits asked for; tables are still descended. */
static void test_leaves_only(void **state)
{
	static const struct event want[] = {
		{ LEAF, 0, 2 * SZ_2M - 2 * SZ_4K, PT_KIND_LEAF },
		{ LEAF, 0, 2 * SZ_2M - SZ_4K, PT_KIND_LEAF },
		{ LEAF, 1, 2 * SZ_2M, PT_KIND_LEAF },
	};
	struct trace t = { 0 };

	assert_int_equal(walk(*state, 2 * SZ_2M - 2 * SZ_4K, 3 * SZ_4K, LEAF, &t), 0);
	expect_trace(&t, want, ARRAY_SIZE(want));
}

/* TABLE_PRE at level 1: the table becomes a 2 MiB block. */
static int to_block(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t)
{
	void *child;

	(void)t;
	if (visit != PRE || ctx->level != 1)
		return 0;
	child = pt_table_va(ctx, ctx->old);
	assert_int_equal(pt_try_break(ctx, PT_INVAL_LEAF), 0);
	pt_make(ctx, ctx->fmt->ops->mk_leaf(SZ_2M, 1, PT_PROT_R | PT_PROT_A));
	ctx->pt->mm->retire_table(ctx->pt, child);
	return 0;
}

static void test_table_to_leaf_visited_as_leaf(void **state)
{
	static const struct event want[] = {
		{ PRE, 3, SZ_2M, PT_KIND_TABLE },
		{ PRE, 2, SZ_2M, PT_KIND_TABLE },
		{ PRE, 1, SZ_2M, PT_KIND_TABLE },
		{ LEAF, 1, SZ_2M, PT_KIND_LEAF },
		{ LEAF, 1, 2 * SZ_2M, PT_KIND_LEAF },
		{ POST, 2, SZ_2M, PT_KIND_TABLE },
		{ POST, 3, SZ_2M, PT_KIND_TABLE },
	};
	struct trace t = { .action = to_block };

	assert_int_equal(walk(*state, SZ_2M, 2 * SZ_2M, ALL, &t), 0);
	expect_trace(&t, want, ARRAY_SIZE(want));
}

/* LEAF at an empty level-1 entry: a table is installed and walked into. */
static int to_table(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t)
{
	(void)t;
	if (visit != LEAF || ctx->level != 1 || pt_ctx_kind(ctx, ctx->old) != PT_KIND_EMPTY)
		return 0;
	return pt_install_table(ctx);
}

static void test_leaf_to_table_descended(void **state)
{
	static const struct event want[] = {
		{ LEAF, 1, 3 * SZ_2M, PT_KIND_EMPTY },
		{ LEAF, 0, 3 * SZ_2M, PT_KIND_EMPTY },
		{ LEAF, 0, 3 * SZ_2M + SZ_4K, PT_KIND_EMPTY },
		{ POST, 1, 3 * SZ_2M, PT_KIND_TABLE },
		{ POST, 2, 3 * SZ_2M, PT_KIND_TABLE },
		{ POST, 3, 3 * SZ_2M, PT_KIND_TABLE },
	};
	struct trace t = { .action = to_table };

	assert_int_equal(walk(*state, 3 * SZ_2M, 2 * SZ_4K, LEAF | POST, &t), 0);
	expect_trace(&t, want, ARRAY_SIZE(want));
}

/* The same, but the visitor says the table is complete: not walked into. */
static int to_table_no_descend(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t)
{
	int ret = to_table(ctx, visit, t);

	ctx->no_descend = !ret && visit == LEAF && ctx->level == 1;
	return ret;
}

static void test_leaf_to_table_no_descend(void **state)
{
	static const struct event want[] = {
		{ LEAF, 1, 3 * SZ_2M, PT_KIND_EMPTY },
		{ POST, 2, 3 * SZ_2M, PT_KIND_TABLE },
		{ POST, 3, 3 * SZ_2M, PT_KIND_TABLE },
	};
	struct trace t = { .action = to_table_no_descend };

	assert_int_equal(walk(*state, 3 * SZ_2M, 2 * SZ_4K, LEAF | POST, &t), 0);
	expect_trace(&t, want, ARRAY_SIZE(want));
}

/* A LEAF visitor that handled the next three entries too: they are skipped. */
static int take_four(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t)
{
	(void)visit;
	(void)t;
	ctx->nr_more = 3;
	return 0;
}

static void test_nr_more(void **state)
{
	static const struct event want[] = {
		{ LEAF, 0, SZ_2M, PT_KIND_LEAF },
		{ LEAF, 0, SZ_2M + 4 * SZ_4K, PT_KIND_LEAF },
		{ LEAF, 0, SZ_2M + 8 * SZ_4K, PT_KIND_LEAF },
	};
	struct trace t = { .action = take_four };

	assert_int_equal(walk(*state, SZ_2M, 12 * SZ_4K, LEAF, &t), 0);
	expect_trace(&t, want, ARRAY_SIZE(want));
}

/* PT_WALK_STOP ends the walk at once with 0, an error with the error: no TABLE_POST. */
static int stop_second(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t)
{
	(void)ctx;
	(void)visit;
	return t->n == 2 ? PT_WALK_STOP : 0;
}

static int fail_second(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t)
{
	(void)ctx;
	(void)visit;
	return t->n == 2 ? -ENOENT : 0;
}

static void test_stop_and_error(void **state)
{
	static const struct event want[] = {
		{ LEAF, 0, SZ_2M, PT_KIND_LEAF },
		{ LEAF, 0, SZ_2M + SZ_4K, PT_KIND_LEAF },
	};
	struct trace t = { .action = stop_second };

	assert_int_equal(walk(*state, SZ_2M, 4 * SZ_4K, LEAF | POST, &t), 0);
	expect_trace(&t, want, ARRAY_SIZE(want));
	t = (struct trace){ .action = fail_second };
	assert_int_equal(walk(*state, SZ_2M, 4 * SZ_4K, LEAF | POST, &t), -ENOENT);
	expect_trace(&t, want, ARRAY_SIZE(want));
}

/* A frozen entry ends the walk with -EAGAIN: met first, or left by a visitor. */
static u64 *frozen_ptep;
static u64 frozen_old;

static int freeze_second(struct pt_ctx *ctx, enum pt_visit visit, struct trace *t)
{
	(void)visit;
	if (t->n != 2)
		return 0;
	frozen_ptep = ctx->ptep;
	frozen_old = ctx->old;
	assert_true(pt_try_freeze(ctx));
	return 0;
}

static void test_frozen(void **state)
{
	struct th_env *env = *state;
	struct trace t = { .action = freeze_second };

	assert_int_equal(walk(env, SZ_2M, 4 * SZ_4K, LEAF, &t), -EAGAIN);
	assert_int_equal(t.n, 2);
	t = (struct trace){ 0 };
	assert_int_equal(walk(env, SZ_2M, 4 * SZ_4K, 0, &t), -EAGAIN);
	assert_int_equal(walk(env, SZ_2M, 4 * SZ_4K, LEAF, &t), -EAGAIN);
	assert_int_equal(t.n, 1);
	pte_write(frozen_ptep, frozen_old);
	t = (struct trace){ 0 };
	assert_int_equal(walk(env, SZ_2M, 4 * SZ_4K, LEAF, &t), 0);
	assert_int_equal(t.n, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaves_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_to_leaf_visited_as_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_to_table_descended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_to_table_no_descend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nr_more, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_and_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frozen, setup, teardown),
	};

	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
