// SPDX-License-Identifier: MIT
/*
 * Self-test: VMSAv8-64, 4 KiB granule, EL2 stage 1 and stage 2
 * (Arm ARM D8.3 descriptor formats).
 *
 * Descriptor literals: 0x...003 = valid table (levels 0-2) / page (level 3),
 * 0x...001 = block. Stage 1 leaf 0x703 = AF (0x400) | SH inner (0x300) |
 * AttrIndx 0 | page. Stage 2 leaf 0x7ff = AF | SH | S2AP RW (0xc0) |
 * MemAttr 0b1111 (0x3c) | page.
 * IA_1234 = 0x80_8060_4567 selects L0 1, L1 2, L2 3, L3 4, offset 0x567.
 */
#include "ref_selftest.h"

/* MAIR_EL2 attributes 0..7: ff 00 04 44 bb 0c 77 4f. */
#define TEST_MAIR	0x4f770cbb440400ffull

static const struct ref_cfg s1_48 = {
	.format = REF_ARM64_S1_EL2, .root_pa = TBL(0), .ia_bits = 48,
	.mair = TEST_MAIR,
};

static const struct ref_cfg s2_48 = {
	.format = REF_ARM64_S2, .root_pa = TBL(0), .ia_bits = 48, .start_level = 0,
};

/* L0[1] -> T1, L1[2] -> T2, L2[3] -> T3. */
static void arm_tables(void)
{
	put(TBL(0), 1, 0x80001003ull);
	put(TBL(1), 2, 0x80002003ull);
	put(TBL(2), 3, 0x80003003ull);
}

static struct ref_cfg s1_with_bits(unsigned int ia_bits)
{
	struct ref_cfg c = s1_48;

	c.ia_bits = ia_bits;
	return c;
}

static struct ref_cfg s2_with(unsigned int ia_bits, int start_level)
{
	struct ref_cfg c = s2_48;

	c.ia_bits = ia_bits;
	c.start_level = start_level;
	return c;
}

static void s1_4k_and_blocks(void **state)
{
	struct ref_result r;

	(void)state;
	arm_tables();
	put(TBL(3), 4, 0x12345703ull);
	r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, true, false);
	expect_ad(&r, true, false);
	expect_mt(&r, REF_MT_NORMAL_WB);
	assert_int_equal(reads(), 4);

	put(TBL(2), 3, 0x40000701ull);		/* 2 MiB block at level 2 */
	check_ok(&s1_48, IA_1234, 0x40004567ull, 21, 2);
	put(TBL(1), 2, 0xc0000701ull);		/* 1 GiB block at level 1 */
	r = check_ok(&s1_48, IA_1234, 0xc0604567ull, 30, 1);
	expect_perm(&r, true, true, true, false);
}

static void s1_invalid(void **state)
{
	(void)state;
	check_fault(&s1_48, IA_1234, REF_FAULT_NOT_PRESENT, 0);
	arm_tables();
	check_fault(&s1_48, IA_1234, REF_FAULT_NOT_PRESENT, 3);
	put(TBL(3), 4, 0x12345701ull);		/* 0b01 at level 3 */
	check_fault(&s1_48, IA_1234, REF_FAULT_NOT_PRESENT, 3);
	put(TBL(2), 3, 0x80003002ull);		/* 0b10: invalid */
	check_fault(&s1_48, IA_1234, REF_FAULT_NOT_PRESENT, 2);
	put(TBL(0), 1, 0x0000008000000701ull);	/* block at level 0 */
	check_fault(&s1_48, IA_1234, REF_FAULT_NOT_PRESENT, 0);
}

static void s1_hierarchical(void **state)
{
	struct ref_result r;

	(void)state;
	arm_tables();
	put(TBL(3), 4, 0x12345703ull);
	put(TBL(0), 1, 0x4000000080001003ull);	/* APTable = 0b10 */
	r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, false, true, false);

	put(TBL(0), 1, 0x80001003ull);
	put(TBL(1), 2, 0x1000000080002003ull);	/* XNTable */
	r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, false, false);

	put(TBL(1), 2, 0x80002003ull);
	put(TBL(2), 3, 0x2800000080003003ull);	/* APTable[0], PXNTable: RES0 here */
	r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, true, false);

	put(TBL(0), 1, 0x4000000080001003ull);	/* APTable[1] above a block */
	put(TBL(1), 2, 0xc0000701ull);
	r = check_ok(&s1_48, IA_1234, 0xc0604567ull, 30, 1);
	expect_perm(&r, true, false, true, false);
}

