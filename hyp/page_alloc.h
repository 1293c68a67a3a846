/* SPDX-License-Identifier: MIT */
/*
 * Host memory for guests: contiguous regions carved from the RAM that
 * neither the hypervisor image nor anything the boot description
 * reserves uses.
 */
#ifndef HYP_PAGE_ALLOC_H
#define HYP_PAGE_ALLOC_H

#include "boot.h"

#define HYP_PAGE_SIZE		4096ull

/* After the MMU is on: every RAM range minus the image [@img_start, @img_end) and the reserved ranges. */
int hyp_pages_init(const struct boot_info *bi, u64 img_start, u64 img_end);
/*
 * @bytes of contiguous memory aligned to @align (a power of two), not
 * zeroed, from the free range with the most room; identity mapped, so its
 * address is its physical address. NULL if no range has room.
 */
void *hyp_pages_carve(u64 bytes, u64 align);

#endif
