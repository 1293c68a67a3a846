// SPDX-License-Identifier: MIT
/*
 * The VMs of /chosen in Xen's dom0less binding (hyp/boot.h, docs/guests.md).
 * Xen's properties keep Xen's meaning (docs/misc/arm/device-tree/booting.txt,
 * "Creating Multiple Domains directly from Xen"); ours start with "hyp,".
 * A node that is wrong in any way is skipped with one line naming it and
 * the problem; the others are kept.
 */
#include "boot.h"
#include "boot_vms.h"
#include "console.h"
#include "fdt.h"
#include "lib/string.h"

#define DOM0LESS_COMPAT		"xen,domain"
#define MODULE_COMPAT		"multiboot,module"
#define KIB			1024ull		/* Xen's "memory" is in KiB */
#define VM_MEM_ALIGN		(2ull << 20)	/* VM RAM comes in 2 MiB blocks */
#define VM_MAX_MODULE_REGS	16		/* "reg" entries compared per module */

enum { MOD_KERNEL, MOD_RAMDISK, MOD_DTB, NR_MOD_KINDS };

static const char *const mod_compat[NR_MOD_KINDS] = {
	"multiboot,kernel", "multiboot,ramdisk", "multiboot,device-tree",
};

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* A property of @min to @max cells (at most 2) as one number. */
static int prop_cells(const struct fdt *fdt, int node, const char *name, u32 min, u32 max,
		      u64 *val)
{
	const u8 *p;
	u32 len;
	int ret = fdt_prop(fdt, node, name, (const void **)&p, &len);

	if (ret)
		return ret;
	if (len % 4 || len / 4 < min || len / 4 > max)
		return -EINVAL;
	*val = 0;
	for (u32 i = 0; i < len; i += 4)
		*val = *val << 32 | be32(p + i);
	return 0;
}

static bool has_prop(const struct fdt *fdt, int node, const char *name)
{
	const void *val;
	u32 len;

	return !fdt_prop(fdt, node, name, &val, &len);
}

static int vm_name(const struct fdt *fdt, int node, struct vm_node *vn)
{
	u32 i;

	vn->kind = "device tree: /chosen/";
	vn->node = fdt_node_name(fdt, node);
	if (!vn->node)
		return -EINVAL;
	for (i = 0; vn->node[i] && vn->node[i] != '@' && i < BOOT_VM_NAME_MAX - 1; i++)
		vn->vm.name[i] = vn->node[i];
	vn->vm.name[i] = '\0';
	if (!i) {
		vm_bad(vn, "no name");
		return -EINVAL;
	}
	return 0;
}

static int vm_memory(const struct fdt *fdt, int node, struct vm_node *vn)
{
	u64 kib;
	int ret = prop_cells(fdt, node, "memory", 1, 2, &kib);

	if (ret == -ENOENT)
		vm_bad(vn, "no \"memory\"");
	else if (ret)
		vm_bad(vn, "\"memory\" is not 1 or 2 cells");
	else if (!kib)
		vm_bad(vn, "\"memory\" is 0");
	else if (kib > (~0ull - (VM_MEM_ALIGN - 1)) / KIB)
		vm_bad(vn, "\"memory\" is too large");
	else
		vn->vm.mem_size = ALIGN_UP(kib * KIB, VM_MEM_ALIGN);
	return vn->vm.mem_size ? 0 : -EINVAL;
}

static int vm_cpus(const struct boot_info *bi, const struct fdt *fdt, int node,
		   struct vm_node *vn)
{
	u32 n;
	int ret = fdt_prop_u32(fdt, node, "cpus", &n);

	if (ret == -ENOENT)
		vm_bad(vn, "no \"cpus\"");
	else if (ret)
		vm_bad(vn, "\"cpus\" is not one cell");
	else if (!n)
		vm_bad(vn, "\"cpus\" is 0");
	else if (n > machine_cpus(bi))
		vm_bad(vn, "\"cpus\" is %u but the machine has %u CPUs", n, machine_cpus(bi));
	else
		vn->vm.nr_vcpus = n;
	return vn->vm.nr_vcpus ? 0 : -EINVAL;
}

