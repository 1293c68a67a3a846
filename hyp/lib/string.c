// SPDX-License-Identifier: MIT
/*
 * memset and friends. They run before the MMU is on, when all memory is
 * Device memory and an unaligned access faults: wide accesses are only
 * made on aligned addresses. Built with -fno-tree-loop-distribute-patterns
 * so that the compiler does not turn these loops back into calls to them.
 */
#include "lib/string.h"
#include "types.h"

#define WORD		sizeof(u64)
#define WORD_MASK	(WORD - 1)

/* Word accesses to memory of any type. */
typedef u64 __attribute__((may_alias)) word_t;

static bool both_aligned(const void *a, const void *b)
{
	return !(((uintptr_t)a | (uintptr_t)b) & WORD_MASK);
}

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;
	u64 pattern = 0x0101010101010101ull * (u8)c;

	while (n && ((uintptr_t)p & WORD_MASK)) {
		*p++ = (u8)c;
		n--;
	}
	/* Eight words a turn: boot clears kilobytes of bookkeeping with the MMU off. */
	for (; n >= 8 * WORD; n -= 8 * WORD, p += 8 * WORD) {
		word_t *w = (word_t *)p;

		w[0] = pattern;
		w[1] = pattern;
		w[2] = pattern;
		w[3] = pattern;
		w[4] = pattern;
		w[5] = pattern;
		w[6] = pattern;
		w[7] = pattern;
	}
	for (; n >= WORD; n -= WORD, p += WORD)
		*(word_t *)p = pattern;
	while (n--)
		*p++ = (u8)c;
	return s;
}

static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (both_aligned(d, s))
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(word_t *)d = *(const word_t *)s;
	while (n--)
		*d++ = *s++;
}

static void copy_backward(u8 *d, const u8 *s, size_t n)
{
	d += n;
	s += n;
	if (both_aligned(d, s))
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(word_t *)d = *(const word_t *)s;
		}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		u8 x = (u8)*a, y = (u8)*b;

		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
