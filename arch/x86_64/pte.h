/* SPDX-License-Identifier: MIT */
/* IA-32e paging and EPT entry bits. */
#ifndef ARCH_X86_64_PTE_H
#define ARCH_X86_64_PTE_H

#include "types.h"

/* IA-32e paging entries: SDM Vol. 3A 4.5, Tables 4-15 to 4-20. */
#define X86_PTE_P		BIT(0)		/* present */
#define X86_PTE_RW		BIT(1)		/* writes allowed */
#define X86_PTE_US		BIT(2)		/* user-mode accesses allowed */
#define X86_PTE_PWT		BIT(3)		/* page-level write-through (PAT index bit 0) */
#define X86_PTE_PCD		BIT(4)		/* page-level cache disable (PAT index bit 1) */
#define X86_PTE_A		BIT(5)		/* accessed */
#define X86_PTE_D		BIT(6)		/* dirty (leaves only) */
#define X86_PTE_PS		BIT(7)		/* PDPTE/PDE: maps a 1 GiB / 2 MiB page */
#define X86_PTE_XD		BIT(63)		/* execute-disable, with IA32_EFER.NXE */
#define X86_PTE_ADDR		GENMASK(51, 12)	/* MAXPHYADDR is at most 52 (4.1.4) */
/* Default IA32_PAT entry 3 (PCD=1, PWT=1) is UC: SDM Vol. 3A 12.12.2, Table 12-12. */
#define X86_PTE_UC		(X86_PTE_PCD | X86_PTE_PWT)
/*
 * Non-present entries ignore every bit but P (4.5.4): this one is never a
 * PTE we build, and has neither A nor D so no hardware update can match it.
 */
#define X86_PTE_FROZEN		0x5a0ull

/* EPT entries: SDM Vol. 3C 29.3.2, Tables 29-1 to 29-6. */
#define EPT_PTE_R		BIT(0)
#define EPT_PTE_W		BIT(1)
#define EPT_PTE_X		BIT(2)		/* supervisor-mode execute with MBEC */
#define EPT_PTE_RWX		(EPT_PTE_R | EPT_PTE_W | EPT_PTE_X)
#define EPT_PTE_MT_SHIFT	3		/* leaf memory type, bits 5:3 (29.3.7) */
#define EPT_PTE_MT_MASK		GENMASK(5, 3)
#define EPT_MT_UC		0ull
#define EPT_MT_WB		6ull
#define EPT_PTE_IPAT		BIT(6)		/* ignore guest PAT */
#define EPT_PTE_PS		BIT(7)		/* maps a 1 GiB / 2 MiB page */
#define EPT_PTE_A		BIT(8)		/* accessed, when EPTP bit 6 is set */
#define EPT_PTE_D		BIT(9)		/* dirty, when EPTP bit 6 is set */
#define EPT_PTE_ADDR		GENMASK(51, 12)
/*
 * Not present: bits 2:0 clear, and bit 10 too (user-execute makes an entry
 * present with mode-based execute control, 29.3.2). Bit 63 set suppresses
 * #VE for it (26.5.7); bit 11 is ignored.
 */
#define EPT_PTE_FROZEN		(BIT(63) | BIT(11))

#endif
