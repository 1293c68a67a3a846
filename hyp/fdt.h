/* SPDX-License-Identifier: MIT */
/*
 * A read-only flattened device tree (DTB) parser. Every read is checked
 * against the blob's bounds: a truncated or corrupt blob gives -EINVAL (or
 * -ENOENT/-ERANGE), never a read outside [blob, blob + totalsize).
 *
 * A node is named by its offset in the blob (an int >= 0); functions that
 * return a node return a negative errno when there is none.
 */
#ifndef HYP_FDT_H
#define HYP_FDT_H

#include "types.h"

#define FDT_MAGIC		0xd00dfeedu
#define FDT_MAX_DEPTH		32	/* deeper trees are refused (-ERANGE) */
#define FDT_MAX_NAME		64	/* longest alias or path component looked up */
#define FDT_BOOT_NODES		256	/* the boot CPU indexes a tree of up to this many nodes */

/*
 * A node of the index fdt_index() builds in one pass: queries that would
 * scan from the root (parent, siblings, a path, a compatible node) read it.
 */
#define FDT_IX_PROPS	6	/* the properties it records (hyp/fdt.c ix_prop_names) */

struct fdt_ix {
	u32 off;		/* the node's FDT_BEGIN_NODE */
	u32 props;		/* its first token after the name */
	s32 parent;		/* index, or -1 for the root */
	s32 next;		/* the next sibling's index, or -1 */
	u32 prop[FDT_IX_PROPS];	/* the first FDT_PROP of each name fdt_prop() sees; 0: none */
};

struct fdt {
	const u8 *blob;
	u32 size;		/* header totalsize, checked <= the caller's max */
	u32 struct_off;		/* structure block: [struct_off, struct_end) */
	u32 struct_end;
	u32 strings_off;	/* strings block */
	u32 strings_size;
	u32 rsvmap_off;		/* memory reservation block */
	bool strings_nul;	/* the strings block ends with a NUL: names end in it */
	const struct fdt_ix *ix;	/* NULL, or the index of every node */
	u32 nr_ix;
};

struct fdt_range {
	u64 base;
	u64 size;
};

/* Check the header of the blob at @blob, of which @max_size bytes may be read. */
int fdt_init(struct fdt *fdt, const void *blob, u64 max_size);

/*
 * Index the nodes of @fdt in one pass into @ix (at most @max), for every
 * later query on @fdt; the answers stay the same. -ENOSPC (more nodes),
 * -EINVAL or -ERANGE (a tree the queries would refuse somewhere): no
 * index, the queries scan as without one.
 */
int fdt_index(struct fdt *fdt, struct fdt_ix *ix, u32 max);

int fdt_root(const struct fdt *fdt);
/* The next node in document order; *depth goes up one per level down. */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_parent(const struct fdt *fdt, int node);
const char *fdt_node_name(const struct fdt *fdt, int node);
/* A child by name; "name" also matches "name@unit". */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name, u32 len);
/* An absolute path ("/cpus/cpu@0") of @len characters. */
int fdt_path(const struct fdt *fdt, const char *path, u32 len);

int fdt_prop(const struct fdt *fdt, int node, const char *name,
	     const void **val, u32 *len);
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, u32 *val);
/* A property holding a NUL-terminated string (or string list). */
int fdt_prop_string(const struct fdt *fdt, int node, const char *name,
		    const char **str, u32 *len);
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);
/* No "status", or "okay"/"ok". */
bool fdt_is_available(const struct fdt *fdt, int node);
/* The first available node after @after (-1: from the root) matching @compat. */
int fdt_find_compatible(const struct fdt *fdt, int after, const char *compat);

/* Entry @idx of "reg", translated through the parents' "ranges" to a CPU address. */
int fdt_reg(const struct fdt *fdt, int node, u32 idx, struct fdt_range *out);
/* The same, untranslated: in the parent's own address space. */
int fdt_reg_local(const struct fdt *fdt, int node, u32 idx, struct fdt_range *out);

/*
 * The RAM ranges of the device_type = "memory" nodes, in tree order. Stores
 * at most @max and sets *nr; -ERANGE if there were more.
 */
int fdt_memory(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr);
/*
 * The /memreserve/ entries (spec 5.3), the "reg" ranges of every
 * /reserved-memory child, and of every "multiboot,module" child of
 * /chosen or of a /chosen child compatible with "xen,domain" (boot
 * modules, a VM's in its node's cells): each appended to @out as
 * fdt_memory() does, *@nr counting on from its value on entry.
 */
int fdt_memreserve(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr);
int fdt_reserved_memory(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr);
int fdt_boot_modules(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr);
/* The "reg" (arm64 affinity, RISC-V hart id) of each available /cpus/cpu node, as above. */
int fdt_cpus(const struct fdt *fdt, u64 *ids, u32 max, u32 *nr);
/* The node /chosen's stdout-path names (a path or an alias, ":options" ignored). */
int fdt_stdout(const struct fdt *fdt);
/*
 * The console UART's base address: the stdout-path node if it is
 * compatible with @compat (any node when @compat is NULL), else the first
 * available node compatible with @compat.
 */
int fdt_find_uart(const struct fdt *fdt, const char *compat, u64 *base);

#endif
