// SPDX-License-Identifier: MIT
/*
 * Self-test: RISC-V Sv39 / Sv48 and G-stage Sv39x4 / Sv48x4
 * (privileged spec PTE format: PPN in bits 53:10, flags V R W X U G A D).
 *
 * Pointer PTEs to T1, T2, T3, T4, T5, T6 (0x80001000 + ...): PPN << 10 | V =
 * 0x20000401, 0x20000801, 0x20000c01, 0x20001001, 0x20001401, 0x20001801.
 * Leaf flags 0xdf = V|R|W|X|U|A|D, 0xcf = the same without U.
 * 4 KiB leaf at 0x12345000: PPN 0x12345 << 10 = 0x48d1400.
 */
#include "ref_selftest.h"

#define LEAF_4K		0x48d14dfull	/* 0x12345000, V|R|W|X|U|A|D */
#define IA_SV39		0x80604567ull	/* VPN2 2, VPN1 3, VPN0 4 */

static const struct ref_cfg sv39 = { .format = REF_RISCV_SV39, .root_pa = TBL(0) };
static const struct ref_cfg sv48 = { .format = REF_RISCV_SV48, .root_pa = TBL(0) };
static const struct ref_cfg sv39x4 = { .format = REF_RISCV_SV39X4, .root_pa = TBL(0) };
static const struct ref_cfg sv48x4 = { .format = REF_RISCV_SV48X4, .root_pa = TBL(0) };

/* Sv39: root[2] -> T1, T1[3] -> T2. */
static void sv39_tables(void)
{
	put(TBL(0), 2, 0x20000401ull);
	put(TBL(1), 3, 0x20000801ull);
}

static void sv39_pages(void **state)
{
	struct ref_result r;

	(void)state;
	sv39_tables();
	put(TBL(2), 4, LEAF_4K);
	r = check_ok(&sv39, IA_SV39, 0x12345567ull, 12, 2);
	expect_perm(&r, true, true, true, true);
	expect_ad(&r, true, true);
	expect_mt(&r, REF_MT_NORMAL_WB);
	assert_int_equal(reads(), 3);
	put(TBL(2), 4, 0x48d17dfull);		/* RSW bits 9:8 are free */
	check_ok(&sv39, IA_SV39, 0x12345567ull, 12, 2);

	put(TBL(1), 3, 0x100000dfull);		/* 2 MiB at 0x40000000 */
	check_ok(&sv39, IA_SV39, 0x40004567ull, 21, 1);
	put(TBL(0), 2, 0x300000dfull);		/* 1 GiB at 0xc0000000 */
	check_ok(&sv39, IA_SV39, 0xc0604567ull, 30, 0);
	assert_int_equal(reads(), 1);
}

static void sv39_misaligned(void **state)
{
	(void)state;
	sv39_tables();
	put(TBL(1), 3, 0x100004dfull);		/* 2 MiB, PPN 0x40001 */
	check_fault(&sv39, IA_SV39, REF_FAULT_RESERVED, 1);
	put(TBL(0), 2, 0x300800dfull);		/* 1 GiB, PPN[1] = 1 */
	check_fault(&sv39, IA_SV39, REF_FAULT_RESERVED, 0);
	put(TBL(0), 2, 0x300004dfull);		/* 1 GiB, PPN[0] = 1 */
	check_fault(&sv39, IA_SV39, REF_FAULT_RESERVED, 0);
}

static void sv39_leaf_perm(void **state)
{
	static const struct { uint64_t pte; bool r, w, x, u, a, d; } leaf[] = {
		{ 0x48d1443ull, true, false, false, false, true, false },  /* V|R|A */
		{ 0x48d1449ull, false, false, true, false, true, false },  /* V|X|A */
		{ 0x48d14d7ull, true, true, false, true, true, true },     /* no X */
		{ 0x48d140bull, true, false, true, false, false, false },  /* V|R|X */
	};
	struct ref_result r;
	size_t i;

	(void)state;
	sv39_tables();
	for (i = 0; i < sizeof(leaf) / sizeof(leaf[0]); i++) {
		put(TBL(2), 4, leaf[i].pte);
		r = check_ok(&sv39, IA_SV39, 0x12345567ull, 12, 2);
		expect_perm(&r, leaf[i].r, leaf[i].w, leaf[i].x, leaf[i].u);
		expect_ad(&r, leaf[i].a, leaf[i].d);
	}
}

