// SPDX-License-Identifier: MIT
/*
 * arch/x86_64/mptable.c: the MP table's CPUs (MultiProcessor Specification
 * 1.4) from tables built here, each handed over in a buffer of its exact
 * length (ASan sees any read past it): the floating pointer's search and
 * checksum, a table laid out as Bochs's BIOS lays it out, and untrusted
 * ones: bad checksum, cut anywhere, an unknown entry type, a disabled CPU,
 * duplicate APIC ids, more CPUs than there is room for, none enabled, the
 * default configurations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mptable.h"

#define TABLE_MAX	1024
#define ROOM		16	/* CPUs the parser may list, as HYP_MAX_CPUS */
#define CPU_EN		0x01
#define CPU_BP		0x02

static u8 table[TABLE_MAX];
static u32 table_len;
static u16 table_count;
static u64 ids[ROOM];

static void put16(u8 *p, u16 v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;

	while (n--)
		s = (u8)(s + *p++);
	return s;
}

/* A header: "PCMP", spec 1.4, OEM "BOCHSCPU", local APIC at 0xfee00000, no entries yet. */
static void table_start(void)
{
	memset(table, 0, sizeof(table));
	memcpy(table, "PCMP", 4);
	table[6] = 4;
	memcpy(table + 8, "BOCHSCPU", 8);
	memcpy(table + 16, "0.1         ", 12);
	put32(table + 36, 0xfee00000);
	table_len = MP_TABLE_HDR_LEN;
	table_count = 0;
}

static void add_entry(const u8 *e, u32 n)
{
	assert_true(table_len + n <= TABLE_MAX);
	memcpy(table + table_len, e, n);
	table_len += n;
	table_count++;
}

static void add_cpu(u8 apic_id, u8 flags)
{
	u8 e[20] = { 0, apic_id, 0x14, flags, 0x63, 0x06 };

	add_entry(e, sizeof(e));
}

/* Length, entry count and checksum of what was added. */
static void table_end(void)
{
	put16(table + 4, (u16)table_len);
	put16(table + 34, table_count);
	table[7] = 0;
	table[7] = (u8)-sum(table, table_len);
}

/* Bochs's layout: the CPUs, an ISA bus, an I/O APIC, 16 I/O and 2 local interrupt entries. */
static void table_bochs(u32 cpus)
{
	static const u8 bus[8] = { 1, 0, 'I', 'S', 'A', ' ', ' ', ' ' };
	static const u8 ioapic[8] = { 2, 4, 0x11, 1, 0, 0, 0xc0, 0xfe };

	table_start();
	for (u32 i = 0; i < cpus; i++)
		add_cpu((u8)i, CPU_EN | (i ? 0 : CPU_BP));
	add_entry(bus, sizeof(bus));
	add_entry(ioapic, sizeof(ioapic));
	for (u8 irq = 0; irq < 16; irq++) {
		u8 e[8] = { 3, 0, 0, 0, 0, irq, 4, irq };

		add_entry(e, sizeof(e));
	}
	for (u8 lint = 0; lint < 2; lint++) {
		u8 e[8] = { 4, (u8)(lint ? 1 : 3), 0, 0, 0, 0, 0xff, lint };

		add_entry(e, sizeof(e));
	}
	table_end();
}

/* mp_table_cpus() on the first @n bytes of the table, copied to a buffer of exactly @n. */
static const char *parse_n(u32 n, struct mp_cpus *c)
{
	u8 *t = malloc(n ? n : 1);
	const char *ret;

	memcpy(t, table, n);
	*c = (struct mp_cpus){ .ids = ids, .max = ROOM };
	ret = mp_table_cpus(t, n, c);
	free(t);
	return ret;
}

static const char *parse(struct mp_cpus *c)
{
	return parse_n(table_len, c);
}

static void fps_at(u8 *area, u32 off, u32 table_pa, u8 length)
{
	memcpy(area + off, "_MP_", 4);
	put32(area + off + 4, table_pa);
	area[off + 8] = length;
	area[off + 9] = 4;
	memset(area + off + 10, 0, 6);		/* checksum, features: no default configuration */
	area[off + 10] = (u8)-sum(area + off, MP_FPS_LEN);
}

static u32 find_in(const u8 *area, u32 len)
{
	u8 *a = malloc(len ? len : 1);
	u32 off;

	memcpy(a, area, len);
	off = mp_fps_find(a, len);
	free(a);
	return off;
}

static void test_fps_find(void **state)
{
	u8 area[256];
	u32 pa;
	u8 dflt;

	(void)state;
	memset(area, 0xa5, sizeof(area));
	assert_int_equal(find_in(area, sizeof(area)), MP_NOT_FOUND);
	fps_at(area, 16, 0xf9da0, 1);
	area[16 + 12] ^= 1;			/* bad checksum */
	fps_at(area, 40, 0xf9da0, 1);		/* not on a 16-byte boundary */
	fps_at(area, 64, 0xf9da0, 2);		/* length not one paragraph */
	assert_int_equal(find_in(area, sizeof(area)), MP_NOT_FOUND);
	fps_at(area, 240, 0xf9da0, 1);		/* the area's last 16 bytes */
	assert_int_equal(find_in(area, sizeof(area)), 240);
	assert_int_equal(find_in(area, 255), MP_NOT_FOUND);
	assert_int_equal(find_in(area, 15), MP_NOT_FOUND);
	assert_int_equal(find_in(area, 0), MP_NOT_FOUND);
	fps_at(area, 0, 0x9fc00, 1);
	assert_int_equal(find_in(area, 16), 0);
	mp_fps_parse(area, &pa, &dflt);
	assert_int_equal(pa, 0x9fc00);
	assert_int_equal(dflt, 0);
}

