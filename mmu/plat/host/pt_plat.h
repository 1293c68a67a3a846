/* SPDX-License-Identifier: MIT */
/* Platform glue for the hosted build: the host unit tests and benchmarks. */
#ifndef PT_PLAT_H
#define PT_PLAT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define pt_log(...)	fprintf(stderr, __VA_ARGS__)
#define pt_zero_pages(va, bytes)	memset(va, 0, bytes)

#define PT_BUG_ON(cond)							\
	do {								\
		if (cond) {						\
			fprintf(stderr, "BUG: %s at %s:%d\n", #cond,	\
				__FILE__, __LINE__);			\
			abort();					\
		}							\
	} while (0)

/* The host "CPU" is a thread: tests and benchmarks set it per thread. */
extern _Thread_local unsigned int pt_host_cpu;

static inline unsigned int pt_this_cpu(void)
{
	return pt_host_cpu;
}

/* Full barrier: orders earlier stores before later loads. */
static inline void pt_smp_mb(void)
{
#if defined(__SANITIZE_THREAD__)
	/* ThreadSanitizer does not model fences; it does model this. */
	static unsigned int pt_mb_word;

	__atomic_fetch_add(&pt_mb_word, 0, __ATOMIC_SEQ_CST);
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/* Store @v to *@p, then a full barrier (Linux's smp_store_mb()). */
#define pt_store_mb(p, v)						\
	do {								\
		__atomic_store_n((p), (v), __ATOMIC_SEQ_CST);		\
		pt_smp_mb();						\
	} while (0)

static inline void pt_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

#endif
