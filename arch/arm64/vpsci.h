/* SPDX-License-Identifier: MIT */
/* PSCI for guests, over HVC or a trapped SMC (arch/arm64/vpsci.c). */
#ifndef ARCH_ARM64_VPSCI_H
#define ARCH_ARM64_VPSCI_H

#include "arm64.h"
#include "vm.h"

/* If x0 is a PSCI function id: handle the call (x0 = result), true. */
bool vpsci_call(struct vcpu *vcpu, struct arm64_regs *regs);

#endif
