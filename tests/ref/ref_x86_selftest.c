// SPDX-License-Identifier: MIT
/*
 * Self-test: IA-32e paging (SDM Vol 3A 4.5) and EPT (SDM Vol 3C 29.3).
 *
 * IA-32e flag bytes used below: 0x07 = P|RW|US, 0x67 = P|RW|US|A|D,
 * 0xE7 = 0x67|PS. EPT: 0x07 = R|W|X, 0x30 = memory type 6 (WB) in bits 5:3,
 * 0x80 = large page, 0x100 = A, 0x200 = D.
 * IA_1234 = 0x80_8060_4567 selects PML4 1, PDPT 2, PD 3, PT 4, offset 0x567.
 */
#include "ref_selftest.h"

static const struct ref_cfg x86_4l = {
	.format = REF_X86_64_S1, .root_pa = TBL(0), .levels = 4,
};

static const struct ref_cfg x86_5l = {
	.format = REF_X86_64_S1, .root_pa = TBL(0), .levels = 5,
};

/* PML4[1] -> T1, PDPT[2] -> T2, PD[3] -> T3, all P|RW|US. */
static void x86_tables(void)
{
	put(TBL(0), 1, 0x80001007ull);
	put(TBL(1), 2, 0x80002007ull);
	put(TBL(2), 3, 0x80003007ull);
}

static void x86_4k_page(void **state)
{
	struct ref_result r;

	(void)state;
	x86_tables();
	put(TBL(3), 4, 0x12345067ull);		/* 4 KiB page at 0x12345000 */
	r = check_ok(&x86_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, true, true);
	expect_ad(&r, true, true);
	expect_mt(&r, REF_MT_NORMAL_WB);
	assert_int_equal(reads(), 4);

	put(TBL(3), 4, 0x12345025ull);		/* P|US|A: read-only, clean */
	r = check_ok(&x86_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, false, true, true);
	expect_ad(&r, true, false);

	put(TBL(3), 4, 0x7ff0000012345067ull);	/* bits 62:52 ignored (PKE = 0) */
	check_ok(&x86_4l, IA_1234, 0x12345567ull, 12, 3);
}

static void x86_large_pages(void **state)
{
	struct ref_result r;

	(void)state;
	x86_tables();
	put(TBL(2), 3, 0x400000e7ull);		/* 2 MiB page at 0x40000000 */
	r = check_ok(&x86_4l, IA_1234, 0x40004567ull, 21, 2);
	expect_ad(&r, true, true);
	expect_mt(&r, REF_MT_NORMAL_WB);	/* PS is not the PAT bit here */
	put(TBL(2), 3, 0x402000e7ull);		/* bit 21 is an address bit */
	check_ok(&x86_4l, IA_1234, 0x40204567ull, 21, 2);

	put(TBL(1), 2, 0xc00000e7ull);		/* 1 GiB page at 0xc0000000 */
	r = check_ok(&x86_4l, IA_1234, 0xc0604567ull, 30, 1);
	expect_perm(&r, true, true, true, true);
	assert_int_equal(reads(), 2);
}

static void x86_perm_combined(void **state)
{
	struct ref_result r;

	(void)state;
	put(TBL(0), 1, 0x80001005ull);		/* P|US: no write below */
	put(TBL(1), 2, 0x80002003ull);		/* P|RW: supervisor only */
	put(TBL(2), 3, 0x8000000080003007ull);	/* XD */
	put(TBL(3), 4, 0x12345067ull);
	r = check_ok(&x86_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, false, false, false);

	x86_tables();
	put(TBL(3), 4, 0x8000000012345067ull);	/* XD in the leaf only */
	r = check_ok(&x86_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, false, true);

	put(TBL(1), 2, 0x80002003ull);		/* US = 0 above a 2 MiB page */
	put(TBL(2), 3, 0x400000e7ull);
	r = check_ok(&x86_4l, IA_1234, 0x40004567ull, 21, 2);
	expect_perm(&r, true, true, true, false);
}

