// SPDX-License-Identifier: MIT
/*
 * Self-test of the reference translators: fake memory, helpers and main().
 * The per-architecture cases are in ref_{x86,arm64,riscv}_selftest.c.
 */
#include <string.h>

#include "ref_selftest.h"

static uint64_t mem[MEM_PAGES * 512u];
static unsigned int nreads;

int ref_mem_setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	nreads = 0;
	return 0;
}

static uint64_t *word(uint64_t pa)
{
	if (pa % 8 != 0)
		fail_msg("unaligned table access at %#llx", (unsigned long long)pa);
	if (pa < MEM_BASE || pa - MEM_BASE >= sizeof(mem))
		fail_msg("table access outside fake memory at %#llx",
			 (unsigned long long)pa);
	return &mem[(pa - MEM_BASE) / 8];
}

void put(uint64_t table_pa, unsigned int idx, uint64_t val)
{
	*word(table_pa + (uint64_t)idx * 8) = val;
}

static uint64_t mem_read(void *ctx, uint64_t pa)
{
	assert_ptr_equal(ctx, mem);
	nreads++;
	return *word(pa);
}

unsigned int reads(void)
{
	return nreads;
}

struct ref_result walk(const struct ref_cfg *cfg, uint64_t ia)
{
	struct ref_result r;
	enum ref_fault f;

	memset(&r, 0xa5, sizeof(r));	/* the model must fill every field */
	nreads = 0;
	f = ref_translate(cfg, mem_read, mem, ia, &r);
	assert_int_equal(f, r.fault);
	return r;
}

void expect_ok(const struct ref_result *r, uint64_t pa, unsigned int shift, int depth)
{
	assert_int_equal(r->fault, REF_OK);
	assert_int_equal(r->pa, pa);
	assert_int_equal(r->page_shift, shift);
	assert_int_equal(r->fault_depth, depth);
}

void expect_fault(const struct ref_result *r, enum ref_fault f, int depth)
{
	assert_int_equal(r->fault, f);
	assert_int_equal(r->fault_depth, depth);
	if (f != REF_FAULT_NO_ACCESS) {	/* ref.c: nothing else is filled */
		assert_int_equal(r->pa, 0);
		assert_int_equal(r->page_shift, 0);
		expect_perm(r, false, false, false, false);
	}
}

void expect_perm(const struct ref_result *r, bool rd, bool wr, bool ex, bool us)
{
	assert_int_equal(r->r, rd);
	assert_int_equal(r->w, wr);
	assert_int_equal(r->x, ex);
	assert_int_equal(r->u, us);
}

void expect_ad(const struct ref_result *r, bool a, bool d)
{
	assert_int_equal(r->a, a);
	assert_int_equal(r->d, d);
}

void expect_mt(const struct ref_result *r, enum ref_memtype mt)
{
	assert_int_equal(r->memtype, mt);
}

void check_fault(const struct ref_cfg *cfg, uint64_t ia, enum ref_fault f, int depth)
{
	struct ref_result r = walk(cfg, ia);

	expect_fault(&r, f, depth);
}

struct ref_result check_ok(const struct ref_cfg *cfg, uint64_t ia, uint64_t pa,
			   unsigned int shift, int depth)
{
	struct ref_result r = walk(cfg, ia);

	expect_ok(&r, pa, shift, depth);
	return r;
}

/* The fake memory itself: reads outside it must fail the test. */
static void selftest_fake_memory(void **state)
{
	(void)state;
	put(TBL(MEM_PAGES - 1), 511, 0x1122334455667788ull);
	assert_int_equal(mem_read(mem, TBL(MEM_PAGES - 1) + 511 * 8),
			 0x1122334455667788ull);
	assert_int_equal(mem_read(mem, MEM_BASE), 0);
}

/* A zeroed result is written even for an unknown format. */
static void selftest_unknown_format(void **state)
{
	struct ref_cfg cfg = { .format = (enum ref_format)99, .root_pa = TBL(0) };

	(void)state;
	check_fault(&cfg, 0, REF_FAULT_RESERVED, 0);
	assert_int_equal(reads(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(selftest_fake_memory, ref_mem_setup),
		cmocka_unit_test_setup(selftest_unknown_format, ref_mem_setup),
	};
	int failed = cmocka_run_group_tests_name("ref_common", tests, NULL, NULL);

	failed += run_x86_tests();
	failed += run_arm64_tests();
	failed += run_riscv_tests();
	return failed ? 1 : 0;
}
