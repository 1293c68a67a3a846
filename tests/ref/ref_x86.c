// SPDX-License-Identifier: MIT
/*
 * Reference model of Intel 64 IA-32e (4-level / 5-level) paging and of EPT.
 *
 * Sources: Intel SDM Vol 3A chapter 4 "Paging" (4.5 tables 4-14 .. 4-20,
 * 4.6 access rights, 4.9.2 memory typing), Vol 3A "Page Attribute Table"
 * (13.12, 11.12 in older editions), Vol 3C "EPT Translation Mechanism"
 * (29.3.2, 28.2.2 in older editions) and "EPT Misconfigurations" (29.3.3.1).
 *
 * Fixed machine state: CR0.WP = 1, EFER.NXE = 1, CR4.PKE = 0,
 * MAXPHYADDR = 52, IA32_PAT at its power-up value.
 */
#include "ref_internal.h"

/* --- IA-32e paging-structure entries, SDM Vol 3A 4.5, Tables 4-14..4-20 --- */
#define X86_PTE_P		REF_BIT(0)	/* present */
#define X86_PTE_RW		REF_BIT(1)	/* 0: writes not allowed */
#define X86_PTE_US		REF_BIT(2)	/* 0: user-mode accesses not allowed */
#define X86_PTE_PWT		REF_BIT(3)	/* page-level write-through */
#define X86_PTE_PCD		REF_BIT(4)	/* page-level cache disable */
#define X86_PTE_A		REF_BIT(5)	/* accessed */
#define X86_PTE_D		REF_BIT(6)	/* dirty (leaf only) */
#define X86_PTE_PS		REF_BIT(7)	/* PDPTE/PDE: page size; PML4E/PML5E: reserved */
#define X86_PTE_PAT_4K		REF_BIT(7)	/* PAT bit of a 4 KiB PTE (Table 4-20) */
#define X86_PTE_PAT_LARGE	REF_BIT(12)	/* PAT bit of a 1 GiB / 2 MiB leaf (4-16, 4-18) */
#define X86_PTE_XD		REF_BIT(63)	/* execute-disable, EFER.NXE = 1 */
/* Physical address bits (M-1):12 with M = MAXPHYADDR = 52; 51:M is empty. */
#define X86_PTE_ADDR		REF_GENMASK(51, 12)
/* Reserved (must be 0) between the PAT bit and the address, Table 4-16 / 4-18. */
#define X86_PTE_RSVD_1G		REF_GENMASK(29, 13)
#define X86_PTE_RSVD_2M		REF_GENMASK(20, 13)

/* Linear-address width: 48 bits (4-level) or 57 bits (5-level), SDM 4.5. */
#define X86_LA_BITS_4L		48
#define X86_LA_BITS_5L		57

/* --- PAT, SDM Vol 3A 13.12.3 / 13.12.4 (power-up value of IA32_PAT) --- */
#define X86_PAT_DEFAULT		0x0007040600070406ull
#define X86_PAT_ENTRY_BITS	8
#define X86_PAT_TYPE_MASK	0x7u
#define X86_MT_UC		0u	/* strong uncacheable */
#define X86_MT_WB		6u	/* write-back */
#define X86_MT_UC_MINUS		7u	/* UC- (PAT only) */

/* --- EPT paging-structure entries, SDM Vol 3C 29.3.2 (entry format tables) --- */
#define EPT_R			REF_BIT(0)	/* read access */
#define EPT_W			REF_BIT(1)	/* write access */
#define EPT_X			REF_BIT(2)	/* execute access */
#define EPT_RWX			REF_GENMASK(2, 0)	/* 000b = not present */
#define EPT_MT			REF_GENMASK(5, 3)	/* leaf: EPT memory type */
#define EPT_MT_SHIFT		3
#define EPT_LARGE		REF_BIT(7)	/* PDPTE/PDE: maps a page; PTE: ignored */
#define EPT_A			REF_BIT(8)	/* accessed, if EPTP bit 6 */
#define EPT_D			REF_BIT(9)	/* dirty (leaf), if EPTP bit 6 */
#define EPT_ADDR		REF_GENMASK(51, 12)
#define EPT_RSVD_TOP		REF_GENMASK(7, 3)	/* PML5E / PML4E */
#define EPT_RSVD_TABLE		REF_GENMASK(6, 3)	/* PDPTE / PDE referencing a table */
#define EPT_RSVD_1G		REF_GENMASK(29, 12)	/* PDPTE mapping 1 GiB */
#define EPT_RSVD_2M		REF_GENMASK(20, 12)	/* PDE mapping 2 MiB */
/* EPT memory types, SDM Vol 3C 29.3.7; 2, 3 and 7 are reserved (29.3.3.1). */
#define EPT_MT_UC		0u
#define EPT_MT_WB		6u
#define EPT_MT_RSVD_SET		((1u << 2) | (1u << 3) | (1u << 7))
/* Guest-physical address width: 48 bits (4-level) or 57 bits (5-level). */
#define EPT_GPA_BITS_4L		48
#define EPT_GPA_BITS_5L		57

