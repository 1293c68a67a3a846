/* SPDX-License-Identifier: MIT */
#ifndef MMU_PT_FAULT_H
#define MMU_PT_FAULT_H

#include "pt_alloc.h"

/*
 * Map [ia, ia + size) -> oa for a stage-2 fault, on any number of CPUs at
 * once, without a lock. 0: mapped (by us or by a racing CPU). -EEXIST:
 * another mapping is there, which is kept (a racing fault with its own
 * page won). -EAGAIN: an entry was frozen or changed under us; nothing is
 * half-done, re-enter the guest and let it fault again. -ENOMEM: the pool
 * is exhausted.
 */
int pt_fault_map(struct pt_pool *pool, struct pt *pt, u64 ia, u64 size, u64 oa, u32 prot);

/* Tables one fault can need: one per level below the root. */
static inline u32 pt_fault_pages_needed(const struct pt_fmt *fmt)
{
	return fmt->levels;
}

/*
 * pt_fault_map() itself, inline for the demand-paging path (s2_mem.c),
 * which passes @leaf made once from @prot (NULL or step 0: made here).
 */
static inline int pt_fault_map_inline(struct pt_pool *pool, struct pt *pt, u64 ia, u64 size,
				      u64 oa, u32 prot, const struct pt_page_leaf *leaf)
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
	if (size != 1ull << pt->fmt->page_shift)
		ret = PT_MAP_PAGE_SLOW;
	else if (leaf && leaf->step)
		ret = pt_map_page_leaf_shared(pt, ia, oa, leaf);
	else
		ret = pt_map_page_shared(pt, ia, oa, prot);
	if (ret == PT_MAP_PAGE_SLOW)
		ret = pt_map(pt, ia, size, oa, prot, PT_MAP_NO_REPLACE, PT_WALK_SHARED);
	pt_epoch_exit_cpu(c);
	/* Lost a race to a concurrent update: the vCPU retries the access. */
	return ret == -ENOMEM ? -EAGAIN : ret;
}

#endif
