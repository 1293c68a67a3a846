/* SPDX-License-Identifier: MIT */
/* Host test harness: a table pool in ordinary memory, every format with its
 * reference-translator configuration, a per-CPU TLB model and a seeded RNG. */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <pthread.h>

#include "pt_alloc.h"
#include "ref.h"

#define TH_ARENA_PA	0x100000000ull	/* fake physical address of the pool */
#define TH_MAX_FMTS	24
#define TH_TLB_SLOTS	1024

struct th_fmt {
	const char *name;
	const struct pt_fmt *fmt;
	enum ref_format ref_format;
	bool stage2;
	bool s2fwb;	/* arm64 stage 2 for HCR_EL2.FWB = 1 */
};

/* Every format and shape under test; ARM ones are built from VTCR-like inputs. */
extern struct th_fmt th_fmts[TH_MAX_FMTS];
extern unsigned int th_nr_fmts;
void th_fmts_init(void);
const struct th_fmt *th_fmt_find(const char *name);

struct th_tlb_entry {
	bool valid;
	u64 ia;			/* 4 KiB page */
	u64 oa;
	u32 prot;		/* PT_PROT_* as the reference saw it */
};

struct th_env {
	struct pt_pool pool;	/* first: pt->priv is the pool, the env contains it */
	struct pt pt;
	const struct th_fmt *tf;
	void *arena;
	u64 arena_bytes;
	pthread_mutex_t tlb_lock;
	unsigned int nr_cpus;
	struct th_tlb_entry (*tlb)[TH_TLB_SLOTS];
	u64 nr_inval;
};

struct th_env *th_env_new(const struct th_fmt *tf, u64 pool_bytes, unsigned int nr_cpus);
void th_env_free(struct th_env *env);

struct ref_cfg th_ref_cfg(const struct th_env *env);
enum ref_fault th_ref(struct th_env *env, u64 ia, struct ref_result *out);
u32 th_ref_prot(const struct th_env *env, const struct ref_result *r);

/* Does the reference translator see @ia mapped to @oa with @prot (or unmapped)? */
bool th_expect_mapped(struct th_env *env, u64 ia, u64 oa, u32 prot, char *why, size_t len);
bool th_expect_unmapped(struct th_env *env, u64 ia, char *why, size_t len);

/* The TLB model: a fill caches what the reference sees now. */
void th_tlb_fill(struct th_env *env, unsigned int cpu, u64 ia);
/* Every cached translation still matches the table: false + @why if not. */
bool th_tlb_check(struct th_env *env, char *why, size_t len);

/* A valid random permission set for the format. */
u32 th_random_prot(const struct th_fmt *tf, u64 *rng);

static inline u64 th_rand(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline u64 th_rand_below(u64 *s, u64 n)
{
	return n ? th_rand(s) % n : 0;
}

/* Seed from $TEST_SEED, or a fixed default so runs repeat. */
u64 th_seed(u64 fallback);

#endif
