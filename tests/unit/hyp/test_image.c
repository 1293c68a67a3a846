// SPDX-License-Identifier: MIT
/*
 * Guest kernel images (hyp/image.c): crafted arm64 and RISC-V Linux Image
 * headers, ELF64 files good and bad, ELF32 (EM_386, x86's guests), raw
 * binaries. Each refusal is checked
 * by its reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arch/guest.h"
#include "image.h"

#define MIB		(1ull << 20)
#define RAM		0x40000000ull
#define RAM_SIZE	(64 * MIB)
#define EM_AARCH64	183
#define EM_RISCV	243
#define EM_X86_64	62
#define EM_386		3
#define ELF_ET_EXEC	2
#define ELF_ET_DYN	3
#define ELF_PT_LOAD	1
#define ELF_PT_NOTE	4
#define EHDR		64
#define PHDR		56

static uint8_t img[64 * 1024];

static void put(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void arm64_header(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(img, 0, sizeof(img));
	put(img + 8, text_offset, 8);
	put(img + 16, image_size, 8);
	put(img + 24, flags, 8);
	memcpy(img + 56, "ARM\x64", 4);
}

static void riscv_header(uint64_t text_offset, uint64_t image_size, bool magic, bool magic2)
{
	memset(img, 0, sizeof(img));
	put(img + 8, text_offset, 8);
	put(img + 16, image_size, 8);
	if (magic)
		memcpy(img + 48, "RISCV\0\0\0", 8);
	if (magic2)
		memcpy(img + 56, "RSC\x05", 4);
}

struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* An ELF64 LE header of @machine and @type, with @n program headers right after it. */
static void elf(uint16_t machine, uint16_t type, uint64_t entry, const struct phdr *ph,
		unsigned int n)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 2;		/* ELFCLASS64 */
	img[5] = 1;		/* ELFDATA2LSB */
	img[6] = 1;		/* EV_CURRENT */
	put(img + 16, type, 2);
	put(img + 18, machine, 2);
	put(img + 20, 1, 4);
	put(img + 24, entry, 8);
	put(img + 32, EHDR, 8);
	put(img + 52, EHDR, 2);
	put(img + 54, PHDR, 2);
	put(img + 56, n, 2);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *p = img + EHDR + i * PHDR;

		put(p, ph[i].type, 4);
		put(p + 8, ph[i].offset, 8);
		put(p + 16, ph[i].vaddr, 8);
		put(p + 24, ph[i].paddr, 8);
		put(p + 32, ph[i].filesz, 8);
		put(p + 40, ph[i].memsz, 8);
	}
}

static int arm64(uint64_t size, uint64_t load_addr, uint64_t ram, uint64_t ram_size,
		 struct image_layout *l, const char **why)
{
	*why = NULL;
	return image_layout(img, size, ARCH_LINUX_IMAGE_ARM64, EM_AARCH64, load_addr, ram, ram_size,
			    l, why);
}

/* Refused, for @reason: @w is read after @call. */
#define expect_refused(call, w, reason) do {		\
	int ret_ = (call);				\
							\
	assert_true(ret_ < 0);				\
	assert_non_null(w);				\
	assert_string_equal(w, reason);			\
} while (0)

