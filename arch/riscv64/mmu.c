// SPDX-License-Identifier: MIT
/*
 * The HS-mode stage-1 side of the contract: the format of the tables
 * hyp/mm.c lays out (an identity map, VA == PA, Sv48 or Sv39: mmu_mode.c),
 * satp on each hart, and TLB maintenance once translation is on:
 * SFENCE.VMA acts on this hart only (Privileged Architecture 4.2.1), so
 * the other harts are reached through SBI RFENCE remote_sfence_vma before
 * returning.
 */
#include "arch/mm.h"
#include "arch/tlb.h"
#include "csr.h"
#include "pt_fmt_riscv.h"
#include "riscv64.h"
#include "sbi.h"

#define HYP_PAGE		4096ull
#define SFENCE_PAGES_MAX	64		/* larger ranges: everything */
#define SBI_HART_MASK_ALL	(~0ull)		/* hart_mask_base = -1: every hart ("Hart list") */

u64 riscv_satp;

/*
 * Device attributes come from the platform's PMAs, as without Svpbmt:
 * QEMU 7.2's rv64 has no Svpbmt, yet lets henvcfg.PBMTE be set, so the
 * bit is no probe (a PBMT=IO leaf then faults). The DTB's riscv,isa
 * could say; until a board needs it, the PBMT bits stay zero.
 */
int arch_mm_s1_fmt(struct pt_fmt *fmt)
{
	*fmt = riscv_mmu.s1 == RISCV_LEVELS_SV48 ? pt_fmt_riscv_sv48_nopbmt :
						   pt_fmt_riscv_sv39_nopbmt;
	return 0;
}

/* The secondaries load riscv_satp in head.S before their stacks. */
int arch_mm_enable(const struct pt *s1)
{
	riscv_satp = riscv_satp_mode(riscv_mmu.s1) << SATP_MODE_SHIFT |
		     (s1->root_pa >> 12 & SATP_PPN_MASK);
	__asm__ volatile("fence rw, rw\n\tsfence.vma" ::: "memory");
	csr_write(satp, riscv_satp);
	__asm__ volatile("sfence.vma" ::: "memory");
	if (csr_read(satp) != riscv_satp)
		return -ENODEV;		/* the mode is not implemented: the write was ignored */
	return 0;
}

static void sfence_local(u64 va, u64 size, u32 why)
{
	if ((why & PT_INVAL_TABLE) || size > SFENCE_PAGES_MAX * HYP_PAGE) {
		__asm__ volatile("sfence.vma" ::: "memory");
		return;
	}
	for (u64 a = va; a < va + size; a += HYP_PAGE)
		__asm__ volatile("sfence.vma %0" :: "r"(a) : "memory");
}

void arch_tlb_s1_inval(u64 va, u64 size, u32 why)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
	sfence_local(va, size, why);
	if ((why & PT_INVAL_TABLE) || size > SFENCE_PAGES_MAX * HYP_PAGE) {
		va = 0;
		size = SBI_RFENCE_ALL;
	}
	sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0, SBI_HART_MASK_ALL, va, size, 0);
}

#define ZERO_STEP	4096	/* bytes a step: 512 doublewords; pages are multiples of it */
/* The base register points here: 2047, one ADDI away (its 12-bit immediate). */
#define ZERO_STEP_MID	2047

/* One step's stores (.rept: the offsets -2047 to 2041 fit the 12-bit signed immediate). */
#define ZERO_STEP_STORES \
	".set .Lzero_off, -2047\n\t"					\
	".rept 512\n\t"						\
	"sd zero, .Lzero_off(%0)\n\t"					\
	".set .Lzero_off, .Lzero_off + 8\n\t"				\
	".endr"
_Static_assert(ZERO_STEP == 512 * 8 && ZERO_STEP_MID == 2047 && HYP_PAGE % ZERO_STEP == 0,
	       "zeroing step");

/*
 * Stores only: no block-zeroing instruction without Zicboz (not on QEMU
 * 7.2). A page a step, its base register in the middle: no loop step
 * within a page.
 */
void arch_zero_pages(void *va, u64 bytes)
{
	for (u8 *p = (u8 *)va + ZERO_STEP_MID, *end = p + bytes; p < end; p += ZERO_STEP)
		__asm__ volatile(ZERO_STEP_STORES :: "r"(p) : "memory");
}

/* Instruction fetches see the hypervisor's stores only after FENCE.I on the fetching hart. */
void arch_guest_page_written(void *va)
{
	(void)va;
	__asm__ volatile("fence rw, rw\n\tfence.i" ::: "memory");
}

void arch_guest_page_zeroed(void *va)
{
	(void)va;
	__asm__ volatile("fence rw, rw" ::: "memory");
}

bool arch_guest_pages_coherent(void)
{
	return false;
}

/* Data is coherent between harts; only ordering is needed. */
void arch_guest_mem_sync(const void *va, u64 size)
{
	(void)va;
	(void)size;
	__asm__ volatile("fence rw, rw" ::: "memory");
}
