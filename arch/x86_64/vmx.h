/* SPDX-License-Identifier: MIT */
/*
 * VMX: VMCS field encodings (SDM Vol. 3D Appendix B), control bits (SDM
 * Vol. 3C 25.6-25.8), exit reasons (Vol. 3D Appendix C), and the VMX
 * instructions as inline functions.
 */
#ifndef ARCH_X86_64_VMX_H
#define ARCH_X86_64_VMX_H

#include "types.h"

/* B.1: 16-bit fields */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_ES_SEL		0x0800	/* ES..GS, LDTR, TR: +2 each */
#define VMCS_GUEST_TR_SEL		0x080e
#define VMCS_HOST_ES_SEL		0x0c00
#define VMCS_HOST_CS_SEL		0x0c02
#define VMCS_HOST_SS_SEL		0x0c04
#define VMCS_HOST_DS_SEL		0x0c06
#define VMCS_HOST_FS_SEL		0x0c08
#define VMCS_HOST_GS_SEL		0x0c0a
#define VMCS_HOST_TR_SEL		0x0c0c
/* B.2: 64-bit fields */
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_EPT_POINTER		0x201a
#define VMCS_GUEST_PHYS_ADDR		0x2400
#define VMCS_LINK_POINTER		0x2800
#define VMCS_GUEST_IA32_EFER		0x2806
#define VMCS_HOST_IA32_EFER		0x2c02
/* B.3: 32-bit fields */
#define VMCS_PIN_CTLS			0x4000
#define VMCS_PROC_CTLS			0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CTLS			0x400c
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_ENTRY_CTLS			0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_ENTRY_EXC_ERROR		0x4018
#define VMCS_PROC_CTLS2			0x401e
#define VMCS_INSN_ERROR			0x4400
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INTR_INFO		0x4404
#define VMCS_EXIT_INSN_LEN		0x440c
#define VMCS_GUEST_ES_LIMIT		0x4800	/* ES..GS, LDTR, TR: +2 each */
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814	/* ES..GS, LDTR, TR: +2 each */
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY		0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_PREEMPT_TIMER_VALUE	0x482e
#define VMCS_HOST_SYSENTER_CS		0x4c00
/* B.4: natural-width fields */
#define VMCS_CR0_MASK			0x6000
#define VMCS_CR4_MASK			0x6002
#define VMCS_CR0_SHADOW			0x6004
#define VMCS_CR4_SHADOW			0x6006
#define VMCS_EXIT_QUALIFICATION		0x6400
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806	/* ES..GS, LDTR, TR: +2 each */
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DBG		0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12
#define VMCS_HOST_RSP			0x6c14
#define VMCS_HOST_RIP			0x6c16

/* Guest segment registers in VMCS order (B.1.2): ES CS SS DS FS GS LDTR TR. */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_NR };

/* 25.6.1 Pin-based controls */
#define PIN_EXT_INTR_EXIT		BIT(0)
#define PIN_NMI_EXIT			BIT(3)
#define PIN_PREEMPT_TIMER		BIT(6)	/* activate the VMX-preemption timer */
/* 25.6.2 Primary processor-based controls */
#define PROC_HLT_EXIT			BIT(7)
#define PROC_MWAIT_EXIT			BIT(10)
#define PROC_RDPMC_EXIT			BIT(11)
#define PROC_UNCOND_IO_EXIT		BIT(24)
#define PROC_USE_MSR_BITMAPS		BIT(28)
#define PROC_MONITOR_EXIT		BIT(29)
#define PROC_SECONDARY			BIT(31)
/* Secondary processor-based controls */
#define PROC2_EPT			BIT(1)
#define PROC2_VPID			BIT(5)
#define PROC2_WBINVD_EXIT		BIT(6)
#define PROC2_UNRESTRICTED		BIT(7)
/* 25.7.1 VM-exit controls */
#define EXIT_HOST_ADDR_64		BIT(9)
#define EXIT_ACK_INTR			BIT(15)
#define EXIT_SAVE_EFER			BIT(20)
#define EXIT_LOAD_EFER			BIT(21)
#define EXIT_SAVE_PREEMPT_TIMER		BIT(22)	/* the timer counts on from where it stopped */
/* 25.8.1 VM-entry controls */
#define ENTRY_LOAD_EFER			BIT(15)

