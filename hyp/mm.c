// SPDX-License-Identifier: MIT
/*
 * The hypervisor's own stage-1 tables: which ranges, which permissions,
 * the self-check, built through the walker with translation still off (an
 * early pool: no lock, so no exclusive accesses to memory that is not yet
 * cacheable). The arch supplies the format and turns translation on.
 */
#include "arch/mm.h"
#include "arch/tlb.h"
#include "console.h"
#include "mm.h"
#include "pt_alloc.h"
#include "vm.h"

#define HYP_PT_POOL_SIZE	(2u << 20)
#define HYP_PAGE		4096ull

/*
 * Outside the BSS, which head.S clears word by word: pt_pool_init() sets
 * up what it needs and a page is zeroed when it is first taken.
 */
#define HYP_NOINIT	__attribute__((section(".noinit.hyp_pt")))

static u8 hyp_pt_area[HYP_PT_POOL_SIZE] HYP_NOINIT __attribute__((aligned(HYP_PAGE)));
static struct pt_pool hyp_pt_pool HYP_NOINIT;
static struct pt_fmt hyp_pt_fmt;
static struct pt hyp_pt;

static u64 pa_of(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int mm_map(const char *what, u64 start, u64 end, u32 prot)
{
	int ret;

	start = ALIGN_DOWN(start, HYP_PAGE);
	end = ALIGN_UP(end, HYP_PAGE);
	if (start >= end)
		return 0;
	ret = pt_map(&hyp_pt, start, end - start, start, pt_prot_dirty(hyp_pt.fmt, prot), 0, 0);
	if (ret)
		hyp_log("hyp: mapping %s 0x%llx - 0x%llx failed: %d\n", what,
			(unsigned long long)start, (unsigned long long)end, ret);
	return ret;
}

/* The image's data (RW) goes with the RAM after it when that holds it. */
static int mm_map_image(bool data)
{
	int ret = mm_map("text", pa_of(_start), pa_of(_etext), PT_PROT_R | PT_PROT_X);

	if (!ret)
		ret = mm_map("rodata", pa_of(_etext), pa_of(_erodata), PT_PROT_R);
	if (!ret && data)
		ret = mm_map("data", pa_of(_erodata), pa_of(_end), PT_PROT_RW);
	return ret;
}

static bool mm_image_in(const struct boot_range *r)
{
	return pa_of(_start) >= r->base && pa_of(_end) - r->base <= r->size;
}

/*
 * RAM around the image, whose text and rodata keep their own permissions.
 * Its data and the RAM after it are one RW range: the walker puts 2 MiB
 * blocks from the first boundary on rather than pages up to the next.
 */
static int mm_map_ram(const struct boot_range *r)
{
	u64 start = ALIGN_UP(r->base, HYP_PAGE);
	u64 end = ALIGN_DOWN(r->base + r->size, HYP_PAGE);
	u64 img_start = pa_of(_start), img_end = pa_of(_end);
	int ret;

	if (mm_image_in(r))
		img_end = pa_of(_erodata);
	if (end <= img_start || start >= img_end)
		return mm_map("RAM", start, end, PT_PROT_RW);
	ret = mm_map("RAM", start, MIN(end, img_start), PT_PROT_RW);
	if (!ret)
		ret = mm_map("RAM", MAX(start, img_end), end, PT_PROT_RW);
	return ret;
}

static bool mm_in_ram(const struct boot_info *bi, const struct boot_range *r)
{
	for (u32 i = 0; i < bi->nr_ram; i++)
		if (r->base >= bi->ram[i].base &&
		    r->base + r->size <= bi->ram[i].base + bi->ram[i].size)
			return true;
	return false;
}

static int mm_build(const struct boot_info *bi)
{
	const struct boot_range *fw = &bi->fw_table, *con = &bi->console;
	bool data = true;
	int ret = 0;

	for (u32 i = 0; i < bi->nr_ram; i++)
		data = data && !mm_image_in(&bi->ram[i]);
	/*
	 * RAM first: the biggest range then fills the tables it creates without
	 * checking their entries are empty (the walker knows them fresh).
	 */
	for (u32 i = 0; !ret && i < bi->nr_ram; i++)
		ret = mm_map_ram(&bi->ram[i]);
	if (!ret)
		ret = mm_map_image(data);
	if (!ret && fw->size && !mm_in_ram(bi, fw))
		ret = mm_map("firmware table", fw->base, fw->base + fw->size, PT_PROT_R);
	if (!ret && con->size)
		ret = mm_map("console", con->base, con->base + con->size,
			     PT_PROT_RW | PT_PROT_DEVICE);
	for (u32 i = 0; !ret && i < bi->nr_devices && i < BOOT_MAX_DEVICES; i++)
		ret = mm_map("device", bi->devices[i].base,
			     bi->devices[i].base + bi->devices[i].size, PT_PROT_RW | PT_PROT_DEVICE);
	return ret;
}

/* What the walker reads back at @va must be an identity map with @prot. */
static int mm_check_one(const char *what, u64 va, u32 prot)
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

static int mm_check(const struct boot_info *bi)
{
	int ret = mm_check_one("text", pa_of(_start), PT_PROT_R | PT_PROT_X);

	if (!ret)
		ret = mm_check_one("rodata", pa_of(_etext), PT_PROT_R);
	if (!ret)
		ret = mm_check_one("data", pa_of(_erodata), PT_PROT_RW);
	if (!ret)
		ret = mm_check_one("RAM", ALIGN_UP(bi->ram[0].base, HYP_PAGE), PT_PROT_RW);
	if (!ret && bi->console.size)
		ret = mm_check_one("console", bi->console.base, PT_PROT_RW | PT_PROT_DEVICE);
	return ret;
}

static void mm_s1_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	(void)pt;
	(void)level;
	arch_tlb_s1_inval(ia, size, why);
}

static const struct pt_tlb_ops mm_s1_tlb_ops = {
	.inval = mm_s1_tlb_inval,
};

int hyp_mm_init(const struct boot_info *bi)
{
	int ret = arch_mm_s1_fmt(&hyp_pt_fmt);

	if (!ret)
		/* The CPUs found (hyp_main()): per-CPU state set and invalidated for those only. */
		ret = pt_pool_init(&hyp_pt_pool, hyp_pt_area, pa_of(hyp_pt_area),
				   sizeof(hyp_pt_area), hyp_cpu_count());
	if (ret)
		return ret;
	pt_pool_set_early(&hyp_pt_pool, true);
	ret = pt_pool_table_init(&hyp_pt_pool, &hyp_pt, &hyp_pt_fmt);
	if (!ret)
		ret = mm_build(bi);
	if (!ret)
		ret = mm_check(bi);
	if (!ret)
		ret = arch_mm_enable(&hyp_pt);
	if (ret)
		return ret;
	pt_pool_set_early(&hyp_pt_pool, false);
	pt_set_tlb_ops(&hyp_pt, &mm_s1_tlb_ops, NULL);
	return 0;
}
