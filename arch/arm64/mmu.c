// SPDX-License-Identifier: MIT
/*
 * The EL2 stage-1 side of the contract: the format of the tables hyp/mm.c
 * lays out (an identity map, VA == PA), turning the MMU on with them on
 * each CPU, and TLB maintenance once it is on.
 */
#include "arch/mm.h"
#include "arch/tlb.h"
#include "lib/string.h"
#include "arm64.h"
#include "pt_alloc.h"
#include "pt_fmt_arm64.h"
#include "pte.h"
#include "sysreg.h"

#define HYP_VA_BITS		48
#define HYP_PAGE		4096ull
#define TLBI_PAGES_MAX		512	/* larger ranges: invalidate everything */

struct arm64_mmu_regs arm64_mmu_regs;

int arch_mm_s1_fmt(struct pt_fmt *fmt)
{
	return pt_fmt_arm64_s1_el2_init(fmt, HYP_VA_BITS);
}

/* TCR_EL2 for a @va_bits input range and the CPU's physical address size. */
static int tcr_value(u32 va_bits, u64 *tcr)
{
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	u64 ps = MIN(mmfr0 & ID_AA64MMFR0_PARANGE_MASK, ID_AA64MMFR0_PARANGE_48);

	if (((mmfr0 >> ID_AA64MMFR0_TGRAN4_SHIFT) & 0xf) == ID_AA64MMFR0_TGRAN4_NONE)
		return -EINVAL;
	*tcr = TCR_EL2_RES1 | (u64)(64 - va_bits) << TCR_EL2_T0SZ_SHIFT |
	       TCR_EL2_IRGN0_WBWA | TCR_EL2_ORGN0_WBWA | TCR_EL2_SH0_INNER |
	       TCR_EL2_TG0_4K | ps << TCR_EL2_PS_SHIFT;
	return 0;
}

static void inval_range(const void *start, u64 bytes)
{
	arm64_dcache_inval_range((u64)(uintptr_t)start, (u64)(uintptr_t)start + bytes);
}

/*
 * What was written with the MMU off went straight to memory: drop any
 * stale cache lines over it before it is read through the caches. That is
 * .data and .bss, the boot CPU's stack from its pointer up (below it
 * nothing is read before it is written again), the table pool's
 * bookkeeping and the pages it handed out (@pool: the stage 1's, in
 * .noinit), and what head.S relocated (it invalidates each word itself).
 * The rest of the image was only read; booting.rst has it cleaned to the
 * PoC.
 */
static void inval_early_writes(const struct pt_pool *pool)
{
	u64 sp;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	inval_range(_erodata, (u64)(__bss_end - _erodata));
	inval_range((const void *)(uintptr_t)sp, (u64)(uintptr_t)(hyp_stacks + HYP_STACK_SIZE) - sp);
	inval_range(pool, pt_pool_struct_bytes(pool));
	inval_range(pool->base, pt_pool_bytes_zeroed(pool));
}

/* The secondaries load arm64_mmu_regs in head.S, MMU off, before their stacks. */
int arch_mm_enable(const struct pt *s1)
{
	int ret = tcr_value(HYP_VA_BITS, &arm64_mmu_regs.tcr);

	if (ret)
		return ret;
	arm64_mmu_regs.mair = ARM64_MAIR_EL2_VALUE;
	arm64_mmu_regs.ttbr0 = s1->root_pa;
	arm64_mmu_regs.sctlr = SCTLR_EL2_MMU_ON;
	dsb_ish();
	inval_early_writes(s1->priv);
	arm64_mmu_enable(&arm64_mmu_regs);
	return 0;
}

/* TLBI ...IS reaches every CPU in the inner-shareable domain. */
void arch_tlb_s1_inval(u64 va, u64 size, u32 why)
{
	dsb_ishst();
	if ((why & PT_INVAL_TABLE) || size > TLBI_PAGES_MAX * HYP_PAGE) {
		__asm__ volatile("tlbi alle2is" ::: "memory");
	} else {
		for (u64 a = va; a < va + size; a += HYP_PAGE)
			__asm__ volatile("tlbi vae2is, %0" :: "r"(a >> 12) : "memory");
	}
	dsb_ish();
	isb();
}

#define ZVA_UNROLL	4

/*
 * DC ZVA only on Normal memory (with the MMU off all memory is Device and
 * it faults), only where DCZID_EL0 allows it, in whole groups of blocks.
 */
void arch_zero_pages(void *va, u64 bytes)
{
	u64 dczid = read_sysreg(dczid_el0);
	u64 block = 4ull << (dczid & DCZID_EL0_BS_MASK);
	u64 a = (u64)(uintptr_t)va, end = a + bytes;

	if (!(read_sysreg(sctlr_el2) & SCTLR_EL2_M) || (dczid & DCZID_EL0_DZP) ||
	    ((a | bytes) & (ZVA_UNROLL * block - 1))) {
		memset(va, 0, bytes);
		return;
	}
	for (; a < end; a += ZVA_UNROLL * block)
		__asm__ volatile("dc zva, %0\n\tdc zva, %1\n\tdc zva, %2\n\tdc zva, %3"
				 :: "r"(a), "r"(a + block), "r"(a + 2 * block), "r"(a + 3 * block)
				 : "memory");
}
