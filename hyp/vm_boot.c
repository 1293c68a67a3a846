// SPDX-License-Identifier: MIT
/*
 * Which VMs run: the build-time configuration (hyp/vm_config.h) that the
 * bootarg "config=NAME" picks ("default" without it), adjusted by
 * "guest=NAME" (the first VM's guest image) and "vcpus=N" (the first VM's
 * vCPUs, when it takes every CPU). Every VM is created before any starts.
 */
#include "arch/guest.h"
#include "bootargs.h"
#include "console.h"
#include "guest_abi.h"
#include "guest_images.h"
#include "lib/string.h"
#include "printf.h"
#include "vm.h"
#include "vm_config.h"
#include "vm_mbi.h"

#define VM_DEFAULT_CONFIG	"default"
#define VM_LIST_MAX		128

/* "vcpus=N" (1 <= N <= @cpus), else @dflt. */
static u32 vm_nr_vcpus(const char *bootargs, u32 cpus, u32 dflt)
{
	char val[BOOTARG_MAX];
	u32 n;
	int ret = bootarg_u32(bootargs, "vcpus=", 1, cpus, &n);

	if (ret == -ENOENT)
		return dflt;
	if (ret) {
		bootarg_get(bootargs, "vcpus=", val);
		hyp_log("hyp: vcpus=%s: using %u (1 to the number of cpus)\n", val, dflt);
		return dflt;
	}
	return n;
}

/* "a, b, c": the names of @nr entries of @stride bytes from @first, into @buf. */
static void vm_name_list(char *buf, u32 size, const char *const *first, u32 stride, u32 nr)
{
	u32 len = 0;

	buf[0] = '\0';
	for (u32 i = 0; i < nr && len < size; i++) {
		const char *name = *(const char *const *)((const char *)first + i * stride);

		len += (u32)hyp_snprintf(buf + len, size - len, "%s%s", i ? ", " : "", name);
	}
}

static const struct vm_config *vm_config_find(const char *bootargs)
{
	char arg[BOOTARG_MAX], list[VM_LIST_MAX];
	const char *name = bootarg_get(bootargs, "config=", arg) ? arg : VM_DEFAULT_CONFIG;

	for (u32 i = 0; i < vm_nr_configs; i++)
		if (!strcmp(vm_configs[i].name, name))
			return &vm_configs[i];
	vm_name_list(list, sizeof(list), &vm_configs[0].name, sizeof(vm_configs[0]),
		     vm_nr_configs);
	hyp_log("hyp: no VM configuration \"%s\" (there are: %s)\n", name, list);
	return NULL;
}

/* vCPU i on the i-th CPU of the mask (0: every CPU, fewer with "vcpus=N"). */
static int vm_desc_cpus(const struct vm_config_vm *c, struct vm_desc *d,
			const char *bootargs, bool first)
{
	u32 online = MIN(hyp_cpu_count(), (u32)VM_MAX_VCPUS), n = 0;

	if (!c->cpus) {
		u32 nr = c->nr_vcpus && c->nr_vcpus <= online ? c->nr_vcpus : online;

		d->nr_vcpus = first ? vm_nr_vcpus(bootargs, online, nr) : nr;
		for (u32 i = 0; i < d->nr_vcpus; i++)
			d->cpus[i] = (u8)i;
		return 0;
	}
	for (u32 cpu = 0; cpu < HYP_MAX_CPUS; cpu++) {
		if (!(c->cpus & BIT(cpu)))
			continue;
		if (cpu >= online) {
			hyp_log("hyp: %s needs cpu %u, the machine has %u\n", c->name, cpu, online);
			return -ERANGE;
		}
		d->cpus[n++] = (u8)cpu;
	}
	d->nr_vcpus = n;
	return 0;
}

static bool vm_guest_header_ok(const u8 *img, u64 size)
{
	const u32 *w = (const u32 *)img;

	return size >= HYP_GUEST_HDR_SIZE && w[2] == HYP_GUEST_MAGIC_LO &&
	       w[3] == HYP_GUEST_MAGIC_HI;
}