/* Both formats: 9 index bits per level, 4 KiB tables; level 0 = PT. */
#define X86_IDX_BITS		9
#define X86_IDX_MASK		0x1ffull
#define X86_PAGE_SHIFT		12
#define X86_LVL_PDPT		2
#define X86_LVL_PD		1

static unsigned int x86_shift(unsigned int lvl)
{
	return X86_PAGE_SHIFT + X86_IDX_BITS * lvl;
}

static uint64_t x86_entry_pa(uint64_t table, uint64_t ia, unsigned int lvl)
{
	return table + ((ia >> x86_shift(lvl)) & X86_IDX_MASK) * 8;
}

/* ---------------------------------------------------------------------- */
/* IA-32e paging                                                          */
/* ---------------------------------------------------------------------- */

static enum ref_memtype x86_pat_memtype(uint64_t pte, unsigned int lvl)
{
	uint64_t pat_bit = lvl == 0 ? X86_PTE_PAT_4K : X86_PTE_PAT_LARGE;
	unsigned int idx = 0;
	unsigned int type;

	idx |= (pte & pat_bit) ? 4u : 0u;
	idx |= (pte & X86_PTE_PCD) ? 2u : 0u;
	idx |= (pte & X86_PTE_PWT) ? 1u : 0u;
	type = (X86_PAT_DEFAULT >> (idx * X86_PAT_ENTRY_BITS)) & X86_PAT_TYPE_MASK;
	if (type == X86_MT_WB)
		return REF_MT_NORMAL_WB;
	if (type == X86_MT_UC || type == X86_MT_UC_MINUS)
		return REF_MT_DEVICE;
	return REF_MT_OTHER;
}

static bool x86_large_rsvd(uint64_t pte, unsigned int lvl)
{
	if (lvl == X86_LVL_PDPT)
		return pte & X86_PTE_RSVD_1G;
	return pte & X86_PTE_RSVD_2M;
}

static bool x86_is_leaf(uint64_t pte, unsigned int lvl)
{
	return lvl == 0 || (lvl <= X86_LVL_PDPT && (pte & X86_PTE_PS));
}

static void x86_s1_leaf(struct ref_walk *w, uint64_t pte, unsigned int lvl, int depth)
{
	struct ref_result *o = w->out;

	ref_set_oa(w, pte & X86_PTE_ADDR, x86_shift(lvl), depth);
	o->r = true;
	o->a = pte & X86_PTE_A;
	o->d = pte & X86_PTE_D;
	o->memtype = x86_pat_memtype(pte, lvl);
}

enum ref_fault ref_x86_s1_walk(struct ref_walk *w)
{
	unsigned int levels = w->cfg->levels;
	uint64_t table = w->cfg->root_pa;
	bool wr = true, us = true, xd = false;
	int lvl;

	if (levels != 4 && levels != 5)
		return ref_fail(w, REF_FAULT_RESERVED, 0);
	if (!ref_sign_extended(w->ia, levels == 5 ? X86_LA_BITS_5L : X86_LA_BITS_4L))
		return ref_fail(w, REF_FAULT_ADDRESS, 0);

	for (lvl = (int)levels - 1; lvl >= 0; lvl--) {
		int depth = (int)levels - 1 - lvl;
		uint64_t pte = ref_read(w, x86_entry_pa(table, w->ia, (unsigned int)lvl));

		if (!(pte & X86_PTE_P))
			return ref_fail(w, REF_FAULT_NOT_PRESENT, depth);
		if (lvl > X86_LVL_PDPT && (pte & X86_PTE_PS))
			return ref_fail(w, REF_FAULT_RESERVED, depth);
		wr = wr && (pte & X86_PTE_RW);
		us = us && (pte & X86_PTE_US);
		xd = xd || (pte & X86_PTE_XD);
		if (!x86_is_leaf(pte, (unsigned int)lvl)) {
			table = pte & X86_PTE_ADDR;
			continue;
		}
		if (lvl > 0 && x86_large_rsvd(pte, (unsigned int)lvl))
			return ref_fail(w, REF_FAULT_RESERVED, depth);
		x86_s1_leaf(w, pte, (unsigned int)lvl, depth);
		w->out->w = wr;
		w->out->u = us;
		w->out->x = !xd;
		return REF_OK;
	}
	return ref_fail(w, REF_FAULT_NOT_PRESENT, 0);	/* not reached */
}

