/* SPDX-License-Identifier: MIT */
/* Builds small flattened device trees for the parser's tests. */
#ifndef TEST_FDT_BUILDER_H
#define TEST_FDT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define FDTB_MAX_STRUCT		8192
#define FDTB_MAX_STRINGS	1024
#define FDTB_MAX_RSV		4

struct fdtb_rsv {
	uint64_t base, size;
};

struct fdtb {
	uint8_t st[FDTB_MAX_STRUCT];
	size_t st_len;
	char str[FDTB_MAX_STRINGS];
	size_t str_len;
	struct fdtb_rsv rsv[FDTB_MAX_RSV];
	size_t nr_rsv;
};

void fdtb_init(struct fdtb *b);
void fdtb_begin(struct fdtb *b, const char *name);
void fdtb_end(struct fdtb *b);
void fdtb_prop(struct fdtb *b, const char *name, const void *val, size_t len);
void fdtb_prop_str(struct fdtb *b, const char *name, const char *s);
/* @n big-endian cells. */
void fdtb_prop_cells(struct fdtb *b, const char *name, unsigned int n, ...);
/* A /memreserve/ entry (reserve map, spec 5.3). */
void fdtb_memreserve(struct fdtb *b, uint64_t base, uint64_t size);
/* A malloc'ed blob of exactly *len bytes: header, reserve map, blocks. */
uint8_t *fdtb_finish(struct fdtb *b, size_t *len);

#endif
