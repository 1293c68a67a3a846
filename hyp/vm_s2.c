// SPDX-License-Identifier: MIT
/*
 * Each VM's stage 2: its tables come from a reserve of its own, carved at
 * VM creation and sized for the worst case, so no VM can take another's.
 * The worst case is all of its RAM mapped with the smallest pages, twice
 * over (tables retired by a release or a collapse wait for their grace
 * period while new ones are built), plus what each of its CPUs may hold
 * in its cache. A VM that still runs short only waits itself.
 */
#include "arch/tlb.h"
#include "arch/vcpu.h"
#include "lib/string.h"
#include "page_alloc.h"
#include "vm.h"

#define VM_S2_AREA_ALIGN	HYP_PAGE_SIZE	/* the pool aligns roots itself */
#define VM_S2_POOL_ALIGN	64
#define VM_S2_META_PER_PAGE	32	/* bytes of pool metadata per page, at most */

/* Tables below the root that map [@base, @base + @size) with the smallest pages. */
static u64 vm_s2_tables(const struct pt_fmt *fmt, u64 base, u64 size)
{
	u64 n = 0;

	for (u32 level = 0; level < pt_root_level(fmt); level++) {
		u64 span = pt_level_size(fmt, level + 1);	/* what one table covers */

		n += (ALIGN_UP(base + size, span) - ALIGN_DOWN(base, span)) / span;
	}
	return n;
}

u64 vm_s2_reserve_pages(const struct pt_fmt *fmt, u64 base, u64 size, u32 nr_vcpus)
{
	u64 pages = pt_root_bytes(fmt) / HYP_PAGE_SIZE + 2 * vm_s2_tables(fmt, base, size) +
		    nr_vcpus * (PT_CACHE_KEEP + fmt->levels);

	/* The pool keeps its metadata in the region's first pages. */
	return pages + DIV_ROUND_UP(pages * VM_S2_META_PER_PAGE, HYP_PAGE_SIZE) + 1;
}

static void vm_s2_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	(void)level;
	arch_tlb_s2_inval(pt->tlb_ctx, ia, size, why);
}

static void vm_s2_tlb_sync_new(struct pt *pt, u64 ia, u64 size)
{
	arch_tlb_s2_sync_new(pt->tlb_ctx, ia, size);
}

static const struct pt_tlb_ops vm_s2_tlb_ops = {
	.inval = vm_s2_tlb_inval,
	.sync_new = vm_s2_tlb_sync_new,
};

/* The VM's table pool: its bookkeeping and its reserve, from guest memory. */
static int vm_s2_pool_init(struct vm *vm)
{
	u64 pages = vm_s2_reserve_pages(&vm->s2_fmt, vm->ram_base, vm->ram_size, vm->nr_vcpus);
	void *area = hyp_pages_carve(pages * HYP_PAGE_SIZE, VM_S2_AREA_ALIGN);

	vm->pool = hyp_pages_carve(sizeof(*vm->pool), VM_S2_POOL_ALIGN);
	if (!area || !vm->pool)
		return -ENOMEM;
	vm->s2_reserve_pages = pages;
	return pt_pool_init(vm->pool, area, (u64)(uintptr_t)area, pages * HYP_PAGE_SIZE,
			    HYP_MAX_CPUS);
}

int vm_s2_init(struct vm *vm)
{
	int ret = arch_vm_s2_fmt(vm, &vm->s2_fmt);

	/* Guest-physical RAM must fit the stage-2 input range. */
	if (!ret && vm->ram_base + vm->ram_size > BIT(vm->s2_fmt.ia_bits))
		ret = -ERANGE;
	if (!ret)
		ret = vm_s2_pool_init(vm);
	if (!ret)
		ret = pt_pool_table_init(vm->pool, &vm->s2, &vm->s2_fmt);
	if (!ret)
		pt_set_tlb_ops(&vm->s2, &vm_s2_tlb_ops, vm);
	return ret;
}
