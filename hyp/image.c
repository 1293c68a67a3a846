// SPDX-License-Identifier: MIT
/*
 * Guest kernel images (hyp/image.h): the arch's Linux Image header, ELF
 * (ELF64; ELF32 for EM_386) by its program headers, or a raw binary at a given address. Every field
 * is read within @size bytes and every sum is checked before it is made.
 */
#include "arch/guest.h"
#include "image.h"
#include "lib/string.h"

#define IMAGE_BASE_ALIGN	(2ull << 20)	/* both Linux Image protocols: 2 MiB */

/* ARM64 Image header: Linux Documentation/arch/arm64/booting.rst, section 4. */
#define ARM64_HDR_TEXT_OFFSET	8
#define ARM64_HDR_IMAGE_SIZE	16
#define ARM64_HDR_FLAGS		24
#define ARM64_HDR_MAGIC		56
#define ARM64_HDR_SIZE		64
#define ARM64_MAGIC		0x644d5241u	/* "ARM\x64", little endian */
#define ARM64_FLAG_BE		BIT(0)		/* kernel endianness: 1 = big-endian */
#define ARM64_OLD_TEXT_OFFSET	0x80000		/* image_size 0: a kernel before v3.17 */

/* RISC-V Image header: Linux Documentation/riscv/boot-image-header.rst. */
#define RISCV_HDR_TEXT_OFFSET	8
#define RISCV_HDR_IMAGE_SIZE	16
#define RISCV_HDR_FLAGS		24
#define RISCV_HDR_MAGIC		48		/* deprecated since header version 0.2 */
#define RISCV_HDR_MAGIC2	56
#define RISCV_HDR_SIZE		64
#define RISCV_MAGIC		0x5643534952ull	/* "RISCV\0\0\0" */
#define RISCV_MAGIC2		0x05435352u	/* "RSC\x05" */
#define RISCV_FLAG_BE		BIT(0)

/*
 * ELF: System V ABI, "ELF Header" and "Program Header". ELF64 (Elf64_Ehdr,
 * Elf64_Phdr) for every machine but EM_386, whose kernels (x86's 32-bit
 * guests, multiboot kernels) are ELF32 (Elf32_Ehdr, Elf32_Phdr): the same
 * fields at other offsets and widths (struct elf_class).
 */
#define EI_MAG			0		/* "\x7f" "ELF" */
#define ELF_MAGIC		0x464c457fu
#define EI_CLASS		4
#define ELFCLASS32		1
#define ELFCLASS64		2
#define EI_DATA			5
#define ELFDATA2LSB		1
#define EHDR_TYPE		16
#define EHDR_MACHINE		18
#define EHDR_ENTRY		24		/* both classes */
#define ET_EXEC			2
#define EM_386			3
#define PHDR_TYPE		0
#define PT_LOAD			1

struct elf_class {
	u8 id;			/* EI_CLASS */
	const char *name;
	u32 word;		/* bytes of an address or offset */
	u32 phoff, phentsize, phnum, ehdr_size;
	u32 ph_offset, ph_vaddr, ph_paddr, ph_filesz, ph_memsz, ph_size;
};

static const struct elf_class elf64 = {
	.id = ELFCLASS64, .name = "ELF not 64-bit", .word = 8,
	.phoff = 32, .phentsize = 54, .phnum = 56, .ehdr_size = 64,
	.ph_offset = 8, .ph_vaddr = 16, .ph_paddr = 24, .ph_filesz = 32, .ph_memsz = 40,
	.ph_size = 56,
};

static const struct elf_class elf32 = {
	.id = ELFCLASS32, .name = "ELF not 32-bit", .word = 4,
	.phoff = 28, .phentsize = 42, .phnum = 44, .ehdr_size = 52,
	.ph_offset = 4, .ph_vaddr = 8, .ph_paddr = 12, .ph_filesz = 16, .ph_memsz = 20,
	.ph_size = 32,
};