static void test_linux_arm64(void **state)
{
	struct image_layout l;
	const char *why;

	(void)state;
	arm64_header(0, 0x20000, 0);
	assert_int_equal(arm64(4096, 0, RAM, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.kind, IMAGE_LINUX);
	assert_int_equal(l.nr_segs, 1);
	assert_int_equal(l.segs[0].gpa, RAM);
	assert_ptr_equal(l.segs[0].src, img);
	assert_int_equal(l.segs[0].size, 4096);
	assert_int_equal(l.entry, RAM);
	assert_int_equal(l.start, RAM);
	assert_int_equal(l.end, RAM + 0x20000);
	/* A RAM base off 2 MiB: the kernel goes to the next 2 MiB boundary, plus text_offset. */
	arm64_header(0x80000, 0x20000, 0);
	assert_int_equal(arm64(4096, 0, RAM + 0x1000, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.entry, RAM + 2 * MIB + 0x80000);
	assert_int_equal(l.end, RAM + 2 * MIB + 0xa0000);
	/* Image first, hyp,load-address ignored. */
	assert_int_equal(arm64(4096, RAM + 8 * MIB, RAM, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.kind, IMAGE_LINUX);
	assert_int_equal(l.entry, RAM + 0x80000);
}

/* image_size 0: a kernel before v3.17, text_offset 0x80000 and the file's size. */
static void test_linux_arm64_old(void **state)
{
	struct image_layout l;
	const char *why;

	(void)state;
	arm64_header(0x1234, 0, 1);
	assert_int_equal(arm64(8192, 0, RAM, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.entry, RAM + 0x80000);
	assert_int_equal(l.end, RAM + 0x80000 + 8192);
}

static void test_linux_arm64_bad(void **state)
{
	struct image_layout l;
	const char *why;

	(void)state;
	arm64_header(0, RAM_SIZE + 1, 0);
	expect_refused(arm64(4096, 0, RAM, RAM_SIZE, &l, &why), why,
		       "kernel larger than its VM's RAM");
	/* Exactly fills RAM: fine; text_offset pushes it out. */
	arm64_header(0, RAM_SIZE, 0);
	assert_int_equal(arm64(4096, 0, RAM, RAM_SIZE, &l, &why), 0);
	arm64_header(0x1000, RAM_SIZE, 0);
	expect_refused(arm64(4096, 0, RAM, RAM_SIZE, &l, &why), why,
		       "kernel larger than its VM's RAM");
	/* Sums that would wrap. */
	arm64_header(~0ull - 0xfff, 0x2000, 0);
	expect_refused(arm64(4096, 0, RAM, RAM_SIZE, &l, &why), why,
		       "kernel larger than its VM's RAM");
	arm64_header(0, 0x2000, 0);
	expect_refused(arm64(4096, 0, ~0ull - 0x1ffffe, 0x1000, &l, &why), why,
		       "kernel larger than its VM's RAM");
	arm64_header(0, 0x2000, 1);
	expect_refused(arm64(4096, 0, RAM, RAM_SIZE, &l, &why), why, "big-endian Linux Image");
	arm64_header(0, 0x1000, 0);
	expect_refused(arm64(4097, 0, RAM, RAM_SIZE, &l, &why), why,
		       "Linux Image larger than its header's image_size");
	/* A header cut short is no Linux Image: without a load address, nothing known. */
	arm64_header(0, 0x1000, 0);
	expect_refused(arm64(59, 0, RAM, RAM_SIZE, &l, &why), why,
		       "unknown image format (not a Linux Image or an ELF, and no hyp,load-address)");
}

static void test_linux_riscv(void **state)
{
	struct image_layout l;
	const char *why;

	(void)state;
	riscv_header(0x200000, 0x40000, false, true);
	assert_int_equal(image_layout(img, 4096, ARCH_LINUX_IMAGE_RISCV, EM_RISCV, 0,
				      0x80000000, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.kind, IMAGE_LINUX);
	assert_int_equal(l.entry, 0x80200000);
	assert_int_equal(l.end, 0x80240000);
	riscv_header(0, 0x40000, true, false);
	assert_int_equal(image_layout(img, 4096, ARCH_LINUX_IMAGE_RISCV, EM_RISCV, 0,
				      0x80000000, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.entry, 0x80000000);
	riscv_header(0, 0, true, true);
	expect_refused(image_layout(img, 4096, ARCH_LINUX_IMAGE_RISCV, EM_RISCV, 0, 0x80000000,
				    RAM_SIZE, &l, &why), why,
		       "Linux Image header without image_size");
	/* A RISC-V Image handed to an arm64 VM, and the other way round. */
	riscv_header(0, 0x40000, true, true);
	expect_refused(arm64(4096, 0, RAM, RAM_SIZE, &l, &why), why,
		       "Linux Image of another architecture");
	arm64_header(0, 0x20000, 0);
	expect_refused(image_layout(img, 4096, ARCH_LINUX_IMAGE_RISCV, EM_RISCV, 0, 0x80000000,
				    RAM_SIZE, &l, &why), why,
		       "Linux Image of another architecture");
}

static void test_elf(void **state)
{
	const struct phdr ph[] = {
		{ ELF_PT_NOTE, 0x200, 0, 0, 0x10, 0x10 },
		{ ELF_PT_LOAD, 0x1000, RAM + 0x80000, RAM + 0x80000, 0x800, 0x800 },
		/* .data and .bss: 0x10 bytes from the file, 0x2000 in memory. */
		{ ELF_PT_LOAD, 0x2000, RAM + 0x100000, RAM + 0x100000, 0x10, 0x2000 },
		{ ELF_PT_LOAD, 0x3000, RAM + 0x200000, RAM + 0x200000, 0, 0 },	/* empty */
	};
	struct image_layout l;
	const char *why;

	(void)state;
	elf(EM_AARCH64, ELF_ET_EXEC, RAM + 0x80040, ph, 4);
	assert_int_equal(arm64(0x2010, 0, RAM, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.kind, IMAGE_ELF);
	assert_int_equal(l.nr_segs, 2);
	assert_int_equal(l.segs[0].gpa, RAM + 0x80000);
	assert_ptr_equal(l.segs[0].src, img + 0x1000);
	assert_int_equal(l.segs[0].size, 0x800);
	assert_int_equal(l.segs[1].gpa, RAM + 0x100000);
	assert_ptr_equal(l.segs[1].src, img + 0x2000);
	assert_int_equal(l.segs[1].size, 0x10);
	assert_int_equal(l.entry, RAM + 0x80040);
	assert_int_equal(l.start, RAM + 0x80000);
	assert_int_equal(l.end, RAM + 0x102000);
}

/* e_entry is virtual: through the segment that holds it to its physical address. */
static void test_elf_virtual_entry(void **state)
{
	const struct phdr ph[] = {
		{ ELF_PT_LOAD, 0x1000, 0xffff000000080000ull, RAM + 0x80000, 0x800, 0x1000 },
	};
	struct image_layout l;
	const char *why;

	(void)state;
	elf(EM_AARCH64, ELF_ET_EXEC, 0xffff000000080100ull, ph, 1);
	assert_int_equal(arm64(0x1800, 0, RAM, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.entry, RAM + 0x80100);
}

struct elf_case {
	const char *what;
	uint16_t machine, type;
	uint64_t entry;
	struct phdr ph[6];
	unsigned int nr_ph;
	uint64_t size;		/* of the file given */
	const char *why;
};

static const struct elf_case elf_cases[] = {
	{ "wrong machine", EM_X86_64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x100, 0x100 } }, 1, 0x1100, "ELF for another machine" },
	{ "not ET_EXEC", EM_AARCH64, ELF_ET_DYN, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x100, 0x100 } }, 1, 0x1100,
	  "ELF not an executable (ET_EXEC)" },
	{ "truncated header", EM_AARCH64, ELF_ET_EXEC, RAM, { { 0 } }, 0, 40,
	  "truncated ELF header" },
	{ "truncated program headers", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x40, RAM, RAM, 0x10, 0x10 }, { ELF_PT_LOAD, 0, RAM + MIB, RAM + MIB, 0, 0x10 } },
	  2, EHDR + PHDR + 8, "truncated ELF program headers" },
	{ "segment past the file", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x200, 0x200 } }, 1, 0x1100, "truncated ELF segment" },
	{ "segment offset wraps", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, ~0ull - 0xf, RAM, RAM, 0x100, 0x100 } }, 1, 0x1100,
	  "truncated ELF segment" },
	{ "filesz > memsz", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x100, 0x80 } }, 1, 0x1100,
	  "ELF segment larger in the file than in memory" },
	{ "overlapping segments", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x100, 0x100 },
	    { ELF_PT_LOAD, 0x1000, RAM + 0x80, RAM + 0x80, 0x10, 0x10 } }, 2, 0x1100,
	  "ELF segments overlap" },
	{ "bss over the next segment", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM + 0x1000, RAM + 0x1000, 0x100, 0x100 },
	    { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x10, 0x1001 } }, 2, 0x1100, "ELF segments overlap" },
	{ "too many segments", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x10, 0x10 },
	    { ELF_PT_LOAD, 0x1000, RAM + MIB, RAM + MIB, 0x10, 0x10 },
	    { ELF_PT_LOAD, 0x1000, RAM + 2 * MIB, RAM + 2 * MIB, 0x10, 0x10 },
	    { ELF_PT_LOAD, 0x1000, RAM + 3 * MIB, RAM + 3 * MIB, 0x10, 0x10 },
	    { ELF_PT_LOAD, 0x1000, RAM + 4 * MIB, RAM + 4 * MIB, 0x10, 0x10 } }, 5, 0x1100,
	  "too many ELF segments" },
	{ "segment below RAM", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM - 0x1000, RAM - 0x1000, 0x100, 0x2000 } }, 1, 0x1100,
	  "ELF segment outside its VM's RAM" },
	{ "bss past RAM", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM + RAM_SIZE - 0x1000, RAM + RAM_SIZE - 0x1000, 0x100,
	      0x1001 } }, 1, 0x1100, "ELF segment outside its VM's RAM" },
	{ "segment wraps", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, ~0ull - 0xf, ~0ull - 0xf, 0x100, 0x100 } }, 1, 0x1100,
	  "ELF segment outside its VM's RAM" },
	{ "bigger than RAM", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x100, RAM_SIZE + 0x1000 } }, 1, 0x1100,
	  "kernel larger than its VM's RAM" },
	{ "entry outside", EM_AARCH64, ELF_ET_EXEC, RAM + 0x100,
	  { { ELF_PT_LOAD, 0x1000, RAM, RAM, 0x100, 0x100 } }, 1, 0x1100,
	  "ELF entry point outside its segments" },
	{ "no PT_LOAD", EM_AARCH64, ELF_ET_EXEC, RAM,
	  { { ELF_PT_NOTE, 0x1000, RAM, RAM, 0x100, 0x100 } }, 1, 0x1100,
	  "ELF without loadable segments" },
};