/* IA32_VMX_MISC (Vol. 3D A.6): the VMX-preemption timer counts at the TSC's rate >> this */
#define VMX_MISC_TIMER_SHIFT_MASK	0x1f
/* IA32_VMX_BASIC (Vol. 3D A.1) */
#define VMX_BASIC_REVISION_MASK		0x7fffffffull
#define VMX_BASIC_TRUE_CTLS		BIT(55)
/* IA32_FEATURE_CONTROL (Vol. 4 Table 2-2) */
#define FEATURE_CONTROL_LOCK		BIT(0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	BIT(2)
/* IA32_VMX_EPT_VPID_CAP (Vol. 3D A.10) */
#define EPT_CAP_WALK_4			BIT(6)
#define EPT_CAP_WB			BIT(14)
#define EPT_CAP_2M			BIT(16)
#define EPT_CAP_INVEPT			BIT(20)
#define EPT_CAP_INVEPT_SINGLE		BIT(25)
#define EPT_CAP_INVEPT_ALL		BIT(26)
#define VPID_CAP_INVVPID		BIT(32)
#define VPID_CAP_INVVPID_SINGLE		BIT(41)
#define VPID_CAP_INVVPID_ALL		BIT(42)
/* EPTP (25.6.11) */
#define EPTP_MT_WB			6ull
#define EPTP_WALK_4			(3ull << 3)	/* page-walk length - 1 */
/* INVEPT types (Vol. 3C 31.3) */
#define INVEPT_SINGLE			1
#define INVEPT_ALL			2
/* INVVPID types (Vol. 3C 31.3) */
#define INVVPID_SINGLE			1
#define INVVPID_ALL			2

/* CPUID.1:ECX (Vol. 2A Table 3-10) */
#define CPUID1_ECX_MONITOR		BIT(3)	/* MONITOR/MWAIT */
#define CPUID1_ECX_VMX			BIT(5)
#define CPUID1_ECX_XSAVE		BIT(26)	/* XSAVE/XRSTOR/XSETBV/XGETBV, XCR0 */
#define CPUID1_ECX_OSXSAVE		BIT(27)	/* CR4.OSXSAVE as the reading software set it */
#define CPUID1_ECX_HYPERVISOR		BIT(31)	/* reserved for hypervisors to report themselves */

/* Exit reasons, Vol. 3D Appendix C */
#define EXIT_EXCEPTION_NMI		0
#define EXIT_EXTERNAL_INTR		1
#define EXIT_TRIPLE_FAULT		2
#define EXIT_INIT			3
#define EXIT_CPUID			10
#define EXIT_HLT			12
#define EXIT_RDPMC			15
#define EXIT_VMCALL			18
#define EXIT_VMCLEAR			19	/* 19-27: VMCLEAR ... VMXON */
#define EXIT_VMXON			27
#define EXIT_CR_ACCESS			28
#define EXIT_IO				30
#define EXIT_RDMSR			31
#define EXIT_WRMSR			32
#define EXIT_ENTRY_BAD_GUEST		33
#define EXIT_MWAIT			36
#define EXIT_MONITOR			39
#define EXIT_EPT_VIOLATION		48
#define EXIT_EPT_MISCONFIG		49
#define EXIT_INVEPT			50
#define EXIT_INVVPID			53
#define EXIT_PREEMPT_TIMER		52	/* VMX-preemption timer expired */
#define EXIT_WBINVD			54
#define EXIT_VMFUNC			59
#define EXIT_REASON_MASK		0xffff

/* I/O exit qualification, Vol. 3C Table 28-5 */
#define IOQ_SIZE_MASK			0x7	/* size - 1 */
#define IOQ_IN				BIT(3)
#define IOQ_STRING			BIT(4)
#define IOQ_PORT_SHIFT			16

/* VM-entry interruption information (25.8.3): a hardware exception with an error code. */
#define INTR_INFO_VALID			BIT(31)
#define INTR_INFO_HW_EXC		(3u << 8)
#define INTR_INFO_TYPE_MASK		(7u << 8)
#define INTR_INFO_NMI			(2u << 8)
#define INTR_INFO_ERROR_CODE		BIT(11)
#define INTR_INFO_VECTOR_MASK		0xffu
#define X86_EXC_GP			13

/* Guest interruptibility state (25.4.2, Table 25-3) */
#define GUEST_BLOCK_NMI			BIT(3)

/* Guest segment access rights (25.4.1, Table 25-2) */
#define AR_CODE32			0xc09b	/* G, D, P, S, execute/read, accessed */
#define AR_DATA32			0xc093	/* G, D/B, P, S, read/write, accessed */
#define AR_TSS32_BUSY			0x008b	/* P, 32-bit busy TSS */
#define AR_UNUSABLE			BIT(16)

static inline u64 vmread(u64 field)
{
	u64 v;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
	return v;
}

static inline void vmwrite(u64 field, u64 v)
{
	__asm__ volatile("vmwrite %1, %0" :: "r"(field), "rm"(v) : "cc", "memory");
}

/* VMXON, VMCLEAR, VMPTRLD: 0 on success (CF and ZF clear, Vol. 3C 31.2). */
#define VMX_OP(insn, pa) ({ u8 __fail; __asm__ volatile(insn " %1; setbe %0" \
	: "=qm"(__fail) : "m"(pa) : "cc", "memory"); (int)__fail; })

#endif
