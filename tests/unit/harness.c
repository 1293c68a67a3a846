// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pt_fmt_arm64.h"
#include "pt_fmt_riscv.h"
#include "pt_fmt_x86.h"
#include "../../arch/arm64/pte.h"

struct th_fmt th_fmts[TH_MAX_FMTS];
unsigned int th_nr_fmts;

static struct pt_fmt th_arm_fmts[12];
static unsigned int th_nr_arm;

static void th_add(const char *name, const struct pt_fmt *fmt, enum ref_format rf, bool s2)
{
	if (th_nr_fmts >= TH_MAX_FMTS)
		abort();
	th_fmts[th_nr_fmts++] = (struct th_fmt){
		.name = name, .fmt = fmt, .ref_format = rf, .stage2 = s2,
	};
}

static void th_add_arm_s1(const char *name, u32 ia_bits)
{
	struct pt_fmt *fmt = &th_arm_fmts[th_nr_arm++];

	if (pt_fmt_arm64_s1_el2_init(fmt, ia_bits))
		abort();
	th_add(name, fmt, REF_ARM64_S1_EL2, false);
}

static void th_add_arm_s2(const char *name, u32 ipa_bits, u32 start)
{
	struct pt_fmt *fmt = &th_arm_fmts[th_nr_arm++];

	if (pt_fmt_arm64_s2_init(fmt, ipa_bits, start))
		abort();
	th_add(name, fmt, REF_ARM64_S2, true);
}

static void th_add_arm_s2_fwb(const char *name, u32 ipa_bits, u32 start)
{
	struct pt_fmt *fmt = &th_arm_fmts[th_nr_arm++];

	if (pt_fmt_arm64_s2_fwb_init(fmt, ipa_bits, start))
		abort();
	th_add(name, fmt, REF_ARM64_S2, true);
	th_fmts[th_nr_fmts - 1].s2fwb = true;
}

void th_fmts_init(void)
{
	if (th_nr_fmts)
		return;
	th_add("x86-s1-4l", &pt_fmt_x86_s1_4l, REF_X86_64_S1, false);
	th_add("x86-s1-5l", &pt_fmt_x86_s1_5l, REF_X86_64_S1, false);
	th_add("ept-4l", &pt_fmt_x86_ept_4l, REF_X86_EPT, true);
	th_add("ept-5l", &pt_fmt_x86_ept_5l, REF_X86_EPT, true);
	th_add_arm_s1("arm64-s1-48", 48);
	th_add_arm_s1("arm64-s1-39", 39);
	th_add_arm_s1("arm64-s1-32", 32);
	th_add_arm_s2("arm64-s2-48-l0", 48, 0);
	th_add_arm_s2("arm64-s2-44-l0", 44, 0);
	th_add_arm_s2("arm64-s2-40-l1", 40, 1);
	th_add_arm_s2("arm64-s2-42-l1", 42, 1);
	th_add_arm_s2("arm64-s2-36-l1", 36, 1);
	th_add_arm_s2("arm64-s2-34-l2", 34, 2);
	th_add_arm_s2_fwb("arm64-s2-40-l1-fwb", 40, 1);
	th_add("sv39", &pt_fmt_riscv_sv39, REF_RISCV_SV39, false);
	th_add("sv48", &pt_fmt_riscv_sv48, REF_RISCV_SV48, false);
	th_add("sv39x4", &pt_fmt_riscv_sv39x4, REF_RISCV_SV39X4, true);
	th_add("sv48x4", &pt_fmt_riscv_sv48x4, REF_RISCV_SV48X4, true);
}

const struct th_fmt *th_fmt_find(const char *name)
{
	unsigned int i;

	th_fmts_init();
	for (i = 0; i < th_nr_fmts; i++)
		if (!strcmp(th_fmts[i].name, name))
			return &th_fmts[i];
	return NULL;
}

static struct th_env *th_env_of(struct pt *pt)
{
	return (struct th_env *)pt->priv;	/* the pool is the env's first member */
}

static void th_tlb_drop(struct th_env *env, unsigned int slot, u64 ia, u64 size)
{
	unsigned int cpu;

	for (cpu = 0; cpu < env->nr_cpus; cpu++) {
		struct th_tlb_entry *e = &env->tlb[cpu][slot];

		if (e->valid && e->ia >= ia && e->ia - ia < size)
			e->valid = false;
	}
}

