// SPDX-License-Identifier: MIT
/*
 * `make bench`, host part: figures as ratios taken in one run, one per line
 * as "BENCH <name> <value> <unit>". Map timings are the median of REPS
 * runs, fault rates the best.
 *   - mapping 1 GiB with 4 KiB pages vs a scalar loop storing the same PTE
 *     words (built without vectorisation, as the hypervisor has no SIMD)
 *   - mapping 1 GiB with 2 MiB leaves vs with 4 KiB pages
 *   - 1, 2, 4 threads faulting disjoint pages through the shared path,
 *     and the same through a global-lock variant kept only for comparison
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pt_fault.h"
#include "pt_fmt_arm64.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define SZ_1G		0x40000000ull
#define POOL_BYTES	(96ull << 20)
#define POOL_PA		0x100000000ull
#define REPS		7
#define FAULTS_PER_THREAD 131072
#define MAX_THREADS	4

static struct pt_pool pool;
static struct pt_fmt fmt;
static struct pt_spinlock global_lock;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void table_new(struct pt *pt)
{
	if (pt_pool_table_init(&pool, pt, &fmt))
		abort();
}

static void table_free(struct pt *pt)
{
	pt_pool_table_destroy(&pool, pt);
	pt_pool_drain(&pool);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return t[n / 2];
}

/* Median time to map 1 GiB at @ia (1 GiB + 2 MiB: no 1 GiB block can be used). */
static double time_map(u64 ia, enum pt_map_flags map_flags)
{
	double t[REPS];
	int rep;

	for (rep = 0; rep < REPS; rep++) {
		struct pt pt;

		table_new(&pt);
		t[rep] = now_ns();
		if (pt_map(&pt, ia, SZ_1G, 4 * SZ_1G + (ia & (SZ_1G - 1)), PT_PROT_RW, map_flags, 0))
			abort();
		t[rep] = now_ns() - t[rep];
		table_free(&pt);
	}
	return median(t, REPS);
}

/*
 * The baseline: the same leaf words, computed as the walker computes a run
 * (first leaf plus i times the step), stored one by one into pages taken
 * from the same pool the same way (first fit, so the pages the walker's
 * tables used).
 */
static double time_store_loop(u64 nr_ptes)
{
	u64 first = fmt.ops->mk_leaf(4 * SZ_1G, 0, PT_PROT_RW | PT_PROT_A);
	u64 step = fmt.ops->mk_leaf(4 * SZ_1G + SZ_4K, 0, PT_PROT_RW | PT_PROT_A) - first;
	double t[REPS];
	int rep;

	for (rep = 0; rep < REPS; rep++) {
		u64 *buf = pt_pool_alloc_contig(&pool, nr_ptes * sizeof(u64)), i;

		if (!buf)
			abort();
		t[rep] = now_ns();
		for (i = 0; i < nr_ptes; i++)
			buf[i] = first + i * step;
		__asm__ volatile("" : : "r"(buf) : "memory");
		t[rep] = now_ns() - t[rep];
		pt_pool_free_contig(&pool, buf, nr_ptes * sizeof(u64));
	}
	return median(t, REPS);
}

struct fault_arg {
	struct pt *pt;
	unsigned int cpu;
	bool locked;
	pthread_barrier_t *start;
	double t_start, t_end;
};

/* The comparison variant: every fault under one lock, the walk exclusive. */
static int fault_locked(struct pt *pt, u64 ia)
{
	int ret;

	pt_spin_lock(&global_lock);
	ret = pt_map(pt, ia, SZ_4K, 4 * SZ_1G + ia, PT_PROT_RW, 0, 0);
	pt_spin_unlock(&global_lock);
	return ret;
}

static void *fault_thread(void *p)
{
	struct fault_arg *a = p;
	u64 base = (u64)a->cpu * FAULTS_PER_THREAD * SZ_4K, i;

	pt_host_cpu = a->cpu;
	pt_cache_topup(&pool, PT_CACHE_PAGES);
	pthread_barrier_wait(a->start);
	a->t_start = now_ns();
	for (i = 0; i < FAULTS_PER_THREAD; i++) {
		u64 ia = base + i * SZ_4K;
		int ret;

		do {
			ret = a->locked ? fault_locked(a->pt, ia) :
				pt_fault_map(&pool, a->pt, ia, SZ_4K, 4 * SZ_1G + ia, PT_PROT_RW);
		} while (ret == -EAGAIN);
		if (ret)
			abort();
	}
	a->t_end = now_ns();
	return NULL;
}