/*
 * Default PAT: 0 WB, 1 WT, 2 UC-, 3 UC, 4 WB, 5 WT, 6 UC-, 7 UC. Its upper
 * half repeats the lower half, so the PAT bit's position can only be seen
 * through the address: bit 12 of a large page must not reach pa.
 */
static void x86_memtype(void **state)
{
	static const struct { uint64_t flags; enum ref_memtype mt; } pte[] = {
		{ 0x00, REF_MT_NORMAL_WB },	/* index 0 */
		{ 0x08, REF_MT_OTHER },		/* PWT: index 1, WT */
		{ 0x10, REF_MT_DEVICE },	/* PCD: index 2, UC- */
		{ 0x18, REF_MT_DEVICE },	/* index 3, UC */
		{ 0x80, REF_MT_NORMAL_WB },	/* PAT (bit 7): index 4, WB */
		{ 0x88, REF_MT_OTHER },		/* index 5, WT */
		{ 0x90, REF_MT_DEVICE },	/* index 6, UC- */
		{ 0x98, REF_MT_DEVICE },	/* index 7, UC */
	};
	struct ref_result r;
	size_t i;

	(void)state;
	x86_tables();
	for (i = 0; i < sizeof(pte) / sizeof(pte[0]); i++) {
		put(TBL(3), 4, 0x12345067ull | pte[i].flags);
		r = check_ok(&x86_4l, IA_1234, 0x12345567ull, 12, 3);
		expect_mt(&r, pte[i].mt);
	}
	put(TBL(2), 3, 0x400010efull);		/* 2 MiB, PAT (bit 12) | PWT: WT */
	r = check_ok(&x86_4l, IA_1234, 0x40004567ull, 21, 2);
	expect_mt(&r, REF_MT_OTHER);
	put(TBL(2), 3, 0x400000f7ull);		/* 2 MiB, PCD: UC- */
	r = check_ok(&x86_4l, IA_1234, 0x40004567ull, 21, 2);
	expect_mt(&r, REF_MT_DEVICE);
	put(TBL(1), 2, 0xc00010e7ull);		/* 1 GiB, PAT: WB; bit 12 not in pa */
	r = check_ok(&x86_4l, IA_1234, 0xc0604567ull, 30, 1);
	expect_mt(&r, REF_MT_NORMAL_WB);
}

static void x86_reserved(void **state)
{
	(void)state;
	x86_tables();
	put(TBL(2), 3, 0x400020e7ull);		/* 2 MiB, bit 13 */
	check_fault(&x86_4l, IA_1234, REF_FAULT_RESERVED, 2);
	put(TBL(2), 3, 0x401000e7ull);		/* 2 MiB, bit 20 */
	check_fault(&x86_4l, IA_1234, REF_FAULT_RESERVED, 2);
	put(TBL(1), 2, 0xc00020e7ull);		/* 1 GiB, bit 13 */
	check_fault(&x86_4l, IA_1234, REF_FAULT_RESERVED, 1);
	put(TBL(1), 2, 0xe00000e7ull);		/* 1 GiB, bit 29 */
	check_fault(&x86_4l, IA_1234, REF_FAULT_RESERVED, 1);
	put(TBL(0), 1, 0x80001087ull);		/* PS in a PML4E */
	check_fault(&x86_4l, IA_1234, REF_FAULT_RESERVED, 0);
}

static void x86_not_present(void **state)
{
	(void)state;
	check_fault(&x86_4l, IA_1234, REF_FAULT_NOT_PRESENT, 0);
	x86_tables();
	check_fault(&x86_4l, IA_1234, REF_FAULT_NOT_PRESENT, 3);
	put(TBL(3), 4, 0x12345066ull);		/* everything but P */
	check_fault(&x86_4l, IA_1234, REF_FAULT_NOT_PRESENT, 3);
	put(TBL(2), 3, 0x80003006ull);
	check_fault(&x86_4l, IA_1234, REF_FAULT_NOT_PRESENT, 2);
}