/* "hyp,cpus": the physical CPUs, one per vCPU, by index in bi->cpus. */
static int vm_pinned_cpus(const struct boot_info *bi, const struct fdt *fdt, int node,
			  struct vm_node *vn)
{
	const u8 *p;
	u32 len, mask = 0;
	int ret = fdt_prop(fdt, node, "hyp,cpus", (const void **)&p, &len);

	if (ret == -ENOENT)
		return 0;
	if (ret || !len || len % 4) {
		vm_bad(vn, "\"hyp,cpus\" is not a list of cells");
		return -EINVAL;
	}
	if (len / 4 != vn->vm.nr_vcpus) {
		vm_bad(vn, "\"hyp,cpus\" names %u CPUs for %u vCPUs", len / 4, vn->vm.nr_vcpus);
		return -EINVAL;
	}
	for (u32 i = 0; i < len; i += 4) {
		u32 cpu = be32(p + i);

		if (cpu >= machine_cpus(bi)) {
			vm_bad(vn, "\"hyp,cpus\" names CPU %u but the machine has %u CPUs", cpu,
			       machine_cpus(bi));
			return -EINVAL;
		}
		if (mask & (1u << cpu)) {
			vm_bad(vn, "\"hyp,cpus\" names CPU %u twice", cpu);
			return -EINVAL;
		}
		mask |= 1u << cpu;
	}
	vn->vm.cpu_mask = mask;
	vn->pinned = true;
	return 0;
}

static int vm_ram_base(const struct fdt *fdt, int node, struct vm_node *vn)
{
	u64 base;
	int ret = prop_cells(fdt, node, "hyp,ram-base", 2, 2, &base);

	if (ret == -ENOENT)
		return 0;
	if (ret) {
		vm_bad(vn, "\"hyp,ram-base\" is not 2 cells");
		return -EINVAL;
	}
	if (!IS_ALIGNED(base, VM_MEM_ALIGN)) {
		vm_bad(vn, "\"hyp,ram-base\" 0x%llx is not 2 MiB aligned", (unsigned long long)base);
		return -EINVAL;
	}
	if (vn->vm.mem_size > ~0ull - base) {
		vm_bad(vn, "\"hyp,ram-base\" + \"memory\" is past the end of the address space");
		return -EINVAL;
	}
	vn->vm.ram_base = base;
	return 0;
}

/* Does a "reg" entry of the module node @n overlap @r (@exact: equal it)? */
static bool module_node_has(const struct fdt *fdt, int n, const struct boot_range *r, bool exact)
{
	struct fdt_range m;

	if (!fdt_is_available(fdt, n) || !fdt_is_compatible(fdt, n, MODULE_COMPAT))
		return false;
	for (u32 i = 0; i < VM_MAX_MODULE_REGS && !fdt_reg_local(fdt, n, i, &m); i++)
		if (exact ? m.base == r->base && m.size == r->size :
			    ranges_overlap(r, &(struct boot_range){ m.base, m.size }))
			return true;
	return false;
}

static bool module_node_overlaps(const struct fdt *fdt, int n, const struct boot_range *r)
{
	return module_node_has(fdt, n, r, false);
}

/* Is @r a module the tree names (one of /chosen's or of a VM node's)? */
static bool module_in_tree(const struct fdt *fdt, int chosen, const struct boot_range *r)
{
	int c, m;

	for (c = fdt_first_child(fdt, chosen); c >= 0; c = fdt_next_sibling(fdt, c)) {
		if (module_node_has(fdt, c, r, true))
			return true;
		if (!fdt_is_available(fdt, c) || !fdt_is_compatible(fdt, c, DOM0LESS_COMPAT))
			continue;
		for (m = fdt_first_child(fdt, c); m >= 0; m = fdt_next_sibling(fdt, m))
			if (module_node_has(fdt, m, r, true))
				return true;
	}
	return false;
}

/*
 * The module node that @r, of the VM module @self, overlaps; or -ENOENT.
 * Of two VM modules the later in the tree is the one refused, so the VM
 * that came first keeps its own (node offsets grow in document order);
 * /chosen's own modules are no VM's and always win.
 */
