/* SPDX-License-Identifier: MIT */
/*
 * The Supervisor Binary Interface, v2.0 (RISC-V SBI specification): the
 * ids and codes the hypervisor uses as a caller (of OpenSBI, sbi.c) and
 * answers as the SBI of its guests (vsbi.c), shared with the guests in
 * guest-images/ (constants only, no C). Section names are the
 * specification's.
 */
#ifndef ARCH_RISCV64_SBI_ABI_H
#define ARCH_RISCV64_SBI_ABI_H

#include "guest_abi.h"

/* "Binary Encoding", Standard SBI Errors */
#define SBI_SUCCESS		0
#define SBI_ERR_FAILED		(-1)
#define SBI_ERR_NOT_SUPPORTED	(-2)
#define SBI_ERR_INVALID_PARAM	(-3)
#define SBI_ERR_DENIED		(-4)
#define SBI_ERR_INVALID_ADDRESS	(-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED	(-7)
#define SBI_ERR_ALREADY_STOPPED	(-8)

/* "Legacy Extensions": EID = the function, no FID */
#define SBI_LEGACY_SET_TIMER	0x00
#define SBI_LEGACY_PUTCHAR	0x01
#define SBI_LEGACY_GETCHAR	0x02
#define SBI_LEGACY_SHUTDOWN	0x08

/* "Base Extension" (EID 0x10) */
#define SBI_EXT_BASE		0x10
#define SBI_BASE_SPEC_VERSION	0
#define SBI_BASE_IMPL_ID	1
#define SBI_BASE_IMPL_VERSION	2
#define SBI_BASE_PROBE_EXT	3
#define SBI_BASE_MVENDORID	4
#define SBI_BASE_MARCHID	5
#define SBI_BASE_MIMPID		6
#define SBI_SPEC_VERSION_2_0	(2ul << 24)	/* major [30:24], minor [23:0] */

/* "Timer Extension" (EID "TIME") */
#define SBI_EXT_TIME		0x54494d45
#define SBI_TIME_SET_TIMER	0

/* "IPI Extension" (EID "sPI") */
#define SBI_EXT_IPI		0x735049
#define SBI_IPI_SEND		0
/* "Hart list" (Binary Encoding): hart_mask_base -1 means every hart. */
#define SBI_HART_MASK_BASE_ALL	(~0ull)

/* "RFENCE Extension" (EID "RFNC") */
#define SBI_EXT_RFENCE		0x52464e43
#define SBI_RFENCE_FENCE_I	0
#define SBI_RFENCE_SFENCE_VMA	1
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define SBI_RFENCE_HFENCE_GVMA_VMID 3
#define SBI_RFENCE_HFENCE_GVMA	4
#define SBI_RFENCE_HFENCE_VVMA_ASID 5
#define SBI_RFENCE_HFENCE_VVMA	6
#define SBI_RFENCE_ALL		(~0ull)	/* size 2^XLEN - 1: the whole address space */

/* "Hart State Management Extension" (EID "HSM") */
#define SBI_EXT_HSM		0x48534d
#define SBI_HSM_HART_START	0
#define SBI_HSM_HART_STOP	1
#define SBI_HSM_HART_STATUS	2
#define SBI_HSM_HART_SUSPEND	3
/* "HSM Hart States" */
#define SBI_HSM_STARTED		0
#define SBI_HSM_STOPPED		1
#define SBI_HSM_START_PENDING	2
#define SBI_HSM_SUSPENDED	4
/* "HSM Hart Suspend Types" (32 bits): the two defaults; the rest reserved or platform-specific */
#define SBI_HSM_SUSPEND_RETENTIVE	0x00000000ul
#define SBI_HSM_SUSPEND_NON_RETENTIVE	0x80000000ul

/* "System Reset Extension" (EID "SRST") */
#define SBI_EXT_SRST		0x53525354
#define SBI_SRST_RESET		0
#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_COLD_REBOOT	1
#define SBI_SRST_WARM_REBOOT	2
#define SBI_SRST_REASON_NONE	0

/* "Debug Console Extension" (EID "DBCN") */
#define SBI_EXT_DBCN		0x4442434e
#define SBI_DBCN_WRITE		0
#define SBI_DBCN_READ		1
#define SBI_DBCN_WRITE_BYTE	2

/*
 * This hypervisor as an SBI implementation: its implementation id (one
 * the specification's table of ids does not list; "HV") and the extension
 * its own hypercalls use, in the firmware-specific range 0x0A000000-
 * 0x0AFFFFFF ("Binary Encoding"): 0x0A000000 | the implementation id,
 * FID = the HC_* number (hyp/guest_abi.h, docs/hypercalls.md).
 */
#define SBI_IMPL_ID_HYP		0x4856
#define SBI_IMPL_VERSION_HYP	1
#define SBI_EXT_HYP		(0x0a000000 | SBI_IMPL_ID_HYP)

/*
 * How a guest is entered: VS-mode, vsatp = 0 (bare), interrupts off,
 * PC = the first byte of its image = the base of its RAM, a0 = the RAM
 * base, a1 = the RAM size (the image header: hyp/guest_abi.h). That is
 * vCPU 0; another vCPU starts at its hart_start address with a0 = its
 * hart id (= its vCPU index) and a1 = the opaque value.
 */

#endif
