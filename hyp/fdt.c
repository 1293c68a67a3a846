// SPDX-License-Identifier: MIT
/*
 * Flattened device tree, read only (Devicetree Specification v0.4, chapter
 * 5 "Flattened Devicetree (DTB) Format"). Every offset is checked before it
 * is read; offsets only grow while scanning, so every scan ends.
 */
#include "fdt_impl.h"
#include "lib/string.h"

#define FDT_MIN_VERSION		17	/* has size_dt_struct */

int fdt_init(struct fdt *fdt, const void *blob, u64 max_size)
{
	const u8 *h = blob;
	u32 size, off_struct, size_struct, off_strings, size_strings, rsv;

	if (!blob || max_size < FDT_HEADER_SIZE || fdt_be32(h + FDT_H_MAGIC) != FDT_MAGIC)
		return -EINVAL;
	size = fdt_be32(h + FDT_H_TOTALSIZE);
	if (size < FDT_HEADER_SIZE || size > max_size || size > FDT_MAX_TOTALSIZE)
		return -EINVAL;
	if (fdt_be32(h + FDT_H_VERSION) < FDT_MIN_VERSION ||
	    fdt_be32(h + FDT_H_LAST_COMP) > FDT_MIN_VERSION)
		return -EINVAL;
	off_struct = fdt_be32(h + FDT_H_OFF_STRUCT);
	size_struct = fdt_be32(h + FDT_H_SIZE_STRUCT);
	off_strings = fdt_be32(h + FDT_H_OFF_STRINGS);
	size_strings = fdt_be32(h + FDT_H_SIZE_STRINGS);
	rsv = fdt_be32(h + FDT_H_OFF_RSVMAP);
	if ((off_struct & 3) || !in_bounds(off_struct, size_struct, FDT_HEADER_SIZE, size) ||
	    !in_bounds(off_strings, size_strings, FDT_HEADER_SIZE, size) ||
	    (rsv & 7) || !in_bounds(rsv, 16, FDT_HEADER_SIZE, size))
		return -EINVAL;
	fdt->blob = h;
	fdt->size = size;
	fdt->struct_off = off_struct;
	fdt->struct_end = off_struct + size_struct;
	fdt->strings_off = off_strings;
	fdt->strings_size = size_strings;
	fdt->rsvmap_off = rsv;
	fdt->strings_nul = size_strings && !h[off_strings + size_strings - 1];
	fdt->ix = NULL;
	fdt->nr_ix = 0;
	return 0;
}

static u64 be64(const u8 *p)
{
	return (u64)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

int fdt_memreserve(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr)
{
	for (u32 off = fdt->rsvmap_off; in_bounds(off, 16, 0, fdt->size); off += 16) {
		u64 base = be64(fdt->blob + off), size = be64(fdt->blob + off + 8);

		if (!base && !size)
			return 0;
		if (*nr == max)
			return -ERANGE;
		out[(*nr)++] = (struct fdt_range){ .base = base, .size = size };
	}
	return -EINVAL;		/* no terminating entry */
}

/* A property name from the strings block, or NULL. */
static const char *fdt_string(const struct fdt *fdt, u32 nameoff)
{
	u32 end = fdt->strings_off + fdt->strings_size, after;

	if (nameoff >= fdt->strings_size ||
	    string_end(fdt, fdt->strings_off + nameoff, end, &after))
		return NULL;
	return (const char *)fdt->blob + fdt->strings_off + nameoff;
}

static int next_token(const struct fdt *fdt, u32 off, u32 *tag, u32 *next)
{
	return next_token_inline(fdt, off, tag, next);
}

static int check_node(const struct fdt *fdt, int node, u32 *after)
{
	u32 tag;

	if (node < 0 || ((u32)node & 3))
		return -EINVAL;
	if (next_token(fdt, (u32)node, &tag, after))
		return -EINVAL;
	return tag == FDT_BEGIN_NODE ? 0 : -EINVAL;
}

int fdt_root(const struct fdt *fdt)
{
	u32 off = fdt->struct_off, tag, next;

	for (;; off = next) {
		if (next_token(fdt, off, &tag, &next))
			return -EINVAL;
		if (tag == FDT_BEGIN_NODE)
			return (int)off;
		if (tag != FDT_NOP)
			return -EINVAL;
	}
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	u32 off, tag, next;

	if (check_node(fdt, node, &off))
		return -EINVAL;
	for (;; off = next) {
		if (next_token(fdt, off, &tag, &next))
			return -EINVAL;
		switch (tag) {
		case FDT_BEGIN_NODE:
			(*depth)++;
			return (int)off;
		case FDT_END_NODE:
			(*depth)--;
			break;
		case FDT_END:
			return -ENOENT;
		default:
			break;
		}
	}
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	s32 i = fdt_ix_find(fdt, node);
	int depth = 0, child;

	if (i >= 0)
		return (u32)i + 1 < fdt->nr_ix && fdt->ix[i + 1].parent == i ?
		       (int)fdt->ix[i + 1].off : -ENOENT;
	child = fdt_next_node(fdt, node, &depth);

	if (child < 0)
		return child;
	return depth == 1 ? child : -ENOENT;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	s32 i = fdt_ix_find(fdt, node);
	int depth = 0;

	if (i >= 0)
		return fdt->ix[i].next >= 0 ? (int)fdt->ix[fdt->ix[i].next].off : -ENOENT;

	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if (node < 0)
			return node;
		if (depth == 0)
			return node;
		if (depth < 0)
			return -ENOENT;
	}
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0, n;
	s32 i = fdt_ix_find(fdt, node);

	if (i >= 0)
		return fdt->ix[i].parent >= 0 ? (int)fdt->ix[fdt->ix[i].parent].off : -ENOENT;
	n = fdt_root(fdt);
	if (n < 0 || node == n)
		return n < 0 ? n : -ENOENT;
	stack[0] = n;
	while ((n = fdt_next_node(fdt, n, &depth)) >= 0) {
		if (depth <= 0)
			return -EINVAL;		/* a second root */
		if (depth >= FDT_MAX_DEPTH)
			return -ERANGE;
		stack[depth] = n;
		if (n == node)
			return stack[depth - 1];
		if (n > node)
			break;
	}
	return n < 0 ? n : -ENOENT;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	u32 after;

	if (fdt_ix_find(fdt, node) < 0 && check_node(fdt, node, &after))
		return NULL;
	return (const char *)fdt->blob + node + 4;
}