static void x86_canonical(void **state)
{
	(void)state;
	check_fault(&x86_4l, 0x0000800000000000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&x86_4l, 0xffff7ffffffff000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&x86_4l, 0x0001008080604567ull, REF_FAULT_ADDRESS, 0);
	assert_int_equal(reads(), 0);

	/* Upper half: PML4[256] -> T1, PDPT[0] = 1 GiB page at 4 GiB. */
	put(TBL(0), 256, 0x80001007ull);
	put(TBL(1), 0, 0x00000001000000e7ull);
	check_ok(&x86_4l, 0xffff800000001234ull, 0x100001234ull, 30, 1);

	/* Top of the address space, page at the top of 52-bit memory. */
	put(TBL(0), 511, 0x80001007ull);
	put(TBL(1), 511, 0x80002007ull);
	put(TBL(2), 511, 0x80003007ull);
	put(TBL(3), 511, 0x000ffffffffff067ull);
	check_ok(&x86_4l, ~0ull, 0x000fffffffffffffull, 12, 3);
}

static void x86_5level(void **state)
{
	(void)state;
	/* PML5[1] -> T1, PML4[1] -> T2, PDPT[2] -> T3, PD[3] -> T4, PT[4]. */
	put(TBL(0), 1, 0x80001007ull);
	put(TBL(1), 1, 0x80002007ull);
	put(TBL(2), 2, 0x80003007ull);
	put(TBL(3), 3, 0x80004007ull);
	check_fault(&x86_5l, 0x0001008080604567ull, REF_FAULT_NOT_PRESENT, 4);
	put(TBL(4), 4, 0x12345067ull);
	check_ok(&x86_5l, 0x0001008080604567ull, 0x12345567ull, 12, 4);
	assert_int_equal(reads(), 5);
	put(TBL(3), 3, 0x400000e7ull);		/* 2 MiB */
	check_ok(&x86_5l, 0x0001008080604567ull, 0x40004567ull, 21, 3);

	put(TBL(1), 1, 0x80002087ull);		/* PS in the PML4E */
	check_fault(&x86_5l, 0x0001008080604567ull, REF_FAULT_RESERVED, 1);
	put(TBL(0), 1, 0x80001087ull);		/* PS in the PML5E */
	check_fault(&x86_5l, 0x0001008080604567ull, REF_FAULT_RESERVED, 0);

	check_fault(&x86_5l, 0x0100000000000000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&x86_5l, 0xfe00000000000000ull, REF_FAULT_ADDRESS, 0);
	/* bits 63:56 all set: canonical, PML5 index 256 is empty */
	check_fault(&x86_5l, 0xff00000000000000ull, REF_FAULT_NOT_PRESENT, 0);
	check_fault(&(struct ref_cfg){ .format = REF_X86_64_S1, .root_pa = TBL(0),
				       .levels = 3 }, 0, REF_FAULT_RESERVED, 0);
}

/* ------------------------------------------------------------------ EPT */

static const struct ref_cfg ept_4l = {
	.format = REF_X86_EPT, .root_pa = TBL(0), .levels = 4, .ept_ad = true,
};

static const struct ref_cfg ept_5l = {
	.format = REF_X86_EPT, .root_pa = TBL(0), .levels = 5, .ept_ad = true,
};

static void ept_4k_page(void **state)
{
	struct ref_cfg no_ad = ept_4l;
	struct ref_result r;

	(void)state;
	x86_tables();				/* 0x07 is R|W|X for EPT too */
	put(TBL(3), 4, 0x12345337ull);		/* RWX, WB, A, D */
	r = check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, true, false);
	expect_ad(&r, true, true);
	expect_mt(&r, REF_MT_NORMAL_WB);
	assert_int_equal(reads(), 4);

	no_ad.ept_ad = false;
	r = check_ok(&no_ad, IA_1234, 0x12345567ull, 12, 3);
	expect_ad(&r, false, false);

	put(TBL(3), 4, 0x123450b7ull);		/* bit 7 is ignored in a PTE */
	check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
	put(TBL(3), 4, 0x8000000012345077ull);	/* IPAT, suppress-#VE: no effect */
	r = check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_mt(&r, REF_MT_NORMAL_WB);
}

