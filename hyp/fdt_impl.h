/* SPDX-License-Identifier: MIT */
/*
 * Internal to the device-tree reader (fdt.c) and its one-pass index
 * (fdt_index.c): the checked structure-block reads both use, and the
 * index's lookups.
 */
#ifndef HYP_FDT_IMPL_H
#define HYP_FDT_IMPL_H

#include "fdt.h"
#include "fdt_format.h"

/* [off, off + len) lies within [start, end). */
static inline bool in_bounds(u64 off, u64 len, u64 start, u64 end)
{
	return off >= start && off <= end && len <= end - off;
}

typedef u32 __attribute__((may_alias, aligned(1))) fdt_word;
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "struct_word() swaps to big-endian");

/*
 * A structure-block word at @off (4-aligned in the block): one load when
 * the blob itself is 4-aligned (a boot loader's is 8-aligned), else by bytes.
 */
static inline __attribute__((always_inline)) u32 struct_word(const struct fdt *fdt, u32 off)
{
	const u8 *p = fdt->blob + off;

	u32 w;

	if ((uintptr_t)p & 3)
		return fdt_be32(p);
	/* Spelled out: RISC-V without Zbb would call libgcc for __builtin_bswap32. */
	w = *(const fdt_word *)__builtin_assume_aligned(p, 4);
	return w >> 24 | (w >> 8 & 0xff00u) | (w << 8 & 0xff0000u) | w << 24;
}

static inline __attribute__((always_inline)) int read_u32(const struct fdt *fdt, u32 off, u32 *val)
{
	if (!in_bounds(off, 4, fdt->struct_off, fdt->struct_end))
		return -EINVAL;
	*val = struct_word(fdt, off);
	return 0;
}

/* Offset just past the NUL ending the string at @off, if it ends before @end. */
static inline int string_end(const struct fdt *fdt, u32 off, u32 end, u32 *after)
{
	for (; off < end; off++) {
		if (!fdt->blob[off]) {
			*after = off + 1;
			return 0;
		}
	}
	return -EINVAL;
}

/* The token at @off and where the next one starts (inlined in the index's pass). */
static inline __attribute__((always_inline)) int
next_token_inline(const struct fdt *fdt, u32 off, u32 *tag, u32 *next)
{
	u32 len, after;

	if (read_u32(fdt, off, tag))
		return -EINVAL;
	switch (*tag) {
	case FDT_BEGIN_NODE:
		if (string_end(fdt, off + 4, fdt->struct_end, &after))
			return -EINVAL;
		*next = fdt_align4(after);
		return 0;
	case FDT_PROP:
		/* The tag, the value's length and the name's offset, then the value. */
		if (!in_bounds(off, 12, fdt->struct_off, fdt->struct_end))
			return -EINVAL;
		len = struct_word(fdt, off + 4);
		if (!in_bounds((u64)off + 12, len, fdt->struct_off, fdt->struct_end))
			return -EINVAL;
		*next = fdt_align4(off + 12 + len);
		return 0;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		*next = off + 4;
		return 0;
	default:
		return -EINVAL;
	}
}

static inline bool same_string(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (!*a)
			return true;
	return false;
}

/* Asked of nearly every node at boot: recorded by the index, read in place. */
enum { IX_COMPATIBLE, IX_STATUS, IX_DEVICE_TYPE };	/* the first of fdt_index.c's ix_prop_names */

/* The recorded property of @slot as fdt_prop_string() reads it. */
static inline int fdt_ix_string(const struct fdt *fdt, const struct fdt_ix *e, u32 slot,
				const char **s, u32 *len)
{
	u32 tok = e->prop[slot];

	if (!tok)
		return -ENOENT;
	*len = fdt_be32(fdt->blob + tok + 4);
	*s = (const char *)fdt->blob + tok + 12;
	return *len && !(*s)[*len - 1] ? 0 : -EINVAL;
}

/* Where the index records @node, or -1 (no index, or not a node's offset). */
static inline s32 fdt_ix_find(const struct fdt *fdt, int node)
{
	u32 lo = 0, hi = fdt->nr_ix;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (fdt->ix[mid].off == (u32)node)
			return (s32)mid;
		if (fdt->ix[mid].off < (u32)node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Which of the index's recorded properties @name is, or -1. */
int fdt_ix_slot(const char *name);

#endif
