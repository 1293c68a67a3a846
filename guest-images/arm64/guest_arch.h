/* SPDX-License-Identifier: MIT */
/*
 * The arm64 side of the guest library (guest-images/common/lib.h): HVC
 * (SMCCC, hvc_abi.h), the emulated PL011, PSCI for the vCPUs, the
 * virtual counter, WFE/SEV. Guests run with their MMU off: every access
 * is a Device access, so exclusives work under QEMU but may not on
 * hardware.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include "hvc_abi.h"

#define GUEST_ARCH	"arm64"		/* the prefix of BENCH names */
#define VCPU_INTERFACE	"PSCI"
#define UART_BASE	0x09000000ul	/* guest-physical, docs/arm64.md */
#define UART_DR		0x000		/* PL011 TRM 3.3: data */
#define UART_DR_DATA	0xffu		/* the byte received */
#define UART_RX_OVERRUN	(1u << 11)	/* UARTDR.OE: bytes were dropped before this one */
#define UART_FR		0x018		/* flags */
#define UART_FR_RXFE	(1u << 4)	/* receive FIFO empty */
#define UART_IBRD	0x024		/* integer baud rate: emulated, held, no effect */
#define UART_FR_TXFF	(1u << 5)	/* transmit FIFO full */
#define MPIDR_AFF0_MASK	0xfful		/* MPIDR_EL1 Aff0 [7:0] (Arm ARM D24.2) */
#define OUTSIDE_ADDR	0x10000000ul	/* neither RAM nor a device: docs/arm64.md */

/*
 * An SMCCC call through @insn: hyp_call() traps with HVC; hyp_call_untrapped()
 * does the same register moves without it (the bench's calibration loop).
 */
#define DEFINE_HYP_CALL(name, insn)							\
static inline u64 name(u64 fn, u64 a1, u64 a2, u64 a3)				\
{											\
	register u64 x0 __asm__("x0") = fn;						\
	register u64 x1 __asm__("x1") = a1;						\
	register u64 x2 __asm__("x2") = a2;						\
	register u64 x3 __asm__("x3") = a3;						\
											\
	__asm__ volatile(insn : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");	\
	return x0;									\
}
DEFINE_HYP_CALL(hyp_call, "hvc #0")
DEFINE_HYP_CALL(hyp_call_untrapped, "")

void mmio_write32(u64 addr, u32 val);

/* A UART register write the hypervisor emulates and ignores (the bench's MMIO exit). */
static inline void uart_idle_write(u32 val)
{
	mmio_write32(UART_BASE + UART_IBRD, val);
}

/* Hypercall @nr of hyp/guest_abi.h: an SMCCC vendor hypervisor call. */
static inline u64 hypercall(u64 nr, u64 a0, u64 a1, u64 a2)
{
	return hyp_call(HYP_HVC_BASE | nr, a0, a1, a2);
}

static inline u64 hypercall_untrapped(u64 nr, u64 a0, u64 a1, u64 a2)
{
	return hyp_call_untrapped(HYP_HVC_BASE | nr, a0, a1, a2);
}

/*
 * The bench's (guest-images/common/bench.c) firmware call, emulated MMIO
 * register and its untrapped twins: PSCI_VERSION; UARTIBRD, emulated and
 * held, no effect; the same single LDR/STR to a RAM word instead.
 */
#define BENCH_FW_CALL_NAME	"psci_call"
#define BENCH_MMIO_ADDR		(UART_BASE + UART_IBRD)

static inline u64 bench_fw_call(void)
{
	return hyp_call(HYP_PSCI_VERSION, 0, 0, 0);
}

static inline u64 bench_fw_call_untrapped(void)
{
	return hyp_call_untrapped(HYP_PSCI_VERSION, 0, 0, 0);
}

static inline u32 bench_mmio_read(u64 addr)
{
	u32 val;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

static inline void bench_mmio_write(u64 addr, u32 val)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(val), "r"(addr) : "memory");
}

static inline void cpu_wait_event(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

/* Wait for an interrupt: the hypervisor traps WFI and waits for an event or a while. */
static inline void cpu_idle(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void cpu_wake_all(void)
{
	__asm__ volatile("dsb ish; sev" ::: "memory");
}

/* Every exception (start.S); if it returns, the guest resumes at ELR_EL1. */
void guest_exception(u64 esr, u64 elr, u64 far);

#endif
