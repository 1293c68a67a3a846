/* SPDX-License-Identifier: MIT */
/* The arch contract, TLB maintenance for the walker's tables. */
#ifndef HYP_ARCH_TLB_H
#define HYP_ARCH_TLB_H

#include "types.h"

struct vm;

/*
 * Stage 2 of @vm: return only once no CPU, this one or any other, can
 * still use a translation of [@ipa, @ipa + @size) as it was before the
 * call, nor a walk-cache entry of a table unlinked there (PT_INVAL_TABLE
 * in @why). arm64's TLBI ...IS broadcasts; RISC-V's HFENCE.GVMA and x86's
 * INVEPT act on the executing CPU only, so they must reach every CPU that
 * may cache the VM's tag (SBI remote_hfence_gvma_vmid, or an IPI answered
 * before the target re-enters the guest).
 */
void arch_tlb_s2_inval(struct vm *vm, u64 ipa, u64 size, u32 why);
/*
 * Stage 2 of @vm gained valid entries over [@ipa, @ipa + @size): make
 * them usable on every CPU. Only formats with PT_FMT_CACHES_INVALID need
 * it; elsewhere it may do nothing.
 */
void arch_tlb_s2_sync_new(struct vm *vm, u64 ipa, u64 size);
/* The hypervisor's own stage 1, once translation is on: as arch_tlb_s2_inval(). */
void arch_tlb_s1_inval(u64 va, u64 size, u32 why);

#endif
