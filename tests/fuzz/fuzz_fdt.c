// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any blob through the device-tree reader and the boot
 * description built from it (hyp/fdt*.c, hyp/boot_fdt.c), with the VMs of
 * /chosen (hyp/boot_dom0less.c). Every read must stay inside the blob
 * (ASan: libFuzzer's buffer is exactly its size) and the description must
 * hold only ranges and CPUs within its bounds; each VM kept has its own
 * CPUs, one per vCPU, and modules in RAM apart from each other, the
 * hypervisor and the blob. With the one-pass index (fdt_index()), every
 * query and the boot description must come out as without it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "console.h"
#include "fdt.h"

void hyp_log(const char *fmt, ...)
{
	(void)fmt;
}

static void walk_tree(const struct fdt *fdt)
{
	int depth = 0, node = fdt_root(fdt);
	const char *s;
	u32 len;

	for (u32 n = 0; node >= 0 && n < 4096; n++) {
		struct fdt_range r;

		(void)fdt_node_name(fdt, node);
		(void)fdt_prop_string(fdt, node, "compatible", &s, &len);
		(void)fdt_is_available(fdt, node);
		(void)fdt_reg(fdt, node, 0, &r);
		(void)fdt_parent(fdt, node);
		node = fdt_next_node(fdt, node, &depth);
	}
}

/* Every query on @ix (indexed) must answer as on @plain (scanned), node by node. */
static void check_index(const struct fdt *plain, const struct fdt *ix)
{
	static const char *const props[] = {
		"compatible", "status", "device_type", "reg", "#address-cells", "#size-cells",
		"ranges", "bootargs", "#", "",
	};
	int depth = 0, node = fdt_root(plain);
	const void *a, *b;
	u32 la, lb;

	for (u32 n = 0; node >= 0 && n < 4096; n++) {
		if (fdt_parent(plain, node) != fdt_parent(ix, node) ||
		    fdt_first_child(plain, node) != fdt_first_child(ix, node) ||
		    fdt_next_sibling(plain, node) != fdt_next_sibling(ix, node) ||
		    fdt_node_name(plain, node) != fdt_node_name(ix, node) ||
		    fdt_subnode(plain, node, "memory", 6) != fdt_subnode(ix, node, "memory", 6) ||
		    fdt_find_compatible(plain, node, "arm,pl011") !=
		    fdt_find_compatible(ix, node, "arm,pl011"))
			abort();
		for (u32 p = 0; p < sizeof(props) / sizeof(props[0]); p++) {
			la = lb = 0;
			a = b = NULL;
			if (fdt_prop(plain, node, props[p], &a, &la) !=
			    fdt_prop(ix, node, props[p], &b, &lb) || a != b || la != lb)
				abort();
		}
		node = fdt_next_node(plain, node, &depth);
	}
	if (fdt_find_compatible(plain, -1, "arm,pl011") != fdt_find_compatible(ix, -1, "arm,pl011") ||
	    fdt_path(plain, "/chosen/module@0", 16) != fdt_path(ix, "/chosen/module@0", 16))
		abort();
}

#define FUZZ_IMAGE_BASE	0x40200000ull	/* where QEMU's virt board would have it */
#define FUZZ_IMAGE_SIZE	0x400000ull

static bool overlap(const struct boot_range *a, const struct boot_range *b)
{
	return a->size && b->size && a->base < b->base + b->size && b->base < a->base + a->size;
}

static bool in_ram(const struct boot_info *bi, const struct boot_range *r)
{
	for (u32 i = 0; i < bi->nr_ram; i++)
		if (r->base >= bi->ram[i].base && r->base - bi->ram[i].base <= bi->ram[i].size &&
		    r->size <= bi->ram[i].size - (r->base - bi->ram[i].base))
			return true;
	return false;
}

/* @r in RAM, apart from the hypervisor, the blob and the modules @seen so far. */
static void check_module(const struct boot_info *bi, const struct boot_range *r,
			 struct boot_range *seen, u32 *nr_seen)
{
	if (!r->size)
		return;
	if (!in_ram(bi, r) || overlap(r, &bi->image) || overlap(r, &bi->fw_table))
		abort();
	for (u32 i = 0; i < *nr_seen; i++)
		if (overlap(r, &seen[i]))
			abort();
	seen[(*nr_seen)++] = *r;
}

static bool bootargs_ok(const char *s, const uint8_t *data, size_t size)
{
	const uint8_t *p = (const uint8_t *)s;

	return !s || (p >= data && p < data + size && memchr(p, '\0', (size_t)(data + size - p)));
}

static void check_vms(const struct boot_info *bi, const uint8_t *data, size_t size)
{
	struct boot_range seen[3 * BOOT_MAX_VMS];
	u32 used = 0, nr_seen = 0;

	if (bi->nr_vms > BOOT_MAX_VMS)
		abort();
	for (u32 i = 0; i < bi->nr_vms; i++) {
		const struct boot_vm *vm = &bi->vms[i];
		u32 n = 0;

		for (u32 c = 0; c < 32; c++)
			n += (vm->cpu_mask >> c) & 1;
		if (!vm->nr_vcpus || n != vm->nr_vcpus || (vm->cpu_mask & used) ||
		    vm->cpu_mask >> bi->nr_cpus || !vm->mem_size || vm->mem_size % (2u << 20) ||
		    !vm->kernel.size || !memchr(vm->name, '\0', sizeof(vm->name)) || !vm->name[0] ||
		    !bootargs_ok(vm->bootargs, data, size))
			abort();
		used |= vm->cpu_mask;
		check_module(bi, &vm->kernel, seen, &nr_seen);
		check_module(bi, &vm->ramdisk, seen, &nr_seen);
		check_module(bi, &vm->dtb, seen, &nr_seen);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi, bi_ix;
	static struct fdt_ix ix[FDT_BOOT_NODES];
	struct fdt fdt, fdt_ix;
	int ret;
	u64 base;

	if (fdt_init(&fdt, data, size))
		return 0;
	walk_tree(&fdt);
	fdt_ix = fdt;
	if (!fdt_index(&fdt_ix, ix, FDT_BOOT_NODES)) {
		check_index(&fdt, &fdt_ix);
		memset(&bi, 0, sizeof(bi));
		memset(&bi_ix, 0, sizeof(bi_ix));
		bi.image = bi_ix.image = (struct boot_range){ FUZZ_IMAGE_BASE, FUZZ_IMAGE_SIZE };
		ret = boot_from_fdt(&bi, &fdt);
		if (ret != boot_from_fdt(&bi_ix, &fdt_ix) || memcmp(&bi, &bi_ix, sizeof(bi)))
			abort();
	}
	(void)fdt_find_uart(&fdt, "arm,pl011", &base);
	(void)fdt_path(&fdt, "/chosen/module@0", 16);
	memset(&bi, 0, sizeof(bi));
	bi.image = (struct boot_range){ FUZZ_IMAGE_BASE, FUZZ_IMAGE_SIZE };
	if (boot_from_fdt(&bi, &fdt))
		return 0;
	if (bi.nr_ram > BOOT_MAX_RAM || bi.nr_reserved > BOOT_MAX_RESERVED ||
	    bi.nr_cpus > HYP_MAX_CPUS || bi.nr_modules > BOOT_MAX_MODULES || !bi.nr_ram)
		abort();
	check_vms(&bi, data, size);
	return 0;
}
