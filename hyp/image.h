/* SPDX-License-Identifier: MIT */
/*
 * Guest kernel images: where each part of an image goes in guest RAM and
 * where the guest starts. Pure functions of the image bytes (host-tested,
 * fuzzed): nothing is copied here, the pages are filled on first touch.
 */
#ifndef HYP_IMAGE_H
#define HYP_IMAGE_H

#include "types.h"

#define IMAGE_MAX_SEGS		4

enum image_kind {
	IMAGE_LINUX,		/* the arch's Linux Image header */
	IMAGE_ELF,		/* ELF of the arch's machine: PT_LOAD segments */
	IMAGE_RAW,		/* a raw binary at a given load address */
};

/* @size bytes from @src at guest-physical @gpa (the rest of a page is zeros). */
struct image_seg {
	u64 gpa;
	const u8 *src;
	u64 size;
};

struct image_layout {
	enum image_kind kind;
	struct image_seg segs[IMAGE_MAX_SEGS];
	u32 nr_segs;
	u64 entry;		/* guest-physical */
	u64 start, end;		/* guest-physical range the kernel owns (with its bss) */
};

/*
 * Lay out the kernel @img (@size bytes) in guest RAM [@ram_base,
 * @ram_base + @ram_size): a Linux Image of the arch's kind (@linux_image,
 * ARCH_LINUX_IMAGE_*) at a 2 MiB-aligned base plus its text_offset, an
 * ELF of @elf_machine (ELF32 for EM_386, else ELF64) by its program
 * headers, else a raw binary at @load_addr (0: none given, so an unknown format). 0, or -errno with
 * *@why a short reason ("kernel larger than RAM", "unknown image
 * format", "truncated ELF", ...).
 */
int image_layout(const u8 *img, u64 size, u8 linux_image, u16 elf_machine, u64 load_addr,
		 u64 ram_base, u64 ram_size, struct image_layout *out, const char **why);

#endif
