/* SPDX-License-Identifier: MIT */
/* Synchronous exceptions injected into a guest's EL1 (arch/arm64/inject.c). */
#ifndef ARCH_ARM64_INJECT_H
#define ARCH_ARM64_INJECT_H

#include "arm64.h"
#include "vm.h"

/*
 * Whether the vCPU whose trap frame is @regs can take a synchronous
 * external abort for the stage-2 abort with syndrome @esr: not when the
 * abort came from its own stage-1 table walk (the walk would fault
 * again on the way to its handler) nor from an instruction in its EL1
 * vector table (the exception would come back to where it failed).
 */
bool vabort_can_take(const struct arm64_regs *regs, u64 esr);
/*
 * A synchronous external abort, data (@data) or instruction, at @ipa
 * where the VM has neither RAM nor a device, into the vCPU whose trap
 * frame is @regs (@esr: the stage-2 syndrome, for WnR): the ERET goes to
 * its EL1 vector. Logged (rate-limited: vm_log_injected()).
 */
void vabort_inject(struct vcpu *vcpu, struct arm64_regs *regs, u64 ipa, u64 esr, bool data);
/*
 * An Undefined Instruction exception (EC 0x00) for the instruction at
 * regs->elr, as the hardware gives for an instruction the VM does not
 * have. Logged with @what.
 */
void inject_undef(struct vcpu *vcpu, struct arm64_regs *regs, const char *what);

#endif
