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
	u64 pad;
};

/* TPIDR_EL2 holds the logical CPU index (head.S sets it on each CPU). */
static inline u32 arm64_this_cpu(void)
{
	u64 cpu;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(cpu));
	return (u32)cpu;
}

#define ARM64_FRAME_SIZE	(34 * 8)

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