/* ---------------------------------------------------------------------- */
/* EPT                                                                    */
/* ---------------------------------------------------------------------- */

/* Checks of SDM 29.3.3.1 that apply to every present entry. */
static bool ept_misconfig_any(uint64_t pte)
{
	return (pte & EPT_W) && !(pte & EPT_R);
}

static bool ept_misconfig_table(uint64_t pte, unsigned int lvl)
{
	if (lvl > X86_LVL_PDPT)
		return pte & EPT_RSVD_TOP;
	return pte & EPT_RSVD_TABLE;
}

static bool ept_misconfig_leaf(uint64_t pte, unsigned int lvl)
{
	unsigned int mt = (unsigned int)((pte & EPT_MT) >> EPT_MT_SHIFT);

	if (EPT_MT_RSVD_SET & (1u << mt))
		return true;
	if (lvl == X86_LVL_PDPT)
		return pte & EPT_RSVD_1G;
	if (lvl == X86_LVL_PD)
		return pte & EPT_RSVD_2M;
	return false;
}

static enum ref_memtype ept_memtype(uint64_t pte)
{
	unsigned int mt = (unsigned int)((pte & EPT_MT) >> EPT_MT_SHIFT);

	if (mt == EPT_MT_WB)
		return REF_MT_NORMAL_WB;
	if (mt == EPT_MT_UC)
		return REF_MT_DEVICE;
	return REF_MT_OTHER;
}

static bool ept_is_leaf(uint64_t pte, unsigned int lvl)
{
	return lvl == 0 || (lvl <= X86_LVL_PDPT && (pte & EPT_LARGE));
}

static void ept_leaf(struct ref_walk *w, uint64_t pte, unsigned int lvl, int depth)
{
	struct ref_result *o = w->out;

	ref_set_oa(w, pte & EPT_ADDR, x86_shift(lvl), depth);
	o->memtype = ept_memtype(pte);
	if (w->cfg->ept_ad) {
		o->a = pte & EPT_A;
		o->d = pte & EPT_D;
	}
}

enum ref_fault ref_x86_ept_walk(struct ref_walk *w)
{
	unsigned int levels = w->cfg->levels;
	uint64_t table = w->cfg->root_pa;
	uint64_t perm = EPT_RWX;
	int lvl;

	if (levels != 4 && levels != 5)
		return ref_fail(w, REF_FAULT_RESERVED, 0);
	if (w->ia >> (levels == 5 ? EPT_GPA_BITS_5L : EPT_GPA_BITS_4L))
		return ref_fail(w, REF_FAULT_ADDRESS, 0);

	for (lvl = (int)levels - 1; lvl >= 0; lvl--) {
		int depth = (int)levels - 1 - lvl;
		uint64_t pte = ref_read(w, x86_entry_pa(table, w->ia, (unsigned int)lvl));

		if (!(pte & EPT_RWX))
			return ref_fail(w, REF_FAULT_NOT_PRESENT, depth);
		if (ept_misconfig_any(pte))
			return ref_fail(w, REF_FAULT_RESERVED, depth);
		perm &= pte;
		if (!ept_is_leaf(pte, (unsigned int)lvl)) {
			if (ept_misconfig_table(pte, (unsigned int)lvl))
				return ref_fail(w, REF_FAULT_RESERVED, depth);
			table = pte & EPT_ADDR;
			continue;
		}
		if (ept_misconfig_leaf(pte, (unsigned int)lvl))
			return ref_fail(w, REF_FAULT_RESERVED, depth);
		ept_leaf(w, pte, (unsigned int)lvl, depth);
		w->out->r = perm & EPT_R;
		w->out->w = perm & EPT_W;
		w->out->x = perm & EPT_X;
		return REF_OK;
	}
	return ref_fail(w, REF_FAULT_NOT_PRESENT, 0);	/* not reached */
}
