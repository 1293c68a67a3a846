// SPDX-License-Identifier: MIT
/*
 * The x87/SSE state a vCPU starts with. The hypervisor has none of its own
 * (-mno-sse -mno-mmx -mno-80387) and a CPU runs one vCPU, so a guest's x87
 * and XMM registers and MXCSR live in the CPU's own across exits, never
 * saved; but a (re)started vCPU would find there what its previous run
 * (before a reset), firmware or GRUB left. vmx_vmcs_setup() loads the
 * power-up/reset values instead (x86_fpu_reset()).
 *
 * Nothing past SSE is reachable from a guest: XCR0 stays at its reset
 * value, x87 alone (x86_fpu_cpu_enable()), and the guest cannot change it
 * (XSETBV exits unconditionally, SDM Vol. 3C 26.1.2, and stops its VM:
 * exit.c), so AVX, AVX-512 and later XSAVE components #UD in a guest.
 */
#include "types.h"
#include "vmx.h"
#include "x86.h"
#include "x86_cpu.h"
#include "x86_regs.h"

/*
 * SDM Vol. 3A 10.1.1, Table 10-1 (IA-32 and Intel 64 Processor States
 * Following Power-up, Reset, or INIT), the power-up/reset column: a VM
 * reset is a reset. (INIT leaves XMM0-15 and MXCSR unchanged; FINIT gives
 * FCW 0x037F and all registers empty instead.)
 */
#define X87_FCW_RESET		0x0040	/* every exception unmasked, 24-bit precision */
#define X87_FSW_RESET		0x0000
/*
 * FTW 0x5555: each register tagged 01 (zero). FXRSTOR takes the abridged
 * form, one bit a register, 1 = not empty, and works the full tag out of
 * the register's contents (+0.0: zero) (SDM Vol. 1 10.5.1.1).
 */
#define FXSAVE_FTW_ALL_VALID	0xff
#define MXCSR_RESET		0x1f80	/* every SSE exception masked, round to nearest */
/* XCR0 after reset: bit 0 (x87) alone (SDM Vol. 1 13.3). */
#define XCR0_X87		0x1
#define XCR_XFEATURE_ENABLED	0	/* XCR0, ECX of XSETBV */

/* The FXSAVE area, SDM Vol. 1 10.5.1 Table 10-2 (the 64-bit form: FXRSTOR64). */
struct fxsave_area {
	u16 fcw;
	u16 fsw;
	u8 ftw;			/* abridged */
	u8 reserved0;
	u16 fop;
	u64 fip;
	u64 fdp;
	u32 mxcsr;
	u32 mxcsr_mask;		/* ignored by FXRSTOR */
	u8 st[8][16];		/* ST0-7 / MM0-7, 80 bits each */
	u8 xmm[16][16];
	u8 reserved1[96];
} __attribute__((aligned(16)));	/* FXRSTOR: #GP unless 16-byte aligned */

_Static_assert(sizeof(struct fxsave_area) == 512 &&
	       __builtin_offsetof(struct fxsave_area, mxcsr) == 24 &&
	       __builtin_offsetof(struct fxsave_area, st) == 32 &&
	       __builtin_offsetof(struct fxsave_area, xmm) == 160, "SDM Vol. 1 Table 10-2");

/* Data registers, pointers, opcode and XMM0-15 all zero. */
static const struct fxsave_area fpu_reset_state = {
	.fcw = X87_FCW_RESET,
	.fsw = X87_FSW_RESET,
	.ftw = FXSAVE_FTW_ALL_VALID,
	.mxcsr = MXCSR_RESET,
};

/*
 * Once on each CPU, before its first vCPU: FXRSTOR and SSE need CR0.EM and
 * CR0.TS clear (else #UD/#NM) and CR4.OSFXSR set (else FXRSTOR may leave
 * XMM and MXCSR alone: SDM Vol. 2A FXRSTOR); the host CR0/CR4 of every VMCS
 * are read after this. XCR0 back at its reset value where there is one.
 */
void x86_fpu_cpu_enable(void)
{
	u32 r[4];
	u64 cr4 = read_cr(4) | X86_CR4_OSFXSR;

	write_cr(0, read_cr(0) & ~(u64)(X86_CR0_EM | X86_CR0_TS));
	cpuid(1, 0, r);
	if (r[2] & CPUID1_ECX_XSAVE) {
		cr4 |= X86_CR4_OSXSAVE;		/* XSETBV #UDs without it */
		write_cr(4, cr4);
		__asm__ volatile("xsetbv" :: "c"(XCR_XFEATURE_ENABLED), "a"(XCR0_X87), "d"(0));
	}
	write_cr(4, cr4);
}

/* This CPU's x87/SSE registers at their power-up/reset values (a vCPU's start). */
void x86_fpu_reset(void)
{
	__asm__ volatile("fxrstor64 %0" :: "m"(fpu_reset_state));
}