static bool has_char(const char *s, char c, u32 len)
{
	for (; len; len--, s++)
		if (*s == c)
			return true;
	return false;
}

/* "name" matches "name" and "name@unit"; "name@unit" only itself. */
static bool name_matches(const char *node_name, const char *name, u32 len)
{
	if (strncmp(node_name, name, len))
		return false;
	if (!node_name[len])
		return true;
	return node_name[len] == '@' && !has_char(name, '@', len);
}

/* The first sibling from index entry @c on whose name begins with @first, or -1. */
static s32 ix_next_named(const struct fdt_ix *ix, const char *blob, s32 c, char first)
{
	for (; c >= 0; c = ix[c].next)
		if (blob[ix[c].off + 4] == first)
			return c;
	return -1;
}

int fdt_subnode(const struct fdt *fdt, int parent, const char *name, u32 len)
{
	s32 i = fdt_ix_find(fdt, parent);
	int child;

	/* Over the index: the children by their sibling links. */
	if (i >= 0) {
		const struct fdt_ix *ix = fdt->ix;
		const char *blob = (const char *)fdt->blob;
		s32 c = (u32)i + 1 < fdt->nr_ix && ix[i + 1].parent == i ? i + 1 : -1;
		/* Most differ in the first byte (len 0 matches only "" and "@..."). */
		char first = len ? name[0] : '\0';

		for (; c >= 0; c = ix[c].next) {
			if (len && (c = ix_next_named(ix, blob, c, first)) < 0)
				break;
			if (name_matches(blob + ix[c].off + 4, name, len))
				return (int)ix[c].off;
		}
		return -ENOENT;
	}
	child = fdt_first_child(fdt, parent);

	for (; child >= 0; child = fdt_next_sibling(fdt, child)) {
		const char *n = fdt_node_name(fdt, child);

		if (!n)
			return -EINVAL;
		if (name_matches(n, name, len))
			return child;
	}
	return child;
}

int fdt_path(const struct fdt *fdt, const char *path, u32 len)
{
	int node = fdt_root(fdt);
	u32 i = 0, start;

	if (node < 0 || !len || path[0] != '/')
		return node < 0 ? node : -EINVAL;
	while (node >= 0) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			return node;
		for (start = i; i < len && path[i] != '/'; i++)
			;
		node = fdt_subnode(fdt, node, path + start, i - start);
	}
	return node;
}

/*
 * 1 if the property name at @nameoff is @name, 0 if not, -EINVAL if it
 * does not end inside the strings block. When the block ends with a NUL,
 * every name ends inside it: the first differing byte decides.
 */
