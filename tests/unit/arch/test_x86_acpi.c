// SPDX-License-Identifier: MIT
/*
 * arch/x86_64/acpi_parse.c: the FADT fields and the DSDT's \_S5 package
 * that ACPI S5 power-off needs, from tables built here: Bochs's and QEMU's
 * layouts (legacy PM1 ports, X_ Generic Addresses), AML forms of the
 * package (root prefix, multi-byte PkgLength, Zero/One/Byte elements), and
 * untrusted ones: truncated anywhere, hardware-reduced, ports past 64 KiB,
 * no _S5, a _S5 that is not a package or whose elements are not constants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "acpi_parse.h"

#define FADT_LEN	276	/* ACPI 6.5's FADT */
#define DSDT_MAX	256

static u8 fadt[FADT_LEN];
static u8 dsdt[DSDT_MAX];

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

/* A FADT with PM1a_CNT 0xb004 (Bochs's), SMI_CMD 0xb2, ACPI_ENABLE 0xf1, DSDT at 0x1000. */
static void fadt_bochs(void)
{
	memset(fadt, 0, sizeof(fadt));
	memcpy(fadt, "FACP", 4);
	put32(fadt + 4, FADT_LEN);
	put32(fadt + 40, 0x1000);
	put32(fadt + 48, 0xb2);
	fadt[52] = 0xf1;
	put32(fadt + 64, 0xb004);
}

/* A DSDT: the header, some filler AML, then @aml; its length. */
static u32 dsdt_with(const u8 *aml, u32 n)
{
	static const u8 filler[] = { 0x10, 0x05, 0x5c, 0x2e, 0x5f, 0x53, 0x42, 0x5f };
	u32 len = ACPI_SDT_HEADER + sizeof(filler) + n;

	assert_true(len <= DSDT_MAX);
	memset(dsdt, 0, sizeof(dsdt));
	memcpy(dsdt, "DSDT", 4);
	put32(dsdt + 4, len);
	memcpy(dsdt + ACPI_SDT_HEADER, filler, sizeof(filler));
	memcpy(dsdt + ACPI_SDT_HEADER + sizeof(filler), aml, n);
	return len;
}

/* Each table copied to a buffer of exactly its length: ASan sees any read past it. */
static const char *parse_len(u32 fadt_len, u32 dsdt_len, struct acpi_s5 *s5)
{
	u8 *f = malloc(fadt_len ? fadt_len : 1), *d = malloc(dsdt_len ? dsdt_len : 1);
	const char *ret;

	assert_non_null(f);
	assert_non_null(d);
	memcpy(f, fadt, fadt_len);
	memcpy(d, dsdt, dsdt_len);
	ret = acpi_s5_parse(f, fadt_len, d, dsdt_len, s5);
	free(f);
	free(d);
	return ret;
}

static const char *parse(u32 dsdt_len, struct acpi_s5 *s5)
{
	return parse_len(FADT_LEN, dsdt_len, s5);
}

/* Name(\_S5, Package(4) { Zero, Zero, Zero, Zero }) as iasl writes it for Bochs's BIOS. */
static void test_bochs(void **state)
{
	static const u8 aml[] = { 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
				  0x00, 0x00, 0x00, 0x00 };
	struct acpi_s5 s5;

	(void)state;
	fadt_bochs();
	assert_int_equal(acpi_fadt_dsdt(fadt, FADT_LEN), 0x1000);
	assert_null(parse(dsdt_with(aml, sizeof(aml)), &s5));
	assert_int_equal(s5.pm1a_cnt, 0xb004);
	assert_int_equal(s5.pm1b_cnt, 0);
	assert_int_equal(s5.smi_cmd, 0xb2);
	assert_int_equal(s5.acpi_enable, 0xf1);
	assert_int_equal(s5.slp_typa, 0);
	assert_int_equal(s5.slp_typb, 0);
}

/* X_ fields win; BytePrefix elements; a 2-byte PkgLength; SLP_TYP keeps 3 bits. */
static void test_x_fields_and_forms(void **state)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x00, 0x02,
				  0x0a, 0x05, 0x0a, 0x0f };
	struct acpi_s5 s5;

	(void)state;
	fadt_bochs();
	put64(fadt + 140, 0x2000);		/* X_DSDT */
	fadt[172] = 1;				/* X_PM1a_CNT_BLK: system I/O */
	put64(fadt + 176, 0x404);
	fadt[184] = 1;				/* X_PM1b_CNT_BLK */
	put64(fadt + 188, 0x408);
	assert_int_equal(acpi_fadt_dsdt(fadt, FADT_LEN), 0x2000);
	assert_null(parse(dsdt_with(aml, sizeof(aml)), &s5));
	assert_int_equal(s5.pm1a_cnt, 0x404);
	assert_int_equal(s5.pm1b_cnt, 0x408);
	assert_int_equal(s5.slp_typa, 5);
	assert_int_equal(s5.slp_typb, 7);
	/* One and Ones. */
	{
		static const u8 aml2[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0xff };

		assert_null(parse(dsdt_with(aml2, sizeof(aml2)), &s5));
		assert_int_equal(s5.slp_typa, 1);
		assert_int_equal(s5.slp_typb, 7);
	}
}

