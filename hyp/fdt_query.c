// SPDX-License-Identifier: MIT
/*
 * Device-tree queries the hypervisor boots with: RAM, CPUs and the console
 * UART, with "reg" addresses translated through the buses' "ranges".
 */
#include "fdt_impl.h"
#include "lib/string.h"

#define FDT_DEFAULT_ADDR_CELLS	2	/* Devicetree Specification 2.3.5 */
#define FDT_DEFAULT_SIZE_CELLS	1

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* #address-cells and #size-cells a node gives its children. */
static int node_cells(const struct fdt *fdt, int node, u32 *ac, u32 *sc)
{
	int ret = fdt_prop_u32(fdt, node, "#address-cells", ac);

	if (ret == -ENOENT)
		*ac = FDT_DEFAULT_ADDR_CELLS;
	else if (ret)
		return ret;
	ret = fdt_prop_u32(fdt, node, "#size-cells", sc);
	if (ret == -ENOENT)
		*sc = FDT_DEFAULT_SIZE_CELLS;
	else if (ret)
		return ret;
	/* Up to 64 bits each: enough for every bus this parser reads. */
	return *ac >= 1 && *ac <= 2 && *sc <= 2 ? 0 : -ERANGE;
}

static u64 read_cells(const u8 *p, u32 cells)
{
	u64 v = 0;

	for (u32 i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

/*
 * Translate @addr from @bus's children's address space to its parent's
 * through @bus's "ranges" (spec 2.3.8): empty means identity, absent means
 * not translatable.
 */
static int translate_one(const struct fdt *fdt, int bus, u64 *addr)
{
	u32 cac, csc, pac, psc, len, entry;
	int parent = fdt_parent(fdt, bus), ret;
	const u8 *p;

	if (parent < 0)
		return parent;
	ret = fdt_prop(fdt, bus, "ranges", (const void **)&p, &len);
	if (ret || !len)
		return ret;
	if (node_cells(fdt, bus, &cac, &csc) || node_cells(fdt, parent, &pac, &psc))
		return -ERANGE;
	entry = 4 * (cac + pac + csc);
	if (len % entry)
		return -EINVAL;
	for (; len; len -= entry, p += entry) {
		u64 child = read_cells(p, cac);
		u64 paddr = read_cells(p + 4 * cac, pac);
		u64 size = read_cells(p + 4 * (cac + pac), csc);

		if (*addr >= child && *addr - child < size) {
			*addr = paddr + (*addr - child);
			return 0;
		}
	}
	return -ENOENT;
}

static int translate(const struct fdt *fdt, int parent, u64 *addr)
{
	int root = fdt_root(fdt), ret;

	for (u32 hops = 0; parent != root; hops++) {
		if (parent < 0 || hops >= FDT_MAX_DEPTH)
			return parent < 0 ? parent : -ERANGE;
		ret = translate_one(fdt, parent, addr);
		if (ret)
			return ret;
		parent = fdt_parent(fdt, parent);
	}
	return 0;
}

int fdt_reg_local(const struct fdt *fdt, int node, u32 idx, struct fdt_range *out)
{
	int parent = fdt_parent(fdt, node), ret;
	u32 ac, sc, len, entry;
	const u8 *p;

	if (parent < 0)
		return parent;
	ret = node_cells(fdt, parent, &ac, &sc);
	if (ret)
		return ret;
	ret = fdt_prop(fdt, node, "reg", (const void **)&p, &len);
	if (ret)
		return ret;
	entry = 4 * (ac + sc);
	if (len % entry)
		return -EINVAL;
	if (idx >= len / entry)
		return -ENOENT;
	p += (u64)idx * entry;
	out->base = read_cells(p, ac);
	out->size = read_cells(p + 4 * ac, sc);
	return out->base + out->size < out->base ? -ERANGE : 0;
}

int fdt_reg(const struct fdt *fdt, int node, u32 idx, struct fdt_range *out)
{
	int ret = fdt_reg_local(fdt, node, idx, out);

	return ret ? ret : translate(fdt, fdt_parent(fdt, node), &out->base);
}

static bool has_device_type(const struct fdt *fdt, int node, const char *type)
{
	const char *s;

	return !fdt_prop_string(fdt, node, "device_type", &s, NULL) && !strcmp(s, type);
}

/* Append @node's non-empty "reg" ranges, translated or (@local) as they are. */
static int node_regs(const struct fdt *fdt, int node, bool local, struct fdt_range *out,
		     u32 max, u32 *nr)
{
	struct fdt_range r;
	int ret;

	for (u32 i = 0; !(ret = local ? fdt_reg_local(fdt, node, i, &r) :
				       fdt_reg(fdt, node, i, &r)); i++) {
		if (!r.size)
			continue;
		if (*nr == max)
			return -ERANGE;
		out[(*nr)++] = r;
	}
	return ret == -ENOENT ? 0 : ret;
}

/*
 * The next child of @parent after @node (-1: the first) whose device_type
 * is @type; over the index, the others are not looked at twice.
 */
static int next_typed_child(const struct fdt *fdt, int parent, int node, const char *type)
{
	s32 i = fdt_ix_find(fdt, node < 0 ? parent : node);
	const char *s;
	u32 len;

	if (i < 0) {
		node = node < 0 ? fdt_first_child(fdt, parent) : fdt_next_sibling(fdt, node);
		for (; node >= 0; node = fdt_next_sibling(fdt, node))
			if (has_device_type(fdt, node, type))
				return node;
		return node;
	}
	if (node < 0)
		i = (u32)i + 1 < fdt->nr_ix && fdt->ix[i + 1].parent == i ? i + 1 : -1;
	else
		i = fdt->ix[i].next;
	for (; i >= 0; i = fdt->ix[i].next)
		if (!fdt_ix_string(fdt, &fdt->ix[i], IX_DEVICE_TYPE, &s, &len) && !strcmp(s, type))
			return (int)fdt->ix[i].off;
	return -ENOENT;
}

int fdt_memory(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr)
{
	int root = fdt_root(fdt), node = -1, ret;

	*nr = 0;
	if (root < 0)
		return root;
	while ((node = next_typed_child(fdt, root, node, "memory")) >= 0) {
		if (!fdt_is_available(fdt, node))
			continue;
		ret = node_regs(fdt, node, false, out, max, nr);
		if (ret)
			return ret;
	}
	return node == -ENOENT ? 0 : node;
}

/*
 * The "reg" ranges of @parent's available children (compatible with
 * @compat if not NULL), translated to CPU addresses or (@local) as they are.
 */
static int children_regs(const struct fdt *fdt, int parent, const char *compat, bool local,
			 struct fdt_range *out, u32 max, u32 *nr)
{
	int node, ret;

	if (parent == -ENOENT)
		return 0;
	if (parent < 0)
		return parent;
	for (node = fdt_first_child(fdt, parent); node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!fdt_is_available(fdt, node) || (compat && !fdt_is_compatible(fdt, node, compat)))
			continue;
		ret = node_regs(fdt, node, local, out, max, nr);
		if (ret)
			return ret;
	}
	return node == -ENOENT ? 0 : node;
}

int fdt_reserved_memory(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr)
{
	return children_regs(fdt, fdt_path(fdt, "/reserved-memory", 16), NULL, false, out, max,
			     nr);
}

/*
 * The modules of a VM node (Xen's dom0less binding): the first "reg" of
 * each, in the VM node's own cells. One that cannot be read reserves
 * nothing; hyp/boot_dom0less.c refuses its VM with a line.
 */
static int domain_modules(const struct fdt *fdt, int domain, struct fdt_range *out, u32 max,
			  u32 *nr)
{
	struct fdt_range r;
	int node;

	for (node = fdt_first_child(fdt, domain); node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!fdt_is_available(fdt, node) || !fdt_is_compatible(fdt, node, "multiboot,module"))
			continue;
		if (fdt_reg_local(fdt, node, 0, &r) || !r.size)
			continue;
		if (*nr == max)
			return -ERANGE;
		out[(*nr)++] = r;
	}
	return node == -ENOENT ? 0 : node;
}

