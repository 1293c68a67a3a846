// SPDX-License-Identifier: MIT
/*
 * Golden encodings: PTE values worked out by hand from the manuals, which
 * the encoders must produce bit for bit and the decoders must read back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"
#include "pt_fmt_arm64.h"

struct golden {
	const char *fmt;
	const char *what;
	u32 level;
	u64 oa;
	u32 prot;	/* as given to mk_leaf; ~0u: a table entry */
	u64 pte;
};

#define TABLE	(~0u)
#define RW	PT_PROT_RW
#define RWX	PT_PROT_RWX
#define R	PT_PROT_R
#define X	PT_PROT_X
#define U	PT_PROT_U
#define DEV	PT_PROT_DEVICE
#define D	PT_PROT_D

static const struct golden goldens[] = {
	/* EPT: R 0, W 1, X 2, memtype 5:3 (WB 6, UC 0), PS 7, A 8, D 9. */
	{ "ept-4l", "2 MiB RWX WB leaf", 1, 0x40000000, RWX, 0x00000000400001b7ull },
	{ "ept-4l", "4 KiB R UC leaf", 0, 0xfee00000, R | DEV, 0x00000000fee00101ull },
	{ "ept-4l", "1 GiB RW WB dirty leaf", 2, 0x1c0000000ull, RW | D, 0x00000001c00003b3ull },
	{ "ept-5l", "X-only 4 KiB leaf", 0, 0x7000, X, 0x0000000000007134ull },
	{ "ept-4l", "table", 3, 0x1234000, TABLE, 0x0000000001234007ull },
	/* IA-32e: P 0, R/W 1, U/S 2, PWT 3, PCD 4, A 5, D 6, PS 7, XD 63. */
	{ "x86-s1-4l", "4 KiB RW user NX", 0, 0x5000, RW | U, 0x8000000000005027ull },
	{ "x86-s1-4l", "1 GiB RWX dirty", 2, 0x80000000, RWX | D, 0x00000000800000e3ull },
	{ "x86-s1-5l", "2 MiB RW UC NX", 1, 0xfe000000, RW | DEV, 0x80000000fe0000bbull },
	{ "x86-s1-5l", "table", 4, 0xabc000, TABLE, 0x0000000000abc007ull },
	/* Stage 2: [1:0] 0b11 page / 0b01 block, MemAttr 5:2, S2AP 7:6, SH 9:8, AF 10, XN 54:53. */
	{ "arm64-s2-40-l1", "4 KiB RW normal XN", 0, 0x40001000, RW, 0x00400000400017ffull },
	{ "arm64-s2-40-l1", "2 MiB RWX normal block", 1, 0x80000000, RWX, 0x00000000800007fdull },
	{ "arm64-s2-48-l0", "4 KiB RW device XN", 0, 0x09000000, RW | DEV, 0x00400000090007c7ull },
	{ "arm64-s2-40-l1", "1 GiB R block XN", 2, 0x40000000, R, 0x004000004000077dull },
	{ "arm64-s2-48-l0", "table", 3, 0x4321000, TABLE, 0x0000000004321003ull },
	/* EL2 stage 1: AttrIndx 4:2 (0 normal, 1 device), AP[1] RES1, AP[2] RO, SH, AF, XN 54. */
	{ "arm64-s1-48", "4 KiB RX normal", 0, 0x40080000, R | X, 0x00000000400807c3ull },
	{ "arm64-s1-48", "4 KiB RW device XN", 0, 0x09000000, RW | DEV, 0x0040000009000747ull },
	{ "arm64-s1-39", "2 MiB RW normal XN", 1, 0x40200000, RW, 0x0040000040200741ull },
	/* RISC-V: V 0, R 1, W 2, X 3, U 4, A 6, D 7, PPN 53:10, PBMT 62:61 (IO 2). */
	{ "sv39", "4 KiB RW user dirty", 0, 0x80201000, RW | U | D, 0x00000000200804d7ull },
	{ "sv39x4", "2 MiB RWX (U forced)", 1, 0x80200000, RWX, 0x000000002008005full },
	{ "sv48", "4 KiB RW IO", 0, 0x10000000, RW | DEV, 0x4000000004000047ull },
	{ "sv48x4", "512 GiB-aligned 1 GiB RX", 2, 0x8000000000ull, R | X, 0x000000200000005bull },
	{ "sv39", "table", 2, 0x80400000, TABLE, 0x0000000020100001ull },
};

