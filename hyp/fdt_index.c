// SPDX-License-Identifier: MIT
/*
 * The device tree's one-pass index (fdt_index(), hyp/fdt.h): parents,
 * siblings and the properties asked of nearly every node, so that the
 * queries of fdt.c read it instead of rescanning from the root.
 */
#include "fdt_impl.h"
#include "lib/string.h"

static const char *const ix_prop_names[FDT_IX_PROPS] = {
	"compatible", "status", "device_type", "reg", "#address-cells", "#size-cells",
};

/*
 * Which of ix_prop_names @name is, or -1. Callers' literals are usually
 * the same merged string as ours: the pointer decides before the bytes.
 */
int fdt_ix_slot(const char *name)
{
	int i;

	switch (name[0]) {
	case 'c': i = 0; break;
	case 's': i = 1; break;
	case 'd': i = 2; break;
	case 'r': i = 3; break;
	case '#': i = name[1] == 'a' ? 4 : 5; break;
	default: return -1;
	}
	return name == ix_prop_names[i] || same_string(name, ix_prop_names[i]) ? i : -1;
}

#define IX_NAME_CACHE	512	/* strings-block offsets whose slot is remembered */
#define IX_SLOT_UNKNOWN	(-2)
#define IX_BYTES_01	0x01010101u
#define IX_BYTES_80	0x80808080u

struct ix_build {
	struct fdt_ix *ix;
	u32 n, max;
	s32 open[FDT_MAX_DEPTH];	/* the open nodes, root first */
	s32 last[FDT_MAX_DEPTH + 1];	/* the last child seen at each depth */
	u32 depth;			/* nodes open */
	bool root_closed;
	struct fdt_ix *run;		/* the innermost node while its first properties go on */
	/* Names repeat (dtc shares them): the slot of each offset, once looked up. */
	signed char slot_of[IX_NAME_CACHE];	/* IX_SLOT_UNKNOWN: not yet */
};

/* struct_word() with the blob's alignment known: the pass is built for each. */
static inline __attribute__((always_inline)) u32 ix_word(const struct fdt *fdt, u32 off,
							 bool aligned)
{
	u32 w;

	if (!aligned)
		return fdt_be32(fdt->blob + off);
	w = *(const fdt_word *)__builtin_assume_aligned(fdt->blob + off, 4);
	return w >> 24 | (w >> 8 & 0xff00u) | (w << 8 & 0xff0000u) | w << 24;
}

/*
 * A property of the innermost open node: fdt_prop() sees those before the
 * node's first child only. Its name must be one fdt_prop() can read.
 */
static inline __attribute__((always_inline)) int ix_prop(const struct fdt *fdt,
							 struct ix_build *b, u32 off, bool aligned)
{
	u32 nameoff = ix_word(fdt, off + 8, aligned);
	int slot;

	if (!b->run)
		return b->depth ? 0 : -EINVAL;
	if (nameoff >= fdt->strings_size)
		return -EINVAL;
	if (nameoff >= IX_NAME_CACHE) {
		slot = fdt_ix_slot((const char *)fdt->blob + fdt->strings_off + nameoff);
	} else {
		if (b->slot_of[nameoff] == IX_SLOT_UNKNOWN)
			b->slot_of[nameoff] = (signed char)fdt_ix_slot((const char *)fdt->blob +
							     fdt->strings_off + nameoff);
		slot = b->slot_of[nameoff];
	}
	if (slot >= 0 && !b->run->prop[slot])
		b->run->prop[slot] = off;
	return 0;
}

