/* SPDX-License-Identifier: MIT */
/*
 * What the readers of handed-over VMs share (hyp/boot_dom0less.c for a
 * device tree, hyp/boot_modules.c for boot modules' command lines): the
 * VM being read with where it came from for the log, the checks of a
 * module's range, and the choice of CPUs once every VM is read.
 */
#ifndef HYP_BOOT_VMS_H
#define HYP_BOOT_VMS_H

#include "boot.h"
#include "console.h"

_Static_assert(HYP_MAX_CPUS < 32, "a CPU is a bit of boot_vm.cpu_mask");

/* A VM being read: the description, and what the log and CPU choice need. */
struct vm_node {
	struct boot_vm vm;
	const char *kind;	/* the log's prefix: "device tree: /chosen/", "multiboot2: " */
	const char *node;	/* the node's full name, the module's VM */
	bool pinned;		/* its CPUs were named: vm.cpu_mask is set */
};

#define vm_bad(vn, fmt, ...) \
	hyp_log("hyp: %s%s: " fmt "\n", (vn)->kind, (vn)->node, ##__VA_ARGS__)

/* The CPUs a VM may be given: bi->cpus, at most HYP_MAX_CPUS (a bit each in cpu_mask). */
u32 machine_cpus(const struct boot_info *bi);
bool ranges_overlap(const struct boot_range *a, const struct boot_range *b);
bool range_in_ram(const struct boot_info *bi, const struct boot_range *r);
/*
 * The @n VMs read (@keep[i]: read without a problem) into bi->vms: those
 * whose CPUs were named claim them first, in order (a CPU is never given
 * twice), then the others get the lowest free CPUs; a VM that cannot have
 * its CPUs is dropped with one line.
 */
void boot_vms_keep(struct boot_info *bi, struct vm_node *vns, bool *keep, u32 n);

#endif
