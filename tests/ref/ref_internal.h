/* SPDX-License-Identifier: MIT */
/*
 * Private helpers shared by the reference translators (ref_*.c).
 * Nothing here is architectural: the per-architecture files carry their own
 * named constants with the manual section they come from.
 */
#ifndef REF_INTERNAL_H
#define REF_INTERNAL_H

#include "ref.h"

#define REF_BIT(n)		(1ull << (n))
/* Bits hi..lo inclusive, hi >= lo, both in 0..63. */
#define REF_GENMASK(hi, lo)	((~0ull >> (63 - (hi))) & ~(REF_BIT(lo) - 1))

/* Everything a walk needs to read table memory. */
struct ref_walk {
	const struct ref_cfg *cfg;
	ref_read64_fn rd;
	void *ctx;
	uint64_t ia;
	struct ref_result *out;
};

static inline uint64_t ref_read(const struct ref_walk *w, uint64_t pa)
{
	return w->rd(w->ctx, pa);
}

/* Records a fault; all other result fields stay as they are (zero). */
static inline enum ref_fault ref_fail(const struct ref_walk *w,
				      enum ref_fault f, int depth)
{
	w->out->fault = f;
	w->out->fault_depth = depth;
	return f;
}

/*
 * Fills the output address of a leaf: bits above page_shift come from the
 * leaf's output base, the bits below from the input address.
 */
static inline void ref_set_oa(const struct ref_walk *w, uint64_t base,
			      unsigned int page_shift, int depth)
{
	uint64_t off = REF_BIT(page_shift) - 1;

	w->out->pa = (base & ~off) | (w->ia & off);
	w->out->page_shift = page_shift;
	w->out->fault_depth = depth;
}

/* True if bits 63..(bits - 1) of ia are all equal (sign extension). */
static inline bool ref_sign_extended(uint64_t ia, unsigned int bits)
{
	uint64_t top = ia >> (bits - 1);

	return top == 0 || top == (~0ull >> (bits - 1));
}

enum ref_fault ref_x86_s1_walk(struct ref_walk *w);
enum ref_fault ref_x86_ept_walk(struct ref_walk *w);
enum ref_fault ref_arm64_s1_walk(struct ref_walk *w);
enum ref_fault ref_arm64_s2_walk(struct ref_walk *w);
enum ref_fault ref_riscv_walk(struct ref_walk *w);

#endif