static void test_elf_bad(void **state)
{
	struct image_layout l;
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(elf_cases) / sizeof(elf_cases[0]); i++) {
		const struct elf_case *c = &elf_cases[i];
		int ret;

		elf(c->machine, c->type, c->entry, c->ph, c->nr_ph);
		ret = arm64(c->size, RAM, RAM, RAM_SIZE, &l, &why);
		if (ret >= 0 || !why || strcmp(why, c->why))
			fail_msg("%s: %d, \"%s\" (expected \"%s\")", c->what, ret, why ? why : "",
				 c->why);
	}
	/* A 32-bit and a big-endian ELF. */
	elf(EM_AARCH64, ELF_ET_EXEC, RAM, elf_cases[0].ph, 1);
	img[4] = 1;
	expect_refused(arm64(0x1100, 0, RAM, RAM_SIZE, &l, &why), why, "ELF not 64-bit");
	img[4] = 2;
	img[5] = 2;
	expect_refused(arm64(0x1100, 0, RAM, RAM_SIZE, &l, &why), why, "big-endian ELF");
	img[5] = 1;
	put(img + 54, 32, 2);
	expect_refused(arm64(0x1100, 0, RAM, RAM_SIZE, &l, &why), why,
		       "bad ELF program header size");
}

static void test_raw(void **state)
{
	struct image_layout l;
	const char *why;

	(void)state;
	memset(img, 0xaa, sizeof(img));
	assert_int_equal(arm64(0x3000, RAM + 0x10000, RAM, RAM_SIZE, &l, &why), 0);
	assert_int_equal(l.kind, IMAGE_RAW);
	assert_int_equal(l.nr_segs, 1);
	assert_int_equal(l.segs[0].gpa, RAM + 0x10000);
	assert_ptr_equal(l.segs[0].src, img);
	assert_int_equal(l.segs[0].size, 0x3000);
	assert_int_equal(l.entry, RAM + 0x10000);
	assert_int_equal(l.start, RAM + 0x10000);
	assert_int_equal(l.end, RAM + 0x13000);
	expect_refused(arm64(0x3000, 0, RAM, RAM_SIZE, &l, &why), why,
		       "unknown image format (not a Linux Image or an ELF, and no hyp,load-address)");
	expect_refused(arm64(0x3000, RAM + RAM_SIZE - 0x2000, RAM, RAM_SIZE, &l, &why), why,
		       "hyp,load-address outside its VM's RAM");
	expect_refused(arm64(0x3000, ~0ull - 0xfff, RAM, RAM_SIZE, &l, &why), why,
		       "hyp,load-address outside its VM's RAM");
	expect_refused(arm64(0x3000, RAM, RAM, 0x2000, &l, &why), why,
		       "kernel larger than its VM's RAM");
	expect_refused(arm64(0, RAM, RAM, RAM_SIZE, &l, &why), why, "empty kernel image");
	expect_refused(arm64(0x3000, RAM, ~0ull - 0xfff, 0x2000, &l, &why), why,
		       "bad RAM range for the kernel");
}