static void sv39_reserved(void **state)
{
	static const uint64_t bad_leaf[] = {
		0x48d14d5ull,			/* W without R */
		0x00400000048d14dfull,		/* bit 54 */
		0x10000000048d14dfull,		/* bit 60 */
		0x80000000048d14dfull,		/* N without Svnapot */
		0x60000000048d14dfull,		/* PBMT = 3 */
	};
	static const uint64_t bad_ptr[] = {
		0x20000405ull,			/* W without R */
		0x2000040dull,			/* W|X without R */
		0x20000411ull,			/* U in a pointer */
		0x20000441ull,			/* A in a pointer */
		0x20000481ull,			/* D in a pointer */
		0x2000000020000401ull,		/* PBMT in a pointer */
	};
	size_t i;

	(void)state;
	sv39_tables();
	for (i = 0; i < sizeof(bad_leaf) / sizeof(bad_leaf[0]); i++) {
		put(TBL(2), 4, bad_leaf[i]);
		check_fault(&sv39, IA_SV39, REF_FAULT_RESERVED, 2);
	}
	put(TBL(2), 4, LEAF_4K);
	for (i = 0; i < sizeof(bad_ptr) / sizeof(bad_ptr[0]); i++) {
		put(TBL(0), 2, bad_ptr[i]);
		check_fault(&sv39, IA_SV39, REF_FAULT_RESERVED, 0);
	}
	put(TBL(0), 2, 0x20000421ull);		/* G in a pointer is fine */
	check_ok(&sv39, IA_SV39, 0x12345567ull, 12, 2);
}

static void sv39_not_present(void **state)
{
	(void)state;
	check_fault(&sv39, IA_SV39, REF_FAULT_NOT_PRESENT, 0);
	sv39_tables();
	put(TBL(2), 4, 0x48d14deull);		/* V = 0 */
	check_fault(&sv39, IA_SV39, REF_FAULT_NOT_PRESENT, 2);
	put(TBL(2), 4, 0x4ull);			/* V = 0 beats W without R */
	check_fault(&sv39, IA_SV39, REF_FAULT_NOT_PRESENT, 2);
	put(TBL(2), 4, 0x20000c01ull);		/* pointer at the last level */
	check_fault(&sv39, IA_SV39, REF_FAULT_NOT_PRESENT, 2);
	put(TBL(1), 3, 0x20000800ull);
	check_fault(&sv39, IA_SV39, REF_FAULT_NOT_PRESENT, 1);
}

static void sv39_pbmt(void **state)
{
	struct ref_result r;

	(void)state;
	sv39_tables();
	put(TBL(2), 4, 0x20000000048d14dfull);	/* PBMT = NC */
	r = check_ok(&sv39, IA_SV39, 0x12345567ull, 12, 2);
	expect_mt(&r, REF_MT_OTHER);
	put(TBL(2), 4, 0x40000000048d14dfull);	/* PBMT = IO */
	r = check_ok(&sv39, IA_SV39, 0x12345567ull, 12, 2);
	expect_mt(&r, REF_MT_DEVICE);
	put(TBL(1), 3, 0x40000000100000dfull);	/* IO megapage */
	r = check_ok(&sv39, IA_SV39, 0x40004567ull, 21, 1);
	expect_mt(&r, REF_MT_DEVICE);
}

static void sv39_canonical(void **state)
{
	(void)state;
	check_fault(&sv39, 0x0000004000000000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&sv39, 0xffffff8000000000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&sv39, 0x0000008080604567ull, REF_FAULT_ADDRESS, 0);
	assert_int_equal(reads(), 0);
	put(TBL(0), 256, 0x300000dfull);	/* upper half: VPN2 = 256 */
	check_ok(&sv39, 0xffffffc000001234ull, 0xc0001234ull, 30, 0);
}

static void sv48_walks(void **state)
{
	(void)state;
	put(TBL(0), 1, 0x20000401ull);
	put(TBL(1), 2, 0x20000801ull);
	put(TBL(2), 3, 0x20000c01ull);
	put(TBL(3), 4, LEAF_4K);
	check_ok(&sv48, IA_1234, 0x12345567ull, 12, 3);
	assert_int_equal(reads(), 4);
	put(TBL(2), 3, 0x100000dfull);		/* 2 MiB */
	check_ok(&sv48, IA_1234, 0x40004567ull, 21, 2);
	put(TBL(1), 2, 0x300000dfull);		/* 1 GiB */
	check_ok(&sv48, IA_1234, 0xc0604567ull, 30, 1);
	put(TBL(0), 1, 0x40000000dfull);	/* 512 GiB at 1 TiB */
	check_ok(&sv48, IA_1234, 0x0000010080604567ull, 39, 0);
	put(TBL(0), 1, 0x40000004dfull);	/* PPN 0x10000001: misaligned */
	check_fault(&sv48, IA_1234, REF_FAULT_RESERVED, 0);

	check_fault(&sv48, 0x0000800000000000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&sv48, 0xffff000000000000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&sv48, 0xffff800000000000ull, REF_FAULT_NOT_PRESENT, 0);
}

/* Sv39x4: GPA 0x101_4060_4567 -> root entry 0x405 = 1029, in T2 at 5. */
#define IA_SV39X4	0x0000010140604567ull

