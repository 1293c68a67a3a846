// SPDX-License-Identifier: MIT
/*
 * arch/riscv64/mmio_decode.h: the loads and stores a guest makes to an
 * emulated device, 32-bit and compressed, against encodings from
 * riscv64-linux-gnu-as (objdump -d), and what is not a load or store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mmio_decode.h"

struct insn_case {
	u32 insn;
	u32 len, size, reg;
	bool write, sign;
};

static const struct insn_case cases[] = {
	{ 0x00058503, 4, 1, 10, false, true },	/* lb a0,0(a1) */
	{ 0x00059503, 4, 2, 10, false, true },	/* lh a0,0(a1) */
	{ 0x0045a283, 4, 4, 5, false, true },	/* lw t0,4(a1) */
	{ 0x0005c783, 4, 1, 15, false, false },	/* lbu a5,0(a1) */
	{ 0x0005d783, 4, 2, 15, false, false },	/* lhu a5,0(a1) */
	{ 0x0005e783, 4, 4, 15, false, false },	/* lwu a5,0(a1) */
	{ 0x00c58023, 4, 1, 12, true, false },	/* sb a2,0(a1) */
	{ 0x00c59023, 4, 2, 12, true, false },	/* sh a2,0(a1) */
	{ 0x01f5b023, 4, 8, 31, true, false },	/* sd t6,0(a1) */
	{ 0x6584, 2, 8, 9, false, false },	/* c.ld s1,8(a1) */
	{ 0x4188, 2, 4, 10, false, true },	/* c.lw a0,0(a1) */
	{ 0x6188, 2, 8, 10, false, false },	/* c.ld a0,0(a1) */
	{ 0xc190, 2, 4, 12, true, false },	/* c.sw a2,0(a1) */
	{ 0xe190, 2, 8, 12, true, false },	/* c.sd a2,0(a1) */
	{ 0x4282, 2, 4, 5, false, true },	/* c.lwsp t0,0(sp) */
	{ 0x6282, 2, 8, 5, false, false },	/* c.ldsp t0,0(sp) */
	{ 0xc01a, 2, 4, 6, true, false },	/* c.swsp t1,0(sp) */
	{ 0xe01a, 2, 8, 6, true, false },	/* c.sdsp t1,0(sp) */
};

static void test_loads_and_stores(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct insn_case *c = &cases[i];
		struct riscv_mmio m;

		assert_true(riscv_mmio_decode(c->insn, &m));
		assert_int_equal(m.len, c->len);
		assert_int_equal(m.size, c->size);
		assert_int_equal(m.reg, c->reg);
		assert_int_equal(m.write, c->write);
		assert_int_equal(m.sign, c->sign);
	}
}

static void test_not_loads_or_stores(void **state)
{
	static const u32 others[] = {
		0x00c58533,	/* add a0,a1,a2 */
		0x0505,		/* c.addi a0,1 */
		0x0005a507,	/* flw fa0,0(a1): FP, not decoded */
		0x0005f503,	/* LOAD with funct3 7: reserved */
		0x00c5c023,	/* STORE with funct3 4: not a base store */
		0x4002,		/* c.lwsp with rd 0: reserved */
		0x10500073,	/* wfi */
	};
	struct riscv_mmio m;

	(void)state;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_false(riscv_mmio_decode(others[i], &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_and_stores),
		cmocka_unit_test(test_not_loads_or_stores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
