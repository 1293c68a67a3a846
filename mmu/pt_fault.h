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

#endif
