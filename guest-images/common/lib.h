/* SPDX-License-Identifier: MIT */
/*
 * What every small guest can call, on every arch: console output and
 * numbers, this hypervisor's hypercalls and atomics in guest RAM
 * (guest-images/common/lib.c), over the primitives each arch provides
 * (guest-images/<arch>/arch.c and guest_arch.h: the hypercall
 * instruction, the UART, starting and stopping vCPUs, the counter).
 */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef long s64;

#include "guest_arch.h"

#define PAGE_SIZE	4096ul

/* Set by start.S before guest_main(): the top of RAM, where stacks start. */
extern u64 guest_ram_top;
/* start.S: where vcpu_start() starts another vCPU, with its index. */
void guest_secondary_entry(void);

/* The guest's own code: vCPU 0, then every vCPU started with vcpu_start(). */
void guest_main(u64 ram_base, u64 ram_size);
void guest_secondary_main(u64 index);

/* Console output through the emulated UART. */
void uart_puts(const char *s);
void uart_put_u64(u64 n);
void uart_put_s64(s64 n);
/* "0x" and at least @digits hex digits. */
void uart_put_hex(u64 n, u32 digits);
/* "@prefix @n @suffix" as one line: a vCPU's line is never split. */
void put_line_u64(const char *prefix, u64 n, const char *suffix);

/* This hypervisor's hypercalls (hyp/guest_abi.h), through the arch's hypercall(). */
void hyp_console_puts(const char *s);
u64 hyp_vcpu_id(void);
u64 hyp_fault_stats(void);		/* stage-2 faults so far */
u64 hyp_mem_release(u64 addr, u64 size);	/* 0: unmapped */
s64 hyp_yield(void);
s64 hyp_unknown_call(void);		/* one the hypervisor does not know */
void hyp_vm_stop(u64 code);

u32 atomic_inc(u32 *p);		/* the new value; wakes the waiters */
u32 atomic_read(const u32 *p);
/* Sleep until *@p >= @n; the writers wake the waiters (atomic_inc does). */
void wait_at_least(const u32 *p, u32 n);

/* The arch's part: guest-images/<arch>/arch.c. */
void uart_putc(char c);
/* A received byte, UART_RX_OVERRUN added if bytes were dropped before it; -1 if none waits. */
int uart_getc(void);
void mmio_write32(u64 addr, u32 val);
/* uart_idle_write(val), a UART register write the hypervisor emulates and that
 * prints nothing, is inline in guest_arch.h: the bench's loop stays as short as before. */

u32 vcpu_count(void);
u32 vcpu_self(void);
/* Start vCPU @index at guest_secondary_entry: 0, or the arch's error code. */
s64 vcpu_start(u32 index);
/* @ret, from starting a vCPU again, says it is on already. */
int vcpu_start_says_on(s64 ret);
int vcpu_is_off(u32 index);
/* The vCPU interface's answers (VCPU_INTERFACE) that start nothing: 1 if right. */
int vcpu_interface_ok(u64 ram_base, u32 nr_vcpus);
void __attribute__((noreturn)) vcpu_stop(void);

void system_off(void);
void system_reset(void);		/* returns only if refused */

/*
 * One line of the boot information the arch hands its guests (x86: the
 * multiboot information: flags, memory, map, command line); nothing where
 * a guest gets its RAM's base and size only.
 */
void guest_boot_info_line(void);

/*
 * The reset guest's (guest-images/<arch>/reset_state.c): reset_state_dirty()
 * writes the CPU state the guest reaches (arm64: EL1/EL0 registers, FP/
 * SIMD; riscv64: VS-mode CSRs, FP; a pending software interrupt) and its
 * UART's registers off their reset values; reset_state_left_over() counts
 * what does not read its reset value (zero; the UARTs' from their
 * manuals), a line for each. Called first thing: the guest's own C code
 * has touched none of it.
 */
void reset_state_dirty(void);
u32 reset_state_left_over(void);
/* 0, or 1 and a line naming @name if @val is not its reset value @want (reset.c). */
u32 reset_state_check(const char *name, u64 val, u64 want);

u64 counter_ticks(void);
u64 ticks_to_ns(u64 ticks);

#endif
