/* SPDX-License-Identifier: MIT */
/* Synchronous exceptions injected into a guest's EL1 (arch/arm64/inject.c). */
#ifndef ARCH_ARM64_INJECT_H
#define ARCH_ARM64_INJECT_H

#include "arm64.h"
#include "vm.h"

/*
 * QEMU virt's peripheral window (GIC, UART, RTC, GPIO, virtio-mmio,
 * platform bus), guest-physical: an access here that no emulated device
 * takes gets a synchronous external abort; anywhere else outside RAM
 * stops the VM.
 */
#define VABORT_DEVICE_BASE	0x08000000ull
#define VABORT_DEVICE_SIZE	0x08000000ull

static inline bool vabort_device_ipa(u64 ipa)
{
	return ipa >= VABORT_DEVICE_BASE && ipa - VABORT_DEVICE_BASE < VABORT_DEVICE_SIZE;
}

/*
 * A synchronous external data abort at @ipa (a write if @write) into the
 * vCPU whose trap frame is @regs: the ERET goes to its EL1 vector. Logged.
 */
void vabort_inject_data(struct vcpu *vcpu, struct arm64_regs *regs, u64 ipa, bool write);
/*
 * An Undefined Instruction exception (EC 0x00) for the instruction at
 * regs->elr, as the hardware gives for an instruction the VM does not
 * have. Logged with @what.
 */
void inject_undef(struct vcpu *vcpu, struct arm64_regs *regs, const char *what);

#endif
