// SPDX-License-Identifier: MIT
/*
 * Flattened device tree writer (Devicetree Specification v0.4, chapter 5).
 * The structure block grows up from just after the header and the empty
 * reservation block; the strings grow down from the buffer's end, each
 * property naming its string by its distance from that end until
 * fdt_wr_finish() moves the strings behind the structure block and turns
 * those distances into offsets. Every write is checked against the space
 * between the two.
 */
#include "fdt_format.h"
#include "fdt_write.h"
#include "lib/string.h"

#define FDT_RSV_ENTRY_SIZE	16	/* spec 5.3: address and size, 64 bits each */
#define FDT_WR_RSV_OFF		FDT_HEADER_SIZE	/* 8-byte aligned (spec 5.3) */
#define FDT_WR_STRUCT_OFF	(FDT_WR_RSV_OFF + FDT_RSV_ENTRY_SIZE)
#define FDT_WR_VERSION		17
#define FDT_WR_LAST_COMP	16
#define FDT_WR_MAX_SIZE		FDT_MAX_TOTALSIZE

#define HEX_DIGITS_U64		16

static void put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static int wr_fail(struct fdt_wr *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

void fdt_wr_init(struct fdt_wr *w, u8 *buf, u32 size, u32 phandle_base)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->size = size > FDT_WR_MAX_SIZE ? FDT_WR_MAX_SIZE : size;
	w->pos = FDT_WR_STRUCT_OFF;
	w->str_start = w->size;
	w->next_phandle = phandle_base;
	if (!buf || w->size < FDT_WR_STRUCT_OFF) {
		w->size = w->str_start = w->pos = 0;
		wr_fail(w, -ENOSPC);
	}
}

/*
 * @len bytes at the end of the structure block, zeroed up to the next token
 * boundary, or NULL (sticky -ENOSPC).
 */
static u8 *wr_reserve(struct fdt_wr *w, u32 len)
{
	u64 end = (u64)w->pos + len, padded = (end + 3) & ~3ull;
	u8 *p;

	if (w->err)
		return NULL;
	if (padded > w->str_start) {
		wr_fail(w, -ENOSPC);
		return NULL;
	}
	p = w->buf + w->pos;
	memset(p, 0, (size_t)(padded - w->pos));
	w->pos = (u32)end;
	return p;
}

/* Pad the structure block to a token boundary: wr_reserve() zeroed it already. */
static void wr_pad(struct fdt_wr *w)
{
	if (!w->err)
		w->pos = fdt_align4(w->pos);
}

static int wr_token(struct fdt_wr *w, u32 tag)
{
	u8 *p = wr_reserve(w, 4);

	if (p)
		put_be32(p, tag);
	return w->err;
}

/* The string @s, stored once: its distance from the buffer's end. */
static int wr_string(struct fdt_wr *w, const char *s, u32 *dist)
{
	u32 len = (u32)strlen(s) + 1, off;

	for (off = w->str_start; off < w->size; off += (u32)strlen((char *)w->buf + off) + 1) {
		if (!strcmp((char *)w->buf + off, s)) {
			*dist = w->size - off;
			return 0;
		}
	}
	if (w->err)
		return w->err;
	if (len > w->str_start - w->pos)
		return wr_fail(w, -ENOSPC);
	w->str_start -= len;
	memcpy(w->buf + w->str_start, s, len);
	*dist = w->size - w->str_start;
	return 0;
}

int fdt_wr_begin_node(struct fdt_wr *w, const char *name)
{
	u32 len = (u32)strlen(name) + 1, begin = w->pos;
	u8 *p;

	if (w->err)
		return w->err;
	/* One root, named ""; every other node has a name. */
	if ((!w->depth) != (!*name) || (!w->depth && w->pos != FDT_WR_STRUCT_OFF))
		return wr_fail(w, -EINVAL);
	if (w->depth == FDT_MAX_DEPTH)
		return wr_fail(w, -ERANGE);
	if (wr_token(w, FDT_BEGIN_NODE))
		return w->err;
	p = wr_reserve(w, len);
	if (!p)
		return w->err;
	memcpy(p, name, len);
	wr_pad(w);
	if (w->depth)
		w->has_child |= BIT(w->depth - 1);
	w->has_child &= ~BIT(w->depth);
	w->node[w->depth++] = begin;
	return w->err;
}

int fdt_wr_begin_node_unit(struct fdt_wr *w, const char *name, u64 unit)
{
	char buf[FDT_MAX_NAME + 1 + HEX_DIGITS_U64 + 1];
	u32 len = (u32)strlen(name), digits = 1;

	if (len > FDT_MAX_NAME)
		return wr_fail(w, -EINVAL);
	while (digits < HEX_DIGITS_U64 && (unit >> (4 * digits)))
		digits++;
	memcpy(buf, name, len);
	buf[len++] = '@';
	for (u32 i = digits; i--; )
		buf[len++] = "0123456789abcdef"[(unit >> (4 * i)) & 0xf];
	buf[len] = '\0';
	return fdt_wr_begin_node(w, buf);
}

