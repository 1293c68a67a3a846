/* SPDX-License-Identifier: MIT */
/*
 * Demand-paged guest RAM behind a stage-2 table. Guest RAM is backed by one
 * physically contiguous host region, but nothing is mapped at first: the
 * first touch of a page faults, the page is filled (zeroed, or copied from
 * the guest image where the image lies) and mapped through the shared,
 * lock-free walker path. A present bitmap (one bit per 4 KiB page) records
 * what is populated; once a whole 2 MiB range is present it is collapsed to
 * one block mapping (the backing is contiguous by construction).
 *
 * A page is in one of three states, (claimed, present):
 *   (0, 0) empty: unmapped; the first fault to claim it owns it.
 *   (1, 0) busy: one CPU owns it, a fault filling and mapping it, or a
 *          release unmapping it. Nobody else maps, unmaps or fills it.
 *   (1, 1) present: mapped (an entry may be frozen for a moment by a split
 *          or collapse), its contents the guest's.
 * docs/mmu.md, concurrency rule 7, says why.
 */
#ifndef MMU_S2_MEM_H
#define MMU_S2_MEM_H

#include "pt_fault.h"

#define S2_PAGE_SHIFT	12
#define S2_BLOCK_SHIFT	21
#define S2_PAGES_PER_BLOCK	(1u << (S2_BLOCK_SHIFT - S2_PAGE_SHIFT))

#define S2_MEM_MAX_SEGS	6

/* Initial contents: @size bytes from @src at guest-physical @gpa. */
struct s2_mem_seg {
	u64 gpa;
	const u8 *src;
	u64 size;
};

struct s2_mem {
	struct pt_pool *pool;
	struct pt *pt;
	u64 gpa_base;		/* guest-physical base of RAM, 2 MiB aligned */
	u64 size;		/* bytes, a multiple of 2 MiB */
	u64 host_pa;		/* backing, 2 MiB aligned */
	u8 *host_va;
	/* Initial contents (kernel, initrd, device tree), apart; elsewhere zeros. */
	struct s2_mem_seg segs[S2_MEM_MAX_SEGS];
	u32 nr_segs;
	u64 segs_end;		/* past every segment: pages from here are only zeroed */
	u32 prot;		/* stage-2 permissions of RAM */
	struct pt_page_leaf leaf;	/* pt_page_leaf_init() of prot */
	/*
	 * Optional: after a page is filled, before it is mapped (cache
	 * maintenance); @copied: initial contents went in, not only zeros.
	 */
	void (*page_filled)(struct s2_mem *m, void *va, bool copied);
	u64 *claimed;		/* page busy or present: see above */
	u64 *present;		/* page mapped, contents valid */
	u64 collapsing;		/* collapses between announcing and ending */
	u64 nr_faults;		/* pages populated */
	u64 nr_collapses;
};

/*
 * @bitmaps: s2_mem_bitmaps_size(@size) zeroed bytes the caller provides.
 * -EINVAL: not 2 MiB aligned, or RAM outside the table's input range.
 */
int s2_mem_init(struct s2_mem *m, struct pt_pool *pool, struct pt *pt, u64 gpa_base,
		u64 size, u64 host_pa, void *host_va, u64 *bitmaps);
/* The initial contents (@nr <= S2_MEM_MAX_SEGS segments, each inside RAM). */
void s2_mem_set_segs(struct s2_mem *m, const struct s2_mem_seg *segs, u32 nr);
/* Bytes of the bitmaps (claimed and present) of @size bytes of RAM. */
u64 s2_mem_bitmaps_size(u64 size);

bool s2_mem_contains(const struct s2_mem *m, u64 gpa);

/*
 * A stage-2 fault at @gpa in RAM. 0: the page is mapped (by us or another
 * CPU). -EAGAIN: another CPU is filling or releasing it, or an entry was
 * busy; re-enter the guest. -EFAULT: @gpa is not RAM. -ENOMEM: out of
 * table pages.
 */
int s2_mem_fault(struct s2_mem *m, u64 gpa);

/*
 * Is the page of @gpa present (mapped, contents valid)? A hint that may
 * change at once: for an arch whose TLBs may hold invalid entries, a fault
 * on a present page means its own stale entry (riscv64's lazy fences).
 */
static inline bool s2_mem_page_present(const struct s2_mem *m, u64 gpa)
{
	u64 page = (gpa - m->gpa_base) >> S2_PAGE_SHIFT;

	return gpa - m->gpa_base < m->size &&
	       (__atomic_load_n(&m->present[page / 64], __ATOMIC_RELAXED) & (1ull << (page % 64)));
}

/*
 * Give pages back (HYP_MEM_RELEASE): unmap [gpa, gpa + size) and forget
 * them, so the next touch fills them anew. All or nothing:
 *   0        every page of the range was unmapped (TLBs invalidated) and
 *            made empty: from the return on, its next touch fills it
 *            anew, zeros (or the guest image).
 *   -EINVAL  not page aligned, empty, or not wholly RAM; nothing changed.
 *   -ENOMEM  no table page for splitting a block at an end of the range;
 *            nothing changed.
 * A page being filled by a fault is waited for, then released. A vCPU
 * that touches the range meanwhile (the guest should not) may read the old
 * contents until the unmap, then waits in s2_mem_fault (-EAGAIN) until the
 * release returns, and gets a fresh page: never the old contents after.
 */
int s2_mem_release(struct s2_mem *m, u64 gpa, u64 size);

#endif
