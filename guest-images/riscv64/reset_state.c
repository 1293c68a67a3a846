// SPDX-License-Identifier: MIT
/*
 * The riscv64 part of the reset guest (lib.h: reset_state_dirty(),
 * reset_state_left_over()), linked into it alone (guest-images/guests.mk):
 * PC16550D Table 2, the H extension's VS CSRs.
 */
#include "lib.h"

#define NS_DLL		0
#define NS_IER		1
#define NS_DLM		1
#define NS_LCR		3
#define NS_LCR_DLAB	0x80
#define NS_MCR		4
#define SSTATUS_FS_INIT	(1ul << 13)	/* FS = Initial: f0-f31 usable */
#define SIP_SSIP	(1ul << 1)
#define DIRTY		0x5a5a0000ul

#define CSR_RW(name)								\
static u64 rd_##name(void)							\
{										\
	u64 v;									\
	__asm__ volatile("csrr %0, " #name : "=r"(v) :: "memory");		\
	return v;								\
}										\
static void wr_##name(u64 v)							\
{										\
	__asm__ volatile("csrw " #name ", %0" :: "r"(v) : "memory");		\
}
CSR_RW(sscratch) CSR_RW(sepc) CSR_RW(scause) CSR_RW(stval) CSR_RW(scounteren)
CSR_RW(sie) CSR_RW(fcsr)
#undef CSR_RW

struct vs_csr {
	const char *name;
	u64 (*rd)(void);
	void (*wr)(u64);
	u64 dirty;		/* 0: DIRTY | its index */
};

#define CSR(n, d)	{ #n, rd_##n, wr_##n, d }
static const struct vs_csr vs_csrs[] = {
	CSR(sscratch, 0), CSR(sepc, 0x5a5a0010), CSR(scause, 0), CSR(stval, 0),
	CSR(scounteren, 2),	/* TM: no VS copy, H extension 9.2.1 */
	CSR(sie, 1ul << 9),	/* SEIE only: the SSIP raised below stays pending */
	CSR(fcsr, 0xff),
};
#undef CSR
#define VS_CSRS		(sizeof(vs_csrs) / sizeof(vs_csrs[0]))

/* f0-f31 (sstatus.FS on): each written with @v; or the OR of all their bits. */
static u64 fp_regs(int write, u64 v)
{
	u64 acc = 0, x;

#define FP_REG(n)								\
	if (write) {								\
		__asm__ volatile(".option push\n\t.option arch, +d\n\t"	\
				 "fmv.d.x f" #n ", %0\n\t.option pop" :: "r"(v + n));	\
	} else {								\
		__asm__ volatile(".option push\n\t.option arch, +d\n\t"	\
				 "fmv.x.d %0, f" #n "\n\t.option pop" : "=r"(x));	\
		acc |= x;							\
	}
	FP_REG(0) FP_REG(1) FP_REG(2) FP_REG(3) FP_REG(4) FP_REG(5) FP_REG(6) FP_REG(7)
	FP_REG(8) FP_REG(9) FP_REG(10) FP_REG(11) FP_REG(12) FP_REG(13) FP_REG(14) FP_REG(15)
	FP_REG(16) FP_REG(17) FP_REG(18) FP_REG(19) FP_REG(20) FP_REG(21) FP_REG(22) FP_REG(23)
	FP_REG(24) FP_REG(25) FP_REG(26) FP_REG(27) FP_REG(28) FP_REG(29) FP_REG(30) FP_REG(31)
#undef FP_REG
	return acc;
}

static u64 rd_sip(void)
{
	u64 v;

	__asm__ volatile("csrr %0, sip" : "=r"(v) :: "memory");
	return v;
}

void reset_state_dirty(void)
{
	mmio_write8(UART_BASE + NS_LCR, NS_LCR_DLAB | 3);
	mmio_write8(UART_BASE + NS_DLL, 0x0c);
	mmio_write8(UART_BASE + NS_DLM, 0x01);
	mmio_write8(UART_BASE + NS_LCR, 0x1b);
	mmio_write8(UART_BASE + NS_IER, 0x0f);
	mmio_write8(UART_BASE + NS_MCR, 0x0b);
	mmio_write8(UART_BASE + UART_SCR, 0x5a);
	__asm__ volatile("csrs sstatus, %0" :: "r"(SSTATUS_FS_INIT) : "memory");
	for (u32 i = 0; i < VS_CSRS; i++)
		vs_csrs[i].wr(vs_csrs[i].dirty ? vs_csrs[i].dirty : DIRTY | i);
	fp_regs(1, DIRTY);
	/* To itself (pending: nothing enabled) and every other hart, those off too. */
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, (1ul << vcpu_count()) - 1, 0, 0);
}

u32 reset_state_left_over(void)
{
	u64 got[VS_CSRS], fp, sstatus, sip, dl;
	u32 n = 0;

	__asm__ volatile("csrr %0, sstatus" : "=r"(sstatus) :: "memory");
	sip = rd_sip();
	__asm__ volatile("csrs sstatus, %0" :: "r"(SSTATUS_FS_INIT) : "memory");
	for (u32 i = 0; i < VS_CSRS; i++)	/* all read before a line is printed */
		got[i] = vs_csrs[i].rd();
	fp = fp_regs(0, 0);
	n += reset_state_check("sstatus.FS", sstatus & (3ul << 13), 0);
	n += reset_state_check("sip", sip, 0);
	for (u32 i = 0; i < VS_CSRS; i++)
		n += reset_state_check(vs_csrs[i].name, got[i], 0);
	n += reset_state_check("f0-f31", fp, 0);
	n += reset_state_check("IER", mmio_read8(UART_BASE + NS_IER), 0);
	n += reset_state_check("LCR", mmio_read8(UART_BASE + NS_LCR), 0);
	n += reset_state_check("MCR", mmio_read8(UART_BASE + NS_MCR), 0);
	n += reset_state_check("SCR", mmio_read8(UART_BASE + UART_SCR), 0);
	mmio_write8(UART_BASE + NS_LCR, NS_LCR_DLAB);
	dl = mmio_read8(UART_BASE + NS_DLL) | mmio_read8(UART_BASE + NS_DLM) << 8;
	mmio_write8(UART_BASE + NS_LCR, 0);
	n += reset_state_check("divisor latch", dl, 0);
	return n;
}
