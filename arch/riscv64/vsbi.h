/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the guests' SBI share (vsbi.c: the dispatch, Base,
 * Timer, IPI, HSM, SRST, legacy and the project's calls; vsbi_rfence.c;
 * vsbi_dbcn.c). Section numbers are those of the SBI specification v2.0.
 */
#ifndef ARCH_RISCV64_VSBI_H
#define ARCH_RISCV64_VSBI_H

#include "riscv64.h"
#include "sbi.h"
#include "vm.h"

#define VSBI_REG_A0		10
#define VSBI_REG_A1		11
#define VSBI_REG_A2		12
#define VSBI_REG_A3		13
#define VSBI_REG_A4		14
#define VSBI_HART_MASK_BITS	64	/* XLEN harts per call (3.1) */

static inline struct sbiret sbi_ok(long value)
{
	return (struct sbiret){ .error = SBI_SUCCESS, .value = value };
}

static inline struct sbiret sbi_err(long error)
{
	return (struct sbiret){ .error = error };
}

/*
 * The hart list (3.1): @mask from hart @base, or every hart when @base is
 * -1. Virtual hart ids are vCPU indexes; one the VM lacks makes the whole
 * call SBI_ERR_INVALID_PARAM, before anything is done.
 */
static inline long vsbi_hart_list_valid(const struct vm *vm, u64 mask, u64 base)
{
	if (base == SBI_HART_MASK_BASE_ALL)
		return SBI_SUCCESS;
	for (u32 i = 0; i < VSBI_HART_MASK_BITS; i++)
		if ((mask >> i & 1) && (base > vm->nr_vcpus || base + i >= vm->nr_vcpus))
			return SBI_ERR_INVALID_PARAM;
	return SBI_SUCCESS;
}

/* vCPU @i is in the (valid) hart list @mask, @base. */
static inline bool vsbi_hart_in_list(u32 i, u64 mask, u64 base)
{
	return base == SBI_HART_MASK_BASE_ALL ||
	       (i >= base && i - base < VSBI_HART_MASK_BITS && (mask >> (i - base) & 1));
}

/* vsbi_rfence.c: the RFENCE extension (chapter 8). */
struct sbiret vsbi_rfence(struct vcpu *vcpu, u64 fid, const struct riscv_regs *regs);
/* vsbi_dbcn.c: the debug console (chapter 12). */
struct sbiret vsbi_dbcn(struct vcpu *vcpu, u64 fid, const struct riscv_regs *regs);

#endif
