// SPDX-License-Identifier: MIT
/*
 * Guests' MSR accesses through the MSR bitmap (SDM Vol. 3C 25.6.9): a
 * clear bit lets RDMSR or WRMSR of that MSR run in the guest, a set one
 * makes it exit. Passed through are only MSRs the VMCS itself switches
 * between guest and host on every entry and exit (SYSENTER_CS/ESP/EIP,
 * FS and GS base: guest-state and host-state fields, Vol. 3C 25.4.1,
 * 25.5, 28.5.1) and reads of the TSC (RDTSC gives the same). Some others
 * are emulated (msr_emulated[]); any other access gets #GP(0), as real
 * hardware gives for an MSR it does not have (Vol. 2B RDMSR/WRMSR).
 * One bitmap serves every VM: the policy is the same for all.
 */
#include "console.h"
#include "lib/string.h"
#include "vm.h"
#include "vmx.h"
#include "x86.h"
#include "x86_cpu.h"

#define MSR_BITMAP_SIZE		4096
/* The bitmap's four 1 KiB parts: reads of the low and high MSR range, then writes. */
#define MSR_BITMAP_READ_LOW	0
#define MSR_BITMAP_READ_HIGH	1024
#define MSR_BITMAP_WRITE_LOW	2048
#define MSR_BITMAP_WRITE_HIGH	3072
#define MSR_LOW_END		0x2000u
#define MSR_HIGH_BASE		0xc0000000u

/* SDM Vol. 4, Table 2-2 */
#define MSR_IA32_TSC			0x10
#define MSR_IA32_PLATFORM_ID		0x17
#define MSR_IA32_BIOS_SIGN_ID		0x8b
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_SYSENTER_ESP		0x175
#define MSR_IA32_SYSENTER_EIP		0x176
#define MSR_IA32_MISC_ENABLE		0x1a0
#define MISC_ENABLE_FAST_STRINGS	BIT(0)
#define EFER_SCE			BIT(0)	/* SDM Vol. 3A 2.2.1 */

static u8 msr_bitmap[MSR_BITMAP_SIZE] __attribute__((aligned(MSR_BITMAP_SIZE)));

struct msr_pass {
	u32 msr;
	bool write;	/* writes pass too, not only reads */
};

static const struct msr_pass msr_passed[] = {
	{ MSR_IA32_TSC, false },
	{ MSR_IA32_SYSENTER_CS, true },
	{ MSR_IA32_SYSENTER_ESP, true },
	{ MSR_IA32_SYSENTER_EIP, true },
	{ MSR_IA32_FS_BASE, true },
	{ MSR_IA32_GS_BASE, true },
};

/* Clear @msr's bit (an MSR of the low or the high range) in the part at @low or @high. */
static void msr_bitmap_clear(u32 msr, u32 low, u32 high)
{
	u32 part = msr < MSR_LOW_END ? low : high, n = msr < MSR_LOW_END ? msr : msr - MSR_HIGH_BASE;

	msr_bitmap[part + n / 8] &= (u8)~BIT(n % 8);
}

u64 x86_msr_bitmap_pa(void)
{
	static bool ready;

	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		memset(msr_bitmap, 0xff, sizeof(msr_bitmap));
		for (u32 i = 0; i < ARRAY_SIZE(msr_passed); i++) {
			msr_bitmap_clear(msr_passed[i].msr, MSR_BITMAP_READ_LOW,
					 MSR_BITMAP_READ_HIGH);
			if (msr_passed[i].write)
				msr_bitmap_clear(msr_passed[i].msr, MSR_BITMAP_WRITE_LOW,
						 MSR_BITMAP_WRITE_HIGH);
		}
		__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
	}
	return (u64)(uintptr_t)msr_bitmap;
}

/*
 * The emulated MSRs: what a read gives, or a write keeps. false: #GP
 * (the MSR is not offered, or the value is one the guest may not set).
 */
static bool msr_read(u32 msr, u64 *val)
{
	switch (msr) {
	case MSR_IA32_EFER:
		*val = vmread(VMCS_GUEST_IA32_EFER);
		return true;
	case MSR_IA32_FEATURE_CONTROL:	/* locked with VMX off: CPUID hides VMX too */
		*val = FEATURE_CONTROL_LOCK;
		return true;
	case MSR_IA32_MISC_ENABLE:
		*val = MISC_ENABLE_FAST_STRINGS;
		return true;
	case MSR_IA32_PLATFORM_ID:	/* no platform bits, no microcode revision */
	case MSR_IA32_BIOS_SIGN_ID:
		*val = 0;
		return true;
	default:
		return false;
	}
}

static bool msr_write(u32 msr, u64 val)
{
	switch (msr) {
	case MSR_IA32_EFER:	/* system calls and no-execute; long mode is not offered */
		if (val & ~(u64)(EFER_SCE | EFER_NXE))
			return false;
		vmwrite(VMCS_GUEST_IA32_EFER, val);
		return true;
	case MSR_IA32_BIOS_SIGN_ID:	/* written before CPUID to read the revision: kept 0 */
	case MSR_IA32_MISC_ENABLE:	/* its bits are the machine's: ignored */
		return true;
	default:
		return false;
	}
}

static void msr_inject_gp(void)
{
	vmwrite(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_INFO_ERROR_CODE | INTR_INFO_HW_EXC |
		X86_EXC_GP);
	vmwrite(VMCS_ENTRY_EXC_ERROR, 0);
}

void x86_msr_exit(struct vcpu *vcpu, struct x86_gregs *g, bool write)
{
	u32 msr = (u32)g->rcx;
	u64 val = (g->rdx & 0xffffffffu) << 32 | (g->rax & 0xffffffffu);
	bool ok = write ? msr_write(msr, val) : msr_read(msr, &val);

	if (!ok) {
		vm_log_injected(vcpu->vm, "#GP injected: %s of MSR 0x%x (RIP 0x%llx)",
				write ? "WRMSR" : "RDMSR", msr,
				(unsigned long long)vmread(VMCS_GUEST_RIP));
		msr_inject_gp();
		return;
	}
	if (!write) {
		g->rax = (u32)val;
		g->rdx = (u32)(val >> 32);
	}
	vmwrite(VMCS_GUEST_RIP, vmread(VMCS_GUEST_RIP) + vmread(VMCS_EXIT_INSN_LEN));
}
