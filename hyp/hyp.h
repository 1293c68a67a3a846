/* SPDX-License-Identifier: MIT */
/* The arch-neutral boot flow (hyp/main.c) and what it asks of arch/<arch>/. */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include "arch/cpu.h"
#include "arch/irq.h"
#include "boot.h"
#include "config.h"
#include "types.h"

#define HYP_CPU_ON_TIMEOUT_US	10000000ull

/*
 * Not in the BSS that head.S clears (and on arm64 invalidates) with the MMU
 * off, but in the linker scripts' .noinit: for data that its owner sets
 * before each use, such as a VM's state when the VM is created.
 */
#define HYP_NOT_CLEARED		__attribute__((section(".noinit.data")))

/*
 * What idle and waiting CPUs look after besides waiting (hyp/vcpu.c), a
 * bit each: none, the usual case once the CPUs are up, costs them a load.
 */
#define HYP_CHORE_CPUS_COMING	BIT(0)	/* hyp/main.c: hyp_cpus_check_late() */
#define HYP_CHORE_CONSOLE_TX	BIT(1)	/* hyp/console.c: hyp_console_tx_push() */
extern u32 hyp_idle_chores;

#endif
