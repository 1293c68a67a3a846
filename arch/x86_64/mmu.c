// SPDX-License-Identifier: MIT
/*
 * The hypervisor's stage 1 on x86-64: the walker's IA-32e 4-level format
 * (hyp/mm.c lays the identity map out), CR3 to turn it on, INVLPG or a
 * CR3 reload for invalidation. x86 caches are coherent with instruction
 * fetch and with the guest's accesses: nothing to do for guest pages.
 */
#include "arch/mm.h"
#include "arch/tlb.h"
#include "pt_fmt_x86.h"
#include "x86.h"
#include "x86_cpu.h"

#define HYP_PAGE		4096ull
#define INVLPG_PAGES_MAX	64	/* larger ranges: reload CR3 */

u64 x86_hyp_cr3;	/* head.S loads it on application processors */

int arch_mm_s1_fmt(struct pt_fmt *fmt)
{
	*fmt = pt_fmt_x86_s1_4l;
	return 0;
}

/* The early map was an identity map too: switching CR3 changes nothing we run on. */
int arch_mm_enable(const struct pt *s1)
{
	x86_hyp_cr3 = s1->root_pa;
	write_cr(3, x86_hyp_cr3);
	x86_lapic_boot_init();	/* mapped as a device now */
	return 0;
}

/* One CPU: INVLPG acts on this CPU only, which is every CPU for now. */
void arch_tlb_s1_inval(u64 va, u64 size, u32 why)
{
	if ((why & PT_INVAL_TABLE) || size > INVLPG_PAGES_MAX * HYP_PAGE) {
		write_cr(3, read_cr(3));
		return;
	}
	for (u64 a = va; a < va + size; a += HYP_PAGE)
		__asm__ volatile("invlpg (%0)" :: "r"(a) : "memory");
}

void arch_zero_pages(void *va, u64 bytes)
{
	u64 words = bytes / sizeof(u64);

	__asm__ volatile("rep stosq" : "+D"(va), "+c"(words) : "a"(0ull) : "memory");
}

void arch_guest_page_written(void *va)
{
	(void)va;
}

void arch_guest_page_zeroed(void *va)
{
	(void)va;
}

/* Caches are coherent, instruction fetches included (SDM Vol. 3A 12.6): nothing to do. */
bool arch_guest_pages_coherent(void)
{
	return true;
}

void arch_guest_mem_sync(const void *va, u64 size)
{
	(void)va;
	(void)size;
}
