/* SPDX-License-Identifier: MIT */
/*
 * Host memory for guests: contiguous regions carved from the RAM the
 * hypervisor image does not use.
 */
#ifndef HYP_PAGE_ALLOC_H
#define HYP_PAGE_ALLOC_H

#include "hyp.h"

#define HYP_PAGE_SIZE		4096ull

/* After the MMU is on: @img_* is the hypervisor image, never handed out. */
int hyp_pages_init(const struct hyp_mem *mem, u64 img_start, u64 img_end);
/*
 * @bytes of contiguous memory aligned to @align (a power of two), not
 * zeroed; identity mapped, so its address is its physical address.
 */
void *hyp_pages_carve(u64 bytes, u64 align);

#endif
