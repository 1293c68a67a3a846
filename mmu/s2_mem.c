// SPDX-License-Identifier: MIT
/* Demand-paged guest RAM: populate on first touch, collapse full 2 MiB ranges. */
#include "s2_mem.h"

#define S2_PAGE_SIZE	(1ull << S2_PAGE_SHIFT)
#define S2_BLOCK_SIZE	(1ull << S2_BLOCK_SHIFT)

/* Words of one bitmap (a bit per 4 KiB page) for @size bytes of RAM. */
static u64 s2_bitmap_words(u64 size)
{
	return ALIGN_UP(size >> S2_PAGE_SHIFT, 64) / 64;
}

u64 s2_mem_bitmaps_size(u64 size)
{
	return 2 * s2_bitmap_words(size) * sizeof(u64);
}

int s2_mem_init(struct s2_mem *m, struct pt_pool *pool, struct pt *pt, u64 gpa_base,
		u64 size, u64 host_pa, void *host_va, u64 *bitmaps)
{
	if (!size || !IS_ALIGNED(gpa_base | size | host_pa, S2_BLOCK_SIZE))
		return -EINVAL;
	/* Every walk over RAM is then in range: none fails with -ERANGE. */
	if (gpa_base + size - 1 < gpa_base || gpa_base + size - 1 > pt_ia_mask(pt->fmt))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->pool = pool;
	m->pt = pt;
	m->gpa_base = gpa_base;
	m->size = size;
	m->host_pa = host_pa;
	m->host_va = host_va;
	m->prot = pt_prot_dirty(pt->fmt, PT_PROT_RWX);
	if (pt_page_leaf_init(pt->fmt, m->prot, &m->leaf))
		m->leaf.step = 0;	/* not made: pt_fault_map_inline() makes each */
	m->claimed = bitmaps;
	m->present = bitmaps + s2_bitmap_words(size);
	return 0;
}

