// SPDX-License-Identifier: MIT
/*
 * The multiboot2 boot information (Multiboot2 Specification 1.0, 3.6
 * "Boot information format") into struct boot_info: RAM from the memory
 * map, modules (reserved, and listed for guests with their strings), the
 * command line. Every tag is bounds-checked against the information's own
 * size; a bad one is reported and ends the walk. CPUs: the boot CPU only (no MADT parsing yet).
 */
#include "boot.h"
#include "console.h"
#include "lib/string.h"
#include "multiboot2.h"

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_MMAP_AVAILABLE	1	/* 3.6.8: RAM */
#define MB2_TAG_ALIGN		8
#define MB2_INFO_MAX		(1u << 20)	/* a sanity bound on total_size */
#define LOW_MEM_END		0x100000ull	/* real-mode IVT, BDA, EBDA, ROMs: never used */
#define MB2_CMDLINE_MAX		256

struct mb2_tag {
	u32 type, size;
};

struct mb2_mmap_entry {
	u64 base, len;
	u32 type, reserved;
};

static char mb2_cmdline[MB2_CMDLINE_MAX];
static char mb2_module_args[BOOT_MAX_MODULES][MB2_CMDLINE_MAX];

/* A string of at most @size bytes into @dst (MB2_CMDLINE_MAX), cut at its NUL. */
static void mb2_string(char *dst, const u8 *src, u32 size)
{
	u32 n = 0;

	while (n < size && n < MB2_CMDLINE_MAX - 1 && src[n])
		n++;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void mb2_reserve(struct boot_info *bi, u64 base, u64 size)
{
	if (bi->nr_reserved < BOOT_MAX_RESERVED)
		bi->reserved[bi->nr_reserved++] = (struct boot_range){ base, size };
	else
		hyp_log("hyp: multiboot2: too many reserved ranges, 0x%llx dropped\n",
			(unsigned long long)base);
}

static void mb2_mmap(struct boot_info *bi, const u8 *tag, u32 size)
{
	u32 esize = size >= 16 ? *(const u32 *)(tag + 8) : 0;

	if (esize < sizeof(struct mb2_mmap_entry)) {
		hyp_log("hyp: multiboot2: memory map entries of %u bytes\n", esize);
		return;
	}
	for (u32 off = 16; off + esize <= size; off += esize) {
		const struct mb2_mmap_entry *e = (const void *)(tag + off);
		u64 base = e->base, end = e->base + e->len;

		if (e->type != MB2_MMAP_AVAILABLE || end <= base)
			continue;
		base = MAX(base, LOW_MEM_END);
		if (end <= base)
			continue;
		if (bi->nr_ram == BOOT_MAX_RAM) {
			hyp_log("hyp: multiboot2: more than %u RAM ranges\n", BOOT_MAX_RAM);
			return;
		}
		bi->ram[bi->nr_ram++] = (struct boot_range){ base, end - base };
	}
}

static void mb2_module(struct boot_info *bi, const u8 *tag, u32 size)
{
	const u32 *w = (const u32 *)(tag + 8);

	if (size < 16 || w[1] <= w[0]) {
		hyp_log("hyp: multiboot2: a bad module tag\n");
		return;
	}
	mb2_reserve(bi, w[0], w[1] - w[0]);
	if (bi->nr_modules == BOOT_MAX_MODULES) {
		hyp_log("hyp: multiboot2: more than %u modules\n", BOOT_MAX_MODULES);
		return;
	}
	/* 3.6.6: mod_start, mod_end, then the module's string (GRUB: the words after the file). */
	mb2_string(mb2_module_args[bi->nr_modules], tag + 16, size - 16);
	bi->module_args[bi->nr_modules] = mb2_module_args[bi->nr_modules];
	bi->modules[bi->nr_modules++] = (struct boot_range){ w[0], w[1] - w[0] };
}

static void mb2_cmdline_tag(struct boot_info *bi, const u8 *tag, u32 size)
{
	mb2_string(mb2_cmdline, tag + 8, size - 8);
	bi->cmdline = mb2_cmdline;
}

static void mb2_tag(struct boot_info *bi, const u8 *tag, u32 type, u32 size)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		mb2_cmdline_tag(bi, tag, size);
		break;
	case MB2_TAG_MODULE:
		mb2_module(bi, tag, size);
		break;
	case MB2_TAG_MMAP:
		mb2_mmap(bi, tag, size);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		bi->fw_table = (struct boot_range){ (u64)(uintptr_t)(tag + 8), size - 8 };
		break;
	default:
		break;
	}
}

int mb2_parse(struct boot_info *bi, u64 info_pa)
{
	const u8 *info = (const u8 *)(uintptr_t)info_pa;
	u32 total = *(const u32 *)info, off = 8;

	if (total < 16 || total > MB2_INFO_MAX) {
		hyp_log("hyp: multiboot2: boot information of %u bytes at 0x%llx\n", total,
			(unsigned long long)info_pa);
		return -EINVAL;
	}
	while (off + sizeof(struct mb2_tag) <= total) {
		const struct mb2_tag *t = (const void *)(info + off);

		if (t->type == MB2_TAG_END)
			break;
		if (t->size < sizeof(*t) || t->size > total - off) {
			hyp_log("hyp: multiboot2: tag %u at +0x%x has size %u\n", t->type, off,
				t->size);
			return -EINVAL;
		}
		mb2_tag(bi, info + off, t->type, t->size);
		off += ALIGN_UP(t->size, MB2_TAG_ALIGN);
	}
	mb2_reserve(bi, info_pa, total);
	return bi->nr_ram ? 0 : -ENOENT;
}
