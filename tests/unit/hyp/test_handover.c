// SPDX-License-Identifier: MIT
/*
 * Handed-over VMs on the fake arch (hyp/vm_handover.c): a Linux Image and
 * an initrd from "modules" in host memory become a VM whose RAM holds the
 * kernel at RAM base + text_offset, the initrd and a device tree where
 * /chosen says, vCPU 0 entering the kernel with the tree's address (in
 * the first argument, or the second as on RISC-V; or, for a multiboot
 * arch, the multiboot information). A bad VM is skipped with one line and
 * the others are made.
 */
#include "arch/guest.h"
#include "fake_arch.h"
#include "fdt.h"
#include "lib/string.h"
#include "page_alloc.h"

#define MIB			(1ull << 20)
#define KERNEL_SIZE		(3 * HYP_PAGE_SIZE + 0x321)
#define KERNEL_TEXT_OFFSET	0x80000ull
#define KERNEL_IMAGE_SIZE	(1 * MIB)	/* with its bss */
#define INITRD_SIZE		(5 * HYP_PAGE_SIZE + 7)
#define VM_RAM			(16 * MIB)
#define LINUX_ARM64_MAGIC	0x644d5241u	/* "ARM\x64", booting.rst */
#define LINUX_TEXT_OFFSET_AT	8
#define LINUX_IMAGE_SIZE_AT	16
#define LINUX_MAGIC_AT		56
#define DT_MAX			(64 * 1024)

static u8 kernel[KERNEL_SIZE], kernel2[KERNEL_SIZE], initrd[INITRD_SIZE];
static u8 dt[DT_MAX], initrd_got[INITRD_SIZE];

static void put_le64(u8 *p, u64 v)
{
	for (u32 i = 0; i < 8; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* A Linux arm64 Image with a recognisable body, and an initrd. */
static void make_modules(void)
{
	for (u32 i = 0; i < KERNEL_SIZE; i++)
		kernel[i] = (u8)(i * 7 + 3);
	for (u32 i = 0; i < INITRD_SIZE; i++)
		initrd[i] = (u8)(i * 11 + 1);
	memset(kernel, 0, 64);
	put_le64(kernel + LINUX_TEXT_OFFSET_AT, KERNEL_TEXT_OFFSET);
	put_le64(kernel + LINUX_IMAGE_SIZE_AT, KERNEL_IMAGE_SIZE);
	memcpy(kernel + LINUX_MAGIC_AT, &(u32){ LINUX_ARM64_MAGIC }, 4);
}

static struct boot_range range_of(const void *p, u64 size)
{
	return (struct boot_range){ .base = (u64)(uintptr_t)p, .size = size };
}

static void linux_vm(struct boot_vm *b, const char *name, u32 cpu, bool with_initrd)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->name, name, strlen(name) + 1);
	b->mem_size = VM_RAM;
	b->nr_vcpus = 1;
	b->cpu_mask = (u32)BIT(cpu);
	b->vpl011 = true;
	b->kernel = range_of(kernel, KERNEL_SIZE);
	if (with_initrd)
		b->ramdisk = range_of(initrd, INITRD_SIZE);
	b->bootargs = "console=ttyAMA0 marker=42";
}

