// SPDX-License-Identifier: MIT
/*
 * The stage-2 fault path's use of the walker: one shared, lock-free map of
 * the faulting range, run inside this CPU's epoch with page-table pages
 * taken only from this CPU's pre-filled cache.
 */
#include "pt_fault.h"

/* Tables one fault can need: one per level below the root. */
static u32 pt_fault_pages_needed(const struct pt_fmt *fmt)
{
	return fmt->levels;
}

int pt_fault_map(struct pt_pool *pool, struct pt *pt, u64 ia, u64 size, u64 oa, u32 prot)
{
	struct pt_pool_cpu *c = pt_pool_this_cpu(pool);
	u32 need = pt_fault_pages_needed(pt->fmt);
	int ret;

	/* The top-up only when it has something to do: the common fault needs none. */
	if (!pt_cache_ready(c, need)) {
		ret = pt_cache_topup(pool, need);
		if (ret)
			return ret;
	}
	pt_epoch_enter_cpu(pool, c);
	ret = size == 1ull << pt->fmt->page_shift ? pt_map_page_shared(pt, ia, oa, prot) :
						    PT_MAP_PAGE_SLOW;
	if (ret == PT_MAP_PAGE_SLOW)
		ret = pt_map(pt, ia, size, oa, prot, PT_MAP_NO_REPLACE, PT_WALK_SHARED);
	pt_epoch_exit_cpu(c);
	/* Lost a race to a concurrent update: the vCPU retries the access. */
	return ret == -ENOMEM ? -EAGAIN : ret;
}