static int ix_begin(struct ix_build *b, u32 off, u32 props)
{
	struct fdt_ix *e = &b->ix[b->n];

	if (b->n == b->max)
		return -ENOSPC;
	/* fdt_parent() refuses a second root and a node this deep. */
	if (b->root_closed || b->depth >= FDT_MAX_DEPTH)
		return b->root_closed ? -EINVAL : -ERANGE;
	*e = (struct fdt_ix){ .off = off, .props = props, .next = -1,
			      .parent = b->depth ? b->open[b->depth - 1] : -1 };
	if (b->depth && b->last[b->depth] >= 0)
		b->ix[b->last[b->depth]].next = (s32)b->n;
	b->last[b->depth] = (s32)b->n;
	b->open[b->depth++] = (s32)b->n++;
	b->last[b->depth] = -1;
	b->run = e;
	return 0;
}

/*
 * Where the token after the node name at @off starts: the word after the
 * one holding its NUL. A word at a time when the blob is 4-aligned (names
 * start 4-aligned): a word has a zero byte iff (w - 0x01..) & ~w & 0x80..
 * is not zero.
 */
static inline __attribute__((always_inline)) int ix_name_end(const struct fdt *fdt, u32 off,
								     u32 *next, bool aligned)
{
	u32 end = fdt->struct_end, after;

	if (aligned) {
		for (; end - off >= 4; off += 4) {
			u32 w = *(const fdt_word *)__builtin_assume_aligned(fdt->blob + off, 4);

			if ((w - IX_BYTES_01) & ~w & IX_BYTES_80) {
				*next = off + 4;
				return 0;
			}
		}
	}
	if (string_end(fdt, off, end, &after))
		return -EINVAL;
	*next = fdt_align4(after);
	return 0;
}

/* One token at @off, whose tag is read: recorded, and where the next starts. */
static inline __attribute__((always_inline)) int ix_token(const struct fdt *fdt,
							  struct ix_build *b, u32 off, u32 tag,
							  u32 *next, bool aligned)
{
	u32 len;

	switch (tag) {
	case FDT_PROP:
		/* The tag, the value's length and the name's offset, then the value. */
		if (fdt->struct_end - off < 12)
			return -EINVAL;
		len = ix_word(fdt, off + 4, aligned);
		if (len > fdt->struct_end - off - 12)
			return -EINVAL;
		*next = fdt_align4(off + 12 + len);
		return ix_prop(fdt, b, off, aligned);
	case FDT_BEGIN_NODE:
		if (ix_name_end(fdt, off + 4, next, aligned))
			return -EINVAL;
		return ix_begin(b, off, *next);
	case FDT_END_NODE:
		if (!b->depth)
			return -EINVAL;
		b->root_closed = !--b->depth;
		b->run = NULL;
		break;
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -EINVAL;
	}
	*next = off + 4;
	return 0;
}

/* Offsets only grow: every token lies after the last, so the pass ends. */
static inline __attribute__((always_inline)) int ix_pass(const struct fdt *fdt,
							 struct ix_build *b, bool aligned)
{
	u32 off = fdt->struct_off, tag, next;
	int ret;

	for (;; off = next) {
		if (!in_bounds(off, 4, fdt->struct_off, fdt->struct_end))
			return -EINVAL;
		tag = ix_word(fdt, off, aligned);
		if (tag == FDT_END)
			return b->root_closed ? 0 : -EINVAL;
		ret = ix_token(fdt, b, off, tag, &next, aligned);
		if (ret)
			return ret;
	}
}

int fdt_index(struct fdt *fdt, struct fdt_ix *ix, u32 max)
{
	struct ix_build b = { .ix = ix, .max = max };
	int ret;

	fdt->ix = NULL;
	fdt->nr_ix = 0;
	memset(b.slot_of, IX_SLOT_UNKNOWN, sizeof(b.slot_of));
	/* Names are compared in place: each must end inside the strings block. */
	if (!fdt->strings_nul)
		return -EINVAL;
	/* A boot loader's blob is 8-aligned: one load a word (struct_word()). */
	if ((uintptr_t)fdt->blob & 3)
		ret = ix_pass(fdt, &b, false);
	else
		ret = ix_pass(fdt, &b, true);
	if (ret)
		return ret;
	fdt->ix = ix;
	fdt->nr_ix = b.n;
	return 0;
}
