/* SPDX-License-Identifier: MIT */
/*
 * Sv39/Sv48 PTEs (RISC-V Privileged Architecture 4.4.1, 4.5) and their use by
 * the G-stage (Sv39x4/Sv48x4, the hypervisor extension's two-stage
 * translation, 9.5 in the 2021-12 edition).
 */
#ifndef ARCH_RISCV64_PTE_H
#define ARCH_RISCV64_PTE_H

#include "types.h"

#define RISCV_PTE_V		BIT(0)
#define RISCV_PTE_R		BIT(1)
#define RISCV_PTE_W		BIT(2)
#define RISCV_PTE_X		BIT(3)
#define RISCV_PTE_U		BIT(4)		/* G-stage: every leaf must have it (9.5.1) */
#define RISCV_PTE_A		BIT(6)
#define RISCV_PTE_D		BIT(7)
#define RISCV_PTE_RWX		(RISCV_PTE_R | RISCV_PTE_W | RISCV_PTE_X)
#define RISCV_PTE_PPN_SHIFT	10
#define RISCV_PTE_PPN_MASK	GENMASK(53, 10)	/* PPN[*], 44 bits */
#define RISCV_PTE_PBMT_SHIFT	61		/* Svpbmt: bits 62:61 */
#define RISCV_PTE_PBMT_MASK	GENMASK(62, 61)
#define RISCV_PBMT_IO		2ull		/* non-cacheable, I/O ordering */
#define RISCV_PAGE_SHIFT	12
/*
 * Without Svpbmt the PBMT bits are reserved (must be zero) and device
 * memory is a matter of the PMAs: the walker's DEVICE is then kept in an
 * RSW bit (for software, 4.4.1) so that it reads back.
 */
#define RISCV_PTE_RSW_DEVICE	BIT(8)
/* V=0: the other bits are for software (4.4.1); RSW set, nothing else. */
#define RISCV_PTE_FROZEN	0x300ull

#endif
