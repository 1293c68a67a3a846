// SPDX-License-Identifier: MIT
/*
 * Guest memory: contiguous regions carved by bump pointers from the free
 * ranges of RAM, which are every RAM range of the boot description minus
 * the hypervisor image and every reserved range (the device tree, boot
 * modules, /memreserve/, /reserved-memory). Each VM's RAM is one such
 * region, filled page by page on demand (mmu/s2_mem.c). Identity mapped by
 * the hypervisor's stage 1 (hyp/mm.c).
 */
#include "atomic.h"
#include "console.h"
#include "page_alloc.h"

#define HYP_FREE_MAX		32
#define HYP_FREE_MIN		(2ull << 20)	/* smaller pieces are not worth a range */

static struct {
	struct pt_spinlock lock;
	u32 nr;
	struct { u64 next, end; } r[HYP_FREE_MAX];	/* bump ranges [next, end) */
} pages;

static void pages_add(u64 start, u64 end)
{
	start = ALIGN_UP(start, HYP_PAGE_SIZE);
	end = ALIGN_DOWN(end, HYP_PAGE_SIZE);
	if (end <= start || end - start < HYP_FREE_MIN)
		return;
	if (pages.nr == HYP_FREE_MAX) {
		hyp_log("hyp: more than %u free RAM ranges, 0x%llx - 0x%llx left out\n",
			HYP_FREE_MAX, (unsigned long long)start, (unsigned long long)end);
		return;
	}
	pages.r[pages.nr].next = start;
	pages.r[pages.nr++].end = end;
}

/* [start, end) minus @cut[0..@nr): recursion on the pieces either side of the first overlap. */
static void pages_add_minus(u64 start, u64 end, const struct boot_range *cut, u32 nr)
{
	for (u32 i = 0; i < nr; i++) {
		u64 c0 = cut[i].base, c1 = cut[i].base + cut[i].size;

		if (!cut[i].size || c1 <= start || c0 >= end)
			continue;
		if (c0 > start)
			pages_add_minus(start, c0, cut + i + 1, nr - i - 1);
		if (c1 < end)
			pages_add_minus(c1, end, cut + i + 1, nr - i - 1);
		return;
	}
	pages_add(start, end);
}

int hyp_pages_init(const struct boot_info *bi, u64 img_start, u64 img_end)
{
	struct boot_range cut[BOOT_MAX_RESERVED + 1];
	u32 nr = bi->nr_reserved;

	for (u32 i = 0; i < nr; i++)
		cut[i] = bi->reserved[i];
	cut[nr++] = (struct boot_range){ .base = img_start, .size = img_end - img_start };
	for (u32 i = 0; i < bi->nr_ram; i++)
		pages_add_minus(bi->ram[i].base, bi->ram[i].base + bi->ram[i].size, cut, nr);
	if (!pages.nr)
		return -ENOMEM;
	for (u32 i = 0; i < pages.nr; i++)
		hyp_log("hyp: guest memory 0x%llx - 0x%llx\n", (unsigned long long)pages.r[i].next,
			(unsigned long long)pages.r[i].end);
	return 0;
}

/* Room for @bytes at @align in range @i, or 0. */
static u64 pages_room(u32 i, u64 bytes, u64 align)
{
	u64 start = ALIGN_UP(pages.r[i].next, align);

	if (start < pages.r[i].next || start > pages.r[i].end || bytes > pages.r[i].end - start)
		return 0;
	return pages.r[i].end - start;
}

void *hyp_pages_carve(u64 bytes, u64 align)
{
	u64 best_room = 0, start;
	u32 best = 0;
	void *va = NULL;

	pt_spin_lock(&pages.lock);
	for (u32 i = 0; i < pages.nr; i++) {
		u64 room = pages_room(i, bytes, align);

		if (room > best_room) {
			best_room = room;
			best = i;
		}
	}
	if (best_room) {
		start = ALIGN_UP(pages.r[best].next, align);
		va = (void *)(uintptr_t)start;
		pages.r[best].next = start + bytes;
	}
	pt_spin_unlock(&pages.lock);
	return va;
}
