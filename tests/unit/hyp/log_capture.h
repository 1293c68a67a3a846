/* SPDX-License-Identifier: MIT */
/*
 * hyp_log() for host tests that link part of hyp/ without its console:
 * everything logged, in one buffer the test reads (truncated, never
 * overrun, when it is full).
 */
#ifndef TESTS_LOG_CAPTURE_H
#define TESTS_LOG_CAPTURE_H

#include <stddef.h>

#define LOG_CAPTURE_SIZE	8192

extern char log_buf[LOG_CAPTURE_SIZE];
extern size_t log_len;

/* Forget what was logged. */
void log_reset(void);

#endif
