// SPDX-License-Identifier: MIT
/*
 * Demand-paged guest RAM under parallel faults (ASan and TSan builds): every
 * page is filled exactly once (a "guest write" after a fault would be lost
 * by a second fill), holds the guest image or zeros, is mapped to its own
 * backing page, and every fully present 2 MiB range ends up one block.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "s2_mem.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define RAM_GPA		0x80000000ull
#define RAM_SIZE	(32ull << 20)
#define RAM_PAGES	(RAM_SIZE / SZ_4K)
#define FULL_PAGES	((8ull << 20) / SZ_4K)	/* every thread sweeps these */
#define HOST_PA		0x4000000000ull
#define IMAGE_OFF	0x1005ull
#define IMAGE_SIZE	(3ull << 20) + 123
#define MARK_OFF	(SZ_4K - 8)
#define NR_THREADS	4

struct s2t {
	struct th_env *env;
	struct s2_mem mem;
	u8 *backing;
	u8 *image;
	u64 *bitmaps;
	u64 written[RAM_PAGES / 64];
	int failed;
	char why[256];
};

struct s2w {
	struct s2t *t;
	unsigned int cpu;
	u64 rng;
};

static u64 mark_of(u64 page)
{
	return 0x5eed000000000000ull | page;
}

static void s2t_fail(struct s2t *t, const char *why, u64 page)
{
	if (!__atomic_exchange_n(&t->failed, 1, __ATOMIC_SEQ_CST))
		snprintf(t->why, sizeof(t->why), "%s (page %llu)", why, (unsigned long long)page);
}

/* Fault until mapped, then write like a guest would. */
static void s2t_touch(struct s2t *t, u64 page)
{
	int ret;

	while ((ret = s2_mem_fault(&t->mem, RAM_GPA + page * SZ_4K + 8)) == -EAGAIN)
		;
	if (ret) {
		s2t_fail(t, "fault failed", page);
		return;
	}
	__atomic_store_n((u64 *)(t->backing + page * SZ_4K + MARK_OFF), mark_of(page),
			 __ATOMIC_RELAXED);
	__atomic_fetch_or(&t->written[page / 64], BIT(page % 64), __ATOMIC_RELEASE);
}

static void *s2t_thread(void *arg)
{
	struct s2w *w = arg;
	u64 i, start = th_rand_below(&w->rng, FULL_PAGES);

	pt_host_cpu = w->cpu;
	for (i = 0; i < FULL_PAGES && !w->t->failed; i++)
		s2t_touch(w->t, (start + i * (2 * w->cpu + 1)) % FULL_PAGES);
	for (i = 0; i < 4000 && !w->t->failed; i++)
		s2t_touch(w->t, th_rand_below(&w->rng, RAM_PAGES));
	return NULL;
}

static u8 expected_byte(struct s2t *t, u64 off)
{
	u64 gpa = RAM_GPA + off;

	if (gpa >= RAM_GPA + IMAGE_OFF && gpa < RAM_GPA + IMAGE_OFF + IMAGE_SIZE)
		return t->image[gpa - RAM_GPA - IMAGE_OFF];
	return 0;
}

static void s2t_check_page(struct s2t *t, u64 page)
{
	struct pt_lookup l;
	u64 off;

	if (pt_lookup(&t->env->pt, RAM_GPA + page * SZ_4K, &l) ||
	    l.oa != HOST_PA + page * SZ_4K)
		fail_msg("%s: page %llu is not mapped to its backing", t->env->tf->name,
			 (unsigned long long)page);
	/* Dirty up front where the format has D: a hart without A/D updates faults otherwise. */
	if ((l.prot & PT_PROT_D) != (t->env->pt.fmt->prot_mask & PT_PROT_D))
		fail_msg("%s: page %llu mapped with D %s", t->env->tf->name, (unsigned long long)page,
			 l.prot & PT_PROT_D ? "set" : "clear");
	if (*(u64 *)(t->backing + page * SZ_4K + MARK_OFF) != mark_of(page))
		fail_msg("%s: page %llu lost a guest write: filled twice", t->env->tf->name,
			 (unsigned long long)page);
	for (off = page * SZ_4K; off < page * SZ_4K + MARK_OFF; off++)
		if (t->backing[off] != expected_byte(t, off))
			fail_msg("%s: page %llu byte 0x%llx is 0x%x, not the image's 0x%x",
				 t->env->tf->name, (unsigned long long)page,
				 (unsigned long long)(off % SZ_4K), t->backing[off],
				 expected_byte(t, off));
}

