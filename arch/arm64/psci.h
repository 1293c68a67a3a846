/* SPDX-License-Identifier: MIT */
/*
 * PSCI calls through SMC: the hypervisor runs at EL2, so firmware (EL3, or
 * QEMU's built-in PSCI with virtualization=on) is reached with SMC.
 * Arm Power State Coordination Interface, DEN0022, 5.1 "Function prototypes"
 * and SMC Calling Convention, DEN0028 (SMC64 ids have bit 30 set).
 */
#ifndef ARCH_ARM64_PSCI_H
#define ARCH_ARM64_PSCI_H

#include "types.h"

#define PSCI_VERSION		0x84000000u
#define PSCI_CPU_ON_64		0xc4000003u
#define PSCI_SYSTEM_OFF		0x84000008u

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_INTERNAL_FAILURE	(-6)

#define PSCI_VERSION_MAJOR(v)	((u32)(v) >> 16)
#define PSCI_VERSION_MINOR(v)	((u32)(v) & 0xffff)

u32 psci_version(void);
/* @target: MPIDR affinity fields only; @entry: physical; @context: its x0. */
int psci_cpu_on(u64 target, u64 entry, u64 context);
void __attribute__((noreturn)) psci_system_off(void);

#endif
