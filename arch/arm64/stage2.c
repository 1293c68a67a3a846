// SPDX-License-Identifier: MIT
/*
 * Stage 2 on arm64: the walker's format for a 40-bit IPA space starting at
 * Arm level 1 (two concatenated root tables), VTCR_EL2 and VTTBR_EL2 to
 * match, TLB maintenance by IPA, and the cache maintenance that makes
 * guest pages the hypervisor wrote visible to a guest running with its
 * MMU (and so its caches) off.
 */
#include "arch/mm.h"
#include "arch/tlb.h"
#include "arch/vcpu.h"
#include "arm64.h"
#include "console.h"
#include "guest_images.h"
#include "page_alloc.h"
#include "pt_fmt_arm64.h"
#include "sysreg.h"
#include "vm.h"

#define S2_IPA_BITS		40
#define S2_START_LEVEL		1		/* Arm level; 2 concatenated tables */
#define S2_TLBI_PAGES_MAX	64		/* larger ranges: the whole VMID */
#define PARANGE_BITS		{ 32, 36, 40, 42, 44, 48, 52 }

static struct arch_vm arm64_vms[HYP_MAX_VMS] HYP_NOT_CLEARED;	/* arch_vm_init() clears each */

/* FEAT_S2FWB: stage 2 then makes guest RAM Write-Back whatever the guest's stage 1 says. */
bool arm64_has_s2fwb(void)
{
	return (read_sysreg(S3_0_C0_C7_2) >> ID_AA64MMFR2_FWB_SHIFT) & ID_AA64MMFR2_FWB_MASK;
}

int arch_vm_s2_fmt(const struct vm *vm, struct pt_fmt *fmt)
{
	if (vm->vmid > VTTBR_EL2_VMID_MASK)
		return -ERANGE;
	if (arm64_has_s2fwb())
		return pt_fmt_arm64_s2_fwb_init(fmt, S2_IPA_BITS, S2_START_LEVEL);
	return pt_fmt_arm64_s2_init(fmt, S2_IPA_BITS, S2_START_LEVEL);
}

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
	struct arch_vm *a = &arm64_vms[vm->id];
	int ret;

	memset(a, 0, sizeof(*a));
	ret = vtcr_value(&a->vtcr);
	if (ret)
		return ret;
	a->vttbr = vm->s2.root_pa | (u64)vm->vmid << VTTBR_EL2_VMID_SHIFT;
	/* HPMN as the firmware left it (PMCR_EL0.N): with TPM every counter traps anyway. */
	a->mdcr = MDCR_EL2_GUEST_TRAPS | (read_sysreg(mdcr_el2) & MDCR_EL2_HPMN_MASK);
	vm->arch = a;
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct arch_vcpu *v = &a->vcpus[i];

		v->vmpidr = VMPIDR_EL2_VALUE(i);
		vm->vcpus[i].arch = v;
	}
	return vgic_vm_init(vm);
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
 * TLBI by IPA acts on the VMID in VTTBR_EL2, so the VM's is loaded for
 * the duration (EL2 itself does not use it). The ...IS forms reach every
 * CPU in the inner-shareable domain: nothing else to do for the others.
 */
void arch_tlb_s2_inval(struct vm *vm, u64 ipa, u64 size, u32 why)
{
	u64 vttbr = vm->arch->vttbr, saved = read_sysreg(vttbr_el2);

	if (saved != vttbr) {
		write_sysreg(vttbr_el2, vttbr);
		isb();
	}
	dsb_ishst();
	tlbi_s2_range(ipa, size, why);
	dsb_ish();
	isb();
	if (saved != vttbr) {
		write_sysreg(vttbr_el2, saved);
		isb();
	}
}

/* arm64 never caches invalid entries: a new entry needs only the DSB the fault path has. */
void arch_tlb_s2_sync_new(struct vm *vm, u64 ipa, u64 size)
{
	(void)vm;
	(void)ipa;
	(void)size;
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

/* Clean to the point of unification: instruction fetches see the data. */
static void dcache_cvau(const void *va, u64 size)
{
	u64 line = dcache_line();
	u64 a = ALIGN_DOWN((u64)(uintptr_t)va, line);

	for (; a < (u64)(uintptr_t)va + size; a += line)
		__asm__ volatile("dc cvau, %0" :: "r"(a) : "memory");
}

/*
 * Without FWB a guest running with its caches off reads memory past them:
 * clean to the point of coherency. With FWB it always reads through them,
 * and only instruction fetches need the page, as CTR_EL0 says.
 */
void arch_guest_page_written(void *va)
{
	u64 ctr = read_sysreg(ctr_el0);

	if (!arm64_has_s2fwb())
		dcache_civac(va, HYP_PAGE_SIZE);
	else if (!(ctr & CTR_EL0_IDC))
		dcache_cvau(va, HYP_PAGE_SIZE);
	dsb_ish();
	/* The page may hold code, and its PA may have held other code before. */
	if (!(ctr & CTR_EL0_DIC) || !arm64_has_s2fwb()) {
		__asm__ volatile("ic ialluis" ::: "memory");
		dsb_ish();
	}
}

/* Without FWB a guest with its caches off reads past them: clean to the point of coherency. */
void arch_guest_page_zeroed(void *va)
{
	if (!arm64_has_s2fwb())
		dcache_civac(va, HYP_PAGE_SIZE);
	dsb_ish();
}

bool arch_guest_pages_coherent(void)
{
	return false;
}

void arch_guest_mem_sync(const void *va, u64 size)
{
	if (!arm64_has_s2fwb())
		dcache_civac(va, size);
}
