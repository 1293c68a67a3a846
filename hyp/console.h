/* SPDX-License-Identifier: MIT */
/*
 * The console and the fatal-error path. hyp_log(), hyp_panic(), memset()
 * and memcpy() are what the walker's platform header (mmu/plat/hyp/
 * pt_plat.h) asks of the hypervisor; hyp_this_cpu() comes from arch/.
 */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>

#include "pt_plat.h"
#include "types.h"

/* The hypervisor's log and fatal-error path (also what mmu/ calls). */
void hyp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hyp_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Where characters go: a polled UART driver. */
void hyp_console_set_output(void (*putc)(char c));
/* What hyp_panic() calls last: powers the machine off, does not return. */
void hyp_set_power_off(void (*power_off)(void));
/*
 * Serialise lines between CPUs from now on. Called once the MMU is on:
 * before that, exclusive accesses would be made to Device memory.
 */
void hyp_console_smp_enable(void);

void hyp_vlog(const char *fmt, va_list ap);

#endif