int fdt_boot_modules(const struct fdt *fdt, struct fdt_range *out, u32 max, u32 *nr)
{
	int chosen = fdt_path(fdt, "/chosen", 7), node, ret;

	/* /chosen is no bus: its children's "reg" are CPU addresses, with no "ranges". */
	ret = children_regs(fdt, chosen, "multiboot,module", true, out, max, nr);
	if (ret || chosen < 0)
		return ret;
	for (node = fdt_first_child(fdt, chosen); node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!fdt_is_available(fdt, node) || !fdt_is_compatible(fdt, node, "xen,domain"))
			continue;
		ret = domain_modules(fdt, node, out, max, nr);
		if (ret)
			return ret;
	}
	return node == -ENOENT ? 0 : node;
}

/* A CPU's id: the first address in "reg", under /cpus's #address-cells. */
static int cpu_id(const struct fdt *fdt, int node, u32 ac, u64 *id)
{
	const u8 *p;
	u32 len;
	int ret = fdt_prop(fdt, node, "reg", (const void **)&p, &len);

	if (ret)
		return ret;
	if (len < 4 * ac)
		return -EINVAL;
	*id = read_cells(p, ac);
	return 0;
}

int fdt_cpus(const struct fdt *fdt, u64 *ids, u32 max, u32 *nr)
{
	int cpus = fdt_path(fdt, "/cpus", 5), node;
	u32 ac, sc;
	u64 id;

	*nr = 0;
	if (cpus < 0)
		return cpus;
	if (node_cells(fdt, cpus, &ac, &sc))
		return -ERANGE;
	for (node = -1; (node = next_typed_child(fdt, cpus, node, "cpu")) >= 0;) {
		if (!fdt_is_available(fdt, node))
			continue;
		if (cpu_id(fdt, node, ac, &id))
			return -EINVAL;
		if (*nr == max)
			return -ERANGE;
		ids[(*nr)++] = id;
	}
	return node == -ENOENT ? 0 : node;
}

