/* SPDX-License-Identifier: MIT */
/*
 * The few C library string functions the hypervisor needs. The prototypes
 * are the standard ones, so a hosted build may use the C library's instead.
 */
#ifndef HYP_LIB_STRING_H
#define HYP_LIB_STRING_H

#include <stddef.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
