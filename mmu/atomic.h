/* SPDX-License-Identifier: MIT */
/*
 * PTE accessors and a spinlock on the compiler's __atomic builtins, which
 * both the hosted and the freestanding builds have. 64-bit PTE loads and
 * stores must be single-copy atomic: a torn read would be a torn PTE.
 */
#ifndef MMU_ATOMIC_H
#define MMU_ATOMIC_H

#include "types.h"
#include "pt_plat.h"

static inline u64 pte_read(const u64 *ptep)
{
	return __atomic_load_n(ptep, __ATOMIC_ACQUIRE);
}

static inline void pte_write(u64 *ptep, u64 pte)
{
	__atomic_store_n(ptep, pte, __ATOMIC_RELEASE);
}

static inline void pte_write_relaxed(u64 *ptep, u64 pte)
{
	__atomic_store_n(ptep, pte, __ATOMIC_RELAXED);
}

/* On failure *old is refreshed with the value found. */
static inline bool pte_try_cmpxchg(u64 *ptep, u64 *old, u64 new)
{
	return __atomic_compare_exchange_n(ptep, old, new, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

struct pt_spinlock {
	u32 locked;
};

static inline void pt_spin_lock(struct pt_spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			pt_cpu_relax();
}

static inline void pt_spin_unlock(struct pt_spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