static u64 be64_at(const void *p)
{
	const u8 *b = p;
	u64 v = 0;

	for (u32 i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* The guest's copy of its device tree, at @gpa. */
static void read_dt(struct vcpu *v, u64 gpa, u8 *buf, struct fdt *fdt)
{
	fake_guest_read(v, gpa, buf, DT_MAX);
	assert_int_equal(fdt_init(fdt, buf, DT_MAX), 0);
}

static void check_initrd(struct vcpu *v, const struct fdt *fdt)
{
	int chosen = fdt_path(fdt, "/chosen", 7);
	const void *p;
	u32 len;
	u64 start, end;

	assert_true(chosen >= 0);
	assert_int_equal(fdt_prop(fdt, chosen, "linux,initrd-start", &p, &len), 0);
	assert_int_equal(len, 8);
	start = be64_at(p);
	assert_int_equal(fdt_prop(fdt, chosen, "linux,initrd-end", &p, &len), 0);
	end = be64_at(p);
	assert_int_equal(end - start, INITRD_SIZE);
	fake_guest_read(v, start, initrd_got, INITRD_SIZE);
	assert_memory_equal(initrd_got, initrd, INITRD_SIZE);
}

static void test_linux_image_with_initrd(void **state)
{
	static struct boot_info bi;
	struct vm *vms[HYP_MAX_VMS];
	u64 base = arch_guest_defaults()->ram_base, load = base + KERNEL_TEXT_OFFSET;
	u8 got[KERNEL_SIZE];
	const char *args;
	struct fake_exit ex;
	struct fdt fdt;
	u32 len;

	(void)state;
	make_modules();
	linux_vm(&bi.vms[0], "lx", 0, true);
	bi.nr_vms = 1;
	assert_int_equal(vm_create_handed_over(&bi, vms), 1);
	vm_start(vms[0]);
	ex = fake_idle(vms[0]->vcpus[0].cpu, 1);
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_int_equal(ex.entry, load);
	assert_int_equal(ex.arg1, 0);
	fake_guest_read(&vms[0]->vcpus[0], load, got, KERNEL_SIZE);
	assert_memory_equal(got, kernel, KERNEL_SIZE);
	/* The bss the header claims is RAM the tree and initrd stay clear of. */
	assert_true(ex.arg0 >= load + KERNEL_IMAGE_SIZE && ex.arg0 % 8 == 0);
	read_dt(&vms[0]->vcpus[0], ex.arg0, dt, &fdt);
	assert_int_equal(fdt_prop_string(&fdt, fdt_path(&fdt, "/chosen", 7), "bootargs", &args,
					 &len), 0);
	assert_string_equal(args, "console=ttyAMA0 marker=42");
	check_initrd(&vms[0]->vcpus[0], &fdt);
}

/* RISC-V's convention (dt_arg 1): a0 = vCPU 0's hart id, 0; a1 = the same tree. */
static void test_tree_in_second_argument(void **state)
{
	static struct boot_info bi;
	struct vm *vms[HYP_MAX_VMS];
	struct fake_exit ex;
	struct fdt fdt;

	(void)state;
	fake_guest_dt_arg(1);
	make_modules();
	linux_vm(&bi.vms[0], "rv", 0, true);
	bi.nr_vms = 1;
	assert_int_equal(vm_create_handed_over(&bi, vms), 1);
	vm_start(vms[0]);
	ex = fake_idle(vms[0]->vcpus[0].cpu, 1);
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_int_equal(ex.arg0, 0);
	assert_true(ex.arg1 >= ex.entry + KERNEL_IMAGE_SIZE && ex.arg1 % 8 == 0);
	read_dt(&vms[0]->vcpus[0], ex.arg1, dt, &fdt);
	check_initrd(&vms[0]->vcpus[0], &fdt);
}

/* A kernel larger than its RAM: one line naming the VM; the next VM is made. */
static void test_bad_vm_skipped(void **state)
{
	static struct boot_info bi;
	struct vm *vms[HYP_MAX_VMS];

	(void)state;
	make_modules();
	linux_vm(&bi.vms[0], "big", 0, false);
	put_le64(kernel + LINUX_IMAGE_SIZE_AT, 2 * VM_RAM);
	linux_vm(&bi.vms[1], "ok", 1, true);
	memcpy(kernel2, kernel, KERNEL_SIZE);
	put_le64(kernel2 + LINUX_IMAGE_SIZE_AT, KERNEL_IMAGE_SIZE);
	bi.vms[1].kernel = range_of(kernel2, KERNEL_SIZE);
	bi.nr_vms = 2;
	assert_int_equal(vm_create_handed_over(&bi, vms), 1);
	assert_string_equal(vms[0]->name, "ok");
	assert_int_equal(fake_console_count_prefix("hyp: big: kernel at 0x"), 1);
}

/* Not an Image, not an ELF, no load address: one line, no VM. */
static void test_unknown_format(void **state)
{
	static struct boot_info bi;
	struct vm *vms[HYP_MAX_VMS];

	(void)state;
	make_modules();
	memset(kernel + LINUX_MAGIC_AT, 0, 4);
	linux_vm(&bi.vms[0], "raw", 0, false);
	bi.nr_vms = 1;
	assert_int_equal(vm_create_handed_over(&bi, vms), 0);
	assert_int_equal(fake_console_count_prefix("hyp: raw: kernel at 0x"), 1);
}

/* The same bytes as a raw binary at a load address of the user's. */
static void test_raw_at_load_address(void **state)
{
	static struct boot_info bi;
	struct vm *vms[HYP_MAX_VMS];
	u64 at = arch_guest_defaults()->ram_base + 4 * MIB;
	u8 got[KERNEL_SIZE];
	struct fake_exit ex;

	(void)state;
	make_modules();
	memset(kernel + LINUX_MAGIC_AT, 0, 4);
	linux_vm(&bi.vms[0], "raw", 0, false);
	bi.vms[0].load_addr = at;
	bi.nr_vms = 1;
	assert_int_equal(vm_create_handed_over(&bi, vms), 1);
	vm_start(vms[0]);
	ex = fake_idle(vms[0]->vcpus[0].cpu, 1);
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_int_equal(ex.entry, at);
	fake_guest_read(&vms[0]->vcpus[0], at, got, KERNEL_SIZE);
	assert_memory_equal(got, kernel, KERNEL_SIZE);
}

static u32 le32_at(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/*
 * An arch that boots its guests the multiboot way (x86): the information
 * instead of a tree, its command line the bootargs, its module the
 * initrd; ESI/EDI's arguments are RAM's base and size.
 */
static void test_multiboot_with_initrd(void **state)
{
	static struct boot_info bi;
	struct vm *vms[HYP_MAX_VMS];
	u64 base = arch_guest_defaults()->ram_base;
	u8 mbi[4096];
	char cmdline[64];
	struct fake_exit ex;
	struct vcpu *v;
	u32 mods;

	(void)state;
	fake_guest_boot_info(ARCH_BOOT_INFO_MULTIBOOT);
	make_modules();
	linux_vm(&bi.vms[0], "mb", 0, true);
	bi.nr_vms = 1;
	assert_int_equal(vm_create_handed_over(&bi, vms), 1);
	vm_start(vms[0]);
	ex = fake_idle(vms[0]->vcpus[0].cpu, 1);
	v = &vms[0]->vcpus[0];
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_int_equal(ex.arg0, base);
	assert_int_equal(ex.arg1, VM_RAM);
	assert_true(v->entry_info >= base + KERNEL_TEXT_OFFSET + KERNEL_IMAGE_SIZE);
	fake_guest_read(v, v->entry_info, mbi, sizeof(mbi));
	assert_int_equal(le32_at(mbi), 0x24d);	/* mem, cmdline, mods, mmap, loader name */
	fake_guest_read(v, le32_at(mbi + 16), cmdline, sizeof(cmdline));
	assert_string_equal(cmdline, "console=ttyAMA0 marker=42");
	assert_int_equal(le32_at(mbi + 20), 1);
	mods = le32_at(mbi + 24) - (u32)v->entry_info;
	assert_int_equal(le32_at(mbi + mods + 4) - le32_at(mbi + mods), INITRD_SIZE);
	fake_guest_read(v, le32_at(mbi + mods), initrd_got, INITRD_SIZE);
	assert_memory_equal(initrd_got, initrd, INITRD_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_image_with_initrd),
		cmocka_unit_test(test_tree_in_second_argument),
		cmocka_unit_test(test_bad_vm_skipped),
		cmocka_unit_test(test_unknown_format),
		cmocka_unit_test(test_raw_at_load_address),
		cmocka_unit_test(test_multiboot_with_initrd),
	};

	return FAKE_RUN_TESTS(tests);
}
