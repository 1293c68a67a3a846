// SPDX-License-Identifier: MIT
/*
 * The VMs the boot loader handed over (hyp/boot.h, struct boot_vm): the
 * kernel laid out by its format (hyp/image.h), the initrd and a generated
 * device tree (hyp/vm_dt.h) placed in RAM after it, vCPU 0 started at the
 * kernel's entry with the tree's address in the argument the arch's boot
 * protocol names (arch_guest_defaults()->dt_arg). Nothing is
 * copied now: each page is filled from the modules on its first touch.
 */
#include "arch/guest.h"
#include "console.h"
#include "image.h"
#include "lib/string.h"
#include "page_alloc.h"
#include "vm.h"
#include "vm_config.h"
#include "vm_dt.h"
#include "vm_mbi.h"

#define HANDOVER_ALIGN		(2ull << 20)	/* initrd and tree: on 2 MiB boundaries */
#define HANDOVER_DT_ROOM	(64u << 10)	/* the generated nodes, beside a user tree */

/* A range of @size at or after @from, 2 MiB aligned, inside RAM: its start, or 0. */
static u64 handover_place(const struct vm_desc *d, u64 from, u64 size)
{
	u64 at = ALIGN_UP(from, HANDOVER_ALIGN), end = d->ram_base + d->ram_size;

	if (at < from || at >= end || size > end - at)
		return 0;
	return at;
}

/*
 * Where the initrd and the tree go: after the kernel if they fit there,
 * else from the base of RAM when the kernel leaves room before it.
 */
static int handover_slots(const struct vm_desc *d, const struct image_layout *img,
			  u64 initrd_size, u64 dt_size, u64 *initrd_gpa, u64 *dt_gpa)
{
	u64 need = ALIGN_UP(dt_size, HANDOVER_ALIGN) + ALIGN_UP(initrd_size, HANDOVER_ALIGN);
	u64 at = handover_place(d, img->end, need);

	if (!at && need <= ALIGN_DOWN(img->start, HANDOVER_ALIGN) - d->ram_base)
		at = d->ram_base;
	if (!at)
		return -ENOSPC;
	*dt_gpa = at;
	*initrd_gpa = at + ALIGN_UP(dt_size, HANDOVER_ALIGN);
	return 0;
}

static void handover_seg(struct vm_desc *d, u64 gpa, const void *src, u64 size)
{
	if (size)
		d->segs[d->nr_segs++] = (struct s2_mem_seg){ gpa, src, size };
}

static const void *host_ptr(const struct boot_range *r)
{
	return (const void *)(uintptr_t)r->base;
}

/* RAM, vCPUs and console of @b, from its node and the arch's defaults: 0 or -errno after one line. */
static int handover_desc(const struct boot_vm *b, struct vm_desc *d)
{
	const struct arch_guest_defaults *def = arch_guest_defaults();

	d->name = b->name;
	d->ram_base = b->ram_base ? b->ram_base : def->ram_base;
	d->ram_size = b->mem_size;
	if (b->vpl011) {
		d->console_kind = def->console_kind;
		d->console_base = def->console_base;
	}
	for (u32 cpu = 0; cpu < HYP_MAX_CPUS && d->nr_vcpus < VM_MAX_VCPUS; cpu++) {
		if (!(b->cpu_mask & BIT(cpu)))
			continue;
		if (cpu >= hyp_cpu_count()) {
			hyp_log("hyp: %s: CPU %u is not online\n", b->name, cpu);
			return -ENODEV;
		}
		d->cpus[d->nr_vcpus++] = (u8)cpu;
	}
	return 0;
}

/* The kernel's segments and entry: 0, or -errno after one line. */
static int handover_kernel(const struct boot_vm *b, struct vm_desc *d, struct image_layout *img)
{
	const struct arch_guest_defaults *def = arch_guest_defaults();
	const char *why = "";
	int ret = image_layout(host_ptr(&b->kernel), b->kernel.size, def->linux_image,
			       def->elf_machine, b->load_addr, d->ram_base, d->ram_size, img, &why);

	if (ret) {
		hyp_log("hyp: %s: kernel at 0x%llx: %s\n", b->name,
			(unsigned long long)b->kernel.base, why);
		return ret;
	}
	for (u32 i = 0; i < img->nr_segs; i++)
		handover_seg(d, img->segs[i].gpa, img->segs[i].src, img->segs[i].size);
	d->entry = img->entry;
	return 0;
}

