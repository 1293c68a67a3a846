/* SPDX-License-Identifier: MIT */
/* What arch/arm64 and boot/arm64 share. */
#ifndef ARCH_ARM64_ARM64_H
#define ARCH_ARM64_ARM64_H

#include "config.h"
#include "types.h"
#include "vgic.h"

/* Per-VM and per-vCPU state (the core's struct vm and struct vcpu point here). */
struct arch_vcpu {
	u64 vmpidr;		/* what MPIDR_EL1 reads */
	struct vgic_cpu vgic;
};

struct arch_vm {
	u64 vttbr, vtcr;	/* stage 2 */
	u64 mdcr;		/* PMU and debug traps */
	struct vgic_dist vgic;
	struct arch_vcpu vcpus[HYP_MAX_CPUS];
};

/*
 * vcpu_reset.c: the EL1/EL0 registers, FP/SIMD (and SVE) state and, with
 * @pauth, the pointer authentication keys at zero, at every vCPU start.
 */
void arm64_vcpu_reset_el1(bool sve, bool pauth);

/* The EL2 translation registers every CPU loads; read by CPUs with the MMU off. */
struct arm64_mmu_regs {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
};

extern struct arm64_mmu_regs arm64_mmu_regs;

/*
 * A trap frame on the EL2 stack (arch/arm64/vectors.S): x0-x30, then the
 * ELR_EL2 and SPSR_EL2 that the exception return loads back.
 */
struct arm64_regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 restore_all;	/* x19-x29 changed: vectors.S loads them back too */
	struct vcpu *vcpu;	/* whose frame: set before the first entry, kept by vectors.S */
	u64 pad;		/* to a multiple of 16 bytes */
};

#define ARM64_REG_FIRST_CALLEE_SAVED	19	/* AAPCS64: x19-x29 preserved by C */

/* Xn = @val in the guest's frame (@r < 31: 31 is XZR or SP, never written here). */
static inline void arm64_frame_set_reg(struct arm64_regs *regs, u32 r, u64 val)
{
	regs->x[r] = val;
	if (r >= ARM64_REG_FIRST_CALLEE_SAVED)
		regs->restore_all = 1;
}

/* TPIDR_EL2 holds the logical CPU index (head.S sets it on each CPU). */
static inline u32 arm64_this_cpu(void)
{
	u64 cpu;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(cpu));
	return (u32)cpu;
}

#define ARM64_FRAME_SIZE	(36 * 8)

/* arch/arm64/vectors.S: load @frame into the CPU and ERET; SP becomes @frame. */
void __attribute__((noreturn)) arm64_guest_enter(struct arm64_regs *frame);

struct vcpu;
/* arch/arm64/irq.c: a trapped WFI of @vcpu, which runs on this CPU. */
void arm64_vcpu_wfi(struct vcpu *vcpu);

/* boot/arm64/head.S */
void arm64_dcache_inval_range(u64 start, u64 end);
/* head.S: the CPUs' stacks (.noinit); linker script: the end of .bss. */
extern char hyp_stacks[], __bss_end[];
bool arm64_has_s2fwb(void);
void arm64_mmu_enable(const struct arm64_mmu_regs *regs);
void arm64_secondary_entry(void);

#endif