/* A memory-space X_PM1a (not I/O) falls back to the legacy port; past 64 KiB is none. */
static void test_ports(void **state)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	struct acpi_s5 s5;

	(void)state;
	fadt_bochs();
	fadt[172] = 0;				/* system memory */
	put64(fadt + 176, 0xfed00000);
	assert_null(parse(dsdt_with(aml, sizeof(aml)), &s5));
	assert_int_equal(s5.pm1a_cnt, 0xb004);
	put32(fadt + 64, 0x10000);
	put32(fadt + 48, 0x12345678);
	assert_string_equal(parse(dsdt_with(aml, sizeof(aml)), &s5),
			    "FADT without a PM1a control port");
	assert_int_equal(s5.smi_cmd, 0);
	fadt_bochs();
	put32(fadt + 64, 0);
	assert_non_null(parse(dsdt_with(aml, sizeof(aml)), &s5));
}

static void test_fadt_refused(void **state)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	u32 len = dsdt_with(aml, sizeof(aml));
	struct acpi_s5 s5;

	(void)state;
	fadt_bochs();
	for (u32 short_len = 0; short_len < 116; short_len++)
		assert_string_equal(parse_len(short_len, len, &s5), "FADT too short");
	assert_int_equal(acpi_fadt_dsdt(fadt, 40), 0);
	assert_int_equal(acpi_fadt_dsdt(fadt, 44), 0x1000);
	put32(fadt + 112, 1u << 20);		/* HW_REDUCED_ACPI */
	assert_string_equal(parse(len, &s5), "hardware-reduced ACPI (no PM1 registers)");
	fadt_bochs();
	assert_string_equal(acpi_s5_parse(fadt, FADT_LEN, NULL, 0, &s5), "no valid DSDT");
}

/* No _S5, a _S5 that is a method or a reference, non-constant elements, or cut short. */
static void test_dsdt_refused(void **state)
{
	static const u8 none[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	static const u8 method[] = { 0x14, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	static const u8 not_pkg[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 };
	static const u8 name_elem[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x02,
					'A', 'B', 'C', 'D', 0x00 };
	static const u8 whole[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x03,
				    0x0a, 0x04 };
	struct acpi_s5 s5;

	(void)state;
	fadt_bochs();
	assert_non_null(parse(dsdt_with(none, sizeof(none)), &s5));
	assert_non_null(parse(dsdt_with(method, sizeof(method)), &s5));
	assert_non_null(parse(dsdt_with(not_pkg, sizeof(not_pkg)), &s5));
	assert_non_null(parse(dsdt_with(name_elem, sizeof(name_elem)), &s5));
	/* Every cut of a good package short of its second element is refused, never read past. */
	for (u32 n = 0; n < sizeof(whole); n++)
		assert_non_null(parse(dsdt_with(whole, n), &s5));
	assert_null(parse(dsdt_with(whole, sizeof(whole)), &s5));
	assert_int_equal(s5.slp_typa, 3);
	assert_int_equal(s5.slp_typb, 4);
	/* A DSDT shorter than its header. */
	assert_non_null(parse(10, &s5));
}

/* The eight-at-a-time sum against a byte loop: every length, offset and fold boundary. */
static void test_sum8(void **state)
{
	static u8 buf[4096 + 16];

	(void)state;
	srand(14);
	for (u32 i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i % 7 ? rand() : 0xff);	/* runs of 0xff fill the lanes */
	for (u32 len = 0; len < sizeof(buf) - 16; len += len < 300 ? 1 : 61)
		for (u32 off = 0; off < 8; off++) {
			u8 want = 0;

			for (u32 i = 0; i < len; i++)
				want = (u8)(want + buf[off + i]);
			assert_int_equal(acpi_sum8(buf + off, len), want);
		}
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(acpi_sum8(buf, 4096), (u8)(4096 * 0xff));
}

/* \_S5 found at every alignment after filler with and without '_' bytes. */
static void test_s5_anywhere(void **state)
{
	static const u8 s5[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x03,
				 0x0a, 0x04 };
	u8 aml[DSDT_MAX - ACPI_SDT_HEADER - 8];
	struct acpi_s5 out;

	(void)state;
	fadt_bochs();
	for (u32 pad = 0; pad + sizeof(s5) <= sizeof(aml); pad++) {
		for (u32 i = 0; i < pad; i++)
			aml[i] = (u8)(i % 5 == 4 ? '_' : 'A' + i % 26);
		memcpy(aml + pad, s5, sizeof(s5));
		assert_null(parse(dsdt_with(aml, pad + (u32)sizeof(s5)), &out));
		assert_int_equal(out.slp_typa, 3);
		assert_int_equal(out.slp_typb, 4);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs),
		cmocka_unit_test(test_x_fields_and_forms),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_fadt_refused),
		cmocka_unit_test(test_dsdt_refused),
		cmocka_unit_test(test_sum8),
		cmocka_unit_test(test_s5_anywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