/* The built-in guest image called @name: -ENOENT (reported) if none, -EINVAL if bad. */
static int vm_guest_image(const char *name, const u8 **image, u64 *size)
{
	const struct hyp_guest_image *g = hyp_guest_images;
	char list[VM_LIST_MAX];
	u32 i;

	for (i = 0; i < hyp_nr_guest_images; i++)
		if (!strcmp(g[i].name, name))
			break;
	if (i == hyp_nr_guest_images) {
		vm_name_list(list, sizeof(list), &g[0].name, sizeof(g[0]), hyp_nr_guest_images);
		hyp_log("hyp: no built-in guest \"%s\" (there are: %s)\n", name, list);
		return -ENOENT;
	}
	*image = g[i].start;
	*size = (u64)(g[i].end - g[i].start);
	if (!vm_guest_header_ok(*image, *size)) {
		hyp_log("hyp: the built-in guest \"%s\" has no guest header\n", name);
		return -EINVAL;
	}
	return 0;
}

/*
 * Where the arch boots its guests the multiboot way: the information in
 * the first 2 MiB boundary after the image (its BSS is small), with the
 * guest's name as its command line.
 */
static int vm_desc_mbi(struct vm_desc *d, const char *guest)
{
	struct vm_mbi_args a = { .cmdline = guest };

	if (arch_guest_defaults()->boot_info != ARCH_BOOT_INFO_MULTIBOOT)
		return 0;
	return vm_mbi_add(d, ALIGN_UP(d->ram_base + d->segs[0].size + 1, VM_MBI_ALIGN), &a);
}

static int vm_desc_from(const struct vm_config_vm *c, struct vm_desc *d, const char *bootargs,
			bool first)
{
	char guest[BOOTARG_MAX];
	const char *name = c->guest;

	if (first && bootarg_get(bootargs, "guest=", guest))
		name = guest;
	d->name = c->name;
	d->ram_base = c->ram_base;
	d->ram_size = c->ram_size;
	d->console_kind = c->console_kind;
	d->console_base = c->console_base;
	if (vm_guest_image(name, &d->segs[0].src, &d->segs[0].size))
		return -ENOENT;
	/* A built-in guest starts at its first byte, with RAM's base and size. */
	d->segs[0].gpa = c->ram_base;
	d->nr_segs = 1;
	d->entry = c->ram_base;
	d->arg0 = c->ram_base;
	d->arg1 = c->ram_size;
	if (vm_desc_mbi(d, name))
		return -ENOSPC;
	return vm_desc_cpus(c, d, bootargs, first);
}

/* The VMs of the configuration, created, none started; 0 if one failed. */
static u32 vm_create_all(const struct vm_config *cfg, const char *bootargs, struct vm **vms)
{
	u32 used = 0;

	for (u32 i = 0; i < cfg->nr_vms; i++) {
		struct vm_desc desc = { 0 };
		u32 mask = 0;
		int ret = vm_desc_from(&cfg->vms[i], &desc, bootargs, i == 0);

		for (u32 j = 0; !ret && j < desc.nr_vcpus; j++)
			mask |= BIT(desc.cpus[j]);
		if (!ret && (mask & used))
			ret = -EBUSY;	/* tools/vmconfig.py rejects it first */
		if (!ret)
			ret = vm_create(&desc, &vms[i]);
		if (ret) {
			hyp_log("hyp: config %s: cannot create %s (%d)\n", cfg->name,
				cfg->vms[i].name, ret);
			return 0;
		}
		used |= mask;
	}
	return cfg->nr_vms;
}

void hyp_run_guests(const struct boot_info *bi)
{
	const char *bootargs = bi->cmdline;
	const struct vm_config *cfg = NULL;
	struct vm *vms[HYP_MAX_VMS];
	u32 nr = 0;
	int ret = vm_system_init(bi);

	if (!ret && bi->nr_vm_nodes)
		nr = vm_create_handed_over(bi, vms);
	else if (!ret && (cfg = vm_config_find(bootargs)) && cfg->nr_vms <= HYP_MAX_VMS)
		nr = vm_create_all(cfg, bootargs, vms);
	if (!nr) {
		hyp_log("hyp: no guest to run (%d)\n", ret ? ret : -ENOENT);
		return;
	}
	if (nr > 1 && cfg)
		hyp_log("hyp: config %s: %u VMs\n", cfg->name, nr);
	else if (nr > 1)
		hyp_log("hyp: handed over: %u VMs\n", nr);
	for (u32 i = 0; i < nr; i++)
		vm_start(vms[i]);
	vcpu_idle(hyp_this_cpu());
}
