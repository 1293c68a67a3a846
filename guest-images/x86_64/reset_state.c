// SPDX-License-Identifier: MIT
/*
 * The x86_64 part of the reset guest (lib.h: reset_state_dirty(),
 * reset_state_left_over()), linked into it alone (guest-images/guests.mk):
 * its 16550's registers (PC16550D Table 2) and its x87/SSE state (SDM
 * Vol. 3A 10.1.1 Table 10-1, power-up/reset), seen through FXSAVE, with
 * XCR0 where the CPU has XSAVE.
 */
#include "lib.h"

#define NS_DLL		0
#define NS_IER		1
#define NS_DLM		1
#define NS_LCR		3
#define NS_LCR_DLAB	0x80
#define NS_MCR		4

#define CR4_OSFXSR	0x200		/* SDM Vol. 3A 2.5: SSE, FXSAVE of XMM/MXCSR */
#define CR4_OSXSAVE	0x40000		/* XGETBV */
#define CPUID1_ECX_XSAVE (1u << 26)	/* SDM Vol. 2A CPUID Table 3-10 */
#define FCW_RESET	0x0040		/* SDM Vol. 3A Table 10-1, power-up/reset */
#define FTW_RESET	0xff		/* 0x5555 (each register +0.0) in FXSAVE's abridged form */
#define MXCSR_RESET	0x1f80
#define XCR0_RESET	0x1		/* x87 alone (SDM Vol. 1 13.3) */
#define FCW_DIRTY	0x027f		/* 53-bit precision, every exception masked */
#define MXCSR_DIRTY	0x7f81		/* round toward zero, the invalid-operation flag */
#define XMM_DIRTY	0x5a5a0000u	/* ORed with each word's index */
#define X87_REGS	8
#define XMM_REGS	8		/* XMM8-15 exist in 64-bit mode only */

/*
 * The 32-bit FXSAVE area in words (SDM Vol. 1 10.5.1 Table 10-2): FCW/FSW,
 * abridged FTW/FOP, FIP, FCS, FDP, FDS, MXCSR, MXCSR_MASK, then ST0-7 and
 * XMM0-7, 16 bytes each (ST's 80 bits: the low 10).
 */
#define FX_FCW_FSW	0
#define FX_FTW_FOP	1
#define FX_FIP		2
#define FX_FDS		5
#define FX_MXCSR	6
#define FX_ST(i)	(8 + 4 * (i))
#define FX_XMM(i)	(40 + 4 * (i))
#define FX_WORDS	128

static u32 fx_area[FX_WORDS] __attribute__((aligned(16)));	/* FXSAVE: 16-byte aligned */
static const char *const st_name[X87_REGS] = { "ST0", "ST1", "ST2", "ST3", "ST4", "ST5",
						"ST6", "ST7" };
static const char *const xmm_name[XMM_REGS] = { "XMM0", "XMM1", "XMM2", "XMM3", "XMM4",
						 "XMM5", "XMM6", "XMM7" };

/*
 * CR4 bits the guest sets for itself (each vCPU start gives it a fresh
 * CR4): SSE and FXSAVE of XMM/MXCSR need OSFXSR; XGETBV needs OSXSAVE.
 */
static void cr4_set(u32 bits)
{
	unsigned long cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" :: "r"(cr4 | bits) : "memory");
}

/* x87: two values pushed (TOP moves), 1/0 (masked: FSW.ZE), FCW changed; XMM0-7, MXCSR. */
static void fpu_dirty(void)
{
	static u32 pattern[4 * XMM_REGS] __attribute__((aligned(16)));
	u32 fcw = FCW_DIRTY, mxcsr = MXCSR_DIRTY;

	for (u32 i = 0; i < 4 * XMM_REGS; i++)
		pattern[i] = XMM_DIRTY | i;
	cr4_set(CR4_OSFXSR);
	__asm__ volatile("fninit\n\tfldz\n\tfld1\n\tfdiv %%st(1), %%st\n\tfldcw %0"
			 :: "m"(fcw));
	__asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
	__asm__ volatile("movaps 0(%0), %%xmm0\n\tmovaps 16(%0), %%xmm1\n\t"
			 "movaps 32(%0), %%xmm2\n\tmovaps 48(%0), %%xmm3\n\t"
			 "movaps 64(%0), %%xmm4\n\tmovaps 80(%0), %%xmm5\n\t"
			 "movaps 96(%0), %%xmm6\n\tmovaps 112(%0), %%xmm7"
			 :: "r"(pattern) : "memory");
}

static u32 cpuid1_ecx(void)
{
	u32 a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c;
}

/* The first nonzero word of the @n words at @w, or 0. */
static u32 first_set(const u32 *w, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (w[i])
			return w[i];
	return 0;
}

static u32 fpu_left_over(void)
{
	u32 n = 0;

	cr4_set(CR4_OSFXSR);
	__asm__ volatile("fxsave %0" : "=m"(fx_area));
	n += reset_state_check("FCW", fx_area[FX_FCW_FSW] & 0xffff, FCW_RESET);
	n += reset_state_check("FSW", fx_area[FX_FCW_FSW] >> 16, 0);
	n += reset_state_check("FTW", fx_area[FX_FTW_FOP] & 0xff, FTW_RESET);
	n += reset_state_check("FOP", fx_area[FX_FTW_FOP] >> 16, 0);
	n += reset_state_check("FIP/FCS/FDP/FDS", first_set(&fx_area[FX_FIP], FX_FDS - FX_FIP + 1),
			       0);
	n += reset_state_check("MXCSR", fx_area[FX_MXCSR], MXCSR_RESET);
	for (u32 i = 0; i < X87_REGS; i++)
		n += reset_state_check(st_name[i], first_set(&fx_area[FX_ST(i)], 3), 0);
	for (u32 i = 0; i < XMM_REGS; i++)
		n += reset_state_check(xmm_name[i], first_set(&fx_area[FX_XMM(i)], 4), 0);
	if (cpuid1_ecx() & CPUID1_ECX_XSAVE) {
		u32 lo, hi;

		cr4_set(CR4_OSXSAVE);
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		n += reset_state_check("XCR0", lo | hi, XCR0_RESET);
	}
	return n;
}

void reset_state_dirty(void)
{
	port_out8(UART_PORT + NS_LCR, NS_LCR_DLAB | 3);
	port_out8(UART_PORT + NS_DLL, 0x0c);
	port_out8(UART_PORT + NS_DLM, 0x01);
	port_out8(UART_PORT + NS_LCR, 0x1b);
	port_out8(UART_PORT + NS_IER, 0x0f);
	port_out8(UART_PORT + NS_MCR, 0x0b);
	port_out8(UART_PORT + UART_SCR, 0x5a);
	fpu_dirty();
}

u32 reset_state_left_over(void)
{
	u32 n = 0;
	u64 dl;

	n += reset_state_check("IER", port_in8(UART_PORT + NS_IER), 0);
	n += reset_state_check("LCR", port_in8(UART_PORT + NS_LCR), 0);
	n += reset_state_check("MCR", port_in8(UART_PORT + NS_MCR), 0);
	n += reset_state_check("SCR", port_in8(UART_PORT + UART_SCR), 0);
	port_out8(UART_PORT + NS_LCR, NS_LCR_DLAB);
	dl = port_in8(UART_PORT + NS_DLL) | (u64)port_in8(UART_PORT + NS_DLM) << 8;
	port_out8(UART_PORT + NS_LCR, 0);
	n += reset_state_check("divisor latch", dl, 0);
	return n + fpu_left_over();
}
