/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's set of pending virtual interrupts that its own CPU has not yet
 * handed to the hardware (arm64 list registers; later RISC-V hvip, x86
 * posted interrupts). Any CPU raises an interrupt in it, then wakes the
 * vCPU's CPU; only that CPU takes interrupts out. Lock-free.
 */
#ifndef HYP_VIRQ_H
#define HYP_VIRQ_H

#include "types.h"

#define VIRQ_MAX		64	/* interrupt ids 0-63 */
#define VIRQ_WORDS		(VIRQ_MAX / 32)

struct virq_set {
	u32 word[VIRQ_WORDS];
};

/* Mark @irq pending: false if out of range (nothing done). */
static inline bool virq_raise(struct virq_set *s, u32 irq)
{
	if (irq >= VIRQ_MAX)
		return false;
	__atomic_fetch_or(&s->word[irq / 32], 1u << (irq % 32), __ATOMIC_RELEASE);
	return true;
}

/* Take the pending ids of word @w (ids 32 * @w + 0-31) out of the set. */
static inline u32 virq_take(struct virq_set *s, u32 w)
{
	return __atomic_exchange_n(&s->word[w], 0, __ATOMIC_ACQUIRE);
}

/* Put ids taken out of word @w back, not yet delivered. */
static inline void virq_put_back(struct virq_set *s, u32 w, u32 bits)
{
	if (bits)
		__atomic_fetch_or(&s->word[w], bits, __ATOMIC_RELEASE);
}

static inline u32 virq_peek(const struct virq_set *s, u32 w)
{
	return __atomic_load_n(&s->word[w], __ATOMIC_ACQUIRE);
}

static inline void virq_clear(struct virq_set *s, u32 w, u32 bits)
{
	__atomic_fetch_and(&s->word[w], ~bits, __ATOMIC_RELEASE);
}

#endif
