// SPDX-License-Identifier: MIT
/* hyp_log() into a buffer, for host tests (log_capture.h). */
#include <stdarg.h>
#include <stdio.h>

#include "console.h"
#include "log_capture.h"

char log_buf[LOG_CAPTURE_SIZE];
size_t log_len;

void hyp_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_len += (size_t)vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
	va_end(ap);
	if (log_len >= sizeof(log_buf))
		log_len = sizeof(log_buf) - 1;
}

void log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}