static void s1_leaf_perm(void **state)
{
	struct ref_result r;

	(void)state;
	arm_tables();
	put(TBL(3), 4, 0x12345783ull);		/* AP[2] = 1: read-only */
	r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, false, true, false);
	put(TBL(3), 4, 0x0040000012345703ull);	/* XN */
	r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, false, false);
	put(TBL(3), 4, 0x12345303ull);		/* AF = 0 */
	r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
	expect_ad(&r, false, false);
}

static void s1_memtype(void **state)
{
	static const enum ref_memtype mt[8] = {
		REF_MT_NORMAL_WB,	/* 0xff: normal, inner/outer WB non-transient */
		REF_MT_DEVICE,		/* 0x00: Device-nGnRnE */
		REF_MT_DEVICE,		/* 0x04: Device-nGnRE */
		REF_MT_OTHER,		/* 0x44: normal non-cacheable */
		REF_MT_OTHER,		/* 0xbb: normal write-through */
		REF_MT_DEVICE,		/* 0x0c: Device-GRE */
		REF_MT_NORMAL_WB,	/* 0x77: normal WB transient */
		REF_MT_OTHER,		/* 0x4f: outer NC, inner WB */
	};
	struct ref_result r;
	unsigned int i;

	(void)state;
	arm_tables();
	for (i = 0; i < 8; i++) {
		put(TBL(3), 4, 0x12345703ull | ((uint64_t)i << 2));
		r = check_ok(&s1_48, IA_1234, 0x12345567ull, 12, 3);
		expect_mt(&r, mt[i]);
	}
}

static void s1_memtype_edges(void **state)
{
	static const enum ref_memtype mt[8] = {
		REF_MT_DEVICE,		/* 0x08: Device-nGRE */
		REF_MT_OTHER,		/* 0x01: not 0b0000dd00 */
		REF_MT_OTHER,		/* 0x40: inner 0b0000 with outer normal */
		REF_MT_OTHER,		/* 0xf0: inner 0b0000 (MTE tagged: not modelled) */
		REF_MT_OTHER,		/* 0x33: WT transient */
		REF_MT_NORMAL_WB,	/* 0x55: WB transient, RW = 01 */
		REF_MT_NORMAL_WB,	/* 0xcc: WB non-transient, no allocate */
		REF_MT_OTHER,		/* 0xc4: outer WB, inner NC */
	};
	struct ref_cfg c = s1_48;
	struct ref_result r;
	unsigned int i;

	(void)state;
	c.mair = 0xc4cc5533f0400108ull;
	arm_tables();
	for (i = 0; i < 8; i++) {
		put(TBL(3), 4, 0x12345703ull | ((uint64_t)i << 2));
		r = check_ok(&c, IA_1234, 0x12345567ull, 12, 3);
		expect_mt(&r, mt[i]);
	}
}

static void s1_start_levels(void **state)
{
	struct ref_cfg c;

	(void)state;
	c = s1_with_bits(39);			/* starts at level 1 */
	put(TBL(0), 2, 0x80001003ull);
	put(TBL(1), 3, 0x80002003ull);
	put(TBL(2), 4, 0x12345703ull);
	check_ok(&c, 0x80604567ull, 0x12345567ull, 12, 2);
	assert_int_equal(reads(), 3);
	check_fault(&c, 1ull << 39, REF_FAULT_ADDRESS, 0);

	c = s1_with_bits(31);			/* level 1, 2 entries */
	put(TBL(0), 1, 0x80001003ull);
	check_ok(&c, 0x40604567ull, 0x12345567ull, 12, 2);
	check_fault(&c, 0x80000000ull, REF_FAULT_ADDRESS, 0);

	c = s1_with_bits(30);			/* starts at level 2 */
	put(TBL(0), 3, 0x80002003ull);
	check_ok(&c, 0x00604567ull, 0x12345567ull, 12, 1);
	assert_int_equal(reads(), 2);
	check_fault(&c, 0x40000000ull, REF_FAULT_ADDRESS, 0);
	c = s1_with_bits(25);
	check_ok(&c, 0x00604567ull, 0x12345567ull, 12, 1);
	check_fault(&c, 0x02000000ull, REF_FAULT_ADDRESS, 0);

	c = s1_with_bits(24);			/* T0SZ = 40: out of range */
	check_fault(&c, 0, REF_FAULT_RESERVED, 0);
	c = s1_with_bits(49);
	check_fault(&c, 0, REF_FAULT_RESERVED, 0);
}

