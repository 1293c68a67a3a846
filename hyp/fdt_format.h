/* SPDX-License-Identifier: MIT */
/*
 * The flattened device tree's on-memory format (Devicetree Specification
 * v0.4, chapter 5), shared by the reader (fdt.c) and the writer
 * (fdt_write.c). Internal to them.
 */
#ifndef HYP_FDT_FORMAT_H
#define HYP_FDT_FORMAT_H

#include "types.h"

#define FDT_HEADER_SIZE		40
#define FDT_MAX_TOTALSIZE	0x7fffffffu	/* offsets fit an int */

/* Tokens (spec 5.4.1). */
#define FDT_BEGIN_NODE		1u
#define FDT_END_NODE		2u
#define FDT_PROP		3u
#define FDT_NOP			4u
#define FDT_END			9u

/* Header fields, byte offsets (spec 5.2). */
#define FDT_H_MAGIC		0
#define FDT_H_TOTALSIZE		4
#define FDT_H_OFF_STRUCT	8
#define FDT_H_OFF_STRINGS	12
#define FDT_H_OFF_RSVMAP	16
#define FDT_H_VERSION		20
#define FDT_H_LAST_COMP		24
#define FDT_H_BOOT_CPUID	28
#define FDT_H_SIZE_STRINGS	32
#define FDT_H_SIZE_STRUCT	36

static inline u32 fdt_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Structure-block items are 4-byte aligned (spec 5.4.2). */
static inline u32 fdt_align4(u32 x)
{
	return (x + 3u) & ~3u;
}

#endif
