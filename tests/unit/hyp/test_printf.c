// SPDX-License-Identifier: MIT
/*
 * hyp/printf.c against the C library's snprintf for every conversion it
 * supports, and truncation.
 *
 * Build (from the repository root):
 *   gcc -std=c11 -Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes \
 *     -Wmissing-prototypes -O1 -g -fsanitize=address,undefined \
 *     -fno-sanitize-recover=all -Ihyp -Immu -o build/host-asan/hyp/test_printf \
 *     tests/unit/hyp/test_printf.c hyp/printf.c -lcmocka
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "printf.h"

/* Format with both and compare text and length. */
#define CHECK(...)							\
	do {								\
		char ours[128], libc[128];				\
		int n1 = hyp_snprintf(ours, sizeof(ours), __VA_ARGS__);	\
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);	\
		assert_string_equal(ours, libc);			\
		assert_int_equal(n1, n2);				\
	} while (0)

static void test_conversions(void **state)
{
	(void)state;
	CHECK("plain");
	CHECK("%s|%5s|%-5s|", "ab", "ab", "ab");
	CHECK("%c%c", 'x', 'y');
	CHECK("%d %d %d %i", 0, -1, 2147483647, -2147483647 - 1);
	CHECK("%u %x %X", 4294967295u, 0xdeadbeefu, 0xdeadbeefu);
	CHECK("%lx %lu %ld", 0xfedcba9876543210ul, 18446744073709551615ul, -5l);
	CHECK("%llx %llu %lld", 0x1ull, 123456789012345ull, -9223372036854775807ll - 1);
	CHECK("%zu %zx", (size_t)42, (size_t)0xabc);
	CHECK("%08x|%-8x|%8x|%016llx", 0x1234u, 0x1234u, 0x1234u, 0x40000000ull);
	CHECK("%05d|%-5d|%5d", -42, -42, -42);
	CHECK("%p", (void *)0x40200000);
	CHECK("100%%");
	CHECK("hyp: EL2 boot, %u cpus, RAM 0x%llx - 0x%llx\n", 4u, 0x40000000ull,
	      0x60000000ull);
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(hyp_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(hyp_snprintf(buf, 1, "%d", 12345), 5);
	assert_string_equal(buf, "");
	assert_int_equal(hyp_snprintf(NULL, 0, "%x", 0xffu), 2);
}

static void test_unknown(void **state)
{
	const char *fmt = "a%qb%";	/* not a literal: gcc would refuse it */
	char buf[32];

	(void)state;
	/* Unknown conversions are printed as written; a lone % at the end too. */
	hyp_snprintf(buf, sizeof(buf), fmt, 0);
	assert_string_equal(buf, "a%qb%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests_name("hyp/printf", tests, NULL, NULL);
}