static void test_golden_encode(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(goldens); i++) {
		const struct golden *g = &goldens[i];
		const struct pt_fmt *fmt = th_fmt_find(g->fmt)->fmt;
		u64 pte = g->prot == TABLE ? fmt->ops->mk_table(g->oa, g->level) :
					     fmt->ops->mk_leaf(g->oa, g->level, g->prot);

		if (pte != g->pte)
			fail_msg("%s %s: encoded 0x%016llx, manual says 0x%016llx", g->fmt, g->what,
				 (unsigned long long)pte, (unsigned long long)g->pte);
	}
}

static void test_golden_decode(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(goldens); i++) {
		const struct golden *g = &goldens[i];
		const struct pt_fmt *fmt = th_fmt_find(g->fmt)->fmt;
		enum pt_kind want = g->prot == TABLE ? PT_KIND_TABLE : PT_KIND_LEAF;
		u32 prot = (g->prot & fmt->prot_mask) | PT_PROT_A;

		if (fmt->ops->kind(g->pte, g->level) != want)
			fail_msg("%s %s: wrong kind", g->fmt, g->what);
		if (fmt->ops->oa(g->pte, g->level) != g->oa)
			fail_msg("%s %s: wrong address", g->fmt, g->what);
		if (want == PT_KIND_LEAF && fmt->ops->prot(g->pte, g->level) != prot)
			fail_msg("%s %s: decoded prot 0x%x, expected 0x%x", g->fmt, g->what,
				 fmt->ops->prot(g->pte, g->level), prot);
	}
}

/* The frozen marker is invalid to the hardware and no encoder output. */
static void test_frozen_marker(void **state)
{
	unsigned int i;

	(void)state;
	th_fmts_init();
	for (i = 0; i < th_nr_fmts; i++) {
		const struct pt_fmt *fmt = th_fmts[i].fmt;
		u32 level;

		for (level = 0; level < fmt->levels; level++)
			if (fmt->ops->kind(fmt->frozen, level) != PT_KIND_EMPTY)
				fail_msg("%s: frozen marker is valid at level %u", fmt->name, level);
	}
}

static void test_shapes(void **state)
{
	(void)state;
	assert_int_equal(pt_root_bytes(th_fmt_find("sv39x4")->fmt), 16384);
	assert_int_equal(pt_root_bytes(th_fmt_find("sv48x4")->fmt), 16384);
	assert_int_equal(pt_root_bytes(th_fmt_find("sv39")->fmt), 4096);
	assert_int_equal(pt_root_bytes(th_fmt_find("arm64-s2-40-l1")->fmt), 8192);
	assert_int_equal(pt_root_bytes(th_fmt_find("arm64-s2-42-l1")->fmt), 32768);
	assert_int_equal(pt_root_bytes(th_fmt_find("arm64-s2-34-l2")->fmt), 65536);
	assert_int_equal(pt_level_entries(th_fmt_find("arm64-s2-44-l0")->fmt, 3), 32);
	assert_int_equal(th_fmt_find("arm64-s2-34-l2")->fmt->levels, 2);
	assert_int_equal(th_fmt_find("arm64-s1-39")->fmt->levels, 3);
	assert_int_equal(th_fmt_find("x86-s1-5l")->fmt->levels, 5);
}

static void test_arm64_s2_shapes_rejected(void **state)
{
	struct pt_fmt fmt;

	(void)state;
	assert_int_equal(pt_fmt_arm64_s2_init(&fmt, 44, 1), -EINVAL);	/* 32 tables */
	assert_int_equal(pt_fmt_arm64_s2_init(&fmt, 36, 2), -EINVAL);	/* 64 tables */
	assert_int_equal(pt_fmt_arm64_s2_init(&fmt, 49, 0), -EINVAL);
	assert_int_equal(pt_fmt_arm64_s2_init(&fmt, 40, 3), -EINVAL);
	assert_int_equal(pt_fmt_arm64_s2_init(&fmt, 30, 1), -EINVAL);
	assert_int_equal(pt_fmt_arm64_s1_el2_init(&fmt, 49), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_encode),
		cmocka_unit_test(test_golden_decode),
		cmocka_unit_test(test_frozen_marker),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_arm64_s2_shapes_rejected),
	};

	th_fmts_init();
	return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}
