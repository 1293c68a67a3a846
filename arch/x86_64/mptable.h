/* SPDX-License-Identifier: MIT */
/*
 * The CPUs of the MP table (Intel MultiProcessor Specification 1.4), where
 * there is no ACPI MADT: host-testable parsing (mptable.c) of bytes the
 * caller read from low memory (smp.c).
 */
#ifndef ARCH_X86_64_MPTABLE_H
#define ARCH_X86_64_MPTABLE_H

#include "types.h"

#define MP_FPS_LEN		16	/* the floating pointer structure (4.1) */
#define MP_FPS_ALIGN		16	/* found on 16-byte boundaries only */
#define MP_TABLE_HDR_LEN	44	/* the configuration table header (4.2) */
#define MP_NOT_FOUND		0xffffffffu

/* What the table says: the enabled CPUs' local APIC ids, in its order. */
struct mp_cpus {
	u64 *ids;		/* room for max ids, filled by the parser */
	u32 max, nr;
	u32 lapic_base;		/* the local APIC's address (0: the table has none) */
	u32 disabled;		/* processor entries without the enabled flag */
	u32 duplicates;		/* processor entries naming an APIC id already listed */
	u32 dropped;		/* enabled ones past @max */
};

/* The offset of the first valid floating pointer in @area of @len bytes, or MP_NOT_FOUND. */
u32 mp_fps_find(const u8 *area, u32 len);
/*
 * The floating pointer @fps (MP_FPS_LEN bytes, valid): the configuration
 * table's physical address (0: none), and the default configuration it
 * names (0: none, 5.1), into *@table_pa and *@default_cfg.
 */
void mp_fps_parse(const u8 *fps, u32 *table_pa, u8 *default_cfg);
/*
 * The base table length its header of MP_TABLE_HDR_LEN bytes gives, or 0
 * if the header is not one (signature, length below the header's).
 */
u32 mp_table_len(const u8 *hdr);
/* The CPUs of the configuration table @t of @len bytes: NULL, or what is wrong (@c empty then). */
const char *mp_table_cpus(const u8 *t, u32 len, struct mp_cpus *c);
/* The CPUs of default configuration @cfg (5.1): two, local APIC ids 0 and 1. */
const char *mp_default_cpus(u8 cfg, struct mp_cpus *c);

#endif
