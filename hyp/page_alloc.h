/* SPDX-License-Identifier: MIT */
/*
 * Host pages for guest memory: 4 KiB pages carved from the RAM the
 * hypervisor image does not use, handed out zeroed, with a free list.
 */
#ifndef HYP_PAGE_ALLOC_H
#define HYP_PAGE_ALLOC_H

#include "hyp.h"

#define HYP_PAGE_SIZE		4096ull

/* After the MMU is on: @img_* is the hypervisor image, never handed out. */
int hyp_pages_init(const struct hyp_mem *mem, u64 img_start, u64 img_end);
/* A zeroed page (identity mapped: its address is its physical address). */
void *hyp_page_alloc(void);
void hyp_page_free(void *page);
/* @bytes of contiguous memory aligned to @align (a power of two), not zeroed. */
void *hyp_pages_carve(u64 bytes, u64 align);
u64 hyp_pages_free_bytes(void);

#endif