static void s1_range(void **state)
{
	struct ref_cfg c = s1_with_bits(40);	/* level 0 with 2 entries */

	(void)state;
	arm_tables();
	put(TBL(3), 4, 0x12345703ull);
	check_ok(&c, IA_1234, 0x12345567ull, 12, 3);
	check_fault(&c, 1ull << 40, REF_FAULT_ADDRESS, 0);
	check_fault(&s1_48, 1ull << 48, REF_FAULT_ADDRESS, 0);
	check_fault(&s1_48, 0xffff000000000000ull, REF_FAULT_ADDRESS, 0);
	assert_int_equal(reads(), 0);
}

/* -------------------------------------------------------------- stage 2 */

static void s2_4k_and_blocks(void **state)
{
	struct ref_result r;

	(void)state;
	arm_tables();
	put(TBL(3), 4, 0x123457ffull);
	r = check_ok(&s2_48, IA_1234, 0x12345567ull, 12, 3);
	expect_perm(&r, true, true, true, false);
	expect_ad(&r, true, false);
	expect_mt(&r, REF_MT_NORMAL_WB);
	put(TBL(3), 4, 0x123457fdull);		/* 0b01 at level 3 */
	check_fault(&s2_48, IA_1234, REF_FAULT_NOT_PRESENT, 3);
	put(TBL(2), 3, 0x400007fdull);		/* 2 MiB block */
	check_ok(&s2_48, IA_1234, 0x40004567ull, 21, 2);
	put(TBL(1), 2, 0xc00007fdull);		/* 1 GiB block */
	check_ok(&s2_48, IA_1234, 0xc0604567ull, 30, 1);
	put(TBL(0), 1, 0x00000080000007fdull);	/* block at level 0 */
	check_fault(&s2_48, IA_1234, REF_FAULT_NOT_PRESENT, 0);
	check_fault(&s2_48, 1ull << 48, REF_FAULT_ADDRESS, 0);
}

static void s2_perm(void **state)
{
	static const struct { uint64_t d; bool r, w, x; } leaf[] = {
		{ 0x1234573full, false, false, true },	/* S2AP 00 */
		{ 0x1234577full, true, false, true },	/* S2AP 01 */
		{ 0x123457bfull, false, true, true },	/* S2AP 10 */
		{ 0x00200000123457ffull, true, true, false },	/* XN 01 */
		{ 0x00400000123457ffull, true, true, false },	/* XN 10 */
		{ 0x00600000123457ffull, true, true, false },	/* XN 11 */
	};
	struct ref_result r;
	size_t i;

	(void)state;
	arm_tables();
	put(TBL(0), 1, 0xf800000080001003ull);	/* bits 63:59: no meaning at S2 */
	for (i = 0; i < sizeof(leaf) / sizeof(leaf[0]); i++) {
		put(TBL(3), 4, leaf[i].d);
		r = check_ok(&s2_48, IA_1234, 0x12345567ull, 12, 3);
		expect_perm(&r, leaf[i].r, leaf[i].w, leaf[i].x, false);
	}
	put(TBL(3), 4, 0x123453ffull);		/* AF = 0 */
	r = check_ok(&s2_48, IA_1234, 0x12345567ull, 12, 3);
	expect_ad(&r, false, false);
}

static void s2_memattr(void **state)
{
	static const struct { uint64_t d; enum ref_memtype mt; } leaf[] = {
		{ 0x123457c3ull, REF_MT_DEVICE },	/* 0b0000 nGnRnE */
		{ 0x123457c7ull, REF_MT_DEVICE },	/* 0b0001 nGnRE */
		{ 0x123457cfull, REF_MT_DEVICE },	/* 0b0011 GRE */
		{ 0x123457d7ull, REF_MT_OTHER },	/* 0b0101 NC / NC */
		{ 0x123457efull, REF_MT_OTHER },	/* 0b1011 WT / WB */
		{ 0x123457f7ull, REF_MT_OTHER },	/* 0b1101 WB / NC */
		{ 0x123457fbull, REF_MT_OTHER },	/* 0b1110 WB / WT */
		{ 0x123457ffull, REF_MT_NORMAL_WB },	/* 0b1111 WB / WB */
	};
	struct ref_result r;
	size_t i;

	(void)state;
	arm_tables();
	for (i = 0; i < sizeof(leaf) / sizeof(leaf[0]); i++) {
		put(TBL(3), 4, leaf[i].d);
		r = check_ok(&s2_48, IA_1234, 0x12345567ull, 12, 3);
		expect_mt(&r, leaf[i].mt);
	}
}