static void ept_large_pages(void **state)
{
	struct ref_result r;

	(void)state;
	x86_tables();
	put(TBL(2), 3, 0x400003b7ull);		/* 2 MiB: large|WB|RWX|A|D */
	r = check_ok(&ept_4l, IA_1234, 0x40004567ull, 21, 2);
	expect_ad(&r, true, true);
	put(TBL(1), 2, 0xc00000b7ull);		/* 1 GiB, A = D = 0 */
	r = check_ok(&ept_4l, IA_1234, 0xc0604567ull, 30, 1);
	expect_ad(&r, false, false);
	expect_perm(&r, true, true, true, false);
}

static void ept_perm_combined(void **state)
{
	struct ref_result r;

	(void)state;
	put(TBL(0), 1, 0x80001005ull);		/* R|X */
	put(TBL(1), 2, 0x80002003ull);		/* R|W */
	put(TBL(2), 3, 0x80003007ull);
	put(TBL(3), 4, 0x12345037ull);
	r = check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, false, false, false);

	x86_tables();
	put(TBL(3), 4, 0x12345034ull);		/* execute-only leaf */
	r = check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, false, false, true, false);
	put(TBL(2), 3, 0x80003004ull);		/* execute-only table */
	put(TBL(3), 4, 0x12345037ull);
	r = check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, false, false, true, false);
}

static void ept_memtype(void **state)
{
	static const struct { uint64_t pte; enum ref_memtype mt; } leaf[] = {
		{ 0x12345007ull, REF_MT_DEVICE },	/* type 0: UC */
		{ 0x1234500full, REF_MT_OTHER },	/* type 1: WC */
		{ 0x12345027ull, REF_MT_OTHER },	/* type 4: WT */
		{ 0x1234502full, REF_MT_OTHER },	/* type 5: WP */
		{ 0x12345037ull, REF_MT_NORMAL_WB },	/* type 6: WB */
		{ 0x12345047ull, REF_MT_DEVICE },	/* type 0 with IPAT */
	};
	struct ref_result r;
	size_t i;

	(void)state;
	x86_tables();
	for (i = 0; i < sizeof(leaf) / sizeof(leaf[0]); i++) {
		put(TBL(3), 4, leaf[i].pte);
		r = check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
		expect_mt(&r, leaf[i].mt);
	}
}

static void ept_misconfig_leaf(void **state)
{
	static const uint64_t bad[] = {
		0x12345032ull,	/* write-only */
		0x12345036ull,	/* write/execute */
		0x12345017ull,	/* memory type 2 */
		0x1234501full,	/* memory type 3 */
		0x1234503full,	/* memory type 7 */
	};
	size_t i;

	(void)state;
	x86_tables();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(TBL(3), 4, bad[i]);
		check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 3);
	}
	put(TBL(2), 3, 0x400010b7ull);		/* 2 MiB, bit 12 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 2);
	put(TBL(2), 3, 0x401000b7ull);		/* 2 MiB, bit 20 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 2);
	put(TBL(2), 3, 0x40000097ull);		/* 2 MiB, memory type 2 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 2);
	put(TBL(1), 2, 0xc00010b7ull);		/* 1 GiB, bit 12 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 1);
	put(TBL(1), 2, 0xe00000b7ull);		/* 1 GiB, bit 29 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 1);
}

static void ept_misconfig_table(void **state)
{
	(void)state;
	x86_tables();
	put(TBL(3), 4, 0x12345037ull);
	put(TBL(0), 1, 0x80001107ull);		/* A in a PML4E is fine */
	check_ok(&ept_4l, IA_1234, 0x12345567ull, 12, 3);
	put(TBL(2), 3, 0x8000300full);		/* PDE, bit 3 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 2);
	put(TBL(1), 2, 0x80002047ull);		/* PDPTE, bit 6 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 1);
	put(TBL(1), 2, 0x80002002ull);		/* PDPTE, write-only */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 1);
	put(TBL(0), 1, 0x8000100full);		/* PML4E, bit 3 */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 0);
	put(TBL(0), 1, 0x80001087ull);		/* PML4E, large-page bit */
	check_fault(&ept_4l, IA_1234, REF_FAULT_RESERVED, 0);
}