/* The path an alias names; @name is not NUL-terminated. */
static int alias_path(const struct fdt *fdt, const char *name, u32 len,
		      const char **path, u32 *path_len)
{
	char buf[FDT_MAX_NAME];
	int aliases = fdt_path(fdt, "/aliases", 8), ret;

	if (aliases < 0)
		return aliases;
	if (len >= sizeof(buf))
		return -ERANGE;
	memcpy(buf, name, len);
	buf[len] = '\0';
	ret = fdt_prop_string(fdt, aliases, buf, path, path_len);
	if (!ret)
		(*path_len)--;		/* without its NUL */
	return ret;
}

int fdt_stdout(const struct fdt *fdt)
{
	int chosen = fdt_path(fdt, "/chosen", 7), ret;
	const char *s;
	u32 len, n;

	if (chosen < 0)
		return chosen;
	ret = fdt_prop_string(fdt, chosen, "stdout-path", &s, &len);
	if (ret == -ENOENT)
		ret = fdt_prop_string(fdt, chosen, "linux,stdout-path", &s, &len);
	if (ret)
		return ret;
	for (n = 0; s[n] && s[n] != ':'; n++)
		;
	if (n && s[0] != '/') {
		ret = alias_path(fdt, s, n, &s, &n);
		if (ret)
			return ret;
	}
	return fdt_path(fdt, s, n);
}

static int uart_base(const struct fdt *fdt, int node, u64 *base)
{
	struct fdt_range r;
	int ret = fdt_reg(fdt, node, 0, &r);

	if (!ret)
		*base = r.base;
	return ret;
}

int fdt_find_uart(const struct fdt *fdt, const char *compat, u64 *base)
{
	int node = fdt_stdout(fdt);

	if (node >= 0 && fdt_is_available(fdt, node) &&
	    (!compat || fdt_is_compatible(fdt, node, compat)) &&
	    !uart_base(fdt, node, base))
		return 0;
	if (!compat)
		return node < 0 ? node : -ENOENT;
	node = fdt_find_compatible(fdt, -1, compat);
	return node < 0 ? node : uart_base(fdt, node, base);
}
