// SPDX-License-Identifier: MIT
/* The riscv64 primitives of the guest library (lib.h, guest_arch.h). */
#include "lib.h"

#define SBI_RESET_SHUTDOWN	0	/* SBI "System Reset Extension" reset types */
#define SBI_RESET_COLD		1
#define SBI_EXT_NONE		0x12345678ul	/* an extension id nobody defines */

/* A single store with a register address. */
void mmio_write32(u64 addr, u32 val)
{
	__asm__ volatile("sw %0, 0(%1)" :: "r"(val), "r"(addr) : "memory");
}

static u32 mmio_read8(u64 addr)
{
	u32 val;

	__asm__ volatile("lbu %0, 0(%1)" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

static void mmio_write8(u64 addr, u32 val)
{
	__asm__ volatile("sb %0, 0(%1)" :: "r"(val), "r"(addr) : "memory");
}

void uart_putc(char c)
{
	while (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	mmio_write8(UART_BASE + UART_THR, (u32)(unsigned char)c);
}

int uart_getc(void)
{
	u32 lsr = mmio_read8(UART_BASE + UART_LSR);

	if (!(lsr & UART_LSR_DR))
		return -1;
	return (int)(mmio_read8(UART_BASE + UART_RBR) | (lsr & UART_LSR_OE ? UART_RX_OVERRUN : 0));
}

static long hart_status(u32 hart)
{
	struct sbi_ret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STATUS, hart, 0, 0);

	return r.error ? r.error : r.value;
}

u32 vcpu_count(void)
{
	u32 n = 1;

	while (n < 256 && hart_status(n) >= 0)
		n++;
	return n;
}

u32 vcpu_self(void)
{
	u64 tp;

	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return (u32)tp;
}

s64 vcpu_start(u32 index)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, index, (u64)guest_secondary_entry,
			index).error;
}

int vcpu_start_says_on(s64 ret)
{
	return ret == SBI_ERR_ALREADY_AVAILABLE;
}

int vcpu_is_off(u32 index)
{
	return hart_status(index) == SBI_HSM_STOPPED;
}

int vcpu_interface_ok(u64 ram_base, u32 nr_vcpus)
{
	s64 none = vcpu_start(nr_vcpus);
	s64 bad_entry = nr_vcpus > 1 ?
		sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 1, ram_base - PAGE_SIZE, 0).error :
		SBI_ERR_INVALID_ADDRESS;

	return sbi_call(SBI_EXT_BASE, SBI_BASE_SPEC_VERSION, 0, 0, 0).value == (2l << 24) &&
	       sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_HSM, 0, 0).value == 1 &&
	       sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_NONE, 0, 0).value == 0 &&
	       hart_status(0) == SBI_HSM_STARTED &&
	       none == SBI_ERR_INVALID_PARAM && bad_entry == SBI_ERR_INVALID_ADDRESS;
}

static void __attribute__((noreturn)) halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

void vcpu_stop(void)
{
	sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	uart_puts("guest: hart_stop returned\n");
	halt();
}

void system_off(void)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_RESET_SHUTDOWN, 0, 0);
}

void system_reset(void)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_RESET_COLD, 0, 0);
}

u64 counter_ticks(void)
{
	u64 t;

	__asm__ volatile("rdtime %0" : "=r"(t) :: "memory");
	return t;
}

u64 ticks_to_ns(u64 ticks)
{
	return ticks / TIMEBASE_HZ * 1000000000ul + ticks % TIMEBASE_HZ * 1000000000ul / TIMEBASE_HZ;
}

/* Guests that expect no exception: report it and end the VM. */
__attribute__((weak)) void guest_exception(u64 scause, u64 sepc, u64 stval)
{
	(void)stval;
	put_line_u64("guest: unexpected exception, scause ", scause, "");
	put_line_u64("guest: at ", sepc, "");
	system_off();
	halt();
}

/* This arch's guests get their RAM's base and size only (and, handed over, a device tree). */
void guest_boot_info_line(void)
{
}

/* The reset guest's state (lib.h): PC16550D Table 2, the H extension's VS CSRs. */
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

static u32 check(const char *name, u64 val, u64 want)
{
	if (val == want)
		return 0;
	reset_state_report(name, val);
	return 1;
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
	n += check("sstatus.FS", sstatus & (3ul << 13), 0);
	n += check("sip", sip, 0);
	for (u32 i = 0; i < VS_CSRS; i++)
		n += check(vs_csrs[i].name, got[i], 0);
	n += check("f0-f31", fp, 0);
	n += check("IER", mmio_read8(UART_BASE + NS_IER), 0);
	n += check("LCR", mmio_read8(UART_BASE + NS_LCR), 0);
	n += check("MCR", mmio_read8(UART_BASE + NS_MCR), 0);
	n += check("SCR", mmio_read8(UART_BASE + UART_SCR), 0);
	mmio_write8(UART_BASE + NS_LCR, NS_LCR_DLAB);
	dl = mmio_read8(UART_BASE + NS_DLL) | mmio_read8(UART_BASE + NS_DLM) << 8;
	mmio_write8(UART_BASE + NS_LCR, 0);
	n += check("divisor latch", dl, 0);
	return n;
}
