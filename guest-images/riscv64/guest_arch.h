/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 side of the guest library (guest-images/common/lib.h): the
 * SBI through ECALL (arch/riscv64/sbi_abi.h), the emulated NS16550, SBI
 * HSM for the vCPUs, the time CSR. Guests run in VS-mode with vsatp = 0.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include "sbi_abi.h"

#define GUEST_ARCH	"riscv64"	/* the prefix of BENCH names */
#define VCPU_INTERFACE	"SBI HSM"
#define UART_BASE	0x10000000ul	/* guest-physical, docs/riscv64.md */
#define UART_RBR	0		/* PC16550D: receive buffer (read) */
#define UART_THR	0		/* transmit holding (write) */
#define UART_SCR	7		/* scratch: emulated, prints nothing */
#define UART_LSR	5		/* line status */
#define UART_LSR_DR	(1u << 0)	/* data ready */
#define UART_LSR_OE	(1u << 1)	/* overrun: bytes were dropped */
#define UART_LSR_THRE	(1u << 5)	/* transmit holding register empty */
#define UART_DR_DATA	0xffu		/* the byte received */
#define UART_RX_OVERRUN	(1u << 8)	/* uart_getc(): LSR.OE was set before this byte */
#define OUTSIDE_ADDR	0x20000000ul	/* neither RAM nor a device: docs/riscv64.md */
#define TIMEBASE_HZ	10000000ul	/* QEMU virt's time CSR */

struct sbi_ret {
	long error;
	long value;
};

/*
 * An SBI call through @insn: sbi_call() traps with ECALL; sbi_call_untrapped()
 * does the same register moves without it (the bench's calibration loop).
 */
#define DEFINE_SBI_CALL(name, insn)							\
static inline struct sbi_ret name(u64 eid, u64 fid, u64 a0, u64 a1, u64 a2)		\
{											\
	register u64 r0 __asm__("a0") = a0;						\
	register u64 r1 __asm__("a1") = a1;						\
	register u64 r2 __asm__("a2") = a2;						\
	register u64 r6 __asm__("a6") = fid;						\
	register u64 r7 __asm__("a7") = eid;						\
											\
	__asm__ volatile(insn : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");	\
	return (struct sbi_ret){ .error = (long)r0, .value = (long)r1 };		\
}
DEFINE_SBI_CALL(sbi_call, "ecall")
DEFINE_SBI_CALL(sbi_call_untrapped, "")

void mmio_write32(u64 addr, u32 val);
/* Single byte accesses with a register address (the 16550's registers). */
u32 mmio_read8(u64 addr);
void mmio_write8(u64 addr, u32 val);

/* A UART register write the hypervisor emulates and ignores (the bench's MMIO exit). */
static inline void uart_idle_write(u32 val)
{
	*(volatile unsigned char *)(UART_BASE + UART_SCR) = (unsigned char)val;
}

/* Hypercall @nr of hyp/guest_abi.h: FID @nr of the hypervisor's SBI extension. */
static inline u64 hypercall(u64 nr, u64 a0, u64 a1, u64 a2)
{
	struct sbi_ret r = sbi_call(SBI_EXT_HYP, nr, a0, a1, a2);

	return (u64)r.value;	/* on an error, the HC_ERR_* code */
}

static inline u64 hypercall_untrapped(u64 nr, u64 a0, u64 a1, u64 a2)
{
	struct sbi_ret r = sbi_call_untrapped(SBI_EXT_HYP, nr, a0, a1, a2);

	return (u64)r.value;
}

/*
 * The bench's (guest-images/common/bench.c) firmware call, emulated MMIO
 * register and its untrapped twins: sbi_get_spec_version; the 16550's
 * scratch register, emulated, prints nothing; the same single LBU/SB to a
 * RAM byte instead.
 */
#define BENCH_FW_CALL_NAME	"sbi_call"
#define BENCH_MMIO_ADDR		(UART_BASE + UART_SCR)

static inline u64 bench_fw_call(void)
{
	return (u64)sbi_call(SBI_EXT_BASE, SBI_BASE_SPEC_VERSION, 0, 0, 0).value;
}

static inline u64 bench_fw_call_untrapped(void)
{
	return (u64)sbi_call_untrapped(SBI_EXT_BASE, SBI_BASE_SPEC_VERSION, 0, 0, 0).value;
}

static inline u32 bench_mmio_read(u64 addr)
{
	u32 val;

	__asm__ volatile("lbu %0, 0(%1)" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

static inline void bench_mmio_write(u64 addr, u32 val)
{
	__asm__ volatile("sb %0, 0(%1)" :: "r"(val), "r"(addr) : "memory");
}

/*
 * No WFE: WFI, which the hypervisor traps (hstatus.VTW) and waits in, for
 * an interrupt or 1 ms, giving the hart to the others. PAUSE would spin:
 * under QEMU -icount a spinning hart keeps its turn.
 */
static inline void cpu_wait_event(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* Wait for an interrupt: the hypervisor traps WFI and waits for one or a while. */
static inline void cpu_idle(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void cpu_wake_all(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}

/* Every trap (start.S); if it returns, the guest resumes at sepc. */
void guest_exception(u64 scause, u64 sepc, u64 stval);

#endif
