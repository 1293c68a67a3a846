// SPDX-License-Identifier: MIT
/*
 * Stage 2 on arm64: the walker's format for a 40-bit IPA space starting at
 * Arm level 1 (two concatenated root tables), VTCR_EL2 and VTTBR_EL2 to
 * match, TLB maintenance by IPA for the pool's hook, and the cache
 * maintenance that makes guest pages the hypervisor wrote visible to a
 * guest running with its MMU (and so its caches) off.
 */
#include "arm64.h"
#include "console.h"
#include "hvc_abi.h"
#include "lib/string.h"
#include "page_alloc.h"
#include "pt_fmt_arm64.h"
#include "sysreg.h"
#include "vm.h"

#define S2_IPA_BITS		40
#define S2_START_LEVEL		1		/* Arm level; 2 concatenated tables */
#define S2_TLBI_PAGES_MAX	64		/* larger ranges: the whole VMID */
#define PARANGE_BITS		{ 32, 36, 40, 42, 44, 48, 52 }

/* boot/arm64/guest_images.S */
extern const u8 guest_hello_start[], guest_hello_end[];
extern const u8 guest_fault_start[], guest_fault_end[];
extern const u8 guest_smp_start[], guest_smp_end[];
extern const u8 guest_memtouch_start[], guest_memtouch_end[];
extern const u8 guest_bench_start[], guest_bench_end[];
extern const u8 guest_hostile_start[], guest_hostile_end[];
extern const u8 guest_stop_start[], guest_stop_end[];
extern const u8 guest_reset_start[], guest_reset_end[];

static const struct {
	const char *name;
	const u8 *start, *end;
} guest_images[] = {
	{ "hello", guest_hello_start, guest_hello_end },
	{ "fault", guest_fault_start, guest_fault_end },
	{ "smp", guest_smp_start, guest_smp_end },
	{ "memtouch", guest_memtouch_start, guest_memtouch_end },
	{ "bench", guest_bench_start, guest_bench_end },
	{ "hostile", guest_hostile_start, guest_hostile_end },
	{ "stop", guest_stop_start, guest_stop_end },
	{ "reset", guest_reset_start, guest_reset_end },
};

static int vtcr_value(u64 *vtcr)
{
	static const u8 bits[] = PARANGE_BITS;
	u64 ps = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	ps = MIN(ps, ID_AA64MMFR0_PARANGE_48);	/* descriptors hold 48-bit addresses */
	if (bits[ps] < S2_IPA_BITS) {
		hyp_log("hyp: a %u-bit IPA space needs more than %u-bit PAs\n",
			S2_IPA_BITS, bits[ps]);
		return -EINVAL;
	}
	*vtcr = VTCR_EL2_RES1 | (u64)(64 - S2_IPA_BITS) << VTCR_EL2_T0SZ_SHIFT |
		VTCR_EL2_SL0_LEVEL1 << VTCR_EL2_SL0_SHIFT | VTCR_EL2_IRGN0_WBWA |
		VTCR_EL2_ORGN0_WBWA | VTCR_EL2_SH0_INNER | VTCR_EL2_TG0_4K |
		ps << VTCR_EL2_PS_SHIFT;
	return 0;
}

int arch_vm_init(struct vm *vm)
{
	int ret = pt_fmt_arm64_s2_init(&vm->s2_fmt, S2_IPA_BITS, S2_START_LEVEL);

	if (!ret && vm->vmid > VTTBR_EL2_VMID_MASK)
		ret = -ERANGE;
	if (!ret)
		ret = vtcr_value(&vm->arch_vtcr);
	if (!ret)
		ret = vm_s2_table_init(vm);
	if (ret)
		return ret;
	vm->arch_vttbr = vm->s2.root_pa | (u64)vm->vmid << VTTBR_EL2_VMID_SHIFT;
	return 0;
}

static void tlbi_s2_range(u64 ipa, u64 size, u32 why)
{
	if ((why & PT_INVAL_TABLE) || size > S2_TLBI_PAGES_MAX * HYP_PAGE_SIZE) {
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
		return;
	}
	for (u64 a = ipa; a < ipa + size; a += HYP_PAGE_SIZE)
		__asm__ volatile("tlbi ipas2e1is, %0" :: "r"(a >> TLBI_IPA_SHIFT) : "memory");
	dsb_ish();
	/* Combined stage-1+2 entries are tagged by VA: drop the VMID's stage 1. */
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
}

/*
 * The stage-2 pool's hook. TLBI by IPA acts on the VMID in VTTBR_EL2, so
 * the VM's is loaded for the duration (EL2 itself does not use it).
 */
void arch_s2_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	struct vm *vm = container_of(pt, struct vm, s2);
	u64 saved = read_sysreg(vttbr_el2);

	(void)level;
	if (saved != vm->arch_vttbr) {
		write_sysreg(vttbr_el2, vm->arch_vttbr);
		isb();
	}
	dsb_ishst();
	tlbi_s2_range(ia, size, why);
	dsb_ish();
	isb();
	if (saved != vm->arch_vttbr) {
		write_sysreg(vttbr_el2, saved);
		isb();
	}
}

static u64 dcache_line(void)
{
	u64 dminline = (read_sysreg(ctr_el0) >> CTR_EL0_DMINLINE_SHIFT) & CTR_EL0_DMINLINE_MASK;

	return 4ull << dminline;	/* words of 4 bytes */
}

/* Clean and invalidate to the point of coherency. */
static void dcache_civac(const void *va, u64 size)
{
	u64 line = dcache_line();
	u64 a = ALIGN_DOWN((u64)(uintptr_t)va, line);

	for (; a < (u64)(uintptr_t)va + size; a += line)
		__asm__ volatile("dc civac, %0" :: "r"(a) : "memory");
	dsb_ish();
}

void arch_guest_page_written(void *va)
{
	dcache_civac(va, HYP_PAGE_SIZE);
	/* The page may hold code, and its PA may have held other code before. */
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb_ish();
}

void arch_guest_mem_sync(const void *va, u64 size)
{
	dcache_civac(va, size);
}

static bool guest_header_ok(const u8 *img, u64 size)
{
	const u32 *w = (const u32 *)img;

	return size >= HYP_GUEST_HDR_SIZE && w[2] == HYP_GUEST_MAGIC_LO &&
	       w[3] == HYP_GUEST_MAGIC_HI;
}

int arch_guest_image(const char *name, const u8 **image, u64 *size)
{
	char list[VM_LIST_MAX];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(guest_images); i++)
		if (!strcmp(guest_images[i].name, name))
			break;
	if (i == ARRAY_SIZE(guest_images)) {
		vm_name_list(list, sizeof(list), &guest_images[0].name, sizeof(guest_images[0]),
			     ARRAY_SIZE(guest_images));
		hyp_log("hyp: no built-in guest \"%s\" (there are: %s)\n", name, list);
		return -ENOENT;
	}
	*image = guest_images[i].start;
	*size = (u64)(guest_images[i].end - guest_images[i].start);
	if (!guest_header_ok(*image, *size)) {
		hyp_log("hyp: the built-in guest \"%s\" has no guest header\n", name);
		return -EINVAL;
	}
	return 0;
}

void arch_image_bounds(u64 *start, u64 *end)
{
	*start = (u64)(uintptr_t)_start;
	*end = (u64)(uintptr_t)_end;
}
