/* SPDX-License-Identifier: MIT */
/*
 * RISC-V CSRs and their fields as the hypervisor uses them (The RISC-V
 * Instruction Set Manual, Volume II: Privileged Architecture, 20211203:
 * chapter 4 "Supervisor-Level ISA" and chapter 8 "Hypervisor Extension").
 * Shared by C and assembly: constants only outside __ASSEMBLER__.
 */
#ifndef ARCH_RISCV64_CSR_H
#define ARCH_RISCV64_CSR_H

#define RV_BIT(n)		(1ull << (n))

/* sstatus (4.1.1) */
#define SSTATUS_SIE		RV_BIT(1)
#define SSTATUS_SPIE		RV_BIT(5)
#define SSTATUS_SPP		RV_BIT(8)	/* the privilege trapped from: 1 = S (VS with SPV) */
#define SSTATUS_FS_INITIAL	(1ull << 13)	/* FS [14:13] = 1: FP usable, clean */
#define SSTATUS_SUM		RV_BIT(18)

/* scause (4.1.9): interrupts have bit 63 set. */
#define SCAUSE_INTR		RV_BIT(63)
#define SCAUSE_CODE_MASK	0xffull
#define IRQ_S_SOFT		1		/* supervisor software interrupt */
#define IRQ_VS_SOFT		2
#define IRQ_S_TIMER		5
#define IRQ_VS_TIMER		6
#define IRQ_VS_EXT		10
#define IRQ_S_EXT		9
#define EXC_INSN_MISALIGNED	0
#define EXC_ILLEGAL_INSN	2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_STORE_MISALIGNED	6		/* store or AMO */
#define EXC_ECALL_U		8
#define EXC_ECALL_VS		10		/* 8.6.1: environment call from VS-mode */
#define EXC_INSN_PAGE_FAULT	12
#define EXC_LOAD_PAGE_FAULT	13
#define EXC_STORE_PAGE_FAULT	15
#define EXC_INSN_GUEST_PAGE_FAULT 20		/* 8.6.1 table 8.7 */
#define EXC_LOAD_GUEST_PAGE_FAULT 21
#define EXC_VIRTUAL_INSN	22
#define EXC_STORE_GUEST_PAGE_FAULT 23

/* sie / sip bits (4.1.3) and hie / hip / hvip / hideleg (8.2.3, 8.2.4) */
#define SIE_SSIE		RV_BIT(IRQ_S_SOFT)
#define SIE_STIE		RV_BIT(IRQ_S_TIMER)
#define HIP_VSSIP		RV_BIT(IRQ_VS_SOFT)
#define HIP_VSTIP		RV_BIT(IRQ_VS_TIMER)
#define HIP_VSEIP		RV_BIT(IRQ_VS_EXT)

/* satp (4.1.11) and hgatp (8.2.10): MODE [63:60], (V)ASID [59:44] / VMID [57:44], PPN [43:0] */
#define SATP_MODE_SHIFT		60
#define SATP_MODE_SV39		8ull
#define SATP_MODE_SV48		9ull
#define SATP_MODE_SV57		10ull
#define SATP_MODE_LEVELS_BASE	5ull		/* Sv39, Sv48, Sv57 = 8, 9, 10: levels + 5 */
#define HGATP_MODE_SV39X4	8ull
#define HGATP_MODE_SV48X4	9ull
#define HGATP_VMID_SHIFT	44
#define HGATP_VMID_MASK		0x3fffull	/* 14 bits on RV64, fewer may be implemented */
#define SATP_PPN_MASK		((1ull << 44) - 1)

/* hstatus (8.2.1) */
#define HSTATUS_GVA		RV_BIT(6)
#define HSTATUS_SPV		RV_BIT(7)	/* the trap came from V=1; sret returns to V=1 */
#define HSTATUS_SPVP		RV_BIT(8)	/* the guest's privilege: HLV/HSV act as VS-mode */
#define HSTATUS_VTW		RV_BIT(21)	/* WFI in VS-mode: a virtual-instruction exception */
#define HSTATUS_VSXL_64		(2ull << 32)	/* VSXL [33:32] = 2: VS-mode is RV64 */

/* hcounteren (8.2.5) */
#define HCOUNTEREN_TM		RV_BIT(1)	/* the guest reads time without a trap */

/* henvcfg (8.2.6) */
#define HENVCFG_STCE		RV_BIT(63)	/* Sstc: vstimecmp is the guest's timer */

/* misa (3.1.1): the H extension. */
#define MISA_H			RV_BIT(7)

/* CSR numbers the assembler may not know under their names. */
#define CSR_STIMECMP		0x14d		/* Sstc */
#define CSR_VSTIMECMP		0x24d		/* Sstc with H */
#define CSR_SENVCFG		0x10a		/* Privileged Architecture 1.12, 4.1.10 */

#ifndef __ASSEMBLER__

#define CSR_STR(csr)		#csr
#define CSR_NAME(csr)		CSR_STR(csr)

#define csr_read(csr) ({						\
	unsigned long __v;						\
	__asm__ volatile("csrr %0, " CSR_NAME(csr) : "=r"(__v) :: "memory");	\
	__v; })

#define csr_write(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ volatile("csrw " CSR_NAME(csr) ", %0" :: "rK"(__v) : "memory");	\
	})

#define csr_set(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ volatile("csrs " CSR_NAME(csr) ", %0" :: "rK"(__v) : "memory");	\
	})

#define csr_clear(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ volatile("csrc " CSR_NAME(csr) ", %0" :: "rK"(__v) : "memory");	\
	})

#endif
#endif