static int module_overlapping(const struct fdt *fdt, int chosen, int self,
			      const struct boot_range *r)
{
	int c, m;

	for (c = fdt_first_child(fdt, chosen); c >= 0; c = fdt_next_sibling(fdt, c)) {
		if (module_node_overlaps(fdt, c, r))
			return c;
		if (!fdt_is_available(fdt, c) || !fdt_is_compatible(fdt, c, DOM0LESS_COMPAT))
			continue;
		for (m = fdt_first_child(fdt, c); m >= 0 && m < self; m = fdt_next_sibling(fdt, m))
			if (module_node_overlaps(fdt, m, r))
				return m;
	}
	return -ENOENT;
}

/* The other module @r overlaps, named by its path; false if none. */
static bool module_overlaps_module(const struct fdt *fdt, int chosen, int self,
				   const struct boot_range *r, struct vm_node *vn,
				   const char *name)
{
	int other = module_overlapping(fdt, chosen, self, r), parent;
	const char *dom = "", *sep = "", *oname;

	if (other < 0)
		return false;
	parent = fdt_parent(fdt, other);
	if (parent >= 0 && parent != chosen) {
		dom = fdt_node_name(fdt, parent);
		sep = "/";
	}
	oname = fdt_node_name(fdt, other);
	vm_bad(vn, "%s: overlaps /chosen/%s%s%s", name, dom ? dom : "?", sep,
	       oname ? oname : "?");
	return true;
}

/* @r lies in RAM, apart from the hypervisor, the boot DTB and every other module. */
static int module_range_ok(const struct boot_info *bi, const struct fdt *fdt, int chosen,
			   int self, const struct boot_range *r, struct vm_node *vn,
			   const char *name)
{
	if (!range_in_ram(bi, r)) {
		vm_bad(vn, "%s: 0x%llx - 0x%llx is not inside RAM", name,
		       (unsigned long long)r->base, (unsigned long long)(r->base + r->size));
		return -EINVAL;
	}
	if (ranges_overlap(r, &bi->image)) {
		vm_bad(vn, "%s: overlaps the hypervisor image", name);
		return -EINVAL;
	}
	if (ranges_overlap(r, &bi->fw_table)) {
		vm_bad(vn, "%s: overlaps the boot device tree", name);
		return -EINVAL;
	}
	if (module_overlaps_module(fdt, chosen, self, r, vn, name))
		return -EINVAL;
	/* Modules the tree does not name (the boot description's own). */
	for (u32 i = 0; i < bi->nr_modules && i < BOOT_MAX_MODULES; i++) {
		const struct boot_range *m = &bi->modules[i];

		if (ranges_overlap(r, m) && !module_in_tree(fdt, chosen, m)) {
			vm_bad(vn, "%s: overlaps the module at 0x%llx", name,
			       (unsigned long long)m->base);
			return -EINVAL;
		}
	}
	return 0;
}

/* The kernel module's own properties: "bootargs" (Xen's), "hyp,load-address". */
static int kernel_props(const struct fdt *fdt, int child, struct vm_node *vn, const char *name)
{
	int ret = fdt_prop_string(fdt, child, "bootargs", &vn->vm.bootargs, NULL);

	if (ret && ret != -ENOENT) {
		vm_bad(vn, "%s: \"bootargs\" is not a string", name);
		return -EINVAL;
	}
	if (ret)
		vn->vm.bootargs = NULL;
	ret = prop_cells(fdt, child, "hyp,load-address", 1, 2, &vn->vm.load_addr);
	if (ret && ret != -ENOENT) {
		vm_bad(vn, "%s: \"hyp,load-address\" is not 1 or 2 cells", name);
		return -EINVAL;
	}
	if (ret)
		vn->vm.load_addr = 0;
	return 0;
}

static struct boot_range *module_slot(struct boot_vm *vm, u32 kind)
{
	return kind == MOD_KERNEL ? &vm->kernel : kind == MOD_RAMDISK ? &vm->ramdisk : &vm->dtb;
}