int fdt_wr_end_node(struct fdt_wr *w)
{
	if (w->err)
		return w->err;
	if (!w->depth)
		return wr_fail(w, -EINVAL);
	w->depth--;
	return wr_token(w, FDT_END_NODE);
}

int fdt_wr_prop(struct fdt_wr *w, const char *name, const void *val, u32 len)
{
	u32 dist;
	u8 *p;

	if (w->err)
		return w->err;
	/* Every property of a node comes before its first child (spec 5.4.2). */
	if (!w->depth || !*name || (w->has_child & BIT(w->depth - 1)))
		return wr_fail(w, -EINVAL);
	if (wr_string(w, name, &dist))
		return w->err;
	p = wr_reserve(w, 12);
	if (!p)
		return w->err;
	put_be32(p, FDT_PROP);
	put_be32(p + 4, len);
	put_be32(p + 8, dist);
	p = wr_reserve(w, len);
	if (p && len)
		memcpy(p, val, len);
	wr_pad(w);
	return w->err;
}

int fdt_wr_prop_u32(struct fdt_wr *w, const char *name, u32 val)
{
	return fdt_wr_prop_cells(w, name, &val, 1);
}

int fdt_wr_prop_u64(struct fdt_wr *w, const char *name, u64 val)
{
	u32 cells[2] = { (u32)(val >> 32), (u32)val };

	return fdt_wr_prop_cells(w, name, cells, 2);
}

int fdt_wr_prop_cells(struct fdt_wr *w, const char *name, const u32 *cells, u32 n)
{
	u8 be[4 * FDT_WR_MAX_CELLS];

	if (n > FDT_WR_MAX_CELLS)
		return wr_fail(w, -EINVAL);
	for (u32 i = 0; i < n; i++)
		put_be32(be + 4 * i, cells[i]);
	return fdt_wr_prop(w, name, be, 4 * n);
}

int fdt_wr_prop_string(struct fdt_wr *w, const char *name, const char *s)
{
	return fdt_wr_prop(w, name, s, (u32)strlen(s) + 1);
}

/* Written in place: a property header, then each string with its NUL. */
int fdt_wr_prop_strings(struct fdt_wr *w, const char *name, const char *const *list, u32 n)
{
	u32 total = 0, before;
	u8 *hdr;

	for (u32 i = 0; i < n; i++)
		total += (u32)strlen(list[i]) + 1;
	before = w->pos;
	if (fdt_wr_prop(w, name, NULL, 0))
		return w->err;
	hdr = w->buf + before;
	w->pos = before + 12;		/* the empty value had no padding */
	for (u32 i = 0; i < n; i++) {
		u32 len = (u32)strlen(list[i]) + 1;
		u8 *p = wr_reserve(w, len);

		if (!p)
			return w->err;
		memcpy(p, list[i], len);
	}
	put_be32(hdr + 4, total);
	wr_pad(w);
	return w->err;
}

int fdt_wr_phandle(struct fdt_wr *w, u32 *ph)
{
	*ph = w->next_phandle;
	/* 0 and 0xffffffff are not phandles (spec 2.3.3). */
	if (!*ph || *ph == ~0u)
		return wr_fail(w, -ERANGE);
	if (fdt_wr_prop_u32(w, "phandle", *ph))
		return w->err;
	w->next_phandle++;
	return 0;
}

bool fdt_wr_has_child(const struct fdt_wr *w, const char *name)
{
	u32 off, depth = 0;

	if (w->err || !w->depth)
		return false;
	off = w->node[w->depth - 1];
	while (off < w->pos) {
		u32 tag = fdt_be32(w->buf + off);
		const char *n = (const char *)w->buf + off + 4;

		if (tag == FDT_BEGIN_NODE) {
			if (++depth == 2 && !strcmp(n, name))
				return true;
			off = fdt_align4(off + 4 + (u32)strlen(n) + 1);
		} else if (tag == FDT_PROP) {
			off = fdt_align4(off + 12 + fdt_be32(w->buf + off + 4));
		} else {
			depth -= tag == FDT_END_NODE;
			off += 4;
		}
	}
	return false;
}

