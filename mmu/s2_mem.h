/* SPDX-License-Identifier: MIT */
/*
 * Demand-paged guest RAM behind a stage-2 table. Guest RAM is backed by one
 * physically contiguous host region, but nothing is mapped at first: the
 * first touch of a page faults, the page is filled (zeroed, or copied from
 * the guest image where the image lies) and mapped through the shared,
 * lock-free walker path. A present bitmap (one bit per 4 KiB page) records
 * what is populated; once a whole 2 MiB range is present it is collapsed to
 * one block mapping (the backing is contiguous by construction).
 */
#ifndef MMU_S2_MEM_H
#define MMU_S2_MEM_H

#include "pt_fault.h"

#define S2_PAGE_SHIFT	12
#define S2_BLOCK_SHIFT	21
#define S2_PAGES_PER_BLOCK	(1u << (S2_BLOCK_SHIFT - S2_PAGE_SHIFT))

struct s2_mem {
	struct pt_pool *pool;
	struct pt *pt;
	u64 gpa_base;		/* guest-physical base of RAM, 2 MiB aligned */
	u64 size;		/* bytes, a multiple of 2 MiB */
	u64 host_pa;		/* backing, 2 MiB aligned */
	u8 *host_va;
	const u8 *image;	/* initial contents at image_gpa, or NULL */
	u64 image_gpa, image_size;
	u32 prot;		/* stage-2 permissions of RAM */
	/* Optional: after a page is filled, before it is mapped (cache maintenance). */
	void (*page_filled)(struct s2_mem *m, void *va);
	u64 *claimed;		/* page being filled or filled: one CPU fills it */
	u64 *present;		/* page mapped */
	u64 nr_faults;		/* pages populated */
	u64 nr_collapses;
};

/* @bitmaps: 2 * (size / 4 KiB / 64) zeroed words the caller provides. */
int s2_mem_init(struct s2_mem *m, struct pt_pool *pool, struct pt *pt, u64 gpa_base,
		u64 size, u64 host_pa, void *host_va, u64 *bitmaps);
u64 s2_mem_bitmap_words(u64 size);

bool s2_mem_contains(const struct s2_mem *m, u64 gpa);

/*
 * A stage-2 fault at @gpa in RAM. 0: the page is mapped (by us or another
 * CPU). -EAGAIN: another CPU is filling it or an entry was busy; re-enter
 * the guest. -EFAULT: @gpa is not RAM. -ENOMEM: out of table pages.
 */
int s2_mem_fault(struct s2_mem *m, u64 gpa);

/*
 * Give pages back: unmap [gpa, gpa + size) and forget them, so the next
 * touch fills them anew. The guest's own vCPUs must not touch the range
 * meanwhile (a balloon-style release). -EINVAL outside RAM or unaligned.
 */
int s2_mem_release(struct s2_mem *m, u64 gpa, u64 size);

#endif
