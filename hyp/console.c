// SPDX-License-Identifier: MIT
/* Console output through a hook, and hyp_panic(). */
#include <stdarg.h>

#include "atomic.h"
#include "console.h"
#include "printf.h"

#define HYP_LOG_LINE	256
#define PANIC_LOCK_SPINS 1000000u

static void (*console_putc)(char c);
static void (*console_power_off)(void);
static bool console_smp;
static u32 console_panicking;
static struct pt_spinlock console_lock;

void hyp_console_set_output(void (*putc)(char c))
{
	console_putc = putc;
}

void hyp_set_power_off(void (*power_off)(void))
{
	console_power_off = power_off;
}

void hyp_console_smp_enable(void)
{
	console_smp = true;
}

static void console_write(const char *s)
{
	if (!console_putc)
		return;
	for (; *s; s++) {
		if (*s == '\n')
			console_putc('\r');
		console_putc(*s);
	}
}

/* A panicking CPU waits a while for the lock, then prints anyway. */
static bool console_try_lock(u32 spins)
{
	while (__atomic_exchange_n(&console_lock.locked, 1, __ATOMIC_ACQUIRE)) {
		if (!spins--)
			return false;
		pt_cpu_relax();
	}
	return true;
}

static void console_emit(const char *line, bool panic)
{
	bool locked = false;

	if (console_smp)
		locked = panic ? console_try_lock(PANIC_LOCK_SPINS) :
				 console_try_lock(~0u);
	console_write(line);
	if (locked)
		pt_spin_unlock(&console_lock);
}

void hyp_vlog(const char *fmt, va_list ap)
{
	char line[HYP_LOG_LINE];

	hyp_vsnprintf(line, sizeof(line), fmt, ap);
	console_emit(line, false);
}

void hyp_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hyp_vlog(fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn)) hyp_stop(void)
{
	if (console_power_off)
		console_power_off();
	for (;;)
		pt_cpu_relax();
}

/* No atomics before the MMU is on: memory is Device memory then. */
static u32 panic_enter(void)
{
	if (!console_smp)
		return console_panicking++;
	return __atomic_fetch_add(&console_panicking, 1, __ATOMIC_RELAXED);
}

void hyp_panic(const char *fmt, ...)
{
	char line[HYP_LOG_LINE];
	va_list ap;
	int n;

	/* Panics within panics (say the power-off hook faulted): stop. */
	if (panic_enter() > 1)
		for (;;)
			pt_cpu_relax();
	n = hyp_snprintf(line, sizeof(line), "hyp: panic on cpu %u: ", hyp_this_cpu());
	va_start(ap, fmt);
	hyp_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	console_emit(line, true);
	hyp_stop();
}