/* Turn each property's distance from the buffer's end into a strings offset. */
static void wr_fix_nameoffs(struct fdt_wr *w, u32 strings_size)
{
	u32 off = FDT_WR_STRUCT_OFF;

	while (off < w->pos) {
		u32 tag = fdt_be32(w->buf + off);

		if (tag == FDT_BEGIN_NODE) {
			off = fdt_align4(off + 4 + (u32)strlen((char *)w->buf + off + 4) + 1);
		} else if (tag == FDT_PROP) {
			put_be32(w->buf + off + 8, strings_size - fdt_be32(w->buf + off + 8));
			off = fdt_align4(off + 12 + fdt_be32(w->buf + off + 4));
		} else {
			off += 4;
		}
	}
}

int fdt_wr_finish(struct fdt_wr *w)
{
	u32 strings_size = w->size - w->str_start, struct_end;
	u8 *h = w->buf;

	if (!w->err && (w->depth || w->pos == FDT_WR_STRUCT_OFF))
		wr_fail(w, -EINVAL);
	if (wr_token(w, FDT_END))
		return w->err;
	struct_end = w->pos;
	wr_fix_nameoffs(w, strings_size);
	memmove(h + struct_end, h + w->str_start, strings_size);
	memset(h, 0, FDT_WR_STRUCT_OFF);	/* with the reservation block's terminator */
	put_be32(h + FDT_H_MAGIC, FDT_MAGIC);
	put_be32(h + FDT_H_TOTALSIZE, struct_end + strings_size);
	put_be32(h + FDT_H_OFF_STRUCT, FDT_WR_STRUCT_OFF);
	put_be32(h + FDT_H_OFF_STRINGS, struct_end);
	put_be32(h + FDT_H_OFF_RSVMAP, FDT_WR_RSV_OFF);
	put_be32(h + FDT_H_VERSION, FDT_WR_VERSION);
	put_be32(h + FDT_H_LAST_COMP, FDT_WR_LAST_COMP);
	put_be32(h + FDT_H_BOOT_CPUID, 0);
	put_be32(h + FDT_H_SIZE_STRINGS, strings_size);
	put_be32(h + FDT_H_SIZE_STRUCT, struct_end - FDT_WR_STRUCT_OFF);
	/* The strings have moved: nothing more may be added. */
	w->err = -EINVAL;
	return (int)(struct_end + strings_size);
}

/* One token of a parsed tree, every part of it checked against the blob's blocks. */
struct src_tok {
	u32 tag;
	u32 next;		/* where the next token starts */
	const char *name;	/* BEGIN_NODE, PROP */
	const void *val;	/* PROP */
	u32 len;
};

/* The NUL-terminated string at @off ends before @end. */
static bool src_string(const struct fdt *f, u32 off, u32 end, u32 *after)
{
	for (; off < end; off++) {
		if (!f->blob[off]) {
			*after = off + 1;
			return true;
		}
	}
	return false;
}

static int src_prop(const struct fdt *f, u32 off, struct src_tok *t)
{
	u32 nameoff, after;

	if ((u64)off + 12 > f->struct_end)
		return -EINVAL;
	t->len = fdt_be32(f->blob + off + 4);
	nameoff = fdt_be32(f->blob + off + 8);
	if ((u64)off + 12 + t->len > f->struct_end || nameoff >= f->strings_size ||
	    !src_string(f, f->strings_off + nameoff, f->strings_off + f->strings_size, &after))
		return -EINVAL;
	t->name = (const char *)f->blob + f->strings_off + nameoff;
	t->val = f->blob + off + 12;
	t->next = fdt_align4(off + 12 + t->len);
	return 0;
}

static int src_token(const struct fdt *f, u32 off, struct src_tok *t)
{
	u32 after;

	if ((off & 3) || off < f->struct_off || (u64)off + 4 > f->struct_end)
		return -EINVAL;
	t->tag = fdt_be32(f->blob + off);
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		if (!src_string(f, off + 4, f->struct_end, &after))
			return -EINVAL;
		t->name = (const char *)f->blob + off + 4;
		t->next = fdt_align4(after);
		return 0;
	case FDT_PROP:
		return src_prop(f, off, t);
	case FDT_END_NODE:
	case FDT_NOP:
		t->next = off + 4;
		return 0;
	default:		/* FDT_END or garbage: a node never ends there */
		return -EINVAL;
	}
}

/* Past the END_NODE of the node beginning at @off. */
static int src_skip_node(const struct fdt *f, u32 off, u32 *next)
{
	struct src_tok t;
	u32 depth = 0;
	int ret;

	do {
		ret = src_token(f, off, &t);
		if (ret)
			return ret;
		if (t.tag == FDT_BEGIN_NODE)
			depth++;
		else if (t.tag == FDT_END_NODE)
			depth--;
		off = t.next;
	} while (depth);
	*next = off;
	return 0;
}