/* An ELF32 LE EM_386 executable: a text segment at @paddr (@filesz, @memsz), entry @entry. */
static void elf32(uint32_t entry, uint32_t paddr, uint32_t filesz, uint32_t memsz)
{
	uint8_t *p = img + 52;

	memset(img, 0, sizeof(img));
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 1;		/* ELFCLASS32 */
	img[5] = 1;
	img[6] = 1;
	put(img + 16, ELF_ET_EXEC, 2);
	put(img + 18, EM_386, 2);
	put(img + 20, 1, 4);
	put(img + 24, entry, 4);
	put(img + 28, 52, 4);	/* e_phoff */
	put(img + 40, 52, 2);	/* e_ehsize */
	put(img + 42, 32, 2);	/* e_phentsize */
	put(img + 44, 1, 2);	/* e_phnum */
	put(p, ELF_PT_LOAD, 4);
	put(p + 4, 0x1000, 4);	/* p_offset */
	put(p + 8, paddr, 4);	/* p_vaddr */
	put(p + 12, paddr, 4);	/* p_paddr */
	put(p + 16, filesz, 4);
	put(p + 20, memsz, 4);
}

static int x86(uint64_t size, struct image_layout *l, const char **why)
{
	*why = NULL;
	return image_layout(img, size, 0, EM_386, 0, 0x200000, 16 * MIB, l, why);
}