static int prop_name_is(const struct fdt *fdt, u32 nameoff, const char *name)
{
	const char *p;

	if (!fdt->strings_nul) {
		p = fdt_string(fdt, nameoff);
		return p ? !strcmp(p, name) : -EINVAL;
	}
	if (nameoff >= fdt->strings_size)
		return -EINVAL;
	p = (const char *)fdt->blob + fdt->strings_off + nameoff;
	for (; *p == *name; p++, name++)
		if (!*p)
			return 1;
	return 0;
}

int fdt_prop(const struct fdt *fdt, int node, const char *name,
	     const void **val, u32 *len)
{
	u32 off, tag, next;
	s32 i = fdt_ix_find(fdt, node);
	int is;

	if (i >= 0) {
		int slot = fdt_ix_slot(name);

		if (slot >= 0) {
			off = fdt->ix[i].prop[slot];
			if (!off)
				return -ENOENT;
			*len = fdt_be32(fdt->blob + off + 4);
			*val = fdt->blob + off + 12;
			return 0;
		}
		off = fdt->ix[i].props;
	} else if (check_node(fdt, node, &off)) {
		return -EINVAL;
	}
	for (;; off = next) {
		if (next_token_inline(fdt, off, &tag, &next))
			return -EINVAL;
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			return -ENOENT;
		/* next_token() checked both words and the value's bounds. */
		is = prop_name_is(fdt, fdt_be32(fdt->blob + off + 8), name);
		if (is < 0)
			return is;
		if (is) {
			*len = fdt_be32(fdt->blob + off + 4);
			*val = fdt->blob + off + 12;
			return 0;
		}
	}
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, u32 *val)
{
	const void *p;
	u32 len;
	int ret = fdt_prop(fdt, node, name, &p, &len);

	if (ret)
		return ret;
	if (len != 4)
		return -EINVAL;
	*val = fdt_be32(p);
	return 0;
}

int fdt_prop_string(const struct fdt *fdt, int node, const char *name,
		    const char **str, u32 *len)
{
	const void *p;
	u32 n;
	int ret = fdt_prop(fdt, node, name, &p, &n);

	if (ret)
		return ret;
	if (!n || ((const char *)p)[n - 1])
		return -EINVAL;
	*str = p;
	if (len)
		*len = n;
	return 0;
}

/*
 * A list of NUL-terminated strings whose last byte is a NUL: is @compat
 * one? Each entry is read once: compared as far as it matches, then skipped.
 */
static bool list_has(const char *list, u32 len, const char *compat)
{
	for (u32 i = 0; i < len; i++) {
		const char *c = compat;

		for (; list[i] == *c && *c; i++, c++)
			;
		if (list[i] == *c)
			return true;
		while (list[i])
			i++;
	}
	return false;
}

static bool status_ok(const char *status)
{
	return same_string(status, "okay") || same_string(status, "ok");
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	const char *list;
	u32 len;

	return !fdt_prop_string(fdt, node, "compatible", &list, &len) &&
	       list_has(list, len, compat);
}

bool fdt_is_available(const struct fdt *fdt, int node)
{
	const char *status;
	int ret = fdt_prop_string(fdt, node, "status", &status, NULL);

	if (ret == -ENOENT)
		return true;
	return !ret && status_ok(status);
}

/* The same over the index, from its entry @i on: document order. */
static int find_compatible_ix(const struct fdt *fdt, u32 i, const char *compat)
{
	const char *s;
	u32 len;
	int ret;

	for (; i < fdt->nr_ix; i++) {
		const struct fdt_ix *e = &fdt->ix[i];

		if (fdt_ix_string(fdt, e, IX_COMPATIBLE, &s, &len) || !list_has(s, len, compat))
			continue;
		ret = fdt_ix_string(fdt, e, IX_STATUS, &s, &len);
		if (ret == -ENOENT || (!ret && status_ok(s)))
			return (int)e->off;
	}
	return -ENOENT;
}

int fdt_find_compatible(const struct fdt *fdt, int after, const char *compat)
{
	int depth = 0, node = after;

	if (node < 0) {
		node = fdt_root(fdt);
		if (node < 0 || (fdt_is_compatible(fdt, node, compat) &&
				 fdt_is_available(fdt, node)))
			return node;
	}
	if (fdt->ix && fdt_ix_find(fdt, node) >= 0)
		return find_compatible_ix(fdt, fdt_ix_find(fdt, node) + 1, compat);
	while ((node = fdt_next_node(fdt, node, &depth)) >= 0)
		if (fdt_is_compatible(fdt, node, compat) && fdt_is_available(fdt, node))
			return node;
	return node;
}
