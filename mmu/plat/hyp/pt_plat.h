/* SPDX-License-Identifier: MIT */
/* Platform glue for the freestanding hypervisor build (no libc). */
#ifndef PT_PLAT_H
#define PT_PLAT_H

#include <stddef.h>
#include <stdint.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void hyp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hyp_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
unsigned int hyp_this_cpu(void);
void arch_zero_pages(void *va, uint64_t bytes);	/* hyp/arch/mm.h */

#define pt_zero_pages(va, bytes)	arch_zero_pages(va, bytes)

#define pt_log(...)	hyp_log(__VA_ARGS__)

#define PT_BUG_ON(cond)							\
	do {								\
		if (cond)						\
			hyp_panic("BUG: %s at %s:%d\n", #cond,		\
				  __FILE__, __LINE__);			\
	} while (0)

#if defined(__riscv)
/* tp holds the hart's CPU index (riscv_this_cpu(), arch/riscv64/riscv64.h): no call. */
static inline unsigned int pt_this_cpu(void)
{
	unsigned long cpu;

	__asm__ volatile("mv %0, tp" : "=r"(cpu));
	return (unsigned int)cpu;
}
#elif defined(__x86_64__) && !__STDC_HOSTED__
/* GS points at this CPU's struct x86_percpu, its index at offset 0 (arch/x86_64/x86.h). */
static inline unsigned int pt_this_cpu(void)
{
	unsigned int cpu;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(cpu));
	return cpu;
}
#else
static inline unsigned int pt_this_cpu(void)
{
	return hyp_this_cpu();
}
#endif

/* Full barrier: orders earlier stores before later loads. */
static inline void pt_smp_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * Store @v to *@p, then a full barrier (Linux's smp_store_mb()). On x86 an
 * XCHG is both: a locked instruction, which orders every earlier and later
 * load and store (SDM Vol. 3A 9.2.2; an XCHG with memory is always
 * locked, 9.1.2.2), so no separate fence.
 */
#if defined(__x86_64__) && !__STDC_HOSTED__
#define pt_store_mb(p, v)	((void)__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST))
#else
#define pt_store_mb(p, v)						\
	do {								\
		__atomic_store_n((p), (v), __ATOMIC_SEQ_CST);		\
		pt_smp_mb();						\
	} while (0)
#endif

#if defined(__riscv)
void riscv_gvma_relax(void);	/* arch/riscv64/gvma_shootdown.c */
#endif

/*
 * A spin-wait's step. On RISC-V the hart waited for may itself wait for
 * this one to answer a G-stage shootdown (interrupts are off here).
 */
static inline void pt_cpu_relax(void)
{
#if defined(__riscv)
	riscv_gvma_relax();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#elif defined(__x86_64__)
	__asm__ volatile("pause" ::: "memory");
#else
	__asm__ volatile("nop" ::: "memory");
#endif
}

#endif
