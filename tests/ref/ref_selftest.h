/* SPDX-License-Identifier: MIT */
/*
 * Self-test of the reference translators: fake physical memory and checking
 * helpers shared by ref_selftest.c and ref_{x86,arm64,riscv}_selftest.c.
 * Every table entry used by the tests is a literal computed by hand from the
 * manuals (see the comment next to it); nothing here reuses the constants of
 * the model files. Test files must end in "_selftest.c": tests/tests.mk
 * links every other .c file of tests/ref into the unit tests.
 */
#ifndef REF_SELFTEST_H
#define REF_SELFTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <cmocka.h>

#include "ref.h"

/* Fake physical memory: MEM_PAGES 4 KiB pages starting at MEM_BASE. */
#define MEM_BASE	0x80000000ull
#define MEM_PAGES	24u
/* Physical address of table page n. */
#define TBL(n)		(MEM_BASE + (uint64_t)(n) * 0x1000ull)

/* Input address used by most 4-level tests: indices 1, 2, 3, 4, offset 0x567. */
#define IA_1234		0x0000008080604567ull

int ref_mem_setup(void **state);
/* Writes entry idx (of 8 bytes) of the table at table_pa. */
void put(uint64_t table_pa, unsigned int idx, uint64_t val);
/* Number of table reads done by the last walk(). */
unsigned int reads(void);

/* Runs ref_translate() and checks its return value matches r.fault. */
struct ref_result walk(const struct ref_cfg *cfg, uint64_t ia);

void expect_ok(const struct ref_result *r, uint64_t pa, unsigned int shift, int depth);
void expect_fault(const struct ref_result *r, enum ref_fault f, int depth);
void expect_perm(const struct ref_result *r, bool rd, bool wr, bool ex, bool us);
void expect_ad(const struct ref_result *r, bool a, bool d);
void expect_mt(const struct ref_result *r, enum ref_memtype mt);

/* Shorthands: walk and expect a fault / a successful translation. */
void check_fault(const struct ref_cfg *cfg, uint64_t ia, enum ref_fault f, int depth);
struct ref_result check_ok(const struct ref_cfg *cfg, uint64_t ia, uint64_t pa,
			   unsigned int shift, int depth);

int run_x86_tests(void);
int run_arm64_tests(void);
int run_riscv_tests(void);

#endif