static int vm_module(const struct boot_info *bi, const struct fdt *fdt, int chosen, int child,
		     u32 kind, struct vm_node *vn)
{
	struct boot_range *slot = module_slot(&vn->vm, kind);
	const char *name = fdt_node_name(fdt, child);
	struct fdt_range reg;
	struct boot_range r;

	if (!name)
		return -EINVAL;
	if (slot->size) {
		vm_bad(vn, "two \"%s\" modules", mod_compat[kind]);
		return -EINVAL;
	}
	if (!fdt_is_compatible(fdt, child, MODULE_COMPAT)) {
		vm_bad(vn, "%s: \"%s\" without \"%s\"", name, mod_compat[kind], MODULE_COMPAT);
		return -EINVAL;
	}
	if (fdt_reg_local(fdt, child, 0, &reg)) {
		vm_bad(vn, "%s: bad \"reg\"", name);
		return -EINVAL;
	}
	r = (struct boot_range){ reg.base, reg.size };
	if (!r.size) {
		vm_bad(vn, "%s: size 0", name);
		return -EINVAL;
	}
	if (module_range_ok(bi, fdt, chosen, child, &r, vn, name))
		return -EINVAL;
	*slot = r;
	if (kind == MOD_DTB)
		vn->vm.dtb_full = has_prop(fdt, child, "hyp,full-device-tree");
	return kind == MOD_KERNEL ? kernel_props(fdt, child, vn, name) : 0;
}

static int module_kind(const struct fdt *fdt, int node)
{
	for (u32 k = 0; k < NR_MOD_KINDS; k++)
		if (fdt_is_compatible(fdt, node, mod_compat[k]))
			return (int)k;
	return -ENOENT;
}

/* The kernel, ramdisk and device-tree modules; others are left alone (and reserved). */
static int vm_modules(const struct boot_info *bi, const struct fdt *fdt, int chosen, int node,
		      struct vm_node *vn)
{
	int child, kind;

	for (child = fdt_first_child(fdt, node); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		kind = module_kind(fdt, child);
		if (kind < 0 || !fdt_is_available(fdt, child))
			continue;
		if (vm_module(bi, fdt, chosen, child, (u32)kind, vn))
			return -EINVAL;
	}
	if (child != -ENOENT) {
		vm_bad(vn, "malformed node (%d)", child);
		return -EINVAL;
	}
	if (!vn->vm.kernel.size) {
		vm_bad(vn, "no \"%s\" module", mod_compat[MOD_KERNEL]);
		return -EINVAL;
	}
	return 0;
}

/* One "xen,domain" node into @vn: 0, or -EINVAL after its line. */
static int vm_parse(const struct boot_info *bi, const struct fdt *fdt, int chosen, int node,
		    struct vm_node *vn)
{
	int ret;

	memset(vn, 0, sizeof(*vn));
	ret = vm_name(fdt, node, vn);
	if (!ret)
		ret = vm_memory(fdt, node, vn);
	if (!ret)
		ret = vm_cpus(bi, fdt, node, vn);
	if (!ret)
		ret = vm_pinned_cpus(bi, fdt, node, vn);
	if (!ret)
		ret = vm_ram_base(fdt, node, vn);
	if (!ret)
		ret = vm_modules(bi, fdt, chosen, node, vn);
	vn->vm.vpl011 = has_prop(fdt, node, "vpl011");
	return ret;
}

int boot_fdt_vms(struct boot_info *bi, const struct fdt *fdt)
{
	int chosen = fdt_path(fdt, "/chosen", 7), node;
	struct vm_node vns[BOOT_MAX_VMS];
	bool keep[BOOT_MAX_VMS];
	u32 n = 0;

	bi->nr_vms = 0;
	bi->nr_vm_nodes = 0;
	if (chosen < 0)
		return chosen == -ENOENT ? 0 : chosen;
	for (node = fdt_first_child(fdt, chosen); node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!fdt_is_available(fdt, node) || !fdt_is_compatible(fdt, node, DOM0LESS_COMPAT))
			continue;
		bi->nr_vm_nodes++;
		if (n == BOOT_MAX_VMS) {
			const char *name = fdt_node_name(fdt, node);

			hyp_log("hyp: device tree: /chosen/%s: more than %u VMs\n",
				name ? name : "?", BOOT_MAX_VMS);
			continue;
		}
		if (!vm_parse(bi, fdt, chosen, node, &vns[n]))
			keep[n++] = true;
	}
	if (node != -ENOENT)
		return node;
	boot_vms_keep(bi, vns, keep, n);
	return 0;
}