/* 40-bit IPA at level 1: two concatenated tables T0, T1 (1024 entries). */
static void s2_concat_2(void **state)
{
	struct ref_cfg c = s2_with(40, 1);

	(void)state;
	put(TBL(1), 2, 0x80002003ull);		/* entry 514 = 512 + 2 */
	put(TBL(2), 3, 0x80003003ull);
	put(TBL(3), 4, 0x123457ffull);
	check_ok(&c, IA_1234, 0x12345567ull, 12, 2);
	assert_int_equal(reads(), 3);
	/* the same address without bit 39 is entry 2 of T0: empty */
	check_fault(&c, IA_1234 & ~(1ull << 39), REF_FAULT_NOT_PRESENT, 0);
	check_fault(&c, 1ull << 40, REF_FAULT_ADDRESS, 0);
}

/* 43-bit IPA at level 1 and 34-bit at level 2: 16 tables T0..T15. */
static void s2_concat_16(void **state)
{
	struct ref_cfg c = s2_with(43, 1);

	(void)state;
	put(TBL(15), 511, 0x80010003ull);	/* entry 8191 -> T16 */
	put(TBL(16), 3, 0x80011003ull);		/* -> T17 */
	put(TBL(17), 4, 0x123457ffull);
	check_ok(&c, 0x000007ffc0604567ull, 0x12345567ull, 12, 2);
	check_fault(&c, 1ull << 43, REF_FAULT_ADDRESS, 0);

	c = s2_with(34, 2);
	put(TBL(15), 511, 0x80011003ull);	/* level-2 entry 8191 -> T17 */
	check_ok(&c, 0x00000003ffe04567ull, 0x12345567ull, 12, 1);
	put(TBL(15), 511, 0x400007fdull);	/* 2 MiB block at the root */
	check_ok(&c, 0x00000003ffe04567ull, 0x40004567ull, 21, 0);
	check_fault(&c, 1ull << 34, REF_FAULT_ADDRESS, 0);
}

static void s2_sl_validation(void **state)
{
	static const struct { unsigned int bits; int sl; bool ok; } pair[] = {
		{ 48, 0, true }, { 40, 0, true }, { 39, 0, false }, { 49, 0, false },
		{ 43, 1, true }, { 31, 1, true }, { 44, 1, false }, { 30, 1, false },
		{ 48, 1, false }, { 34, 2, true }, { 25, 2, true }, { 35, 2, false },
		{ 24, 2, false }, { 40, 3, false }, { 40, -1, false },
	};
	struct ref_cfg c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pair) / sizeof(pair[0]); i++) {
		c = s2_with(pair[i].bits, pair[i].sl);
		/* empty root: a valid configuration faults on the root entry */
		check_fault(&c, 0, pair[i].ok ? REF_FAULT_NOT_PRESENT
					      : REF_FAULT_RESERVED, 0);
		assert_int_equal(reads(), pair[i].ok ? 1 : 0);
	}
}

int run_arm64_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(s1_4k_and_blocks, ref_mem_setup),
		cmocka_unit_test_setup(s1_invalid, ref_mem_setup),
		cmocka_unit_test_setup(s1_hierarchical, ref_mem_setup),
		cmocka_unit_test_setup(s1_leaf_perm, ref_mem_setup),
		cmocka_unit_test_setup(s1_memtype, ref_mem_setup),
		cmocka_unit_test_setup(s1_memtype_edges, ref_mem_setup),
		cmocka_unit_test_setup(s1_start_levels, ref_mem_setup),
		cmocka_unit_test_setup(s1_range, ref_mem_setup),
		cmocka_unit_test_setup(s2_4k_and_blocks, ref_mem_setup),
		cmocka_unit_test_setup(s2_perm, ref_mem_setup),
		cmocka_unit_test_setup(s2_memattr, ref_mem_setup),
		cmocka_unit_test_setup(s2_concat_2, ref_mem_setup),
		cmocka_unit_test_setup(s2_concat_16, ref_mem_setup),
		cmocka_unit_test_setup(s2_sl_validation, ref_mem_setup),
	};

	return cmocka_run_group_tests_name("ref_arm64", tests, NULL, NULL);
}
