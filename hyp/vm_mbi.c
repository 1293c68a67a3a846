// SPDX-License-Identifier: MIT
/*
 * The multiboot (version 1) information of a VM (hyp/vm_mbi.h), laid out
 * as Multiboot Specification 0.6.96, 3.3 "Boot information format" says:
 * the fixed part, then the memory map, the module list and the strings,
 * every pointer a 32-bit guest-physical address into the same page.
 *
 * mem_lower and mem_upper are what the spec defines them as: KiB of RAM
 * from 0 up to 640 KiB, and from 1 MiB up to the first hole. A VM's RAM
 * starting above 1 MiB (x86: at 2 MiB) makes both 0; the memory map is
 * what describes it.
 */
#include "console.h"
#include "lib/string.h"
#include "page_alloc.h"
#include "vm.h"
#include "vm_mbi.h"

/* 3.3: the fixed part's fields (byte offsets) and the flags saying which are valid. */
#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_LOADER_NAME		64
#define MBI_FIXED_SIZE		120	/* 116 bytes, rounded up to 8 */
#define MBI_F_MEM		BIT(0)
#define MBI_F_CMDLINE		BIT(2)
#define MBI_F_MODS		BIT(3)
#define MBI_F_MMAP		BIT(6)
#define MBI_F_LOADER_NAME	BIT(9)
/* A memory map entry: size (of the rest), base_addr, length, type; 1 is RAM. */
#define MMAP_ENTRY_SIZE		24
#define MMAP_SIZE_FIELD		20
#define MMAP_TYPE_RAM		1
/* A module: mod_start, mod_end, string, reserved. */
#define MOD_ENTRY_SIZE		16
#define LOWER_MEM_END		(640ull << 10)
#define UPPER_MEM_START		(1ull << 20)
#define MBI_LOADER		"hyp"

static void put32(u8 *p, u32 v)
{
	for (u32 i = 0; i < 4; i++)
		p[i] = (u8)(v >> (8 * i));
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

/* KiB of RAM [@base, @end) has in [@from, @to), counted from @from with no hole. */
static u32 mbi_kib_from(u64 base, u64 end, u64 from, u64 to)
{
	if (base > from || end <= from)
		return 0;
	return (u32)((MIN(end, to) - from) >> 10);
}

/* A string at *@off: its guest-physical address, or 0 if it does not fit. */
static u32 mbi_string(u8 *buf, u32 size, u32 *off, u64 gpa, const char *s)
{
	u32 n = (u32)strlen(s) + 1, at = *off;

	if (n > size - at)
		return 0;
	memcpy(buf + at, s, n);
	*off = at + n;
	return (u32)(gpa + at);
}

int vm_mbi_build(const struct vm_desc *d, u64 gpa, const struct vm_mbi_args *a, u8 *buf,
		 u32 size, u32 *len)
{
	u64 end = d->ram_base + d->ram_size;
	u32 off = MBI_FIXED_SIZE, flags = MBI_F_MEM | MBI_F_MMAP | MBI_F_LOADER_NAME, mod = 0;

	if (size < MBI_FIXED_SIZE + MMAP_ENTRY_SIZE + MOD_ENTRY_SIZE || gpa >= VM_MBI_LIMIT ||
	    size > VM_MBI_LIMIT - gpa ||
	    (a->module_size && (a->module_gpa >= VM_MBI_LIMIT ||
				a->module_size > VM_MBI_LIMIT - a->module_gpa)))
		return -ERANGE;
	memset(buf, 0, size);
	put32(buf + MBI_MEM_LOWER, mbi_kib_from(d->ram_base, end, 0, LOWER_MEM_END));
	put32(buf + MBI_MEM_UPPER, mbi_kib_from(d->ram_base, end, UPPER_MEM_START, VM_MBI_LIMIT));
	put32(buf + off, MMAP_SIZE_FIELD);
	put64(buf + off + 4, d->ram_base);
	put64(buf + off + 12, d->ram_size);
	put32(buf + off + 20, MMAP_TYPE_RAM);
	put32(buf + MBI_MMAP_ADDR, (u32)(gpa + off));
	put32(buf + MBI_MMAP_LENGTH, MMAP_ENTRY_SIZE);
	off += MMAP_ENTRY_SIZE;
	if (a->module_size) {
		mod = off;
		off += MOD_ENTRY_SIZE;
		put32(buf + mod, (u32)a->module_gpa);
		put32(buf + mod + 4, (u32)(a->module_gpa + a->module_size));
		put32(buf + MBI_MODS_COUNT, 1);
		put32(buf + MBI_MODS_ADDR, (u32)(gpa + mod));
		flags |= MBI_F_MODS;
	}
	put32(buf + MBI_LOADER_NAME, mbi_string(buf, size, &off, gpa, MBI_LOADER));
	if (mod)	/* the module's string: empty */
		put32(buf + mod + 8, mbi_string(buf, size, &off, gpa, ""));
	if (a->cmdline) {
		u32 at = mbi_string(buf, size, &off, gpa, a->cmdline);

		if (!at)
			return -ENOSPC;
		put32(buf + MBI_CMDLINE, at);
		flags |= MBI_F_CMDLINE;
	}
	put32(buf + MBI_FLAGS, flags);
	*len = off;
	return 0;
}

int vm_mbi_add(struct vm_desc *d, u64 gpa, const struct vm_mbi_args *a)
{
	u8 *buf = hyp_pages_carve(VM_MBI_SIZE, HYP_PAGE_SIZE);
	u32 len = 0;
	int ret;

	if (!buf) {
		hyp_log("hyp: %s: no memory for its multiboot information\n", d->name);
		return -ENOMEM;
	}
	if (d->nr_segs == S2_MEM_MAX_SEGS || gpa < d->ram_base || d->ram_size < VM_MBI_SIZE ||
	    gpa - d->ram_base > d->ram_size - VM_MBI_SIZE)
		ret = -ENOSPC;
	else
		ret = vm_mbi_build(d, gpa, a, buf, VM_MBI_SIZE, &len);
	if (ret) {
		hyp_log("hyp: %s: no multiboot information at 0x%llx: %s\n", d->name,
			(unsigned long long)gpa, ret == -ERANGE ? "not below 4 GiB" :
			"no room (command line too long, or RAM too small)");
		return ret;
	}
	d->segs[d->nr_segs++] = (struct s2_mem_seg){ gpa, buf, len };
	d->entry_info = gpa;
	return 0;
}
