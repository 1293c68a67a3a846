/* SPDX-License-Identifier: MIT */
/*
 * How an arm64 guest calls this hypervisor, shared by arch/arm64 and the
 * guests in guest-images/ (constants only, no C): the calls of
 * hyp/guest_abi.h as SMCCC vendor-hypervisor calls, PSCI, SMCCC itself.
 *
 * SMC Calling Convention (Arm DEN0028): HVC #0 with the function id in x0,
 * arguments in x1-x3, the result in x0; every other register is preserved.
 * A function id is: bit 31 fast call, bit 30 SMC64, bits 29:24 the owning
 * entity, bits 15:0 the function number.
 */
#ifndef ARCH_ARM64_HVC_ABI_H
#define ARCH_ARM64_HVC_ABI_H

#include "guest_abi.h"

/*
 * Owning entity 6: vendor-specific hypervisor service, fast SMC64 calls
 * (DEN0028 2.5 "Function Identifier"): function number = HC_* number,
 * arguments a0-a2 in x1-x3, the result in x0.
 */
#define HYP_HVC_BASE		0xc6000000
#define HYP_HVC_FN_MASK		0xffff			/* bits 15:0: the function number */
#define HYP_HVC_SVC_MASK	0xffff0000		/* fast, SMC64, owning entity */
#define HYP_CONSOLE_WRITE	(HYP_HVC_BASE + HC_CONSOLE_WRITE)
#define HYP_VCPU_ID		(HYP_HVC_BASE + HC_VCPU_ID)
#define HYP_FAULT_STATS		(HYP_HVC_BASE + HC_FAULT_STATS)
#define HYP_MEM_RELEASE		(HYP_HVC_BASE + HC_MEM_RELEASE)
#define HYP_YIELD		(HYP_HVC_BASE + HC_YIELD)
#define HYP_VM_STOP		(HYP_HVC_BASE + HC_VM_STOP)
#define HYP_CONSOLE_MAX		HC_CONSOLE_MAX

/*
 * The general queries of the vendor hypervisor service (DEN0028 6.2
 * "General Service Queries"): call count, UID (w0-w3), revision.
 */
#define HYP_HVC_CALL_UID	0x8600ff01
#define HYP_HVC_REVISION	0x8600ff03
/* This hypervisor's UID, a random UUID in SMCCC's w0-w3 order. */
#define HYP_HVC_UID_0		0x5a8b3c71
#define HYP_HVC_UID_1		0x4e0a9d26
#define HYP_HVC_UID_2		0xb3f14c88
#define HYP_HVC_UID_3		0x7d2e6a15
#define HYP_HVC_REVISION_MAJOR	1
#define HYP_HVC_REVISION_MINOR	0

/* SMCCC's own calls (DEN0028 7 "Arm Architecture Calls"). */
#define HYP_SMCCC_VERSION	0x80000000
#define HYP_SMCCC_ARCH_FEATURES	0x80000001
#define HYP_SMCCC_VERSION_1_1	0x10001

/*
 * PSCI over HVC (Arm DEN0022, 5.1 "Function prototypes"), the subset a
 * guest is given. CPU_ON and AFFINITY_INFO have SMC32 and SMC64 ids.
 */
#define HYP_PSCI_VERSION	0x84000000
#define HYP_PSCI_CPU_SUSPEND_32	0x84000001
#define HYP_PSCI_CPU_SUSPEND_64	0xc4000001
#define HYP_PSCI_CPU_OFF	0x84000002
#define HYP_PSCI_CPU_ON_32	0x84000003
#define HYP_PSCI_CPU_ON_64	0xc4000003
#define HYP_PSCI_AFFINITY_INFO_32 0x84000004
#define HYP_PSCI_AFFINITY_INFO_64 0xc4000004
#define HYP_PSCI_MIGRATE_INFO_TYPE 0x84000006
#define HYP_PSCI_SYSTEM_OFF	0x84000008
#define HYP_PSCI_SYSTEM_RESET	0x84000009
#define HYP_PSCI_FEATURES	0x8400000a
#define HYP_PSCI_VERSION_1_1	0x00010001

/* PSCI return codes (DEN0022, 5.2.2 "Return error codes"). */
#define HYP_PSCI_SUCCESS	0
#define HYP_PSCI_NOT_SUPPORTED	(-1)
#define HYP_PSCI_INVALID_PARAMS	(-2)
#define HYP_PSCI_ALREADY_ON	(-4)
#define HYP_PSCI_ON_PENDING	(-5)
#define HYP_PSCI_INTERNAL_FAILURE (-6)
#define HYP_PSCI_INVALID_ADDRESS (-9)

/* AFFINITY_INFO results (DEN0022, 5.7 "AFFINITY_INFO"). */
#define HYP_PSCI_AFFINITY_ON		0
#define HYP_PSCI_AFFINITY_OFF		1
#define HYP_PSCI_AFFINITY_ON_PENDING	2

/* MIGRATE_INFO_TYPE (DEN0022, 5.9.2): no Trusted OS that needs migrating. */
#define HYP_PSCI_TOS_NOT_PRESENT	2

/* SMCCC return codes (DEN0028 "Return codes"). */
#define HYP_SMCCC_NOT_SUPPORTED	(-1)
#define HYP_SMCCC_INVALID_PARAM	(-2)

/*
 * How a guest is entered: EL1h, MMU off, interrupts masked, PC = the
 * first byte of its image = the base of its RAM, x0 = the RAM base,
 * x1 = the RAM size (the image header: hyp/guest_abi.h). That is vCPU 0;
 * another vCPU starts at its CPU_ON entry point with x0 = the context id,
 * in the same EL1 state. MPIDR_EL1 reads as Aff0 = the vCPU's index.
 */

#endif
