// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any bytes as a guest kernel through hyp/image.c, for each
 * Linux Image kind and x86's ELF32, with and without a load address, in RAM of a few
 * shapes (one near the top of the address space). When the layout is
 * accepted, every segment's bytes must lie inside the input and every
 * guest-physical range (segments with their bss, the entry) inside RAM.
 */
#include <stdint.h>
#include <stdlib.h>

#include "arch/guest.h"
#include "image.h"

#define EM_AARCH64	183
#define EM_RISCV	243
#define EM_386		3	/* ELF32: x86's guests */

struct fuzz_ram {
	u8 linux_image;
	u16 machine;
	u64 load_addr, base, size;
};

static const struct fuzz_ram rams[] = {
	{ ARCH_LINUX_IMAGE_ARM64, EM_AARCH64, 0, 0x40000000, 64u << 20 },
	{ ARCH_LINUX_IMAGE_ARM64, EM_AARCH64, 0x40001000, 0x40000000, 2u << 20 },
	{ ARCH_LINUX_IMAGE_RISCV, EM_RISCV, 0, 0x80000000, 64u << 20 },
	{ ARCH_LINUX_IMAGE_RISCV, EM_RISCV, 0xffffffffffe01000ull, 0xffffffffffe00000ull,
	  0x1fffff },
	{ 0, EM_386, 0, 0x200000, 16u << 20 },
	{ 0, EM_386, 0x200000, 0xfff00000ull, 1u << 20 },
};

static bool in(u64 a, u64 n, u64 base, u64 size)
{
	return a >= base && a - base <= size && n <= size - (a - base);
}

static void check(const uint8_t *data, size_t size, const struct fuzz_ram *r,
		  const struct image_layout *l)
{
	if (l->nr_segs == 0 || l->nr_segs > IMAGE_MAX_SEGS || l->start > l->end ||
	    !in(l->start, l->end - l->start, r->base, r->size) ||
	    !in(l->entry, 1, r->base, r->size))
		abort();
	for (u32 i = 0; i < l->nr_segs; i++) {
		const struct image_seg *s = &l->segs[i];
		uintptr_t src = (uintptr_t)s->src, lo = (uintptr_t)data;

		if (src < lo || src - lo > size || s->size > size - (src - lo))
			abort();
		if (!in(s->gpa, s->size, r->base, r->size) ||
		    !in(s->gpa, s->size, l->start, l->end - l->start))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < sizeof(rams) / sizeof(rams[0]); i++) {
		const struct fuzz_ram *r = &rams[i];
		struct image_layout l;
		const char *why = NULL;

		if (!image_layout(data, size, r->linux_image, r->machine, r->load_addr, r->base,
				  r->size, &l, &why))
			check(data, size, r, &l);
		else if (!why)
			abort();
	}
	return 0;
}
