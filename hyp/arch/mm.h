/* SPDX-License-Identifier: MIT */
/* The arch contract, memory: the hypervisor's stage 1 and guest memory coherency. */
#ifndef HYP_ARCH_MM_H
#define HYP_ARCH_MM_H

#include "pt.h"

/* The image's sections, from each arch's linker script: [_start, _end). */
extern char _start[], _etext[], _erodata[], _end[];

/* The format of the hypervisor's own stage 1 (an identity map of @pa_bits). */
int arch_mm_s1_fmt(struct pt_fmt *fmt);
/*
 * Turn translation on with @s1 on this CPU (translation was off, the
 * tables were written with it off); every CPU arch_cpu_start() starts
 * later comes up with it on. 0 or -errno.
 */
int arch_mm_enable(const struct pt *s1);
/*
 * Zero @bytes at @va, page-aligned, with the architecture's fastest
 * stores (a block-zeroing instruction where there is one and memory is
 * Normal); called before and after translation is on.
 */
void arch_zero_pages(void *va, u64 bytes);
/* A guest page the hypervisor wrote: make it visible to the guest, as data and code. */
void arch_guest_page_written(void *va);
/*
 * A guest page the hypervisor only zeroed: visible to the guest as data.
 * Code the guest later writes there is its own to make visible to its
 * instruction fetches, as on bare metal.
 */
void arch_guest_page_zeroed(void *va);
/*
 * The two above do nothing here (asked once per VM): the stage-2 fault
 * then calls neither.
 */
bool arch_guest_pages_coherent(void);
/* Guest memory the hypervisor is about to read: see what the guest wrote. */
void arch_guest_mem_sync(const void *va, u64 size);

#endif
