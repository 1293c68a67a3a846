/* SPDX-License-Identifier: MIT */
/*
 * The x86 side of the guest library (guest-images/common/lib.h): VMCALL
 * (docs/hypercalls.md), the emulated 16550 at I/O port 0x3F8, TSC. Guests
 * are 32-bit (-m32): lib.h's u64 is a register-wide word here, 32 bits.
 * One vCPU per VM for now (no vCPU-on call yet).
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include "guest_abi.h"

#define GUEST_ARCH	"x86_64"	/* the prefix of BENCH names */
#define VCPU_INTERFACE	"HC_VCPU"
#define UART_PORT	0x3f8		/* COM1 */
#define UART_THR	0		/* PC16550D Table 2: transmit holding */
#define UART_LSR	5		/* line status */
#define UART_SCR	7		/* scratch: emulated, prints nothing */
#define UART_LSR_DR	0x01
#define UART_LSR_THRE	0x20
#define UART_RX_OVERRUN	(1u << 11)
/*
 * The honest guest's run (guest-images/common/honest.c): TSC ticks stand
 * for nanoseconds here (ticks_to_ns) and Bochs is slow: 0.1 s of ticks,
 * which is 32 bits too (6 s would not be).
 */
#define HONEST_NS	100000000ul
#define OUTSIDE_ADDR	0x40000000ul	/* neither RAM nor a device: docs/x86_64.md */

static inline void port_out8(unsigned short port, unsigned char v)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline unsigned char port_in8(unsigned short port)
{
	unsigned char v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Hypercall @nr of hyp/guest_abi.h: VMCALL, EAX = nr, EDI/ESI/EDX = arguments, EAX = result. */
static inline unsigned long hypercall(unsigned long nr, unsigned long a0, unsigned long a1,
				      unsigned long a2)
{
	__asm__ volatile("vmcall" : "+a"(nr), "+D"(a0), "+S"(a1), "+d"(a2) :: "memory");
	return nr;
}

/* The same register moves without the VMCALL: the bench's calibration loop. */
static inline unsigned long hypercall_untrapped(unsigned long nr, unsigned long a0,
						unsigned long a1, unsigned long a2)
{
	__asm__ volatile("" : "+a"(nr), "+D"(a0), "+S"(a1), "+d"(a2) :: "memory");
	return nr;
}

/* A UART register write the hypervisor emulates and ignores (the bench's port exit). */
static inline void uart_idle_write(unsigned int val)
{
	port_out8(UART_PORT + UART_SCR, (unsigned char)val);
}

/* The same register read back (the bench's port read). */
static inline unsigned int uart_idle_read(void)
{
	return port_in8(UART_PORT + UART_SCR);
}

/* The bench's x86 figures (common/bench.c, defined in docs/x86_64.md). */
#define BENCH_NET_OF_LOOP	1
#define BENCH_WRITE_NAME	"port_write"
#define BENCH_READ_NAME		"port_read"
#define BENCH_FIRST_INSN	1

static inline void cpu_wait_event(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void cpu_idle(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

static inline void cpu_wake_all(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

#endif