static void test_bochs(void **state)
{
	struct mp_cpus c;

	(void)state;
	table_bochs(4);
	assert_int_equal(mp_table_len(table), table_len);
	assert_null(parse(&c));
	assert_int_equal(c.nr, 4);
	for (u32 i = 0; i < 4; i++)
		assert_int_equal(ids[i], i);
	assert_int_equal(c.lapic_base, 0xfee00000);
	assert_int_equal(c.disabled + c.duplicates + c.dropped, 0);
}

static void test_header_refused(void **state)
{
	struct mp_cpus c;

	(void)state;
	table_bochs(2);
	table[0] = 'X';
	assert_int_equal(mp_table_len(table), 0);
	assert_non_null(parse(&c));
	table_bochs(2);
	put16(table + 4, MP_TABLE_HDR_LEN - 1);
	assert_int_equal(mp_table_len(table), 0);
	table_bochs(2);
	assert_non_null(parse_n(table_len - 1, &c));	/* shorter than its length field */
	assert_non_null(parse_n(10, &c));
	assert_int_equal(c.nr, 0);
}

static void test_bad_checksum(void **state)
{
	struct mp_cpus c;

	(void)state;
	table_bochs(4);
	table[MP_TABLE_HDR_LEN + 1] ^= 0x10;
	assert_string_equal(parse(&c), "bad checksum");
	assert_int_equal(c.nr, 0);
}

/* Cut anywhere, length and checksum made to match: the entry count overruns it. */
static void test_truncated(void **state)
{
	struct mp_cpus c;
	u32 full;

	(void)state;
	table_bochs(4);
	full = table_len;
	for (u32 n = MP_TABLE_HDR_LEN; n < full; n++) {
		table_bochs(4);
		put16(table + 4, (u16)n);
		table[7] = 0;
		table[7] = (u8)-sum(table, n);
		assert_non_null(parse_n(n, &c));
		assert_int_equal(c.nr, 0);
	}
}

static void test_unknown_entry(void **state)
{
	static const u8 odd[8] = { 5, 0, 0, 0, 0, 0, 0, 0 };
	struct mp_cpus c;

	(void)state;
	table_start();
	add_cpu(0, CPU_EN | CPU_BP);
	add_entry(odd, sizeof(odd));
	add_cpu(1, CPU_EN);
	table_end();
	assert_non_null(parse(&c));
	assert_int_equal(c.nr, 0);
}

static void test_disabled_cpu(void **state)
{
	struct mp_cpus c;

	(void)state;
	table_start();
	add_cpu(0, CPU_EN | CPU_BP);
	add_cpu(1, CPU_EN);
	add_cpu(2, 0);
	add_cpu(3, CPU_EN);
	table_end();
	assert_null(parse(&c));
	assert_int_equal(c.nr, 3);
	assert_int_equal(ids[2], 3);
	assert_int_equal(c.disabled, 1);
	table_start();
	add_cpu(0, CPU_BP);
	table_end();
	assert_non_null(parse(&c));			/* none enabled */
	assert_int_equal(c.nr, 0);
}

static void test_duplicates(void **state)
{
	struct mp_cpus c;

	(void)state;
	table_start();
	add_cpu(0, CPU_EN | CPU_BP);
	add_cpu(1, CPU_EN);
	add_cpu(1, CPU_EN);
	add_cpu(0, CPU_EN);
	add_cpu(2, CPU_EN);
	table_end();
	assert_null(parse(&c));
	assert_int_equal(c.nr, 3);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	assert_int_equal(ids[2], 2);
	assert_int_equal(c.duplicates, 2);
}

static void test_too_many(void **state)
{
	struct mp_cpus c;

	(void)state;
	table_bochs(ROOM + 4);
	assert_null(parse(&c));
	assert_int_equal(c.nr, ROOM);
	assert_int_equal(ids[ROOM - 1], ROOM - 1);
	assert_int_equal(c.dropped, 4);
}

static void test_default_config(void **state)
{
	struct mp_cpus c = { .ids = ids, .max = ROOM };
	u8 fps[MP_FPS_LEN] = { 0 };
	u32 pa;
	u8 dflt;

	(void)state;
	fps_at(fps, 0, 0, 1);
	fps[11] = 5;
	mp_fps_parse(fps, &pa, &dflt);
	assert_int_equal(pa, 0);
	assert_int_equal(dflt, 5);
	assert_null(mp_default_cpus(dflt, &c));
	assert_int_equal(c.nr, 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	assert_non_null(mp_default_cpus(8, &c));
	assert_int_equal(c.nr, 0);
	c.max = 1;
	assert_null(mp_default_cpus(1, &c));
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.dropped, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fps_find),
		cmocka_unit_test(test_bochs),
		cmocka_unit_test(test_header_refused),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_unknown_entry),
		cmocka_unit_test(test_disabled_cpu),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_default_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
