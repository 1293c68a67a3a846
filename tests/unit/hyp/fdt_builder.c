// SPDX-License-Identifier: MIT
/* A minimal DTB writer (Devicetree Specification v0.4, chapter 5). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fdt_builder.h"

#define HDR_SIZE	40
#define RSV_ENTRY	16	/* address, size: two big-endian 64-bit words */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void emit(struct fdtb *b, const void *p, size_t n)
{
	if (b->st_len + n > FDTB_MAX_STRUCT)
		abort();
	memcpy(b->st + b->st_len, p, n);
	b->st_len += n;
	while (b->st_len & 3)
		b->st[b->st_len++] = 0;
}

static void emit32(struct fdtb *b, uint32_t v)
{
	uint8_t w[4];

	put32(w, v);
	emit(b, w, 4);
}

static uint32_t string_off(struct fdtb *b, const char *s)
{
	size_t off = 0, n = strlen(s) + 1;

	while (off < b->str_len) {
		if (!strcmp(b->str + off, s))
			return (uint32_t)off;
		off += strlen(b->str + off) + 1;
	}
	if (b->str_len + n > FDTB_MAX_STRINGS)
		abort();
	memcpy(b->str + b->str_len, s, n);
	b->str_len += n;
	return (uint32_t)off;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

void fdtb_memreserve(struct fdtb *b, uint64_t base, uint64_t size)
{
	if (b->nr_rsv == FDTB_MAX_RSV)
		abort();
	b->rsv[b->nr_rsv++] = (struct fdtb_rsv){ .base = base, .size = size };
}

void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

void fdtb_begin(struct fdtb *b, const char *name)
{
	emit32(b, 1);
	emit(b, name, strlen(name) + 1);
}

void fdtb_end(struct fdtb *b)
{
	emit32(b, 2);
}

void fdtb_prop(struct fdtb *b, const char *name, const void *val, size_t len)
{
	emit32(b, 3);
	emit32(b, (uint32_t)len);
	emit32(b, string_off(b, name));
	if (len)
		emit(b, val, len);
}

void fdtb_prop_str(struct fdtb *b, const char *name, const char *s)
{
	fdtb_prop(b, name, s, strlen(s) + 1);
}

void fdtb_prop_cells(struct fdtb *b, const char *name, unsigned int n, ...)
{
	uint8_t buf[64];
	va_list ap;

	if (n > sizeof(buf) / 4)
		abort();
	va_start(ap, n);
	for (unsigned int i = 0; i < n; i++)
		put32(buf + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	fdtb_prop(b, name, buf, 4 * (size_t)n);
}

uint8_t *fdtb_finish(struct fdtb *b, size_t *len)
{
	size_t off_struct, off_strings, total;
	uint8_t *p;

	emit32(b, 9);
	off_struct = HDR_SIZE + (b->nr_rsv + 1) * RSV_ENTRY;
	off_strings = off_struct + b->st_len;
	total = off_strings + b->str_len;
	p = calloc(1, total);
	if (!p)
		abort();
	put32(p + 0, 0xd00dfeed);
	put32(p + 4, (uint32_t)total);
	put32(p + 8, (uint32_t)off_struct);
	put32(p + 12, (uint32_t)off_strings);
	put32(p + 16, HDR_SIZE);
	put32(p + 20, 17);
	put32(p + 24, 16);
	put32(p + 32, (uint32_t)b->str_len);
	put32(p + 36, (uint32_t)b->st_len);
	for (size_t i = 0; i < b->nr_rsv; i++) {
		put64(p + HDR_SIZE + i * RSV_ENTRY, b->rsv[i].base);
		put64(p + HDR_SIZE + i * RSV_ENTRY + 8, b->rsv[i].size);
	}
	memcpy(p + off_struct, b->st, b->st_len);
	memcpy(p + off_strings, b->str, b->str_len);
	*len = total;
	return p;
}