static void ept_not_present(void **state)
{
	(void)state;
	check_fault(&ept_4l, IA_1234, REF_FAULT_NOT_PRESENT, 0);
	x86_tables();
	put(TBL(3), 4, 0x12345338ull);		/* RWX = 0, rest ignored */
	check_fault(&ept_4l, IA_1234, REF_FAULT_NOT_PRESENT, 3);
	put(TBL(3), 4, 0x12345018ull);		/* "type 3" but not present */
	check_fault(&ept_4l, IA_1234, REF_FAULT_NOT_PRESENT, 3);
	put(TBL(1), 2, 0x800020f8ull);
	check_fault(&ept_4l, IA_1234, REF_FAULT_NOT_PRESENT, 1);
}

static void ept_range_and_5level(void **state)
{
	(void)state;
	check_fault(&ept_4l, 1ull << 48, REF_FAULT_ADDRESS, 0);
	check_fault(&ept_4l, 0xffff800000000000ull, REF_FAULT_ADDRESS, 0);
	check_fault(&ept_4l, 0x0000ffffffffffffull, REF_FAULT_NOT_PRESENT, 0);

	put(TBL(0), 1, 0x80001007ull);		/* PML5[1] */
	put(TBL(1), 1, 0x80002007ull);
	put(TBL(2), 2, 0x80003007ull);
	put(TBL(3), 3, 0x80004007ull);
	put(TBL(4), 4, 0x12345337ull);
	check_ok(&ept_5l, 0x0001008080604567ull, 0x12345567ull, 12, 4);
	assert_int_equal(reads(), 5);
	put(TBL(2), 2, 0xc00000b7ull);		/* 1 GiB under 5 levels */
	check_ok(&ept_5l, 0x0001008080604567ull, 0xc0604567ull, 30, 2);
	check_fault(&ept_5l, 1ull << 57, REF_FAULT_ADDRESS, 0);
	check_fault(&ept_5l, 0x01ffffffffffffffull, REF_FAULT_NOT_PRESENT, 0);
	put(TBL(0), 1, 0x80001017ull);		/* PML5E, bit 4 */
	check_fault(&ept_5l, 0x0001008080604567ull, REF_FAULT_RESERVED, 0);
	put(TBL(0), 1, 0x80001087ull);		/* PML5E, large-page bit */
	check_fault(&ept_5l, 0x0001008080604567ull, REF_FAULT_RESERVED, 0);
}

int run_x86_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(x86_4k_page, ref_mem_setup),
		cmocka_unit_test_setup(x86_large_pages, ref_mem_setup),
		cmocka_unit_test_setup(x86_perm_combined, ref_mem_setup),
		cmocka_unit_test_setup(x86_memtype, ref_mem_setup),
		cmocka_unit_test_setup(x86_reserved, ref_mem_setup),
		cmocka_unit_test_setup(x86_not_present, ref_mem_setup),
		cmocka_unit_test_setup(x86_canonical, ref_mem_setup),
		cmocka_unit_test_setup(x86_5level, ref_mem_setup),
		cmocka_unit_test_setup(ept_4k_page, ref_mem_setup),
		cmocka_unit_test_setup(ept_large_pages, ref_mem_setup),
		cmocka_unit_test_setup(ept_perm_combined, ref_mem_setup),
		cmocka_unit_test_setup(ept_memtype, ref_mem_setup),
		cmocka_unit_test_setup(ept_misconfig_leaf, ref_mem_setup),
		cmocka_unit_test_setup(ept_misconfig_table, ref_mem_setup),
		cmocka_unit_test_setup(ept_not_present, ref_mem_setup),
		cmocka_unit_test_setup(ept_range_and_5level, ref_mem_setup),
	};

	return cmocka_run_group_tests_name("ref_x86", tests, NULL, NULL);
}