static void test_elf32(void **state)
{
	struct image_layout l;
	const char *why;

	(void)state;
	elf32(0x200010, 0x200000, 0x800, 0x3000);
	assert_int_equal(x86(0x1800, &l, &why), 0);
	assert_int_equal(l.kind, IMAGE_ELF);
	assert_int_equal(l.nr_segs, 1);
	assert_int_equal(l.segs[0].gpa, 0x200000);
	assert_ptr_equal(l.segs[0].src, img + 0x1000);
	assert_int_equal(l.segs[0].size, 0x800);
	assert_int_equal(l.entry, 0x200010);
	assert_int_equal(l.end, 0x203000);
	expect_refused(x86(0x1400, &l, &why), why, "truncated ELF segment");
	expect_refused(x86(40, &l, &why), why, "truncated ELF header");
	elf32(0x200010, 0x1000000 + 0x200000, 0x800, 0x3000);
	expect_refused(x86(0x1800, &l, &why), why, "ELF segment outside its VM's RAM");
	elf32(0x200010, 0x200000, 0x800, 0x3000);
	img[4] = 2;
	expect_refused(x86(0x1800, &l, &why), why, "ELF not 32-bit");
	img[4] = 1;
	put(img + 42, 56, 2);
	expect_refused(x86(0x1800, &l, &why), why, "bad ELF program header size");
	/* An arm64 kernel is ELF64 only. */
	elf32(0x200010, 0x200000, 0x800, 0x3000);
	put(img + 18, EM_AARCH64, 2);
	expect_refused(arm64(0x1800, 0, 0x200000, 16 * MIB, &l, &why), why, "ELF not 64-bit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_arm64),
		cmocka_unit_test(test_linux_arm64_old),
		cmocka_unit_test(test_linux_arm64_bad),
		cmocka_unit_test(test_linux_riscv),
		cmocka_unit_test(test_elf),
		cmocka_unit_test(test_elf_virtual_entry),
		cmocka_unit_test(test_elf_bad),
		cmocka_unit_test(test_elf32),
		cmocka_unit_test(test_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
