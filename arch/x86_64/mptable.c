// SPDX-License-Identifier: MIT
/*
 * The MP table's CPUs (Intel MultiProcessor Specification 1.4, chapter 4),
 * host-testable (tests/unit/arch/test_x86_mptable.c): the floating pointer
 * structure and the configuration table are untrusted bytes, every length
 * and offset checked against what the caller read, both checksums summed.
 */
#include "acpi_parse.h"
#include "mptable.h"
#include "lib/string.h"

/* Floating pointer structure (4.1, Table 4-1): byte offsets */
#define MP_FPS_ADDR		4	/* the configuration table's physical address */
#define MP_FPS_LENGTH		8	/* in 16-byte paragraphs: 1 */
#define MP_FPS_FEATURE1		11	/* nonzero: a default configuration (5.1) */
/* Configuration table header (4.2, Table 4-2): byte offsets */
#define MP_HDR_LENGTH		4	/* the base table's length, header included */
#define MP_HDR_COUNT		34	/* entries in the base table */
#define MP_HDR_LAPIC		36	/* the local APIC's memory-mapped address */
/* Base table entries (4.3, Table 4-3): type byte first, fixed sizes */
#define MP_ENTRY_PROCESSOR	0
#define MP_ENTRY_PROCESSOR_LEN	20
#define MP_ENTRY_BUS		1
#define MP_ENTRY_LOCAL_INT	4	/* bus, I/O APIC, I/O and local interrupt: 8 bytes each */
#define MP_ENTRY_OTHER_LEN	8
#define MP_CPU_APIC_ID		1	/* processor entry (4.3.1, Table 4-4) */
#define MP_CPU_FLAGS		3
#define MP_CPU_EN		BIT(0)	/* usable; clear: the OS must not use it */
#define MP_DEFAULT_MAX		7	/* default configurations 1-7 (5.1, Table 5-1) */
#define MP_DEFAULT_CPUS		2	/* each has two CPUs, local APIC ids 0 and 1 */

static u16 mp_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}


u32 mp_fps_find(const u8 *area, u32 len)
{
	for (u32 off = 0; len >= MP_FPS_LEN && off <= len - MP_FPS_LEN; off += MP_FPS_ALIGN) {
		const u8 *p = area + off;

		if (!memcmp(p, "_MP_", 4) && p[MP_FPS_LENGTH] == 1 && !acpi_sum8(p, MP_FPS_LEN))
			return off;
	}
	return MP_NOT_FOUND;
}

void mp_fps_parse(const u8 *fps, u32 *table_pa, u8 *default_cfg)
{
	*table_pa = acpi_le32(fps + MP_FPS_ADDR);
	*default_cfg = fps[MP_FPS_FEATURE1];
}

u32 mp_table_len(const u8 *hdr)
{
	u32 len = mp_le16(hdr + MP_HDR_LENGTH);

	return memcmp(hdr, "PCMP", 4) || len < MP_TABLE_HDR_LEN ? 0 : len;
}

static void mp_cpu_add(struct mp_cpus *c, u64 id)
{
	for (u32 i = 0; i < c->nr; i++)
		if (c->ids[i] == id) {
			c->duplicates++;
			return;
		}
	if (c->nr == c->max)
		c->dropped++;
	else
		c->ids[c->nr++] = id;
}

static void mp_cpus_reset(struct mp_cpus *c)
{
	c->nr = c->disabled = c->duplicates = c->dropped = 0;
	c->lapic_base = 0;
}

/* The entry at @off: its size, or 0 if it is of no known type or runs past @len. */
static u32 mp_entry_len(const u8 *t, u32 off, u32 len)
{
	u32 size;

	if (t[off] == MP_ENTRY_PROCESSOR)
		size = MP_ENTRY_PROCESSOR_LEN;
	else if (t[off] >= MP_ENTRY_BUS && t[off] <= MP_ENTRY_LOCAL_INT)
		size = MP_ENTRY_OTHER_LEN;
	else
		return 0;
	return size <= len - off ? size : 0;
}

const char *mp_table_cpus(const u8 *t, u32 len, struct mp_cpus *c)
{
	u32 off = MP_TABLE_HDR_LEN, count;

	mp_cpus_reset(c);
	if (len < MP_TABLE_HDR_LEN || mp_table_len(t) != len)
		return "not a configuration table of that length";
	if (acpi_sum8(t, len))
		return "bad checksum";
	count = mp_le16(t + MP_HDR_COUNT);
	for (u32 i = 0; i < count; i++) {
		u32 size = off < len ? mp_entry_len(t, off, len) : 0;

		if (!size) {
			mp_cpus_reset(c);
			return off < len ? "an entry of unknown type or past the table's end"
					 : "more entries than the table's length holds";
		}
		if (t[off] == MP_ENTRY_PROCESSOR) {
			if (t[off + MP_CPU_FLAGS] & MP_CPU_EN)
				mp_cpu_add(c, t[off + MP_CPU_APIC_ID]);
			else
				c->disabled++;
		}
		off += size;
	}
	c->lapic_base = acpi_le32(t + MP_HDR_LAPIC);
	return c->nr ? NULL : "no enabled processor";
}

const char *mp_default_cpus(u8 cfg, struct mp_cpus *c)
{
	mp_cpus_reset(c);
	if (!cfg || cfg > MP_DEFAULT_MAX)
		return "a default configuration that is not one of 1-7";
	for (u32 id = 0; id < MP_DEFAULT_CPUS; id++)
		mp_cpu_add(c, id);
	return NULL;
}
