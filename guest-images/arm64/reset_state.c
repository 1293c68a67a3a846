// SPDX-License-Identifier: MIT
/*
 * The arm64 part of the reset guest (lib.h: reset_state_dirty(),
 * reset_state_left_over()), linked into it alone (guest-images/guests.mk):
 * PL011 TRM r1p5 3.3 and Arm ARM D24.
 */
#include "lib.h"

/* A single load with a register address (arch.c's, for this guest alone). */
static u32 mmio_read32(u64 addr)
{
	u32 val;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

#define PL011_FBRD	0x028
#define PL011_LCR_H	0x02c
#define PL011_CR	0x030
#define PL011_CR_RESET	0x300		/* TXE | RXE */
#define PL011_IFLS	0x034
#define PL011_IFLS_RESET 0x12
#define PL011_IMSC	0x038
#define PL011_INT_TX	(1u << 5)
#define CPACR_FPEN	(3ul << 20)	/* FP/SIMD at EL1 and EL0 untrapped */
#define CNT_CTL_IMASK	2ul		/* enabled 0, masked: no interrupt */
#define FPCR_DN_FZ	(3ul << 24)
#define FPSR_IOC	1ul
#define DIRTY		0x5a5a0000ul	/* ORed with each register's index */
#define ID_AA64ISAR1_PAUTH 0xff000ff0ul
#define ID_AA64ISAR2_PAUTH 0xff00ul

#define SYSREG_RW(name)								\
static u64 rd_##name(void)							\
{										\
	u64 v;									\
	__asm__ volatile("mrs %0, " #name : "=r"(v));				\
	return v;								\
}										\
static void __attribute__((unused)) wr_##name(u64 v)				\
{										\
	__asm__ volatile("msr " #name ", %0\n\tisb" :: "r"(v) : "memory");	\
}
SYSREG_RW(tpidr_el1) SYSREG_RW(tpidr_el0) SYSREG_RW(tpidrro_el0) SYSREG_RW(contextidr_el1)
SYSREG_RW(mair_el1) SYSREG_RW(amair_el1) SYSREG_RW(ttbr0_el1) SYSREG_RW(ttbr1_el1)
SYSREG_RW(tcr_el1) SYSREG_RW(far_el1) SYSREG_RW(esr_el1) SYSREG_RW(afsr0_el1)
SYSREG_RW(afsr1_el1) SYSREG_RW(par_el1) SYSREG_RW(elr_el1) SYSREG_RW(spsr_el1)
SYSREG_RW(sp_el0) SYSREG_RW(cntkctl_el1) SYSREG_RW(cntv_cval_el0) SYSREG_RW(cntv_ctl_el0)
SYSREG_RW(cpacr_el1) SYSREG_RW(csselr_el1) SYSREG_RW(fpcr) SYSREG_RW(fpsr)
SYSREG_RW(S3_0_C2_C1_0)		/* APIAKeyLo_EL1 */
SYSREG_RW(S3_0_C2_C3_1)		/* APGAKeyHi_EL1 */
SYSREG_RW(id_aa64isar1_el1) SYSREG_RW(S3_0_C0_C6_2)	/* ID_AA64ISAR2_EL1 */
#undef SYSREG_RW

struct el1_reg {
	const char *name;
	u64 (*rd)(void);
	void (*wr)(u64);
	u64 dirty;		/* 0: DIRTY | its index */
};

#define REG(n, d)	{ #n, rd_##n, wr_##n, d }
static const struct el1_reg el1_regs[] = {
	REG(tpidr_el1, 0), REG(tpidr_el0, 0), REG(tpidrro_el0, 0), REG(contextidr_el1, 0),
	REG(mair_el1, 0), REG(amair_el1, 0), REG(ttbr0_el1, 0), REG(ttbr1_el1, 0),
	REG(tcr_el1, 0x10), REG(far_el1, 0), REG(esr_el1, 0x2000000), REG(afsr0_el1, 0),
	REG(afsr1_el1, 0), REG(par_el1, 0x800), REG(elr_el1, 0), REG(spsr_el1, 0x3c5),
	REG(sp_el0, 0), REG(cntkctl_el1, 3), REG(cntv_cval_el0, 0),
	REG(cntv_ctl_el0, CNT_CTL_IMASK), REG(csselr_el1, 1),
	REG(cpacr_el1, CPACR_FPEN),		/* last: the FP registers need it set */
};
#undef REG
#define EL1_REGS	(sizeof(el1_regs) / sizeof(el1_regs[0]))

static int has_pauth(void)
{
	return (rd_id_aa64isar1_el1() & ID_AA64ISAR1_PAUTH) ||
	       (rd_S3_0_C0_C6_2() & ID_AA64ISAR2_PAUTH);
}

/* V0-V31 (CPACR_EL1.FPEN set): each written with @v; or the OR of all their bits. */
static u64 fp_regs(int write, u64 v)
{
	u64 acc = 0, lo, hi;

#define FP_REG(n)								\
	if (write) {								\
		__asm__ volatile("dup v" #n ".2d, %0" :: "r"(v + n) : "v" #n);	\
	} else {								\
		__asm__ volatile("fmov %0, d" #n "\n\tmov %1, v" #n ".d[1]"	\
				 : "=r"(lo), "=r"(hi));				\
		acc |= lo | hi;							\
	}
	FP_REG(0) FP_REG(1) FP_REG(2) FP_REG(3) FP_REG(4) FP_REG(5) FP_REG(6) FP_REG(7)
	FP_REG(8) FP_REG(9) FP_REG(10) FP_REG(11) FP_REG(12) FP_REG(13) FP_REG(14) FP_REG(15)
	FP_REG(16) FP_REG(17) FP_REG(18) FP_REG(19) FP_REG(20) FP_REG(21) FP_REG(22) FP_REG(23)
	FP_REG(24) FP_REG(25) FP_REG(26) FP_REG(27) FP_REG(28) FP_REG(29) FP_REG(30) FP_REG(31)
#undef FP_REG
	return acc;
}

void reset_state_dirty(void)
{
	mmio_write32(UART_BASE + UART_IBRD, 0x1234);
	mmio_write32(UART_BASE + PL011_FBRD, 0x21);
	mmio_write32(UART_BASE + PL011_LCR_H, 0x70);
	mmio_write32(UART_BASE + PL011_CR, 0x301);
	mmio_write32(UART_BASE + PL011_IFLS, 0x3f);
	mmio_write32(UART_BASE + PL011_IMSC, PL011_INT_TX);
	for (u32 i = 0; i < EL1_REGS; i++)
		el1_regs[i].wr(el1_regs[i].dirty ? el1_regs[i].dirty : DIRTY | i);
	fp_regs(1, DIRTY);
	wr_fpcr(FPCR_DN_FZ);
	wr_fpsr(FPSR_IOC);
	if (has_pauth()) {
		wr_S3_0_C2_C1_0(DIRTY);
		wr_S3_0_C2_C3_1(DIRTY);
	}
}

u32 reset_state_left_over(void)
{
	u64 got[EL1_REGS], fp, fpcr, fpsr;
	u32 n = 0;

	for (u32 i = 0; i < EL1_REGS; i++)	/* all read before a line is printed */
		got[i] = el1_regs[i].rd();
	wr_cpacr_el1(CPACR_FPEN);
	fp = fp_regs(0, 0);
	fpcr = rd_fpcr();
	fpsr = rd_fpsr();
	wr_cpacr_el1(got[EL1_REGS - 1]);
	for (u32 i = 0; i < EL1_REGS; i++)
		n += reset_state_check(el1_regs[i].name, got[i], 0);
	n += reset_state_check("V0-V31", fp, 0) + reset_state_check("FPCR", fpcr, 0) +
	     reset_state_check("FPSR", fpsr, 0);
	if (has_pauth())
		n += reset_state_check("APIAKeyLo_EL1", rd_S3_0_C2_C1_0(), 0) +
		     reset_state_check("APGAKeyHi_EL1", rd_S3_0_C2_C3_1(), 0);
	n += reset_state_check("UARTIBRD", mmio_read32(UART_BASE + UART_IBRD), 0);
	n += reset_state_check("UARTFBRD", mmio_read32(UART_BASE + PL011_FBRD), 0);
	n += reset_state_check("UARTLCR_H", mmio_read32(UART_BASE + PL011_LCR_H), 0);
	n += reset_state_check("UARTCR", mmio_read32(UART_BASE + PL011_CR), PL011_CR_RESET);
	n += reset_state_check("UARTIFLS", mmio_read32(UART_BASE + PL011_IFLS), PL011_IFLS_RESET);
	n += reset_state_check("UARTIMSC", mmio_read32(UART_BASE + PL011_IMSC), 0);
	return n;
}
