/* SPDX-License-Identifier: MIT */
/*
 * A small printf: %s %c %d %i %u %x %X %p %%, the length modifiers l, ll
 * and z, the flags '-' and '0' and a decimal field width.
 */
#ifndef HYP_PRINTF_H
#define HYP_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*hyp_out_fn)(char c, void *arg);

/* Each output character goes to @out; returns the number of characters. */
int hyp_vcbprintf(hyp_out_fn out, void *arg, const char *fmt, va_list ap);
/* Like vsnprintf: always NUL-terminates when @size > 0. */
int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hyp_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