/* The model is direct-mapped by page number: small ranges touch few slots. */
static void th_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	struct th_env *env = pt->tlb_ctx;
	u64 pages = size >> 12, i;

	(void)level;
	(void)why;
	ia &= pt_ia_mask(pt->fmt);
	pthread_mutex_lock(&env->tlb_lock);
	env->nr_inval++;
	for (i = 0; i < MIN(pages, TH_TLB_SLOTS); i++)
		th_tlb_drop(env, (unsigned int)(((ia >> 12) + i) % TH_TLB_SLOTS), ia, size);
	pthread_mutex_unlock(&env->tlb_lock);
}

/* Every pointer a walker follows must lead to a live (or retired) table. */
static void *th_phys_to_virt(struct pt *pt, u64 pa)
{
	struct th_env *env = th_env_of(pt);
	u64 off = pa - TH_ARENA_PA;
	u32 state;

	if (pa < TH_ARENA_PA || off >= env->arena_bytes) {
		fprintf(stderr, "BUG: walker followed pa 0x%llx outside the pool\n",
			(unsigned long long)pa);
		abort();
	}
	state = pt_pool_page_state(&env->pool, (u8 *)env->arena + ALIGN_DOWN(off, 4096));
	if (state != PT_PAGE_USED && state != PT_PAGE_RETIRED) {
		fprintf(stderr, "BUG: walker followed pa 0x%llx into a freed page (state %u)\n",
			(unsigned long long)pa, state);
		abort();
	}
	return pt_pool_mm_ops.phys_to_virt(pt, pa);
}

static struct pt_mm_ops th_mm_ops;
static const struct pt_tlb_ops th_tlb_ops = { .inval = th_tlb_inval };

struct th_env *th_env_new(const struct th_fmt *tf, u64 pool_bytes, unsigned int nr_cpus)
{
	struct th_env *env = calloc(1, sizeof(*env));

	if (!env || posix_memalign(&env->arena, 1 << 16, pool_bytes))
		abort();
	env->tf = tf;
	env->arena_bytes = pool_bytes;
	env->nr_cpus = nr_cpus;
	env->tlb = calloc(nr_cpus, sizeof(*env->tlb));
	pthread_mutex_init(&env->tlb_lock, NULL);
	if (!env->tlb || pt_pool_init(&env->pool, env->arena, TH_ARENA_PA, pool_bytes, nr_cpus))
		abort();
	env->pool.poison = true;
	if (pt_pool_table_init(&env->pool, &env->pt, tf->fmt))
		abort();
	pt_set_tlb_ops(&env->pt, &th_tlb_ops, env);
	th_mm_ops = pt_pool_mm_ops;
	th_mm_ops.phys_to_virt = th_phys_to_virt;
	env->pt.mm = &th_mm_ops;
	return env;
}

void th_env_free(struct th_env *env)
{
	pthread_mutex_destroy(&env->tlb_lock);
	free(env->tlb);
	free(env->arena);
	free(env);
}

static u64 th_read64(void *ctx, u64 pa)
{
	struct th_env *env = ctx;
	u64 off = pa - TH_ARENA_PA;

	if (pa < TH_ARENA_PA || off + 8 > env->arena_bytes || (pa & 7)) {
		fprintf(stderr, "reference walked to pa 0x%llx outside the table pool\n",
			(unsigned long long)pa);
		abort();
	}
	return __atomic_load_n((u64 *)((u8 *)env->arena + off), __ATOMIC_ACQUIRE);
}

struct ref_cfg th_ref_cfg(const struct th_env *env)
{
	const struct pt_fmt *fmt = env->tf->fmt;
	struct ref_cfg cfg = {
		.format = env->tf->ref_format,
		.root_pa = env->pt.root_pa,
		.levels = fmt->levels,
		.ia_bits = fmt->ia_bits,
		.start_level = 4 - fmt->levels,
		.mair = ARM64_MAIR_EL2_VALUE,
		.ept_ad = true,
		.s2fwb = env->tf->s2fwb,
	};

	return cfg;
}

enum ref_fault th_ref(struct th_env *env, u64 ia, struct ref_result *out)
{
	struct ref_cfg cfg = th_ref_cfg(env);

	memset(out, 0, sizeof(*out));
	return ref_translate(&cfg, th_read64, env, ia, out);
}

u32 th_ref_prot(const struct th_env *env, const struct ref_result *r)
{
	u32 mask = env->tf->fmt->prot_mask, prot = 0;

	prot |= r->r ? PT_PROT_R : 0;
	prot |= r->w ? PT_PROT_W : 0;
	prot |= r->x ? PT_PROT_X : 0;
	prot |= (r->u && (mask & PT_PROT_U)) ? PT_PROT_U : 0;
	prot |= r->memtype == REF_MT_DEVICE ? PT_PROT_DEVICE : 0;
	prot |= r->a ? PT_PROT_A : 0;
	prot |= r->d ? PT_PROT_D : 0;
	return prot;
}

