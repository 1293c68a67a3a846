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

struct ix_build {
	struct fdt_ix *ix;
	u32 n, max;
	s32 open[FDT_MAX_DEPTH];	/* the open nodes, root first */
	s32 last[FDT_MAX_DEPTH + 1];	/* the last child seen at each depth */
	u32 depth;			/* nodes open */
	bool root_closed;
	bool run_open;			/* the innermost node's first properties go on */
	/* Names repeat (dtc shares them): the slot of each offset, once looked up. */
	signed char slot_of[IX_NAME_CACHE];	/* IX_SLOT_UNKNOWN: not yet */
};

/*
 * A property of the innermost open node: fdt_prop() sees those before the
 * node's first child only. Its name must be one fdt_prop() can read.
 */
static int ix_prop(const struct fdt *fdt, struct ix_build *b, u32 off)
{
	u32 nameoff = struct_word(fdt, off + 8);
	struct fdt_ix *e;
	int slot;

	if (!b->depth)
		return -EINVAL;
	if (!b->run_open)
		return 0;
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
	e = &b->ix[b->open[b->depth - 1]];
	if (slot >= 0 && !e->prop[slot])
		e->prop[slot] = off;
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
	b->run_open = true;
	return 0;
}

int fdt_index(struct fdt *fdt, struct fdt_ix *ix, u32 max)
{
	struct ix_build b = { .ix = ix, .max = max };
	u32 off = fdt->struct_off, tag, next;
	int ret = 0;

	fdt->ix = NULL;
	fdt->nr_ix = 0;
	memset(b.slot_of, IX_SLOT_UNKNOWN, sizeof(b.slot_of));
	/* Names are compared in place: each must end inside the strings block. */
	if (!fdt->strings_nul)
		return -EINVAL;
	for (; !ret; off = next) {
		if (next_token_inline(fdt, off, &tag, &next))
			return -EINVAL;
		if (tag == FDT_BEGIN_NODE) {
			ret = ix_begin(&b, off, next);
		} else if (tag == FDT_END_NODE) {
			if (!b.depth)
				return -EINVAL;
			b.root_closed = !--b.depth;
			b.run_open = false;
		} else if (tag == FDT_PROP) {
			ret = ix_prop(fdt, &b, off);
		} else if (tag == FDT_END) {
			if (!b.root_closed)
				return -EINVAL;
			fdt->ix = ix;
			fdt->nr_ix = b.n;
			return 0;
		}
	}
	return ret;
}
