// SPDX-License-Identifier: MIT
/*
 * A handed-over VM's device tree: its RAM, one cpu node per vCPU, the
 * arch's nodes (power interface; interrupt controller and timer once the
 * VM has them), the emulated UART and /chosen. Nothing else: no host
 * device, no virtio.
 *
 * A user's partial tree is merged the way Xen does it (docs/misc/arm/
 * passthrough.txt): the children of its /passthrough go under the root,
 * the properties of its /aliases into /aliases. A user's whole tree is
 * checked against the VM (RAM, vCPUs) and copied with /chosen's bootargs
 * and initrd replaced by the VM's.
 */
#include <stdarg.h>

#include "arch/guest.h"
#include "console.h"
#include "fdt.h"
#include "fdt_write.h"
#include "lib/string.h"
#include "printf.h"
#include "vm.h"
#include "vm_config.h"
#include "vm_dt.h"

/* The phandles the hypervisor gives its nodes; a user tree may use none of them. */
#define VM_DT_PHANDLE_BASE	0xffff0000u
#define VM_DT_COMPATIBLE	"hyp,vm"
#define VM_DT_ROOT_CELLS	2	/* #address-cells and #size-cells of the root */
#define VM_DT_MAX_MEM		16	/* /memory ranges of a whole user tree */
#define VM_DT_MSG_MAX		128
#define VM_DT_NAME_MAX		48

/* The PL011 (PrimeCell UART PL011 TRM): a 4 KiB frame with a 24 MHz UARTCLK. */
#define PL011_SIZE		0x1000
#define PL011_CLOCK_HZ		24000000
/*
 * UARTPeriphID0-3 of a PL011 r1p5 (TRM 3.3.14): the emulated one reads
 * them too; the tree gives them as well (arm,primecell.yaml), so that a
 * kernel matches its driver without reading them.
 */
#define PL011_PERIPH_ID		0x00341011
#define NS16550_SIZE		0x100
#define NS16550_CLOCK_HZ	3686400

struct vm_dt {
	const struct vm_desc *d;
	const struct vm_dt_args *a;
	struct fdt_wr w;
	struct fdt user;
	int chosen;		/* a whole user tree's /chosen, or -1 */
	bool chosen_seen;
	char msg[VM_DT_MSG_MAX];	/* the first problem */
};