static u64 le(const u8 *p, u32 bytes)
{
	u64 v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* [gpa, gpa + size) inside [ram_base, ram_base + ram_size), which does not wrap. */
static bool in_ram(u64 gpa, u64 size, u64 ram_base, u64 ram_size)
{
	return gpa >= ram_base && gpa - ram_base <= ram_size &&
	       size <= ram_size - (gpa - ram_base);
}

static int image_bad(const char **why, const char *reason, int err)
{
	*why = reason;
	return err;
}

static bool is_linux(const u8 *img, u64 size, u8 kind)
{
	if (kind == ARCH_LINUX_IMAGE_ARM64)
		return size >= ARM64_HDR_SIZE && le(img + ARM64_HDR_MAGIC, 4) == ARM64_MAGIC;
	if (kind == ARCH_LINUX_IMAGE_RISCV)
		return size >= RISCV_HDR_SIZE && (le(img + RISCV_HDR_MAGIC2, 4) == RISCV_MAGIC2 ||
						  le(img + RISCV_HDR_MAGIC, 8) == RISCV_MAGIC);
	return false;
}

/* text_offset and image_size of the arch's Linux Image header. */
static int linux_header(const u8 *img, u64 size, u8 kind, u64 *text_offset, u64 *image_size,
			const char **why)
{
	bool arm64 = kind == ARCH_LINUX_IMAGE_ARM64;
	u64 flags = le(img + (arm64 ? ARM64_HDR_FLAGS : RISCV_HDR_FLAGS), 8);

	*text_offset = le(img + (arm64 ? ARM64_HDR_TEXT_OFFSET : RISCV_HDR_TEXT_OFFSET), 8);
	*image_size = le(img + (arm64 ? ARM64_HDR_IMAGE_SIZE : RISCV_HDR_IMAGE_SIZE), 8);
	if (arm64 && !*image_size) {
		*text_offset = ARM64_OLD_TEXT_OFFSET;
		*image_size = size;
		return 0;
	}
	if (!*image_size)
		return image_bad(why, "Linux Image header without image_size", -ENOEXEC);
	if (flags & (arm64 ? ARM64_FLAG_BE : RISCV_FLAG_BE))
		return image_bad(why, "big-endian Linux Image", -ENOEXEC);
	if (size > *image_size)
		return image_bad(why, "Linux Image larger than its header's image_size", -ENOEXEC);
	return 0;
}

/* At the 2 MiB-aligned base of RAM plus text_offset; it owns image_size bytes. */
static int layout_linux(const u8 *img, u64 size, u8 kind, u64 ram_base, u64 ram_size,
			struct image_layout *out, const char **why)
{
	u64 text_offset, image_size, skip, load;
	int ret = linux_header(img, size, kind, &text_offset, &image_size, why);

	if (ret)
		return ret;
	if (ram_base > ~0ull - (IMAGE_BASE_ALIGN - 1))
		return image_bad(why, "kernel larger than its VM's RAM", -E2BIG);
	skip = ALIGN_UP(ram_base, IMAGE_BASE_ALIGN) - ram_base;
	if (skip > ram_size || text_offset > ram_size - skip ||
	    image_size > ram_size - skip - text_offset)
		return image_bad(why, "kernel larger than its VM's RAM", -E2BIG);
	load = ram_base + skip + text_offset;
	out->kind = IMAGE_LINUX;
	out->segs[0] = (struct image_seg){ .gpa = load, .src = img, .size = size };
	out->nr_segs = 1;
	out->entry = load;
	out->start = load;
	out->end = load + image_size;
	return 0;
}

/* The ELF header: of @c, little-endian, ET_EXEC of @machine, program headers in the file. */
static int elf_header(const struct elf_class *c, const u8 *img, u64 size, u16 machine,
		      const char **why)
{
	u64 phoff, phnum;

	if (size < c->ehdr_size)
		return image_bad(why, "truncated ELF header", -ENOEXEC);
	if (img[EI_CLASS] != c->id)
		return image_bad(why, c->name, -ENOEXEC);
	if (img[EI_DATA] != ELFDATA2LSB)
		return image_bad(why, "big-endian ELF", -ENOEXEC);
	if (le(img + EHDR_MACHINE, 2) != machine)
		return image_bad(why, "ELF for another machine", -ENOEXEC);
	if (le(img + EHDR_TYPE, 2) != ET_EXEC)
		return image_bad(why, "ELF not an executable (ET_EXEC)", -ENOEXEC);
	phoff = le(img + c->phoff, c->word);
	phnum = le(img + c->phnum, 2);
	if (phnum && le(img + c->phentsize, 2) != c->ph_size)
		return image_bad(why, "bad ELF program header size", -ENOEXEC);
	if (phoff > size || phnum * c->ph_size > size - phoff)
		return image_bad(why, "truncated ELF program headers", -ENOEXEC);
	return 0;
}

/*
 * One PT_LOAD segment @ph into out->segs, checked against the file, RAM
 * and the segments before it (@ends: where each ends in memory, bss too).
 */
static int elf_segment(const struct elf_class *c, const u8 *img, u64 size, const u8 *ph,
		       u64 ram_base, u64 ram_size, u64 *ends, struct image_layout *out,
		       const char **why)
{
	u64 off = le(ph + c->ph_offset, c->word), paddr = le(ph + c->ph_paddr, c->word);
	u64 filesz = le(ph + c->ph_filesz, c->word), memsz = le(ph + c->ph_memsz, c->word);

	if (out->nr_segs == IMAGE_MAX_SEGS)
		return image_bad(why, "too many ELF segments", -E2BIG);
	if (filesz > memsz)
		return image_bad(why, "ELF segment larger in the file than in memory", -ENOEXEC);
	if (filesz && (off > size || filesz > size - off))
		return image_bad(why, "truncated ELF segment", -ENOEXEC);
	if (memsz > ram_size)
		return image_bad(why, "kernel larger than its VM's RAM", -E2BIG);
	if (!in_ram(paddr, memsz, ram_base, ram_size))
		return image_bad(why, "ELF segment outside its VM's RAM", -ERANGE);
	/* Both inside RAM, which does not wrap: the ends are exact. */
	for (u32 i = 0; i < out->nr_segs; i++)
		if (paddr < ends[i] && out->segs[i].gpa < paddr + memsz)
			return image_bad(why, "ELF segments overlap", -ENOEXEC);
	ends[out->nr_segs] = paddr + memsz;
	out->segs[out->nr_segs++] = (struct image_seg){
		.gpa = paddr, .src = filesz ? img + off : img, .size = filesz };
	return 0;
}

/*
 * e_entry, a virtual address: through the segment whose p_vaddr range
 * holds it to its physical address; else it must be one already.
 */
static int elf_entry(const struct elf_class *c, const u8 *img, u64 ram_base, u64 ram_size,
		     const u64 *ends, struct image_layout *out, const char **why)
{
	u64 entry = le(img + EHDR_ENTRY, c->word), phoff = le(img + c->phoff, c->word);
	u32 phnum = (u32)le(img + c->phnum, 2), seg = 0;

	for (u32 i = 0; i < phnum; i++) {
		const u8 *ph = img + phoff + (u64)i * c->ph_size;
		u64 vaddr = le(ph + c->ph_vaddr, c->word), memsz = le(ph + c->ph_memsz, c->word);

		if (le(ph + PHDR_TYPE, 4) != PT_LOAD || !memsz)
			continue;
		if (entry >= vaddr && entry - vaddr < memsz) {
			entry = out->segs[seg].gpa + (entry - vaddr);
			break;
		}
		seg++;
	}
	for (u32 i = 0; i < out->nr_segs; i++)
		if (entry >= out->segs[i].gpa && entry < ends[i] &&
		    in_ram(entry, 1, ram_base, ram_size)) {
			out->entry = entry;
			return 0;
		}
	return image_bad(why, "ELF entry point outside its segments", -ENOEXEC);
}

static int layout_elf(const u8 *img, u64 size, u16 machine, u64 ram_base, u64 ram_size,
		      struct image_layout *out, const char **why)
{
	const struct elf_class *c = machine == EM_386 ? &elf32 : &elf64;
	u64 ends[IMAGE_MAX_SEGS], phoff;
	u32 phnum;
	int ret = elf_header(c, img, size, machine, why);

	if (ret)
		return ret;
	phoff = le(img + c->phoff, c->word);
	phnum = (u32)le(img + c->phnum, 2);
	out->kind = IMAGE_ELF;
	for (u32 i = 0; i < phnum; i++) {
		const u8 *ph = img + phoff + (u64)i * c->ph_size;

		if (le(ph + PHDR_TYPE, 4) != PT_LOAD || !le(ph + c->ph_memsz, c->word))
			continue;
		ret = elf_segment(c, img, size, ph, ram_base, ram_size, ends, out, why);
		if (ret)
			return ret;
	}
	if (!out->nr_segs)
		return image_bad(why, "ELF without loadable segments", -ENOEXEC);
	out->start = ~0ull;
	out->end = 0;
	for (u32 i = 0; i < out->nr_segs; i++) {
		out->start = MIN(out->start, out->segs[i].gpa);
		out->end = MAX(out->end, ends[i]);
	}
	return elf_entry(c, img, ram_base, ram_size, ends, out, why);
}

static int layout_raw(const u8 *img, u64 size, u64 load_addr, u64 ram_base, u64 ram_size,
		      struct image_layout *out, const char **why)
{
	if (!load_addr)
		return image_bad(why, "unknown image format (not a Linux Image or an ELF, "
				 "and no hyp,load-address)", -ENOEXEC);
	if (size > ram_size)
		return image_bad(why, "kernel larger than its VM's RAM", -E2BIG);
	if (!in_ram(load_addr, size, ram_base, ram_size))
		return image_bad(why, "hyp,load-address outside its VM's RAM", -ERANGE);
	out->kind = IMAGE_RAW;
	out->segs[0] = (struct image_seg){ .gpa = load_addr, .src = img, .size = size };
	out->nr_segs = 1;
	out->entry = load_addr;
	out->start = load_addr;
	out->end = load_addr + size;
	return 0;
}

int image_layout(const u8 *img, u64 size, u8 linux_image, u16 elf_machine, u64 load_addr,
		 u64 ram_base, u64 ram_size, struct image_layout *out, const char **why)
{
	u8 other = linux_image == ARCH_LINUX_IMAGE_ARM64 ? ARCH_LINUX_IMAGE_RISCV :
							   ARCH_LINUX_IMAGE_ARM64;

	memset(out, 0, sizeof(*out));
	if (!size)
		return image_bad(why, "empty kernel image", -ENOEXEC);
	if (!ram_size || ram_size > ~0ull - ram_base)
		return image_bad(why, "bad RAM range for the kernel", -EINVAL);
	if (is_linux(img, size, linux_image))
		return layout_linux(img, size, linux_image, ram_base, ram_size, out, why);
	if (size >= 4 && le(img + EI_MAG, 4) == ELF_MAGIC)
		return layout_elf(img, size, elf_machine, ram_base, ram_size, out, why);
	if (is_linux(img, size, other))
		return image_bad(why, "Linux Image of another architecture", -ENOEXEC);
	return layout_raw(img, size, load_addr, ram_base, ram_size, out, why);
}