/* The machine's own ceiling: independent arithmetic, no shared memory at all. */
static void *spin_thread(void *p)
{
	volatile u64 x = 0;
	u64 i;

	for (i = 0; i < 100000000; i++)
		x += i;
	(void)p;
	return NULL;
}

static double spin_rate(unsigned int n)
{
	pthread_t tid[MAX_THREADS];
	double best = 0;
	int rep;

	for (rep = 0; rep < 3; rep++) {
		double t = now_ns();
		unsigned int i;

		for (i = 0; i < n; i++)
			pthread_create(&tid[i], NULL, spin_thread, NULL);
		for (i = 0; i < n; i++)
			pthread_join(tid[i], NULL);
		t = n / (now_ns() - t);
		best = t > best ? t : best;
	}
	return best;
}

/* Faults per second with @n threads, each faulting its own pages. */
static double fault_rate(unsigned int n, bool locked)
{
	double best = 0;
	int rep;

	for (rep = 0; rep < REPS; rep++) {
		struct fault_arg args[MAX_THREADS];
		pthread_t tid[MAX_THREADS];
		pthread_barrier_t start;
		struct pt pt;
		unsigned int i;
		double t;

		table_new(&pt);
		double first = 1e30, last = 0;

		pthread_barrier_init(&start, NULL, n);
		for (i = 0; i < n; i++) {
			args[i] = (struct fault_arg){ .pt = &pt, .cpu = i, .locked = locked,
						      .start = &start };
			pthread_create(&tid[i], NULL, fault_thread, &args[i]);
		}
		for (i = 0; i < n; i++) {
			pthread_join(tid[i], NULL);
			first = args[i].t_start < first ? args[i].t_start : first;
			last = args[i].t_end > last ? args[i].t_end : last;
		}
		t = last - first;
		pthread_barrier_destroy(&start);
		pt_host_cpu = MAX_THREADS;
		table_free(&pt);
		t = (double)n * FAULTS_PER_THREAD / t * 1e9;
		best = t > best ? t : best;
	}
	return best;
}

int main(void)
{
	void *arena = aligned_alloc(1 << 21, POOL_BYTES);
	double map4k, map2m, stores, shared[MAX_THREADS + 1], locked[MAX_THREADS + 1];
	unsigned int n;

	if (!arena || pt_pool_init(&pool, arena, POOL_PA, POOL_BYTES, MAX_THREADS + 1) ||
	    pt_fmt_arm64_s2_init(&fmt, 40, 1))
		return 1;
	pt_host_cpu = MAX_THREADS;
	printf("# format %s, pool %llu MiB, maps: median of %d runs, faults: best\n", fmt.name,
	       (unsigned long long)(POOL_BYTES >> 20), REPS);

	map4k = time_map(SZ_1G, PT_MAP_PAGES_ONLY);
	map2m = time_map(SZ_1G + SZ_2M, 0);
	stores = time_store_loop(SZ_1G / SZ_4K);
	printf("BENCH map_1g_4k_vs_store_loop %.2f x\n", map4k / stores);
	printf("BENCH map_1g_4k_ns_per_pte %.2f ns\n", map4k / (SZ_1G / SZ_4K));
	printf("BENCH map_1g_2m_vs_4k %.4f x\n", map2m / map4k);
	printf("BENCH map_1g_2m_ns_per_pte %.1f ns\n", map2m / (SZ_1G / SZ_2M));

	for (n = 1; n <= MAX_THREADS; n *= 2) {
		shared[n] = fault_rate(n, false);
		locked[n] = fault_rate(n, true);
	}
	printf("BENCH fault_shared_1t_ns_per_fault %.1f ns\n", 1e9 / shared[1]);
	printf("BENCH fault_lock_1t_ns_per_fault %.1f ns\n", 1e9 / locked[1]);
	printf("BENCH fault_shared_vs_lock_1t %.2f x\n", shared[1] / locked[1]);
	printf("BENCH cpu_2t_vs_1t %.2f x\n", spin_rate(2) / spin_rate(1));
	for (n = 2; n <= MAX_THREADS; n *= 2) {
		printf("BENCH fault_shared_%ut_vs_1t %.2f x\n", n, shared[n] / shared[1]);
		printf("BENCH fault_lock_%ut_vs_1t %.2f x\n", n, locked[n] / locked[1]);
		printf("BENCH fault_shared_vs_lock_%ut %.2f x\n", n, shared[n] / locked[n]);
	}
	free(arena);
	return 0;
}