static int __attribute__((format(printf, 3, 4))) dt_fail(struct vm_dt *t, int err,
							   const char *fmt, ...)
{
	va_list ap;

	if (!t->msg[0]) {
		va_start(ap, fmt);
		hyp_vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

/* The one line of a failure: the user's names are printed tamed. */
static void dt_log(struct vm_dt *t, int err, u32 size)
{
	if (!t->msg[0]) {
		if (err == -ENOSPC)
			dt_fail(t, err, "does not fit in %u bytes", size);
		else if (err == -ERANGE)
			dt_fail(t, err, "nested deeper than %u nodes", FDT_MAX_DEPTH);
		else
			dt_fail(t, err, "the user tree is malformed (%d)", err);
	}
	for (char *c = t->msg; *c; c++)
		if (*c < ' ' || *c > '~')
			*c = '?';
	hyp_log("hyp: %s: device tree: %s\n", t->d->name ? t->d->name : "?", t->msg);
}

static bool dt_has_initrd(const struct vm_dt_args *a)
{
	return a->initrd_start != a->initrd_end;
}

static bool dt_in_ram(const struct vm_desc *d, u64 base, u64 size)
{
	return base >= d->ram_base && size <= d->ram_size && base - d->ram_base <= d->ram_size - size;
}

static int dt_check_args(struct vm_dt *t)
{
	const struct vm_dt_args *a = t->a;

	if (!t->d->nr_vcpus || t->d->nr_vcpus > VM_MAX_VCPUS)
		return dt_fail(t, -EINVAL, "%u vCPUs", t->d->nr_vcpus);
	if (dt_has_initrd(a) && (a->initrd_end < a->initrd_start ||
				 !dt_in_ram(t->d, a->initrd_start, a->initrd_end - a->initrd_start)))
		return dt_fail(t, -EINVAL, "initrd 0x%llx-0x%llx is not in RAM",
			       (unsigned long long)a->initrd_start,
			       (unsigned long long)a->initrd_end);
	return 0;
}

static int dt_reg(struct fdt_wr *w, u64 base, u64 size)
{
	u32 reg[] = { (u32)(base >> 32), (u32)base, (u32)(size >> 32), (u32)size };

	return fdt_wr_prop_cells(w, "reg", reg, ARRAY_SIZE(reg));
}

/* /chosen's properties the VM decides; a whole user tree keeps its stdout-path. */
static int dt_chosen_props(struct vm_dt *t)
{
	if (t->a->bootargs)
		fdt_wr_prop_string(&t->w, "bootargs", t->a->bootargs);
	if (dt_has_initrd(t->a)) {
		fdt_wr_prop_u64(&t->w, "linux,initrd-start", t->a->initrd_start);
		fdt_wr_prop_u64(&t->w, "linux,initrd-end", t->a->initrd_end);
	}
	return t->w.err;
}

/* The emulated UART's node name, "" when the VM has none in its tree. */
static void dt_uart_name(const struct vm_desc *d, char *buf, u32 size)
{
	buf[0] = '\0';
	if (d->console_kind == VM_CONSOLE_PL011 || d->console_kind == VM_CONSOLE_NS16550)
		hyp_snprintf(buf, size, "serial@%llx", (unsigned long long)d->console_base);
}

static int dt_chosen(struct vm_dt *t)
{
	char uart[VM_DT_NAME_MAX], path[VM_DT_NAME_MAX + 1];

	fdt_wr_begin_node(&t->w, "chosen");
	dt_chosen_props(t);
	dt_uart_name(t->d, uart, sizeof(uart));
	if (uart[0]) {
		hyp_snprintf(path, sizeof(path), "/%s", uart);
		fdt_wr_prop_string(&t->w, "stdout-path", path);
	}
	return fdt_wr_end_node(&t->w);
}

static int dt_memory(struct vm_dt *t)
{
	fdt_wr_begin_node_unit(&t->w, "memory", t->d->ram_base);
	fdt_wr_prop_string(&t->w, "device_type", "memory");
	dt_reg(&t->w, t->d->ram_base, t->d->ram_size);
	return fdt_wr_end_node(&t->w);
}

/* A vCPU's id in the tree is its index: arm64's vMPIDR Aff0, RISC-V's hart id. */
static int dt_cpus(struct vm_dt *t)
{
	struct fdt_wr *w = &t->w;
	int ret;

	fdt_wr_begin_node(w, "cpus");
	fdt_wr_prop_u32(w, "#address-cells", 1);
	fdt_wr_prop_u32(w, "#size-cells", 0);
	ret = arch_vm_dt_cpus(w, t->d);
	if (ret)
		return ret;
	for (u32 i = 0; i < t->d->nr_vcpus; i++) {
		fdt_wr_begin_node_unit(w, "cpu", i);
		fdt_wr_prop_string(w, "device_type", "cpu");
		fdt_wr_prop_u32(w, "reg", i);
		ret = arch_vm_dt_cpu(w, t->d, i);
		if (ret)
			return ret;
		fdt_wr_end_node(w);
	}
	return fdt_wr_end_node(w);
}

/* The UART's interrupt, as the arch's interrupt controller names it. */
static int dt_uart_irq(struct vm_dt *t)
{
	return arch_vm_dt_uart_irq(&t->w, t->d);
}

static int dt_pl011(struct vm_dt *t, const char *name)
{
	static const char *const compat[] = { "arm,pl011", "arm,primecell" };
	static const char *const clock_names[] = { "uartclk", "apb_pclk" };
	struct fdt_wr *w = &t->w;
	u32 clk, clocks[2];

	fdt_wr_begin_node(w, "clock-24000000");
	fdt_wr_prop_string(w, "compatible", "fixed-clock");
	fdt_wr_prop_u32(w, "#clock-cells", 0);
	fdt_wr_prop_u32(w, "clock-frequency", PL011_CLOCK_HZ);
	fdt_wr_prop_string(w, "clock-output-names", "clk24mhz");
	if (fdt_wr_phandle(w, &clk))
		return w->err;
	fdt_wr_end_node(w);

	clocks[0] = clocks[1] = clk;
	fdt_wr_begin_node(w, name);
	fdt_wr_prop_strings(w, "compatible", compat, ARRAY_SIZE(compat));
	dt_reg(w, t->d->console_base, PL011_SIZE);
	fdt_wr_prop_u32(w, "arm,primecell-periphid", PL011_PERIPH_ID);
	fdt_wr_prop_cells(w, "clocks", clocks, ARRAY_SIZE(clocks));
	fdt_wr_prop_strings(w, "clock-names", clock_names, ARRAY_SIZE(clock_names));
	dt_uart_irq(t);
	return fdt_wr_end_node(w);
}

static int dt_ns16550(struct vm_dt *t, const char *name)
{
	struct fdt_wr *w = &t->w;

	fdt_wr_begin_node(w, name);
	fdt_wr_prop_string(w, "compatible", "ns16550a");
	dt_reg(w, t->d->console_base, NS16550_SIZE);
	fdt_wr_prop_u32(w, "clock-frequency", NS16550_CLOCK_HZ);
	dt_uart_irq(t);
	return fdt_wr_end_node(w);
}

static int dt_uart(struct vm_dt *t)
{
	char name[VM_DT_NAME_MAX];

	dt_uart_name(t->d, name, sizeof(name));
	if (t->d->console_kind == VM_CONSOLE_PL011)
		return dt_pl011(t, name);
	if (t->d->console_kind == VM_CONSOLE_NS16550)
		return dt_ns16550(t, name);
	return t->w.err;
}

static int dt_root_props(struct vm_dt *t)
{
	char model[VM_DT_MSG_MAX];

	hyp_snprintf(model, sizeof(model), "hyp VM %s", t->d->name ? t->d->name : "");
	fdt_wr_prop_u32(&t->w, "#address-cells", VM_DT_ROOT_CELLS);
	fdt_wr_prop_u32(&t->w, "#size-cells", VM_DT_ROOT_CELLS);
	fdt_wr_prop_string(&t->w, "compatible", VM_DT_COMPATIBLE);
	fdt_wr_prop_string(&t->w, "model", model);
	return arch_vm_dt_root_props(&t->w, t->d);
}

/* A user tree's node name for a log line (dt_log() tames it). */
static const char *dt_user_name(const struct vm_dt *t, int node)
{
	const char *n = fdt_node_name(&t->user, node);

	return !n ? "?" : *n ? n : "/";
}

static int dt_user_open(struct vm_dt *t)
{
	if (fdt_init(&t->user, t->a->user_dtb, t->a->user_dtb_size) || fdt_root(&t->user) < 0)
		return dt_fail(t, -EINVAL, "the user tree is no device tree blob");
	return 0;
}

/* Under our root, a node's children keep the meaning of their "reg" only with 2 + 2 cells. */
static int dt_user_cells(struct vm_dt *t, int node)
{
	u32 ac, sc;

	if (fdt_prop_u32(&t->user, node, "#address-cells", &ac) ||
	    fdt_prop_u32(&t->user, node, "#size-cells", &sc) ||
	    ac != VM_DT_ROOT_CELLS || sc != VM_DT_ROOT_CELLS)
		return dt_fail(t, -EINVAL, "the user tree's %s needs #address-cells and #size-cells <%u>",
			       dt_user_name(t, node), VM_DT_ROOT_CELLS);
	return 0;
}

/* No node of a partial tree may take one of the phandles the hypervisor hands out. */
static int dt_user_phandles(struct vm_dt *t)
{
	static const char *const props[] = { "phandle", "linux,phandle" };
	int depth = 0, node = fdt_root(&t->user), ret;
	u32 ph;

	for (; node >= 0; node = fdt_next_node(&t->user, node, &depth)) {
		for (u32 i = 0; i < ARRAY_SIZE(props); i++) {
			ret = fdt_prop_u32(&t->user, node, props[i], &ph);
			if (ret == -ENOENT)
				continue;
			if (ret)
				return dt_fail(t, ret, "the user tree's %s has a bad %s",
					       dt_user_name(t, node), props[i]);
			if (ph >= VM_DT_PHANDLE_BASE)
				return dt_fail(t, -EINVAL,
					       "the user tree's %s has phandle 0x%x, one of the hypervisor's (from 0x%x)",
					       dt_user_name(t, node), ph, VM_DT_PHANDLE_BASE);
		}
	}
	return node == -ENOENT ? 0 : node;
}

static bool dt_is_memory(const struct fdt *f, int node)
{
	const char *type;

	return !fdt_prop_string(f, node, "device_type", &type, NULL) && !strcmp(type, "memory");
}

/* Each /passthrough child as it is, unless it is no device for the VM to have. */
static int dt_passthrough_filter(void *ctx, struct fdt_wr *w, const struct fdt *src,
				 const struct fdt_copy_ev *ev)
{
	struct vm_dt *t = ctx;

	if (ev->kind == FDT_COPY_NODE && ev->depth == 0) {
		if (fdt_wr_has_child(w, ev->name))
			return dt_fail(t, -EEXIST, "the user tree's /passthrough/%s clashes with a node of the VM's",
				       ev->name);
		if (dt_is_memory(src, ev->node))
			return dt_fail(t, -EINVAL, "the user tree's /passthrough/%s is RAM the VM does not have",
				       ev->name);
	}
	/* Xen's device assignment: host devices are never given to a VM here. */
	if (ev->kind == FDT_COPY_PROP && (!strcmp(ev->name, "xen,reg") || !strcmp(ev->name, "xen,path")))
		return dt_fail(t, -EINVAL, "the user tree's %s asks for a host device (%s)",
			       dt_user_name(t, ev->node), ev->name);
	return FDT_COPY_KEEP;
}

static int dt_aliases(struct vm_dt *t)
{
	int aliases = fdt_path(&t->user, "/aliases", 8);

	if (aliases == -ENOENT)
		return 0;
	if (aliases < 0)
		return aliases;
	fdt_wr_begin_node(&t->w, "aliases");
	fdt_wr_copy_props(&t->w, &t->user, aliases, NULL, NULL);
	return fdt_wr_end_node(&t->w);
}

/* Xen's partial device tree: /aliases and the children of /passthrough. */
static int dt_merge_partial(struct vm_dt *t)
{
	int ret = dt_user_cells(t, fdt_root(&t->user)), pt, child;

	if (!ret)
		ret = dt_user_phandles(t);
	if (!ret)
		ret = dt_aliases(t);
	if (ret)
		return ret;
	pt = fdt_path(&t->user, "/passthrough", 12);
	if (pt < 0)
		return pt == -ENOENT ? 0 : pt;
	ret = dt_user_cells(t, pt);
	for (child = fdt_first_child(&t->user, pt); !ret && child >= 0;
	     child = fdt_next_sibling(&t->user, child))
		ret = fdt_wr_copy_node(&t->w, &t->user, child, dt_passthrough_filter, t);
	return ret ? ret : child == -ENOENT ? 0 : child;
}

static int dt_full_memory(struct vm_dt *t)
{
	const struct vm_desc *d = t->d;
	struct fdt_range mem[VM_DT_MAX_MEM];
	u32 nr;
	int ret = fdt_memory(&t->user, mem, ARRAY_SIZE(mem), &nr);

	if (ret == -ERANGE)
		return dt_fail(t, ret, "the user tree has more than %u /memory ranges", VM_DT_MAX_MEM);
	if (ret || !nr)
		return dt_fail(t, ret ? ret : -EINVAL, "the user tree has no readable /memory");
	for (u32 i = 0; i < nr; i++)
		if (!dt_in_ram(d, mem[i].base, mem[i].size))
			return dt_fail(t, -EINVAL,
				       "the user tree's memory 0x%llx+0x%llx is not in the VM's RAM 0x%llx+0x%llx",
				       (unsigned long long)mem[i].base, (unsigned long long)mem[i].size,
				       (unsigned long long)d->ram_base, (unsigned long long)d->ram_size);
	return 0;
}

/* One cpu node per vCPU, each naming a vCPU by its index. */
static int dt_full_cpus(struct vm_dt *t)
{
	u64 ids[VM_MAX_VCPUS], seen = 0;
	u32 nr, want = t->d->nr_vcpus;
	int ret = fdt_cpus(&t->user, ids, ARRAY_SIZE(ids), &nr);

	if (ret == -ERANGE)
		return dt_fail(t, ret, "the user tree has more cpus than the VM's %u vCPUs", want);
	if (ret)
		return dt_fail(t, ret, "the user tree has no readable /cpus");
	if (nr != want)
		return dt_fail(t, -EINVAL, "the user tree has %u cpus, the VM %u vCPUs", nr, want);
	for (u32 i = 0; i < nr; i++) {
		if (ids[i] >= want || (seen & BIT(ids[i])))
			return dt_fail(t, -EINVAL, "the user tree's cpu 0x%llx is no vCPU of the VM's",
				       (unsigned long long)ids[i]);
		seen |= BIT(ids[i]);
	}
	return 0;
}

static bool dt_vm_chosen_prop(const struct vm_dt *t, const char *name)
{
	/* The user's bootargs stand when the VM has none; its initrd never does. */
	if (!strcmp(name, "bootargs"))
		return t->a->bootargs != NULL;
	return !strcmp(name, "linux,initrd-start") || !strcmp(name, "linux,initrd-end");
}

/* A whole tree as it is, but for the VM's properties of /chosen. */
static int dt_full_filter(void *ctx, struct fdt_wr *w, const struct fdt *src,
			  const struct fdt_copy_ev *ev)
{
	struct vm_dt *t = ctx;

	(void)src;
	switch (ev->kind) {
	case FDT_COPY_NODE:
		if (ev->depth == 1 && !strcmp(ev->name, "chosen")) {
			t->chosen = ev->node;
			t->chosen_seen = true;
		}
		return FDT_COPY_KEEP;
	case FDT_COPY_PROP:
		return ev->node == t->chosen && dt_vm_chosen_prop(t, ev->name) ? FDT_COPY_SKIP
									       : FDT_COPY_KEEP;
	case FDT_COPY_PROPS_DONE:
		return ev->node == t->chosen ? dt_chosen_props(t) : FDT_COPY_KEEP;
	default:
		if (ev->depth || t->chosen_seen)
			return FDT_COPY_KEEP;
		fdt_wr_begin_node(w, "chosen");
		dt_chosen_props(t);
		return fdt_wr_end_node(w);
	}
}

static int dt_full(struct vm_dt *t)
{
	int ret = dt_full_memory(t);

	if (!ret)
		ret = dt_full_cpus(t);
	if (!ret)
		ret = fdt_wr_copy_node(&t->w, &t->user, fdt_root(&t->user), dt_full_filter, t);
	return ret;
}

static int dt_generate(struct vm_dt *t)
{
	int ret;

	fdt_wr_begin_node(&t->w, "");
	dt_root_props(t);
	dt_chosen(t);
	dt_memory(t);
	ret = dt_cpus(t);
	if (!ret)
		ret = arch_vm_dt_nodes(&t->w, t->d);
	if (!ret)
		ret = dt_uart(t);
	if (!ret && t->a->user_dtb)
		ret = dt_merge_partial(t);
	if (ret)
		return ret;
	return fdt_wr_end_node(&t->w);
}

int vm_dt_build(const struct vm_desc *d, const struct vm_dt_args *a, u8 *buf, u32 size,
		u32 *len)
{
	struct vm_dt t = { .d = d, .a = a, .chosen = -1 };
	int ret;

	fdt_wr_init(&t.w, buf, size, VM_DT_PHANDLE_BASE);
	ret = dt_check_args(&t);
	if (!ret && a->user_dtb)
		ret = dt_user_open(&t);
	if (!ret)
		ret = a->user_dtb && a->user_full ? dt_full(&t) : dt_generate(&t);
	if (!ret)
		ret = fdt_wr_finish(&t.w);
	if (ret < 0) {
		dt_log(&t, ret, size);
		return ret;
	}
	*len = (u32)ret;
	return 0;
}
