// SPDX-License-Identifier: MIT
/* What the readers of handed-over VMs share (hyp/boot_vms.h). */
#include "boot_vms.h"

u32 machine_cpus(const struct boot_info *bi)
{
	return MIN(bi->nr_cpus, (u32)HYP_MAX_CPUS);
}

bool ranges_overlap(const struct boot_range *a, const struct boot_range *b)
{
	return a->base >= b->base ? a->base - b->base < b->size : b->base - a->base < a->size;
}

bool range_in_ram(const struct boot_info *bi, const struct boot_range *r)
{
	for (u32 i = 0; i < bi->nr_ram && i < BOOT_MAX_RAM; i++) {
		const struct boot_range *m = &bi->ram[i];

		if (r->base >= m->base && r->base - m->base <= m->size &&
		    r->size <= m->size - (r->base - m->base))
			return true;
	}
	return false;
}

static u32 lowest_bit(u32 mask)
{
	u32 i = 0;

	while (!(mask & (1u << i)))
		i++;
	return i;
}

/* The VMs with named CPUs first, in order: a CPU is never given twice. */
static void claim_pinned_cpus(struct vm_node *vns, u32 n, bool *keep, u32 *used)
{
	u32 owner[HYP_MAX_CPUS] = { 0 };

	for (u32 i = 0; i < n; i++) {
		u32 mask = vns[i].vm.cpu_mask, taken = mask & *used;

		if (!keep[i] || !vns[i].pinned)
			continue;
		if (taken) {
			vm_bad(&vns[i], "CPU %u is already %s's", lowest_bit(taken),
			       vns[owner[lowest_bit(taken)]].vm.name);
			keep[i] = false;
			continue;
		}
		*used |= mask;
		for (u32 c = 0; c < HYP_MAX_CPUS; c++)
			if (mask & (1u << c))
				owner[c] = i;
	}
}

/* Then the others get the lowest free CPUs, in order. */
static void assign_free_cpus(const struct boot_info *bi, struct vm_node *vns, u32 n,
			     bool *keep, u32 used)
{
	u32 all = (1u << machine_cpus(bi)) - 1;

	for (u32 i = 0; i < n; i++) {
		u32 free = all & ~used, mask = 0, nr_free = 0;

		if (!keep[i] || vns[i].pinned)
			continue;
		for (u32 c = 0; c < HYP_MAX_CPUS; c++)
			nr_free += (free >> c) & 1;
		if (nr_free < vns[i].vm.nr_vcpus) {
			vm_bad(&vns[i], "%u vCPUs but only %u free CPUs", vns[i].vm.nr_vcpus,
			       nr_free);
			keep[i] = false;
			continue;
		}
		for (u32 k = 0; k < vns[i].vm.nr_vcpus; k++) {
			mask |= 1u << lowest_bit(free);
			free &= free - 1;
		}
		vns[i].vm.cpu_mask = mask;
		used |= mask;
	}
}

void boot_vms_keep(struct boot_info *bi, struct vm_node *vns, bool *keep, u32 n)
{
	u32 used = 0;

	claim_pinned_cpus(vns, n, keep, &used);
	assign_free_cpus(bi, vns, n, keep, used);
	for (u32 i = 0; i < n; i++)
		if (keep[i])
			bi->vms[bi->nr_vms++] = vns[i].vm;
}