/* The tree, generated into host pages of its own, and the initrd: 0 or -errno after one line. */
static int handover_dt(const struct boot_vm *b, struct vm_desc *d, const struct image_layout *img)
{
	struct vm_dt_args a = { .bootargs = b->bootargs, .user_dtb = host_ptr(&b->dtb),
				.user_dtb_size = b->dtb.size, .user_full = b->dtb_full };
	u64 room = MIN(ALIGN_UP(HANDOVER_DT_ROOM + b->dtb.size, HYP_PAGE_SIZE), VM_DT_MAX_SIZE);
	u64 initrd = 0, at = 0;
	u32 len = 0;
	u8 *buf;
	int ret;

	if (!b->dtb.size)
		a.user_dtb = NULL;
	if (handover_slots(d, img, b->ramdisk.size, room, &initrd, &at)) {
		hyp_log("hyp: %s: no room in its %llu MiB of RAM for the initrd and device tree "
			"beside the kernel\n", b->name, (unsigned long long)(d->ram_size >> 20));
		return -ENOSPC;
	}
	if (b->ramdisk.size) {
		a.initrd_start = initrd;
		a.initrd_end = initrd + b->ramdisk.size;
	}
	buf = hyp_pages_carve(room, HYP_PAGE_SIZE);
	if (!buf) {
		hyp_log("hyp: %s: no memory for its device tree\n", b->name);
		return -ENOMEM;
	}
	ret = vm_dt_build(d, &a, buf, (u32)room, &len);
	if (ret)
		return ret;
	handover_seg(d, at, buf, len);
	handover_seg(d, initrd, host_ptr(&b->ramdisk), b->ramdisk.size);
	d->arg0 = arch_guest_defaults()->dt_arg ? 0 : at;
	d->arg1 = arch_guest_defaults()->dt_arg ? at : 0;
	return 0;
}

/*
 * The multiboot information instead of a tree (ARCH_BOOT_INFO_MULTIBOOT):
 * the bootargs as its command line, the initrd as its one module, placed
 * as the tree would be. ESI and EDI get RAM's base and size, as the
 * built-in guests do: 0 or -errno after one line.
 */
static int handover_mbi(const struct boot_vm *b, struct vm_desc *d,
			const struct image_layout *img)
{
	struct vm_mbi_args a = { .cmdline = b->bootargs, .module_size = b->ramdisk.size };
	u64 initrd = 0, at = 0;
	int ret;

	if (handover_slots(d, img, b->ramdisk.size, VM_MBI_SIZE, &initrd, &at)) {
		hyp_log("hyp: %s: no room in its %llu MiB of RAM for the initrd and multiboot "
			"information beside the kernel\n", b->name,
			(unsigned long long)(d->ram_size >> 20));
		return -ENOSPC;
	}
	a.module_gpa = initrd;
	ret = vm_mbi_add(d, at, &a);
	if (ret)
		return ret;
	handover_seg(d, initrd, host_ptr(&b->ramdisk), b->ramdisk.size);
	d->arg0 = d->ram_base;
	d->arg1 = d->ram_size;
	return 0;
}

/* One handed-over VM, created: 0, or -errno after one line naming it. */
static int handover_create(const struct boot_vm *b, struct vm **out)
{
	struct vm_desc d = { 0 };
	struct image_layout img;
	int ret;

	ret = handover_desc(b, &d);
	if (!ret)
		ret = handover_kernel(b, &d, &img);
	if (!ret && arch_guest_defaults()->boot_info == ARCH_BOOT_INFO_MULTIBOOT)
		ret = handover_mbi(b, &d, &img);
	else if (!ret)
		ret = handover_dt(b, &d, &img);
	if (ret)
		return ret;
	ret = vm_create(&d, out);
	if (ret)
		hyp_log("hyp: %s: cannot create it (%d)\n", b->name, ret);
	return ret;
}

u32 vm_create_handed_over(const struct boot_info *bi, struct vm **vms)
{
	u32 nr = 0;

	for (u32 i = 0; i < bi->nr_vms && nr < HYP_MAX_VMS; i++)
		if (!handover_create(&bi->vms[i], &vms[nr]))
			nr++;
	return nr;
}
