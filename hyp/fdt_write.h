/* SPDX-License-Identifier: MIT */
/*
 * A flattened device tree (DTB) writer into a caller's buffer, in one pass:
 * nodes and their properties in document order (every property of a node
 * before its first child), then fdt_wr_finish(). Version 17, last
 * compatible 16, an empty memory reservation block, each property name
 * stored once in the strings block.
 *
 * The first error sticks: every later call does nothing and returns it,
 * and fdt_wr_finish() returns it (-ENOSPC when the buffer was too small).
 * Nothing is ever written outside the buffer.
 */
#ifndef HYP_FDT_WRITE_H
#define HYP_FDT_WRITE_H

#include "fdt.h"
#include "types.h"

#define FDT_WR_MAX_CELLS	16	/* the architected timer: 4 interrupts of 3 cells */

struct fdt_wr {
	u8 *buf;
	u32 size;
	u32 pos;		/* the structure block so far: [FDT_WR_STRUCT_OFF, pos) */
	u32 str_start;		/* the strings so far, at the buffer's end: [str_start, size) */
	u32 depth;		/* nodes begun and not yet ended */
	u32 node[FDT_MAX_DEPTH];	/* where each open node begins */
	u64 has_child;		/* bit d: the open node at depth d has a child */
	u32 next_phandle;	/* what fdt_wr_phandle() gives next */
	int err;
};

/* Start a tree in @buf (@size bytes); phandles are handed out from @phandle_base. */
void fdt_wr_init(struct fdt_wr *w, u8 *buf, u32 size, u32 phandle_base);
int fdt_wr_begin_node(struct fdt_wr *w, const char *name);
/* A node "name@unit", the unit address in lower-case hex. */
int fdt_wr_begin_node_unit(struct fdt_wr *w, const char *name, u64 unit);
int fdt_wr_end_node(struct fdt_wr *w);

/* @len bytes of @val (may be NULL when @len is 0: an empty property). */
int fdt_wr_prop(struct fdt_wr *w, const char *name, const void *val, u32 len);
int fdt_wr_prop_u32(struct fdt_wr *w, const char *name, u32 val);
/* Two cells, the high one first. */
int fdt_wr_prop_u64(struct fdt_wr *w, const char *name, u64 val);
/* At most FDT_WR_MAX_CELLS cells, in the CPU's byte order. */
int fdt_wr_prop_cells(struct fdt_wr *w, const char *name, const u32 *cells, u32 n);
int fdt_wr_prop_string(struct fdt_wr *w, const char *name, const char *s);
int fdt_wr_prop_strings(struct fdt_wr *w, const char *name, const char *const *list, u32 n);
/* Give the open node a new phandle: its "phandle" property and *@ph. */
int fdt_wr_phandle(struct fdt_wr *w, u32 *ph);
/* Whether the open node already has a child named exactly @name. */
bool fdt_wr_has_child(const struct fdt_wr *w, const char *name);

/* Close the tree: its total size (> 0), or the sticky -errno. */
int fdt_wr_finish(struct fdt_wr *w);

/*
 * Copying from a parsed tree. The filter sees each node before it is
 * begun (FDT_COPY_NODE: @name is the node's), each property before it is
 * written (FDT_COPY_PROP: @name, @val, @len), each node once its
 * properties are written (FDT_COPY_PROPS_DONE: the filter may add
 * properties) and before it is ended (FDT_COPY_NODE_END: it may add
 * children). It returns FDT_COPY_KEEP, FDT_COPY_SKIP (the node with its
 * subtree, or the property, is left out: the filter may have written a
 * replacement) or -errno to stop the copy.
 */
#define FDT_COPY_NODE		0
#define FDT_COPY_PROP		1
#define FDT_COPY_PROPS_DONE	2
#define FDT_COPY_NODE_END	3

#define FDT_COPY_KEEP		0
#define FDT_COPY_SKIP		1

struct fdt_copy_ev {
	u32 kind;		/* FDT_COPY_* */
	int node;		/* in the source tree */
	u32 depth;		/* 0: the node the copy started at */
	const char *name;
	const void *val;
	u32 len;
};

typedef int (*fdt_copy_filter)(void *ctx, struct fdt_wr *w, const struct fdt *src,
			       const struct fdt_copy_ev *ev);

/*
 * Copy @node of @src with its subtree under the writer's open node (or as
 * the root), through @filter (NULL: everything). 0, -EINVAL for a corrupt
 * source, -ERANGE if deeper than FDT_MAX_DEPTH, the filter's -errno, or
 * the writer's sticky error.
 */
int fdt_wr_copy_node(struct fdt_wr *w, const struct fdt *src, int node,
		     fdt_copy_filter filter, void *ctx);
/* Only @node's properties, into the writer's open node (events FDT_COPY_PROP). */
int fdt_wr_copy_props(struct fdt_wr *w, const struct fdt *src, int node,
		      fdt_copy_filter filter, void *ctx);

#endif
