/* SPDX-License-Identifier: MIT */
/* Trapped MSR/MRS (EC 0x18) of a guest: arch/arm64/sysreg_trap.c. */
#ifndef ARCH_ARM64_SYSREG_TRAP_H
#define ARCH_ARM64_SYSREG_TRAP_H

#include "arm64.h"

struct vcpu;

/* Emulate, or inject an Undefined Instruction exception; the trap frame is updated. */
void arm64_sysreg_trap(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr);

#endif