bool th_expect_mapped(struct th_env *env, u64 ia, u64 oa, u32 prot, char *why, size_t len)
{
	struct ref_result r;
	u32 want = (prot & env->tf->fmt->prot_mask) | PT_PROT_A, got;

	if (th_ref(env, ia, &r) != REF_OK) {
		snprintf(why, len, "%s: ia 0x%llx should map 0x%llx, reference faults (%d at depth %d)",
			 env->tf->name, (unsigned long long)ia, (unsigned long long)oa,
			 r.fault, r.fault_depth);
		return false;
	}
	got = th_ref_prot(env, &r);
	if (r.pa != oa || got != want || r.memtype == REF_MT_OTHER) {
		snprintf(why, len, "%s: ia 0x%llx -> 0x%llx prot 0x%x mt %d, expected 0x%llx prot 0x%x",
			 env->tf->name, (unsigned long long)ia, (unsigned long long)r.pa, got,
			 r.memtype, (unsigned long long)oa, want);
		return false;
	}
	return true;
}

bool th_expect_unmapped(struct th_env *env, u64 ia, char *why, size_t len)
{
	struct ref_result r;
	enum ref_fault f = th_ref(env, ia, &r);

	if (f == REF_FAULT_NOT_PRESENT)
		return true;
	snprintf(why, len, "%s: ia 0x%llx should be unmapped, reference says fault %d pa 0x%llx",
		 env->tf->name, (unsigned long long)ia, f, (unsigned long long)r.pa);
	return false;
}

void th_tlb_fill(struct th_env *env, unsigned int cpu, u64 ia)
{
	struct ref_result r;
	u64 page = ia & ~0xfffull & pt_ia_mask(env->tf->fmt);
	struct th_tlb_entry *e = &env->tlb[cpu][(page >> 12) % TH_TLB_SLOTS];

	/* Like a hardware walk: atomic with respect to invalidations. */
	pthread_mutex_lock(&env->tlb_lock);
	if (th_ref(env, ia & ~0xfffull, &r) == REF_OK)
		*e = (struct th_tlb_entry){
			.valid = true, .ia = page, .oa = r.pa, .prot = th_ref_prot(env, &r),
		};
	pthread_mutex_unlock(&env->tlb_lock);
}

/* A cached translation may have fewer permissions, never more or another type. */
static bool th_tlb_prot_ok(u32 cached, u32 now)
{
	if ((cached ^ now) & PT_PROT_DEVICE)
		return false;
	return !(cached & ~now & (PT_PROT_RWX | PT_PROT_U));
}

bool th_tlb_check(struct th_env *env, char *why, size_t len)
{
	unsigned int cpu, i;
	bool ok = true;

	pthread_mutex_lock(&env->tlb_lock);
	for (cpu = 0; cpu < env->nr_cpus && ok; cpu++)
		for (i = 0; i < TH_TLB_SLOTS && ok; i++) {
			struct th_tlb_entry *e = &env->tlb[cpu][i];
			struct ref_result r;
			u64 ia = pt_canonical(env->tf->fmt, e->ia);

			if (!e->valid)
				continue;
			if (th_ref(env, ia, &r) != REF_OK || r.pa != e->oa ||
			    !th_tlb_prot_ok(e->prot, th_ref_prot(env, &r))) {
				snprintf(why, len, "%s: cpu %u TLB holds ia 0x%llx -> 0x%llx prot 0x%x, "
					 "table now: fault %d pa 0x%llx prot 0x%x",
					 env->tf->name, cpu, (unsigned long long)ia,
					 (unsigned long long)e->oa, e->prot, r.fault,
					 (unsigned long long)r.pa, th_ref_prot(env, &r));
				ok = false;
			}
		}
	pthread_mutex_unlock(&env->tlb_lock);
	return ok;
}

u32 th_random_prot(const struct th_fmt *tf, u64 *rng)
{
	const struct pt_fmt *fmt = tf->fmt;
	u32 prot;

	do {
		prot = (u32)th_rand(rng) & (PT_PROT_PERM | PT_PROT_D) & fmt->prot_mask;
		if (fmt->flags & PT_FMT_R_IMPLICIT)
			prot |= PT_PROT_R;
	} while (pt_check_prot(fmt, prot));
	return prot;
}

u64 th_seed(u64 fallback)
{
	const char *s = getenv("TEST_SEED");

	return s ? strtoull(s, NULL, 0) : fallback;
}
