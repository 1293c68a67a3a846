/* SPDX-License-Identifier: MIT */
/*
 * x86-64 architectural constants shared by C and assembly (no C in here):
 * control registers, MSRs, descriptors. SDM = Intel 64 and IA-32
 * Architectures Software Developer's Manual.
 */
#ifndef ARCH_X86_64_X86_REGS_H
#define ARCH_X86_64_X86_REGS_H

/* CR0, SDM Vol. 3A 2.5 */
#define X86_CR0_PE		0x00000001
#define X86_CR0_EM		0x00000004	/* x87 emulation: x87/SSE insns #NM/#UD */
#define X86_CR0_TS		0x00000008	/* task switched: x87/SSE insns #NM */
#define X86_CR0_NE		0x00000020
#define X86_CR0_WP		0x00010000
#define X86_CR0_PG		0x80000000
/* CR4, SDM Vol. 3A 2.5 */
#define X86_CR4_PAE		0x00000020
#define X86_CR4_OSFXSR		0x00000200	/* FXSAVE/FXRSTOR cover XMM/MXCSR; SSE allowed */
#define X86_CR4_VMXE		0x00002000
#define X86_CR4_OSXSAVE		0x00040000	/* XGETBV/XSETBV/XSAVE allowed */

/* MSRs, SDM Vol. 4 2.1 */
#define MSR_IA32_APIC_BASE	0x1b
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_IA32_VMX_BASIC	0x480
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS	0x483
#define MSR_IA32_VMX_ENTRY_CTLS	0x484
#define MSR_IA32_VMX_MISC	0x485
#define MSR_IA32_VMX_CR0_FIXED0	0x486
#define MSR_IA32_VMX_CR0_FIXED1	0x487
#define MSR_IA32_VMX_CR4_FIXED0	0x488
#define MSR_IA32_VMX_CR4_FIXED1	0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490
#define MSR_IA32_EFER		0xc0000080
#define MSR_IA32_FS_BASE	0xc0000100
#define MSR_IA32_GS_BASE	0xc0000101
#define EFER_LME		0x00000100	/* SDM Vol. 3A 2.2.1 */
#define EFER_LMA		0x00000400
#define EFER_NXE		0x00000800

/* Paging entry bits the early map uses (arch/x86_64/pte.h has them all). */
#define EARLY_PTE_P		0x001
#define EARLY_PTE_RW		0x002
#define EARLY_PTE_PS		0x080

/* Where application processors start (SIPI vector = this >> 12), below 1 MiB. */
#define X86_TRAMPOLINE		0x8000
/*
 * The ticket an application processor takes (arch/x86_64/smp.c): its
 * local APIC ID in bits 63:32, its CPU index in 31:0; all ones: none.
 */
#define X86_AP_TICKET_ID_SHIFT	32
#define X86_AP_NO_TICKET	0xffffffffffffffff

/* The GDT (boot/x86_64/head.S): selectors and descriptors, SDM Vol. 3A 3.4.5. */
#define GDT_CODE64		0x08
#define GDT_DATA		0x10
#define GDT_TSS			0x18	/* CPU n's TSS: GDT_TSS + 16 * n (16-byte descriptors) */
#define GDT_TSS_SEL(cpu)	(GDT_TSS + 16 * (cpu))
#define GDT_CODE64_DESC		0x00af9b000000ffff	/* L=1, P, DPL 0, code, accessed */
#define GDT_DATA_DESC		0x00cf93000000ffff	/* P, DPL 0, data RW, accessed */

#endif
