// SPDX-License-Identifier: MIT
/* Demand-paged guest RAM: populate on first touch, collapse full 2 MiB ranges. */
#include "s2_mem.h"

#define S2_PAGE_SIZE	(1ull << S2_PAGE_SHIFT)
#define S2_BLOCK_SIZE	(1ull << S2_BLOCK_SHIFT)

u64 s2_mem_bitmap_words(u64 size)
{
	return ALIGN_UP(size >> S2_PAGE_SHIFT, 64) / 64;
}

int s2_mem_init(struct s2_mem *m, struct pt_pool *pool, struct pt *pt, u64 gpa_base,
		u64 size, u64 host_pa, void *host_va, u64 *bitmaps)
{
	if (!size || !IS_ALIGNED(gpa_base | size | host_pa, S2_BLOCK_SIZE))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->pool = pool;
	m->pt = pt;
	m->gpa_base = gpa_base;
	m->size = size;
	m->host_pa = host_pa;
	m->host_va = host_va;
	m->prot = PT_PROT_RWX;
	m->claimed = bitmaps;
	m->present = bitmaps + s2_mem_bitmap_words(size);
	return 0;
}

bool s2_mem_contains(const struct s2_mem *m, u64 gpa)
{
	return gpa >= m->gpa_base && gpa - m->gpa_base < m->size;
}

static bool s2_test_and_set(u64 *map, u64 bit)
{
	u64 mask = BIT(bit % 64);

	return __atomic_fetch_or(&map[bit / 64], mask, __ATOMIC_ACQ_REL) & mask;
}

static bool s2_test(const u64 *map, u64 bit)
{
	return __atomic_load_n(&map[bit / 64], __ATOMIC_ACQUIRE) & BIT(bit % 64);
}

/* Zero the page, then copy what of the guest image lies in it. */
static void s2_fill_page(struct s2_mem *m, u64 page)
{
	u64 gpa = m->gpa_base + (page << S2_PAGE_SHIFT);
	u8 *va = m->host_va + (page << S2_PAGE_SHIFT);
	u64 img_end = m->image_gpa + m->image_size;
	u64 from = MAX(gpa, m->image_gpa), to = MIN(gpa + S2_PAGE_SIZE, img_end);

	memset(va, 0, S2_PAGE_SIZE);
	if (m->image && from < to)
		memcpy(va + (from - gpa), m->image + (from - m->image_gpa), to - from);
}

/* Every page of the 2 MiB range around @page present? */
static bool s2_block_present(const struct s2_mem *m, u64 page)
{
	u64 first = ALIGN_DOWN(page, S2_PAGES_PER_BLOCK) / 64, w;

	for (w = first; w < first + S2_PAGES_PER_BLOCK / 64; w++)
		if (__atomic_load_n(&m->present[w], __ATOMIC_ACQUIRE) != ~0ull)
			return false;
	return true;
}

static void s2_try_collapse(struct s2_mem *m, u64 page)
{
	u64 gpa = m->gpa_base + (ALIGN_DOWN(page, S2_PAGES_PER_BLOCK) << S2_PAGE_SHIFT);
	int ret;

	/* Collapse allocates nothing: no top-up, which could fail and skip it. */
	pt_epoch_enter(m->pool);
	ret = pt_collapse(m->pt, gpa, 1, PT_WALK_SHARED);
	pt_epoch_exit(m->pool);
	/* Another CPU may have collapsed it, or be busy there: both are fine. */
	if (!ret)
		__atomic_fetch_add(&m->nr_collapses, 1, __ATOMIC_RELAXED);
}

static int s2_map_page(struct s2_mem *m, u64 page)
{
	return pt_fault_map(m->pool, m->pt, m->gpa_base + (page << S2_PAGE_SHIFT), S2_PAGE_SIZE,
			    m->host_pa + (page << S2_PAGE_SHIFT), m->prot);
}

/*
 * Fill and map a page we claimed. The others wait in the guest until it is
 * mapped, so a busy entry is retried here, not handed back; on failure the
 * claim is dropped so that a later fault can try again.
 */
static int s2_populate(struct s2_mem *m, u64 page)
{
	int ret;

	s2_fill_page(m, page);
	if (m->page_filled)
		m->page_filled(m, m->host_va + (page << S2_PAGE_SHIFT));
	while ((ret = s2_map_page(m, page)) == -EAGAIN)
		pt_cpu_relax();
	if (ret) {
		__atomic_fetch_and(&m->claimed[page / 64], ~BIT(page % 64), __ATOMIC_RELEASE);
		return ret;
	}
	__atomic_fetch_add(&m->nr_faults, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * A page already filled: a racing fault, or the guest met an entry frozen
 * by a split or collapse. Look first, needing no table page: a pool that is
 * short must not stop a VM whose memory is all there.
 */
static int s2_refault(struct s2_mem *m, u64 gpa, u64 page)
{
	struct pt_lookup l;
	int ret;

	pt_epoch_enter(m->pool);
	ret = pt_lookup(m->pt, gpa, &l);
	pt_epoch_exit(m->pool);
	if (ret != -ENOENT)
		return ret ? -EAGAIN : 0;
	return s2_map_page(m, page);
}

int s2_mem_fault(struct s2_mem *m, u64 gpa)
{
	u64 page;
	int ret;

	if (!s2_mem_contains(m, gpa))
		return -EFAULT;
	page = (gpa - m->gpa_base) >> S2_PAGE_SHIFT;
	if (s2_test(m->present, page))
		return s2_refault(m, gpa, page);
	if (s2_test_and_set(m->claimed, page))
		return -EAGAIN;			/* another CPU is filling it */
	ret = s2_populate(m, page);
	if (ret)
		return ret;
	s2_test_and_set(m->present, page);
	if (s2_block_present(m, page))
		s2_try_collapse(m, page);
	return 0;
}

static void s2_clear(u64 *map, u64 bit)
{
	__atomic_fetch_and(&map[bit / 64], ~BIT(bit % 64), __ATOMIC_RELEASE);
}

int s2_mem_release(struct s2_mem *m, u64 gpa, u64 size)
{
	u64 page, last;
	int ret;

	if (!size || !IS_ALIGNED(gpa | size, S2_PAGE_SIZE) || !s2_mem_contains(m, gpa) ||
	    size > m->size - (gpa - m->gpa_base))
		return -EINVAL;
	do {
		if (pt_cache_topup(m->pool, m->pt->fmt->levels))
			return -ENOMEM;
		pt_epoch_enter(m->pool);
		ret = pt_unmap(m->pt, gpa, size, PT_WALK_SHARED);
		pt_epoch_exit(m->pool);
	} while (ret == -EAGAIN || ret == -ENOMEM);
	if (ret)
		return ret;
	page = (gpa - m->gpa_base) >> S2_PAGE_SHIFT;
	for (last = page + (size >> S2_PAGE_SHIFT); page < last; page++) {
		s2_clear(m->present, page);
		s2_clear(m->claimed, page);
	}
	return 0;
}
