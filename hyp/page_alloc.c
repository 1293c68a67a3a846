// SPDX-License-Identifier: MIT
/*
 * Guest memory: contiguous regions carved by a bump pointer from one free
 * region of RAM above the hypervisor image (below the device tree if that
 * sits above the image, as U-Boot places it). Each VM's RAM is one such
 * region, filled page by page on demand (mmu/s2_mem.c). Identity mapped by
 * the EL2 stage-1 tables (arch_mmu_init).
 */
#include "atomic.h"
#include "console.h"
#include "page_alloc.h"

#define HYP_PAGES_ALIGN		(2ull << 20)

static struct {
	struct pt_spinlock lock;
	u64 next, end;		/* bump region [next, end) */
} pages;

/* The part of @r above the image, or of the image's range, clipped by the DTB. */
static void pick_region(const struct fdt_range *r, const struct hyp_mem *mem,
			u64 img_end, u64 *start, u64 *end)
{
	u64 dtb_end = mem->dtb + mem->dtb_size;

	*start = ALIGN_UP(MAX(r->base, img_end), HYP_PAGES_ALIGN);
	*end = ALIGN_DOWN(r->base + r->size, HYP_PAGE_SIZE);
	if (mem->dtb < *end && dtb_end > *start) {
		if (mem->dtb > *start)
			*end = ALIGN_DOWN(mem->dtb, HYP_PAGE_SIZE);
		else
			*start = ALIGN_UP(dtb_end, HYP_PAGE_SIZE);
	}
	if (*start >= *end)
		*start = *end = 0;
}

int hyp_pages_init(const struct hyp_mem *mem, u64 img_start, u64 img_end)
{
	u64 best_start = 0, best_end = 0, s, e;

	for (u32 i = 0; i < mem->nr_ram; i++) {
		const struct fdt_range *r = &mem->ram[i];

		if (img_start >= r->base + r->size)
			continue;	/* wholly below the image: firmware's, maybe */
		pick_region(r, mem, img_end, &s, &e);
		if (e - s > best_end - best_start) {
			best_start = s;
			best_end = e;
		}
	}
	if (best_end == best_start)
		return -ENOMEM;
	pages.next = best_start;
	pages.end = best_end;
	hyp_log("hyp: guest memory 0x%llx - 0x%llx\n", (unsigned long long)best_start,
		(unsigned long long)best_end);
	return 0;
}

void *hyp_pages_carve(u64 bytes, u64 align)
{
	void *va = NULL;
	u64 start;

	pt_spin_lock(&pages.lock);
	start = ALIGN_UP(pages.next, align);
	if (start >= pages.next && start <= pages.end && bytes <= pages.end - start) {
		va = (void *)(uintptr_t)start;
		pages.next = start + bytes;
	}
	pt_spin_unlock(&pages.lock);
	return va;
}
