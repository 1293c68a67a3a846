/* SPDX-License-Identifier: MIT */
/*
 * What the small guests share (guest-images/arm64/lib.c): the emulated
 * PL011, hypercalls, PSCI, the virtual counter, atomics in guest RAM.
 * Guests run with their MMU off: every access is a Device access, so
 * exclusives work under QEMU but may not on hardware.
 */
#ifndef GUEST_ARM64_LIB_H
#define GUEST_ARM64_LIB_H

#include "hvc_abi.h"

typedef unsigned long u64;
typedef unsigned int u32;
typedef long s64;

#define UART_BASE	0x09000000ul	/* guest-physical, docs/arm64.md */
#define UART_DR		0x000		/* PL011 TRM 3.3: data */
#define UART_FR		0x018		/* flags */
#define UART_IBRD	0x024		/* integer baud rate: emulated, ignored */
#define UART_FR_TXFF	(1u << 5)	/* transmit FIFO full */
#define PAGE_SIZE	4096ul
#define MPIDR_AFF0_MASK	0xfful		/* MPIDR_EL1 Aff0 [7:0] (Arm ARM D24.2) */

/* Set by start.S before guest_main(): the top of RAM, where stacks start. */
extern u64 guest_ram_top;
/* start.S: where CPU_ON starts another vCPU; its context id is its index. */
void guest_secondary_entry(void);

/* The guest's own code: vCPU 0, then every vCPU started with CPU_ON. */
void guest_main(u64 ram_base, u64 ram_size);
void guest_secondary_main(u64 index);
/* Every exception; if it returns, the guest resumes at ELR_EL1 (start.S). */
void guest_exception(u64 esr, u64 elr, u64 far);

u64 hvc(u64 fn, u64 a1, u64 a2, u64 a3);
void mmio_write32(u64 addr, u32 val);
void uart_puts(const char *s);
void uart_put_u64(u64 n);
/* "0x" and at least @digits hex digits. */
void uart_put_hex(u64 n, u32 digits);
/* "@prefix @n @suffix" as one line: a vCPU's line is never split. */
void put_line_u64(const char *prefix, u64 n, const char *suffix);

/* The number of vCPUs: AFFINITY_INFO fails past the last one. */
u32 vcpu_count(void);
/* This vCPU's index, from MPIDR_EL1 (VMPIDR_EL2). */
u32 vcpu_self(void);
/* Start vCPU @index at guest_secondary_entry: a PSCI return code. */
s64 vcpu_start(u32 index);
void __attribute__((noreturn)) vcpu_stop(void);

u64 counter_ticks(void);	/* CNTVCT_EL0 */
u64 ticks_to_ns(u64 ticks);	/* by CNTFRQ_EL0 */

u32 atomic_inc(u32 *p);		/* the new value */
u32 atomic_read(const u32 *p);
/* Sleep in WFE until *@p >= @n; the writers SEV (atomic_inc does). */
void wait_at_least(const u32 *p, u32 n);

#endif
