// SPDX-License-Identifier: MIT
/*
 * Reference model of RISC-V Sv39 / Sv48 (satp) and the G-stage formats
 * Sv39x4 / Sv48x4 (hgatp), with Svpbmt implemented and Svnapot absent.
 *
 * Sources: RISC-V Privileged Architecture, sections "Addressing and Memory
 * Protection" (PTE format; 4.3.1 in the 20211203 edition), "Virtual Address
 * Translation Process" (4.3.2 there), "Sv39" (4.4), "Sv48" (4.5), the
 * "Svpbmt" chapter, and the hypervisor extension's "Guest Physical Address
 * Translation" (8.5.1 there).
 */
#include "ref_internal.h"

/* --- PTE fields, Sv39/Sv48 PTE figures --- */
#define RV_PTE_V		REF_BIT(0)	/* valid */
#define RV_PTE_R		REF_BIT(1)	/* readable */
#define RV_PTE_W		REF_BIT(2)	/* writable */
#define RV_PTE_X		REF_BIT(3)	/* executable */
#define RV_PTE_U		REF_BIT(4)	/* user mode accessible */
#define RV_PTE_A		REF_BIT(6)	/* accessed */
#define RV_PTE_D		REF_BIT(7)	/* dirty */
#define RV_PTE_PPN		REF_GENMASK(53, 10)	/* PPN[3..0] / PPN[2..0] */
#define RV_PTE_PPN_SHIFT	10
#define RV_PTE_RSVD		REF_GENMASK(60, 54)	/* reserved for future use */
#define RV_PTE_PBMT		REF_GENMASK(62, 61)	/* Svpbmt */
#define RV_PTE_PBMT_SHIFT	61
#define RV_PTE_N		REF_BIT(63)	/* Svnapot: reserved when absent */
/* Non-leaf PTEs: D, A, U reserved (translation process); PBMT reserved (Svpbmt). */
#define RV_PTE_NONLEAF_RSVD	(RV_PTE_D | RV_PTE_A | RV_PTE_U | RV_PTE_PBMT)

/* --- Svpbmt encodings --- */
#define RV_PBMT_PMA		0u	/* attributes from PMA: normal memory */
#define RV_PBMT_NC		1u	/* non-cacheable, idempotent */
#define RV_PBMT_IO		2u	/* non-cacheable, non-idempotent I/O */
#define RV_PBMT_RSVD		3u	/* reserved */

/* --- Geometry --- */
#define RV_PAGE_SHIFT		12
#define RV_IDX_BITS		9	/* VPN[i] width; 512 PTEs per table */
#define RV_IDX_MASK		0x1ffull
#define RV_GSTAGE_ROOT_MASK	0x7ffull	/* x4 root: 2 extra bits, 2048 PTEs */
#define RV_SV39_LEVELS		3
#define RV_SV48_LEVELS		4
#define RV_SV39_VA_BITS		39	/* sign-extended from bit 38 */
#define RV_SV48_VA_BITS		48	/* sign-extended from bit 47 */
#define RV_SV39X4_GPA_BITS	41	/* bits 63:41 must be zero */
#define RV_SV48X4_GPA_BITS	50	/* bits 63:50 must be zero */

struct rv_mode {
	int levels;
	unsigned int ia_bits;
	bool gstage;
};

static struct rv_mode rv_mode_of(enum ref_format f)
{
	switch (f) {
	case REF_RISCV_SV48:
		return (struct rv_mode){ RV_SV48_LEVELS, RV_SV48_VA_BITS, false };
	case REF_RISCV_SV39X4:
		return (struct rv_mode){ RV_SV39_LEVELS, RV_SV39X4_GPA_BITS, true };
	case REF_RISCV_SV48X4:
		return (struct rv_mode){ RV_SV48_LEVELS, RV_SV48X4_GPA_BITS, true };
	default:
		return (struct rv_mode){ RV_SV39_LEVELS, RV_SV39_VA_BITS, false };
	}
}

