// SPDX-License-Identifier: MIT
/*
 * SBI RFENCE for the guests (SBI v2.0 chapter 8), done on the harts the
 * target vCPUs are pinned to: FENCE.I, and the guest's SFENCE.VMA as
 * HFENCE.VVMA (Privileged Architecture 8.3.2), which acts on the VMID in
 * hgatp. On the calling hart that is the VM's; on the others OpenSBI's
 * remote_hfence_vvma[_asid] uses "the current VMID of the calling hart"
 * (8.6, 8.7), the VM's again. The remote_hfence_* functions are a
 * hypervisor's, and a guest has no H extension: SBI_ERR_NOT_SUPPORTED.
 */
#include "page_alloc.h"
#include "vsbi.h"

#define RFENCE_PAGES_MAX	64	/* a longer range is fenced whole */

enum rfence_kind { RFENCE_I, RFENCE_VMA, RFENCE_VMA_ASID };

struct rfence {
	enum rfence_kind kind;
	u64 start, size, asid;
	bool all;
};

/*
 * Chapter 8: the whole address space if start and size are both 0 or size
 * is 2^XLEN - 1. Any other range that wraps past 2^XLEN is not valid.
 */
static bool rfence_range_valid(struct rfence *f)
{
	if (f->size != SBI_RFENCE_ALL && f->size > ~0ull - f->start)
		return false;
	f->all = (!f->start && !f->size) || f->size == SBI_RFENCE_ALL ||
		 f->size > RFENCE_PAGES_MAX * HYP_PAGE_SIZE;
	return true;
}

/* HFENCE.VVMA of one guest-virtual page, for ASID @asid or (rs2 = x0) every ASID. */
static void hfence_vvma_page(u64 va, const struct rfence *f)
{
	if (f->kind == RFENCE_VMA_ASID)
		__asm__ volatile(".option push\n\t.option arch, +h\n\thfence.vvma %0, %1\n\t"
				 ".option pop" :: "r"(va), "r"(f->asid) : "memory");
	else
		__asm__ volatile(".option push\n\t.option arch, +h\n\thfence.vvma %0, zero\n\t"
				 ".option pop" :: "r"(va) : "memory");
}

static void hfence_vvma_all(const struct rfence *f)
{
	if (f->kind == RFENCE_VMA_ASID)
		__asm__ volatile(".option push\n\t.option arch, +h\n\thfence.vvma zero, %0\n\t"
				 ".option pop" :: "r"(f->asid) : "memory");
	else
		__asm__ volatile(".option push\n\t.option arch, +h\n\thfence.vvma\n\t"
				 ".option pop" ::: "memory");
}

static void rfence_local(const struct rfence *f)
{
	u64 first, pages;

	if (f->kind == RFENCE_I) {
		__asm__ volatile("fence.i" ::: "memory");
		return;
	}
	if (f->all) {
		hfence_vvma_all(f);
		return;
	}
	if (!f->size)
		return;
	first = ALIGN_DOWN(f->start, HYP_PAGE_SIZE);
	pages = (f->start + f->size - 1 - first) / HYP_PAGE_SIZE + 1;
	for (u64 i = 0; i < pages; i++)
		hfence_vvma_page(first + i * HYP_PAGE_SIZE, f);
}

/* The same through OpenSBI on the hart of logical CPU @cpu; it returns once done there. */
static void rfence_remote(u32 cpu, const struct rfence *f)
{
	u64 hart = riscv_hartids[cpu];
	u64 start = f->all ? 0 : f->start, size = f->all ? SBI_RFENCE_ALL : f->size;

	if (f->kind == RFENCE_I)
		sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1, hart, 0, 0, 0);
	else if (f->kind == RFENCE_VMA)
		sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_VVMA, 1, hart, start, size, 0);
	else
		sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_VVMA_ASID, 1, hart, start, size,
			 f->asid);
}

struct sbiret vsbi_rfence(struct vcpu *vcpu, u64 fid, const struct riscv_regs *regs)
{
	struct vm *vm = vcpu->vm;
	u64 mask = regs->x[VSBI_REG_A0], base = regs->x[VSBI_REG_A1];
	struct rfence f = { .start = regs->x[VSBI_REG_A2], .size = regs->x[VSBI_REG_A3],
			    .asid = regs->x[VSBI_REG_A4] };
	long err;

	switch (fid) {
	case SBI_RFENCE_FENCE_I:		/* 8.1: no range */
		f = (struct rfence){ .kind = RFENCE_I };
		break;
	case SBI_RFENCE_SFENCE_VMA:		/* 8.2 */
		f.kind = RFENCE_VMA;
		break;
	case SBI_RFENCE_SFENCE_VMA_ASID:	/* 8.3 */
		f.kind = RFENCE_VMA_ASID;
		break;
	default:	/* 8.4-8.7 (the target harts lack H), and no such function */
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	err = vsbi_hart_list_valid(vm, mask, base);
	if (!err && !rfence_range_valid(&f))
		err = SBI_ERR_INVALID_ADDRESS;
	if (err)
		return sbi_err(err);
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		u32 cpu = vm->vcpus[i].cpu;

		if (!vsbi_hart_in_list(i, mask, base) || cpu >= HYP_MAX_CPUS)
			continue;
		if (cpu == riscv_this_cpu())
			rfence_local(&f);
		else
			rfence_remote(cpu, &f);
	}
	return sbi_ok(0);
}