struct copy_state {
	struct fdt_wr *w;
	const struct fdt *src;
	fdt_copy_filter filter;
	void *ctx;
	u32 depth;			/* nodes of the copy open in the writer */
	bool in_props;			/* the innermost open node's properties come next */
	int node[FDT_MAX_DEPTH];	/* the source node of each */
};

static int copy_event(struct copy_state *c, u32 kind, int node, u32 depth,
		      const struct src_tok *t)
{
	struct fdt_copy_ev ev = { .kind = kind, .node = node, .depth = depth };

	if (t) {
		ev.name = t->name;
		ev.val = t->val;
		ev.len = t->len;
	}
	if (!c->filter)
		return FDT_COPY_KEEP;
	return c->filter(c->ctx, c->w, c->src, &ev);
}

/* The innermost open node's properties are all there. */
static int copy_props_done(struct copy_state *c)
{
	if (!c->in_props)
		return 0;
	c->in_props = false;
	return copy_event(c, FDT_COPY_PROPS_DONE, c->node[c->depth - 1], c->depth - 1, NULL);
}

static int copy_begin(struct copy_state *c, u32 off, const struct src_tok *t, u32 *next)
{
	int ret = c->depth ? copy_props_done(c) : 0;

	if (ret < 0)
		return ret;
	ret = copy_event(c, FDT_COPY_NODE, (int)off, c->depth, t);
	if (ret == FDT_COPY_SKIP)
		return src_skip_node(c->src, off, next);
	if (ret < 0)
		return ret;
	if (c->depth == FDT_MAX_DEPTH)
		return -ERANGE;
	if (fdt_wr_begin_node(c->w, t->name))
		return c->w->err;
	c->node[c->depth++] = (int)off;
	c->in_props = true;
	*next = t->next;
	return 0;
}

static int copy_token(struct copy_state *c, u32 off, u32 *next)
{
	struct src_tok t;
	int ret = src_token(c->src, off, &t);

	if (ret)
		return ret;
	*next = t.next;
	switch (t.tag) {
	case FDT_BEGIN_NODE:
		return copy_begin(c, off, &t, next);
	case FDT_PROP:
		if (!c->depth || !c->in_props)
			return -EINVAL;		/* a property after a child node */
		ret = copy_event(c, FDT_COPY_PROP, c->node[c->depth - 1], c->depth - 1, &t);
		if (ret == FDT_COPY_KEEP)
			ret = fdt_wr_prop(c->w, t.name, t.val, t.len);
		return ret < 0 ? ret : 0;
	case FDT_END_NODE:
		ret = copy_props_done(c);
		if (ret >= 0)
			ret = copy_event(c, FDT_COPY_NODE_END, c->node[c->depth - 1], c->depth - 1,
					 NULL);
		if (ret < 0)
			return ret;
		c->depth--;
		return fdt_wr_end_node(c->w);
	default:
		return 0;
	}
}

/* A failed copy leaves nodes open: the writer's error sticks. */
static int copy_result(struct fdt_wr *w, int ret)
{
	return ret < 0 ? wr_fail(w, ret) : w->err;
}

int fdt_wr_copy_node(struct fdt_wr *w, const struct fdt *src, int node,
		     fdt_copy_filter filter, void *ctx)
{
	struct copy_state c = { .w = w, .src = src, .filter = filter, .ctx = ctx };
	u32 off = (u32)node, next = 0;
	struct src_tok t;
	int ret;

	if (w->err)
		return w->err;
	if (node < 0 || src_token(src, off, &t) || t.tag != FDT_BEGIN_NODE)
		return copy_result(w, -EINVAL);
	do {
		ret = copy_token(&c, off, &next);
		if (ret < 0)
			return copy_result(w, ret);
		off = next;
	} while (c.depth);
	return w->err;
}

int fdt_wr_copy_props(struct fdt_wr *w, const struct fdt *src, int node,
		      fdt_copy_filter filter, void *ctx)
{
	struct copy_state c = { .w = w, .src = src, .filter = filter, .ctx = ctx };
	struct src_tok t;
	int ret = node < 0 ? -EINVAL : src_token(src, (u32)node, &t);

	if (w->err)
		return w->err;
	if (ret || t.tag != FDT_BEGIN_NODE)
		return copy_result(w, -EINVAL);
	for (u32 off = t.next; !(ret = src_token(src, off, &t)); off = t.next) {
		if (t.tag == FDT_NOP)
			continue;
		if (t.tag != FDT_PROP)
			return w->err;
		ret = copy_event(&c, FDT_COPY_PROP, node, 0, &t);
		if (ret == FDT_COPY_KEEP)
			ret = fdt_wr_prop(w, t.name, t.val, t.len);
		if (ret < 0)
			return copy_result(w, ret);
	}
	return copy_result(w, ret);
}