static void sv39x4_walks(void **state)
{
	struct ref_result r;

	(void)state;
	put(TBL(2), 5, 0x20001001ull);		/* -> T4 */
	put(TBL(4), 3, 0x20001401ull);		/* -> T5 */
	put(TBL(5), 4, LEAF_4K);
	r = check_ok(&sv39x4, IA_SV39X4, 0x12345567ull, 12, 2);
	expect_perm(&r, true, true, true, true);
	assert_int_equal(reads(), 3);
	/* bits 40:39 clear: root entry 5 of T0, which is empty */
	check_fault(&sv39x4, IA_SV39X4 & ~(3ull << 39), REF_FAULT_NOT_PRESENT, 0);
	put(TBL(2), 5, 0x300000dfull);		/* 1 GiB at the root */
	check_ok(&sv39x4, IA_SV39X4, 0xc0604567ull, 30, 0);

	check_fault(&sv39x4, 0x000001ffffffffffull, REF_FAULT_NOT_PRESENT, 0);
	check_fault(&sv39x4, 1ull << 41, REF_FAULT_ADDRESS, 0);
	check_fault(&sv39x4, 0xffffffc000000000ull, REF_FAULT_ADDRESS, 0);
}

static void sv39x4_no_user(void **state)
{
	struct ref_result r;

	(void)state;
	put(TBL(2), 5, 0x20001001ull);
	put(TBL(4), 3, 0x20001401ull);
	put(TBL(5), 4, 0x48d14cfull);		/* U = 0 */
	r = walk(&sv39x4, IA_SV39X4);
	expect_fault(&r, REF_FAULT_NO_ACCESS, 2);
	assert_int_equal(r.pa, 0x12345567ull);
	assert_int_equal(r.page_shift, 12);
	expect_perm(&r, true, true, true, false);
	expect_ad(&r, true, true);
	expect_mt(&r, REF_MT_NORMAL_WB);
	put(TBL(5), 4, 0x48d14c5ull);		/* reserved wins over U = 0 */
	check_fault(&sv39x4, IA_SV39X4, REF_FAULT_RESERVED, 2);
	/* Misaligned wins too (model choice: both are guest-page faults). */
	put(TBL(4), 3, 0x100004cfull);		/* 2 MiB, PPN 0x40001, U = 0 */
	check_fault(&sv39x4, IA_SV39X4, REF_FAULT_RESERVED, 1);
}

/* Sv48x4: GPA 0x3_ff80_8060_4567 -> root entry 2047 (T3 at 511), 2, 3, 4. */
#define IA_SV48X4	0x0003ff8080604567ull

static void sv48x4_walks(void **state)
{
	struct ref_result r;

	(void)state;
	put(TBL(3), 511, 0x20001001ull);	/* -> T4 */
	put(TBL(4), 2, 0x20001401ull);		/* -> T5 */
	put(TBL(5), 3, 0x20001801ull);		/* -> T6 */
	put(TBL(6), 4, LEAF_4K);
	check_ok(&sv48x4, IA_SV48X4, 0x12345567ull, 12, 3);
	assert_int_equal(reads(), 4);

	put(TBL(5), 3, 0x100000cfull);		/* 2 MiB without U */
	r = walk(&sv48x4, IA_SV48X4);
	expect_fault(&r, REF_FAULT_NO_ACCESS, 2);
	assert_int_equal(r.pa, 0x40004567ull);
	assert_int_equal(r.page_shift, 21);

	put(TBL(3), 511, 0x40000000dfull);	/* 512 GiB at the root */
	check_ok(&sv48x4, IA_SV48X4, 0x0000010080604567ull, 39, 0);
	check_fault(&sv48x4, 1ull << 50, REF_FAULT_ADDRESS, 0);
	check_fault(&sv48x4, 0xffff800000000000ull, REF_FAULT_ADDRESS, 0);
}

int run_riscv_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(sv39_pages, ref_mem_setup),
		cmocka_unit_test_setup(sv39_misaligned, ref_mem_setup),
		cmocka_unit_test_setup(sv39_leaf_perm, ref_mem_setup),
		cmocka_unit_test_setup(sv39_reserved, ref_mem_setup),
		cmocka_unit_test_setup(sv39_not_present, ref_mem_setup),
		cmocka_unit_test_setup(sv39_pbmt, ref_mem_setup),
		cmocka_unit_test_setup(sv39_canonical, ref_mem_setup),
		cmocka_unit_test_setup(sv48_walks, ref_mem_setup),
		cmocka_unit_test_setup(sv39x4_walks, ref_mem_setup),
		cmocka_unit_test_setup(sv39x4_no_user, ref_mem_setup),
		cmocka_unit_test_setup(sv48x4_walks, ref_mem_setup),
	};

	return cmocka_run_group_tests_name("ref_riscv", tests, NULL, NULL);
}
