// SPDX-License-Identifier: MIT
/*
 * The stage-2 fault path's use of the walker: one shared, lock-free map of
 * the faulting range, run inside this CPU's epoch with page-table pages
 * taken only from this CPU's pre-filled cache.
 */
#include "pt_fault.h"

int pt_fault_map(struct pt_pool *pool, struct pt *pt, u64 ia, u64 size, u64 oa, u32 prot)
{
	return pt_fault_map_inline(pool, pt, ia, size, oa, prot, NULL);
}
