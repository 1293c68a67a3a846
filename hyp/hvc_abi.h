/* SPDX-License-Identifier: MIT */
/*
 * The hypercall ABI between an arm64 guest and this hypervisor, shared by
 * the hypervisor and the guests in guest-images/ (constants only, no C).
 *
 * SMC Calling Convention (Arm DEN0028): HVC #0 with the function id in x0,
 * arguments in x1-x3, the result in x0; every other register is preserved.
 * A function id is: bit 31 fast call, bit 30 SMC64, bits 29:24 the owning
 * entity, bits 15:0 the function number.
 */
#ifndef HYP_HVC_ABI_H
#define HYP_HVC_ABI_H

/* Owning entity 6: vendor-specific hypervisor service, fast SMC64 calls. */
#define HYP_HVC_BASE		0xc6000000
#define HYP_CONSOLE_WRITE	(HYP_HVC_BASE + 1)	/* x1 = IPA, x2 = length */
#define HYP_VCPU_ID		(HYP_HVC_BASE + 2)	/* -> this vCPU's index */
#define HYP_FAULT_STATS		(HYP_HVC_BASE + 3)	/* -> stage-2 faults so far */
#define HYP_MEM_RELEASE		(HYP_HVC_BASE + 4)	/* x1 = IPA, x2 = size: unmap RAM */
#define HYP_YIELD		(HYP_HVC_BASE + 5)	/* -> 0: give up the CPU for a while */
#define HYP_VM_STOP		(HYP_HVC_BASE + 6)	/* x1 = code: stop this VM, no return */
#define HYP_CONSOLE_MAX		4096			/* bytes per CONSOLE_WRITE */

/*
 * PSCI over HVC (Arm DEN0022, 5.1 "Function prototypes"), the subset a
 * guest is given. CPU_ON and AFFINITY_INFO have SMC32 and SMC64 ids.
 */
#define HYP_PSCI_VERSION	0x84000000
#define HYP_PSCI_CPU_OFF	0x84000002
#define HYP_PSCI_CPU_ON_32	0x84000003
#define HYP_PSCI_CPU_ON_64	0xc4000003
#define HYP_PSCI_AFFINITY_INFO_32 0x84000004
#define HYP_PSCI_AFFINITY_INFO_64 0xc4000004
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
#define HYP_PSCI_INVALID_ADDRESS (-9)

/* AFFINITY_INFO results (DEN0022, 5.7 "AFFINITY_INFO"). */
#define HYP_PSCI_AFFINITY_ON		0
#define HYP_PSCI_AFFINITY_OFF		1
#define HYP_PSCI_AFFINITY_ON_PENDING	2

/* SMCCC return codes (DEN0028 "Return codes"). */
#define HYP_SMCCC_NOT_SUPPORTED	(-1)
#define HYP_SMCCC_INVALID_PARAM	(-2)

/*
 * How a guest is entered: EL1h, MMU off, interrupts masked, PC = the
 * first byte of its image = the base of its RAM, x0 = the RAM base,
 * x1 = the RAM size. The image starts with this header. That is vCPU 0;
 * another vCPU starts at its CPU_ON entry point with x0 = the context id,
 * in the same EL1 state. MPIDR_EL1 reads as Aff0 = the vCPU's index.
 */
#define HYP_GUEST_MAGIC_LO	0x55475048		/* "HPGU" */
#define HYP_GUEST_MAGIC_HI	0x31545345		/* "EST1" */
#define HYP_GUEST_HDR_SIZE	16

#endif
