/* SPDX-License-Identifier: MIT */
/*
 * The arch contract, CPUs: identity, start-up, time, power. Every arch
 * implements each function; the core calls nothing else of arch/<arch>.
 */
#ifndef HYP_ARCH_CPU_H
#define HYP_ARCH_CPU_H

#include "types.h"

/* This CPU's logical index, 0 for the boot CPU (also asked by mmu/). */
unsigned int hyp_this_cpu(void);
/* The privilege level the hypervisor runs at, for the boot line: "EL2", "HS", "VMX root". */
const char *arch_boot_level(void);
/* This CPU's hardware id as the boot description lists CPUs (arm64 affinity, hart id, APIC id). */
u64 arch_cpu_hwid(void);
/*
 * Start the CPU @hwid as logical CPU @cpu: it enters hyp_secondary_main(@cpu)
 * with its own stack and the hypervisor's stage 1 on. 0 once asked; the
 * core does not wait for it to come online (hyp/main.c), and a wake-up
 * sent to it before then (arch_wake_cpu, arch_send_event) may be lost:
 * its idle loop looks at its vCPU before it first waits.
 */
int arch_cpu_start(u32 cpu, u64 hwid);
/* Microseconds since some point before boot; monotonic on each CPU. */
u64 arch_time_us(void);
/* Power the machine off; if the platform cannot, halt every CPU. */
void __attribute__((noreturn)) arch_power_off(void);
/*
 * Drop whatever this CPU was doing (a trap frame, its stack) and enter
 * vcpu_idle(hyp_this_cpu()) on a fresh stack.
 */
void __attribute__((noreturn)) arch_cpu_idle_reset(void);

#endif