static void run_s2mem(const char *fmt_name, u64 seed)
{
	struct s2t *t = calloc(1, sizeof(*t));
	struct s2w w[NR_THREADS];
	pthread_t tid[NR_THREADS];
	u64 page, pages = 0, i;
	struct pt_lookup l;

	t->env = th_env_new(th_fmt_find(fmt_name), 16ull << 20, NR_THREADS + 1);
	t->backing = aligned_alloc(SZ_2M, RAM_SIZE);
	memset(t->backing, 0xee, RAM_SIZE);	/* what a second fill would destroy */
	t->image = malloc(IMAGE_SIZE);
	for (i = 0; i < IMAGE_SIZE; i++)
		t->image[i] = (u8)th_rand(&seed);
	t->bitmaps = calloc(1, s2_mem_bitmaps_size(RAM_SIZE));
	assert_int_equal(s2_mem_init(&t->mem, &t->env->pool, &t->env->pt, RAM_GPA, RAM_SIZE,
				     HOST_PA, t->backing, t->bitmaps), 0);
	s2_mem_set_segs(&t->mem, &(struct s2_mem_seg){ RAM_GPA + IMAGE_OFF, t->image, IMAGE_SIZE }, 1);
	assert_int_equal(s2_mem_fault(&t->mem, RAM_GPA + RAM_SIZE), -EFAULT);
	assert_int_equal(s2_mem_fault(&t->mem, RAM_GPA - 1), -EFAULT);

	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct s2w){ .t = t, .cpu = (unsigned int)i, .rng = seed + i };
		pthread_create(&tid[i], NULL, s2t_thread, &w[i]);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(tid[i], NULL);
	pt_host_cpu = NR_THREADS;
	if (t->failed)
		fail_msg("%s: %s", fmt_name, t->why);

	for (page = 0; page < RAM_PAGES; page++) {
		if (!(t->written[page / 64] & BIT(page % 64)))
			continue;
		pages++;
		s2t_check_page(t, page);
	}
	assert_int_equal(t->mem.nr_faults, pages);
	for (page = 0; page < FULL_PAGES; page += SZ_2M / SZ_4K) {
		assert_int_equal(pt_lookup(&t->env->pt, RAM_GPA + page * SZ_4K, &l), 0);
		if (l.level != 1)
			fail_msg("%s: the full 2 MiB range at page %llu was not collapsed",
				 fmt_name, (unsigned long long)page);
	}
	/* Released pages are unmapped, and filled anew (zeros, image) on the next touch. */
	memset(t->backing + SZ_2M, 0x77, SZ_2M);
	assert_int_equal(s2_mem_release(&t->mem, RAM_GPA + SZ_2M, SZ_2M), 0);
	assert_int_equal(pt_lookup(&t->env->pt, RAM_GPA + SZ_2M, &l), -ENOENT);
	assert_int_equal(s2_mem_release(&t->mem, RAM_GPA + RAM_SIZE, SZ_4K), -EINVAL);
	assert_int_equal(s2_mem_fault(&t->mem, RAM_GPA + SZ_2M + 5 * SZ_4K), 0);
	assert_int_equal(t->backing[SZ_2M + 5 * SZ_4K + 100], expected_byte(t, SZ_2M + 5 * SZ_4K + 100));
	assert_int_equal(t->backing[SZ_2M + 6 * SZ_4K], 0x77);	/* not touched again yet */
	print_message("%s: %llu pages populated by %u threads, %llu ranges collapsed\n",
		      fmt_name, (unsigned long long)pages, NR_THREADS,
		      (unsigned long long)t->mem.nr_collapses);
	pt_pool_table_destroy(&t->env->pool, &t->env->pt);
	th_env_free(t->env);
	free(t->bitmaps);
	free(t->image);
	free(t->backing);
	free(t);
}

static void test_s2mem_arm64(void **state)
{
	(void)state;
	run_s2mem("arm64-s2-40-l1", th_seed(0x52a1));
}

static void test_s2mem_ept(void **state)
{
	(void)state;
	run_s2mem("ept-4l", th_seed(0x52a2));
}

static void test_s2mem_sv39x4(void **state)
{
	(void)state;
	run_s2mem("sv39x4", th_seed(0x52a3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s2mem_arm64),
		cmocka_unit_test(test_s2mem_ept),
		cmocka_unit_test(test_s2mem_sv39x4),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("s2mem", tests, NULL, NULL);
}
