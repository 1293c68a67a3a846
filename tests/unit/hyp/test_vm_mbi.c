// SPDX-License-Identifier: MIT
/*
 * The multiboot (version 1) information of a VM (hyp/vm_mbi.c), read back
 * field by field as a multiboot kernel would (Multiboot 0.6.96, 3.3): the
 * flags, mem_lower/mem_upper, the memory map of its RAM, the module, the
 * strings at their guest-physical addresses; and what it refuses.
 */
#include "fake_arch.h"
#include "lib/string.h"
#include "vm.h"
#include "vm_mbi.h"

#define MIB		(1ull << 20)
#define GPA		(0x400000ull)	/* where the page lies in guest RAM */

static u8 buf[VM_MBI_SIZE];

static u32 le32(u32 off)
{
	return (u32)buf[off] | (u32)buf[off + 1] << 8 | (u32)buf[off + 2] << 16 |
	       (u32)buf[off + 3] << 24;
}

static u64 le64(u32 off)
{
	return le32(off) | (u64)le32(off + 4) << 32;
}

/* The string at guest-physical @gpa of the page. */
static const char *str_at(u32 gpa)
{
	assert_true(gpa >= GPA && gpa < GPA + VM_MBI_SIZE);
	return (const char *)buf + (gpa - GPA);
}

static struct vm_desc desc(u64 base, u64 size)
{
	return (struct vm_desc){ .name = "vm0", .ram_base = base, .ram_size = size };
}

static void test_fields(void **state)
{
	struct vm_desc d = desc(2 * MIB, 16 * MIB);
	struct vm_mbi_args a = { .cmdline = "console=ttyS0 quiet" };
	u32 len = 0, map;

	(void)state;
	assert_int_equal(vm_mbi_build(&d, GPA, &a, buf, sizeof(buf), &len), 0);
	assert_int_equal(le32(0), 0x245);	/* mem, cmdline, mmap, loader name */
	assert_int_equal(le32(4), 0);		/* no RAM below 640 KiB */
	assert_int_equal(le32(8), 0);		/* a hole at 1 MiB */
	assert_int_equal(le32(44), 24);		/* mmap_length: one entry */
	map = le32(48) - (u32)GPA;
	assert_int_equal(le32(map), 20);
	assert_int_equal(le64(map + 4), 2 * MIB);
	assert_int_equal(le64(map + 12), 16 * MIB);
	assert_int_equal(le32(map + 20), 1);
	assert_string_equal(str_at(le32(16)), "console=ttyS0 quiet");
	assert_string_equal(str_at(le32(64)), "hyp");
	assert_int_equal(le32(20), 0);
	assert_true(len > map + 24 && len <= VM_MBI_SIZE);
}

static void test_module_and_low_ram(void **state)
{
	struct vm_desc d = desc(0, 64 * MIB);
	struct vm_mbi_args a = { .module_gpa = 8 * MIB, .module_size = 12345 };
	u32 len = 0, mod;

	(void)state;
	assert_int_equal(vm_mbi_build(&d, GPA, &a, buf, sizeof(buf), &len), 0);
	assert_int_equal(le32(0), 0x249);	/* mem, mods, mmap, loader name: no cmdline */
	assert_int_equal(le32(4), 640);
	assert_int_equal(le32(8), 63 * 1024);
	assert_int_equal(le32(20), 1);
	mod = le32(24) - (u32)GPA;
	assert_int_equal(le32(mod), 8 * MIB);
	assert_int_equal(le32(mod + 4), 8 * MIB + 12345);
	assert_string_equal(str_at(le32(mod + 8)), "");
}

static void test_refused(void **state)
{
	struct vm_desc d = desc(2 * MIB, 16 * MIB), high = desc(0x100000000ull, 16 * MIB);
	struct vm_desc big = desc(2 * MIB, 8192 * MIB);
	struct vm_mbi_args a = { 0 }, mod = { .module_gpa = 0xfffff000ull, .module_size = 0x2000 };
	static char long_line[VM_MBI_SIZE];
	u32 len = 0;

	(void)state;
	memset(long_line, 'x', sizeof(long_line) - 1);
	a.cmdline = long_line;
	assert_int_equal(vm_mbi_build(&d, GPA, &a, buf, sizeof(buf), &len), -ENOSPC);
	a.cmdline = NULL;
	assert_int_equal(vm_mbi_build(&high, 0x100000000ull, &a, buf, sizeof(buf), &len),
			 -ERANGE);
	assert_int_equal(vm_mbi_build(&d, 0xfffff800ull, &a, buf, sizeof(buf), &len), -ERANGE);
	assert_int_equal(vm_mbi_build(&d, GPA, &mod, buf, sizeof(buf), &len), -ERANGE);
	/* RAM past 4 GiB is in the map (64-bit), mem_upper stops at 4 GiB. */
	assert_int_equal(vm_mbi_build(&big, GPA, &a, buf, sizeof(buf), &len), 0);
	assert_int_equal(le32(8), 0);
	assert_int_equal(le64(le32(48) - (u32)GPA + 12), 8192 * MIB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_module_and_low_ram),
		cmocka_unit_test(test_refused),
	};

	return FAKE_RUN_TESTS(tests);
}