void s2_mem_set_segs(struct s2_mem *m, const struct s2_mem_seg *segs, u32 nr)
{
	PT_BUG_ON(nr > S2_MEM_MAX_SEGS);
	m->segs_end = 0;
	for (u32 i = 0; i < nr; i++) {
		m->segs[i] = segs[i];
		m->segs_end = MAX(m->segs_end, segs[i].gpa + segs[i].size);
	}
	m->nr_segs = nr;
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

/*
 * Mark @page present: is its word of the bitmap full now? Sequentially
 * consistent, as the block check's loads are: of two faults filling two
 * words of one block at once, one must see the other's bit, or neither
 * collapses the block (the same instructions on every arch here).
 */
static bool s2_set_present(struct s2_mem *m, u64 page)
{
	u64 mask = BIT(page % 64);

	return (__atomic_fetch_or(&m->present[page / 64], mask, __ATOMIC_SEQ_CST) | mask) == ~0ull;
}

static bool s2_test(const u64 *map, u64 bit)
{
	return __atomic_load_n(&map[bit / 64], __ATOMIC_ACQUIRE) & BIT(bit % 64);
}

static void s2_clear(u64 *map, u64 bit)
{
	__atomic_fetch_and(&map[bit / 64], ~BIT(bit % 64), __ATOMIC_RELEASE);
}

/* Zero the page, then copy what of the initial contents lies in it: copied any? */
static bool s2_fill_page(struct s2_mem *m, u64 page)
{
	u64 gpa = m->gpa_base + (page << S2_PAGE_SHIFT);
	u8 *va = m->host_va + (page << S2_PAGE_SHIFT);
	bool copied = false;

	pt_zero_pages(va, S2_PAGE_SIZE);
	if (gpa >= m->segs_end)
		return false;
	for (u32 i = 0; i < m->nr_segs; i++) {
		const struct s2_mem_seg *s = &m->segs[i];
		u64 from = MAX(gpa, s->gpa), to = MIN(gpa + S2_PAGE_SIZE, s->gpa + s->size);

		if (from < to) {
			memcpy(va + (from - gpa), s->src + (from - s->gpa), to - from);
			copied = true;
		}
	}
	return copied;
}

/*
 * Every page of the 2 MiB range around @page present? Sequentially
 * consistent loads (as cheap as acquire ones on Arm and x86): they pair
 * with a release's clearing of present bits, see s2_try_collapse().
 */
static bool s2_block_present(const struct s2_mem *m, u64 page)
{
	u64 first = ALIGN_DOWN(page, S2_PAGES_PER_BLOCK) / 64, w;

	for (w = first; w < first + S2_PAGES_PER_BLOCK / 64; w++)
		if (__atomic_load_n(&m->present[w], __ATOMIC_SEQ_CST) != ~0ull)
			return false;
	return true;
}

/*
 * A collapse announces itself in m->collapsing, then checks the present
 * bits again. A release clears the present bits of its pages, then waits
 * until no collapse is announced (all sequentially consistent): a collapse
 * either ends before the release touches the table, or sees a cleared bit
 * and stays away. So no block is ever rebuilt over a page being released:
 * the walker would take such a block for the table its own split just
 * installed, and skip the page (pt_unmap returns 0, the page still mapped).
 */
static void s2_try_collapse(struct s2_mem *m, u64 page)
{
	u64 gpa = m->gpa_base + (ALIGN_DOWN(page, S2_PAGES_PER_BLOCK) << S2_PAGE_SHIFT);
	int ret = -EAGAIN;

	__atomic_fetch_add(&m->collapsing, 1, __ATOMIC_SEQ_CST);
	if (s2_block_present(m, page)) {
		/* Collapse allocates nothing: no top-up, which could fail and skip it. */
		pt_epoch_enter(m->pool);
		ret = pt_collapse(m->pt, gpa, 1, PT_WALK_SHARED);
		pt_epoch_exit(m->pool);
	}
	__atomic_fetch_sub(&m->collapsing, 1, __ATOMIC_SEQ_CST);
	/* Another CPU may have collapsed it, or be busy there: both are fine. */
	if (!ret)
		__atomic_fetch_add(&m->nr_collapses, 1, __ATOMIC_RELAXED);
}

static int s2_map_page(struct s2_mem *m, u64 page)
{
	return pt_fault_map_inline(m->pool, m->pt, m->gpa_base + (page << S2_PAGE_SHIFT),
				   S2_PAGE_SIZE, m->host_pa + (page << S2_PAGE_SHIFT), m->prot,
				   &m->leaf);
}

/*
 * Fill and map a page we claimed. The others wait in the guest until it is
 * mapped, so a busy entry is retried here, not handed back; on failure the
 * claim is dropped so that a later fault can try again. The present bit is
 * set only once the page is mapped: a release waits for it (s2_take()).
 */
static int s2_populate(struct s2_mem *m, u64 page)
{
	int ret;

	bool copied = s2_fill_page(m, page);

	if (m->page_filled)
		m->page_filled(m, m->host_va + (page << S2_PAGE_SHIFT), copied);
	while ((ret = s2_map_page(m, page)) == -EAGAIN)
		pt_cpu_relax();
	if (ret) {
		s2_clear(m->claimed, page);
		return ret;
	}
	__atomic_fetch_add(&m->nr_faults, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * A page already filled: a racing fault, or the guest met an entry frozen
 * by a split or collapse. A present page is mapped, so look, needing no
 * table page (a pool that is short must not stop a VM whose memory is all
 * there), and never map: a page found unmapped is being released (its
 * release took it after we saw it present), and mapping it would bring its
 * old contents back. Its vCPU re-enters the guest and faults again, and
 * once the release is done the page is filled anew.
 */
static int s2_refault(struct s2_mem *m, u64 gpa)
{
	struct pt_lookup l;
	int ret;

	pt_epoch_enter(m->pool);
	ret = pt_lookup(m->pt, gpa, &l);
	pt_epoch_exit(m->pool);
	return ret ? -EAGAIN : 0;
}

int s2_mem_fault(struct s2_mem *m, u64 gpa)
{
	u64 page;
	int ret;

	if (!s2_mem_contains(m, gpa))
		return -EFAULT;
	page = (gpa - m->gpa_base) >> S2_PAGE_SHIFT;
	if (s2_test(m->present, page))
		return s2_refault(m, gpa);
	if (s2_test_and_set(m->claimed, page))
		return -EAGAIN;			/* another CPU is filling it */
	ret = s2_populate(m, page);
	if (ret)
		return ret;
	/* Its word of present bits not full yet: no block to collapse, no need to look. */
	if (s2_set_present(m, page) && s2_block_present(m, page))
		s2_try_collapse(m, page);
	return 0;
}

/*
 * Make a page busy and ours: a present page by clearing its present bit (it
 * stays claimed), an empty one by claiming it. False while another CPU owns
 * it: a fault filling it (it will be present), or another release.
 */
static bool s2_take(struct s2_mem *m, u64 page)
{
	u64 mask = BIT(page % 64);

	if (__atomic_fetch_and(&m->present[page / 64], ~mask, __ATOMIC_SEQ_CST) & mask)
		return true;
	return !(__atomic_fetch_or(&m->claimed[page / 64], mask, __ATOMIC_ACQ_REL) & mask);
}

/*
 * Table pages a release needs: the walker splits at most the block at each
 * end of the range that the range only partly covers (s2_mem maps nothing
 * larger than 2 MiB), and no block forms again under a release
 * (s2_try_collapse). A split that loses its race gives its page back to
 * this CPU's cache.
 */
static u32 s2_release_tables(u64 gpa, u64 size)
{
	return !IS_ALIGNED(gpa, S2_BLOCK_SIZE) + !IS_ALIGNED(gpa + size, S2_BLOCK_SIZE);
}

int s2_mem_release(struct s2_mem *m, u64 gpa, u64 size)
{
	u32 tables = s2_release_tables(gpa, size);
	u64 first, last, page;
	int ret;

	if (!size || !IS_ALIGNED(gpa | size, S2_PAGE_SIZE) || !s2_mem_contains(m, gpa) ||
	    size > m->size - (gpa - m->gpa_base))
		return -EINVAL;
	/* The only step that can fail, before anything changed. */
	if (tables && pt_cache_topup(m->pool, tables))
		return -ENOMEM;
	first = (gpa - m->gpa_base) >> S2_PAGE_SHIFT;
	last = first + (size >> S2_PAGE_SHIFT);
	/* In address order, so overlapping releases cannot wait on each other. */
	for (page = first; page < last; page++)
		while (!s2_take(m, page))
			pt_cpu_relax();
	/* A collapse that saw our pages present ends before we split a block. */
	while (__atomic_load_n(&m->collapsing, __ATOMIC_SEQ_CST))
		pt_cpu_relax();
	for (;;) {
		pt_epoch_enter(m->pool);
		ret = pt_unmap(m->pt, gpa, size, PT_WALK_SHARED);
		pt_epoch_exit(m->pool);
		if (ret != -EAGAIN && ret != -ENOMEM)
			break;
		/* -ENOMEM is not expected (s2_release_tables()); never give up halfway. */
		if (ret == -ENOMEM)
			pt_cache_topup(m->pool, m->pt->fmt->levels);
		pt_cpu_relax();
	}
	PT_BUG_ON(ret);		/* RAM lies inside the table's input range (s2_mem_init) */
	/* Unmapped, TLBs invalidated: now a fault may claim and fill them anew. */
	for (page = first; page < last; page++)
		s2_clear(m->claimed, page);
	return 0;
}
