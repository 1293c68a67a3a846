// SPDX-License-Identifier: MIT
/*
 * The G-stage (Privileged Architecture 8.5 "Two-Stage Address
 * Translation"): the walker's Sv48x4 or Sv39x4 format (mmu_mode.c),
 * hgatp with the VM's VMID, and its TLB maintenance. HFENCE.GVMA (8.3.2)
 * acts on the executing hart only, so arch_tlb_s2_inval reaches the harts
 * of the VM's other vCPUs through the hypervisor's own shootdown
 * (gvma_shootdown.c), which returns once each has fenced.
 */
#include "arch/tlb.h"
#include "arch/vcpu.h"
#include "console.h"
#include "page_alloc.h"
#include "csr.h"
#include "pt_fmt_riscv.h"
#include "riscv64.h"
#include "vm.h"

#define HFENCE_PAGES_MAX	64		/* larger ranges: the whole VMID */
#define HFENCE_GPA_SHIFT	2		/* rs1 holds the guest-physical address >> 2 */

static struct arch_vm riscv_vms[HYP_MAX_VMS];

/* The VMID bits the hart implements (8.2.10: write ones, read back). */
static u64 vmid_mask(void)
{
	static u64 mask = ~0ull;
	u64 old;

	if (mask != ~0ull)
		return mask;
	old = csr_read(hgatp);
	csr_write(hgatp, HGATP_VMID_MASK << HGATP_VMID_SHIFT);
	mask = csr_read(hgatp) >> HGATP_VMID_SHIFT & HGATP_VMID_MASK;
	csr_write(hgatp, old);
	return mask;
}

/*
 * Sv39x4 (three levels, one walk step less per fault) when the VM's RAM,
 * all its G-stage maps, lies below 2^41; else Sv48x4 where the hart has
 * it (mmu_mode.c), and s2_mem_init() refuses RAM past either. Sv39x4 is
 * taken as given, as mmu_mode.c does for a hart without Sv48x4.
 * No PT_FMT_CACHES_INVALID: new G-stage entries are fenced lazily
 * (arch_tlb_s2_sync_new()), so the walker need not call it.
 */
int arch_vm_s2_fmt(const struct vm *vm, struct pt_fmt *fmt)
{
	u64 last = vm->ram_base + vm->ram_size - 1;

	if (vm->vmid > vmid_mask())
		return -ERANGE;
	if (riscv_mmu.g == RISCV_LEVELS_SV48 &&
	    (last < vm->ram_base || last >> pt_fmt_riscv_sv39x4.ia_bits))
		*fmt = pt_fmt_riscv_sv48x4;
	else
		*fmt = pt_fmt_riscv_sv39x4;
	fmt->flags &= ~PT_FMT_CACHES_INVALID;
	return 0;
}

int arch_vm_init(struct vm *vm)
{
	struct arch_vm *a = &riscv_vms[vm->id];

	if (vm->s2.root_pa & ((16u << 10) - 1)) {
		hyp_log("hyp: %s: G-stage root 0x%llx is not 16 KiB aligned\n", vm->name,
			(unsigned long long)vm->s2.root_pa);
		return -EINVAL;
	}
	a->vmid = vm->vmid;
	a->hgatp = riscv_satp_mode(vm->s2_fmt.levels) << SATP_MODE_SHIFT |
		   (u64)vm->vmid << HGATP_VMID_SHIFT | (vm->s2.root_pa >> 12 & SATP_PPN_MASK);
	vm->arch = a;
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].arch = &a->vcpus[i];
	return 0;
}

/*
 * A reset: besides its G-stage, which the core gives back, no interrupt
 * raised before it (an SBI IPI to a hart that was off) may reach a hart
 * started after it; hvip itself is cleared at every hart's start.
 */
void arch_vm_reset(struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		for (u32 w = 0; w < VIRQ_WORDS; w++)
			virq_take(&vm->vcpus[i].arch->virq, w);
}

void riscv_hfence_gvma_local(u32 vmid, u64 gpa, u64 size)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
	if (!size || size > HFENCE_PAGES_MAX * HYP_PAGE_SIZE) {
		__asm__ volatile(".option push\n\t.option arch, +h\n\t"
				 "hfence.gvma zero, %0\n\t.option pop" :: "r"((u64)vmid) : "memory");
		return;
	}
	for (u64 a = gpa; a < gpa + size; a += HYP_PAGE_SIZE)
		__asm__ volatile(".option push\n\t.option arch, +h\n\t"
				 "hfence.gvma %0, %1\n\t.option pop"
				 :: "r"(a >> HFENCE_GPA_SHIFT), "r"((u64)vmid) : "memory");
}

void arch_tlb_s2_inval(struct vm *vm, u64 ipa, u64 size, u32 why)
{
	if (why & PT_INVAL_TABLE)
		size = 0;
	riscv_hfence_gvma_local(vm->vmid, ipa, size);
	riscv_gvma_shootdown(vm, ipa, size);
}

/*
 * New entries: nothing. An invalid entry made valid may be fenced lazily
 * (Privileged Architecture 4.2.1): a hart that still uses a cached invalid
 * one faults again, and a RAM fault on a page already present fences its
 * VMID (guest.c, guest_ram_fault()). Every new G-stage entry is
 * guest RAM mapped on demand (s2_mem), and a vCPU fences its VMID when it
 * starts (vcpu_load()).
 */
void arch_tlb_s2_sync_new(struct vm *vm, u64 ipa, u64 size)
{
	(void)vm;
	(void)ipa;
	(void)size;
}