static bool rv_ia_ok(const struct rv_mode *m, uint64_t ia)
{
	if (m->gstage)
		return (ia >> m->ia_bits) == 0;
	return ref_sign_extended(ia, m->ia_bits);
}

static unsigned int rv_shift(int i)
{
	return RV_PAGE_SHIFT + RV_IDX_BITS * (unsigned int)i;
}

static uint64_t rv_entry_pa(const struct rv_mode *m, uint64_t table, uint64_t ia, int i)
{
	uint64_t mask = (m->gstage && i == m->levels - 1) ? RV_GSTAGE_ROOT_MASK
							   : RV_IDX_MASK;

	return table + ((ia >> rv_shift(i)) & mask) * 8;
}

static uint64_t rv_ppn(uint64_t pte)
{
	return (pte & RV_PTE_PPN) >> RV_PTE_PPN_SHIFT;
}

static unsigned int rv_pbmt(uint64_t pte)
{
	return (unsigned int)((pte & RV_PTE_PBMT) >> RV_PTE_PBMT_SHIFT);
}

/* Step 3 of the translation process, for any valid PTE. */
static bool rv_pte_reserved(uint64_t pte)
{
	if ((pte & RV_PTE_W) && !(pte & RV_PTE_R))
		return true;
	if (pte & (RV_PTE_RSVD | RV_PTE_N))
		return true;
	return rv_pbmt(pte) == RV_PBMT_RSVD;
}

static enum ref_memtype rv_memtype(uint64_t pte)
{
	switch (rv_pbmt(pte)) {
	case RV_PBMT_PMA:
		return REF_MT_NORMAL_WB;
	case RV_PBMT_IO:
		return REF_MT_DEVICE;
	default:
		return REF_MT_OTHER;
	}
}

static enum ref_fault rv_leaf(struct ref_walk *w, const struct rv_mode *m,
			      uint64_t pte, int i, int depth)
{
	struct ref_result *o = w->out;
	uint64_t ppn = rv_ppn(pte);

	/* Step 6: a superpage's low PPN fields must be zero. */
	if (ppn & (REF_BIT(RV_IDX_BITS * (unsigned int)i) - 1))
		return ref_fail(w, REF_FAULT_RESERVED, depth);
	ref_set_oa(w, ppn << RV_PAGE_SHIFT, rv_shift(i), depth);
	o->r = pte & RV_PTE_R;
	o->w = pte & RV_PTE_W;
	o->x = pte & RV_PTE_X;
	o->u = pte & RV_PTE_U;
	o->a = pte & RV_PTE_A;
	o->d = pte & RV_PTE_D;
	o->memtype = rv_memtype(pte);
	/* G-stage: every access is checked as a U-mode access. */
	if (m->gstage && !o->u)
		return ref_fail(w, REF_FAULT_NO_ACCESS, depth);
	return REF_OK;
}

enum ref_fault ref_riscv_walk(struct ref_walk *w)
{
	struct rv_mode m = rv_mode_of(w->cfg->format);
	uint64_t table = w->cfg->root_pa;
	int i;

	if (!rv_ia_ok(&m, w->ia))
		return ref_fail(w, REF_FAULT_ADDRESS, 0);

	for (i = m.levels - 1; i >= 0; i--) {
		int depth = m.levels - 1 - i;
		uint64_t pte = ref_read(w, rv_entry_pa(&m, table, w->ia, i));

		if (!(pte & RV_PTE_V))
			return ref_fail(w, REF_FAULT_NOT_PRESENT, depth);
		if (rv_pte_reserved(pte))
			return ref_fail(w, REF_FAULT_RESERVED, depth);
		if (pte & (RV_PTE_R | RV_PTE_X))
			return rv_leaf(w, &m, pte, i, depth);
		if (pte & RV_PTE_NONLEAF_RSVD)
			return ref_fail(w, REF_FAULT_RESERVED, depth);
		table = rv_ppn(pte) << RV_PAGE_SHIFT;
	}
	/* Step 4: a pointer PTE at the last level. */
	return ref_fail(w, REF_FAULT_NOT_PRESENT, m.levels - 1);
}
