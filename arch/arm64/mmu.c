// SPDX-License-Identifier: MIT
/*
 * The hypervisor's own EL2 stage-1 tables, built through the walker while
 * the MMU is still off, then loaded on every CPU. Identity map: VA == PA.
 */
#include "arm64.h"
#include "console.h"
#include "hyp.h"
#include "pl011.h"
#include "pt_alloc.h"
#include "pt_fmt_arm64.h"
#include "pte.h"
#include "sysreg.h"

#define HYP_PT_POOL_SIZE	(2u << 20)
#define HYP_VA_BITS		48
#define HYP_PAGE		4096ull
#define TLBI_PAGES_MAX		512	/* larger ranges: invalidate everything */

static u8 hyp_pt_area[HYP_PT_POOL_SIZE] __attribute__((aligned(HYP_PAGE)));
static struct pt_pool hyp_pt_pool;
static struct pt_fmt hyp_pt_fmt;
static struct pt hyp_pt;
struct arm64_mmu_regs arm64_mmu_regs;

static u64 pa_of(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int map(const char *what, u64 start, u64 end, u32 prot)
{
	int ret;

	start = ALIGN_DOWN(start, HYP_PAGE);
	end = ALIGN_UP(end, HYP_PAGE);
	if (start >= end)
		return 0;
	ret = pt_map(&hyp_pt, start, end - start, start, prot, 0, 0);
	if (ret)
		hyp_log("hyp: mapping %s 0x%llx - 0x%llx failed: %d\n", what,
			(unsigned long long)start, (unsigned long long)end, ret);
	return ret;
}

static int map_image(void)
{
	int ret = map("text", pa_of(_start), pa_of(_etext), PT_PROT_R | PT_PROT_X);

	if (!ret)
		ret = map("rodata", pa_of(_etext), pa_of(_erodata), PT_PROT_R);
	if (!ret)
		ret = map("data", pa_of(_erodata), pa_of(_end), PT_PROT_RW);
	return ret;
}

/* RAM around the image, whose pages keep their own permissions. */
static int map_ram(const struct fdt_range *r)
{
	u64 start = ALIGN_UP(r->base, HYP_PAGE);
	u64 end = ALIGN_DOWN(r->base + r->size, HYP_PAGE);
	u64 img_start = pa_of(_start), img_end = pa_of(_end);
	int ret;

	if (end <= img_start || start >= img_end)
		return map("RAM", start, end, PT_PROT_RW);
	ret = map("RAM", start, MIN(end, img_start), PT_PROT_RW);
	if (!ret)
		ret = map("RAM", MAX(start, img_end), end, PT_PROT_RW);
	return ret;
}

static bool in_ram(const struct hyp_mem *mem, u64 start, u64 end)
{
	for (u32 i = 0; i < mem->nr_ram; i++)
		if (start >= mem->ram[i].base &&
		    end <= mem->ram[i].base + mem->ram[i].size)
			return true;
	return false;
}

static int build_tables(const struct hyp_mem *mem)
{
	u64 uart = pl011_base();
	int ret = map_image();

	for (u32 i = 0; !ret && i < mem->nr_ram; i++)
		ret = map_ram(&mem->ram[i]);
	if (!ret && !in_ram(mem, mem->dtb, mem->dtb + mem->dtb_size))
		ret = map("DTB", mem->dtb, mem->dtb + mem->dtb_size, PT_PROT_R);
	if (!ret)
		ret = map("UART", uart, uart + PL011_MMIO_SIZE,
			  PT_PROT_RW | PT_PROT_DEVICE);
	return ret;
}

/* What the walker reads back at @va must be an identity map with @prot. */
static int check_one(const char *what, u64 va, u32 prot)
{
	struct pt_lookup l;
	int ret = pt_lookup(&hyp_pt, va, &l);

	if (!ret && (l.oa != va || (l.prot & PT_PROT_PERM) != prot))
		ret = -EINVAL;
	if (ret)
		hyp_log("hyp: %s at 0x%llx: mapping check failed (%d)\n", what,
			(unsigned long long)va, ret);
	return ret;
}

static int check_tables(const struct hyp_mem *mem)
{
	int ret = check_one("text", pa_of(_start), PT_PROT_R | PT_PROT_X);

	if (!ret)
		ret = check_one("rodata", pa_of(_etext), PT_PROT_R);
	if (!ret)
		ret = check_one("data", pa_of(_erodata), PT_PROT_RW);
	if (!ret)
		ret = check_one("RAM", ALIGN_UP(mem->ram[0].base, HYP_PAGE), PT_PROT_RW);
	if (!ret)
		ret = check_one("UART", pl011_base(), PT_PROT_RW | PT_PROT_DEVICE);
	return ret;
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

/* Once the MMU is on, the walker's changes must reach every CPU's TLB. */
static void arm64_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	(void)pt;
	(void)level;
	dsb_ishst();
	if ((why & PT_INVAL_TABLE) || size > TLBI_PAGES_MAX * HYP_PAGE) {
		__asm__ volatile("tlbi alle2is" ::: "memory");
	} else {
		for (u64 va = ia; va < ia + size; va += HYP_PAGE)
			__asm__ volatile("tlbi vae2is, %0" :: "r"(va >> 12) : "memory");
	}
	dsb_ish();
	isb();
}

static const struct pt_tlb_ops arm64_tlb_ops = { .inval = arm64_tlb_inval };

int arch_mmu_init(const struct hyp_mem *mem)
{
	int ret = pt_fmt_arm64_s1_el2_init(&hyp_pt_fmt, HYP_VA_BITS);

	if (!ret)
		ret = pt_pool_init(&hyp_pt_pool, hyp_pt_area, pa_of(hyp_pt_area),
				   sizeof(hyp_pt_area), HYP_MAX_CPUS);
	if (!ret)
		ret = pt_pool_table_init(&hyp_pt_pool, &hyp_pt, &hyp_pt_fmt);
	if (!ret)
		ret = build_tables(mem);
	if (!ret)
		ret = check_tables(mem);
	if (!ret)
		ret = tcr_value(HYP_VA_BITS, &arm64_mmu_regs.tcr);
	if (ret)
		return ret;
	arm64_mmu_regs.mair = ARM64_MAIR_EL2_VALUE;
	arm64_mmu_regs.ttbr0 = hyp_pt.root_pa;
	arm64_mmu_regs.sctlr = SCTLR_EL2_MMU_ON;
	/*
	 * Everything so far was written with the MMU off, straight to memory:
	 * drop any stale cache lines over the image (tables, stacks, data)
	 * before reading it through the caches.
	 */
	dsb_ish();
	arm64_dcache_inval_range(pa_of(_start), pa_of(_end));
	arm64_mmu_enable(&arm64_mmu_regs);
	pt_set_tlb_ops(&hyp_pt, &arm64_tlb_ops, NULL);
	return 0;
}
