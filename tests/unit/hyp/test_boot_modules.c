// SPDX-License-Identifier: MIT
/*
 * VMs from boot modules' own words (hyp/boot_modules.c, GRUB module2
 * lines): each word read into the VM description with the dom0less
 * meaning, a "ramdisk" module joined to the VM before it, CPUs chosen as
 * for dom0less; each bad VM gives exactly its one line and leaves the
 * good VM beside it alone. Addresses are only compared, never read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "boot.h"
#include "log_capture.h"

#define MIB		(1ull << 20)

static struct boot_info bi;

/* 256 MiB of RAM at 1 MiB, the hypervisor at 2 MiB, four CPUs, then the modules. */
static void board(const char *const *args, u32 n)
{
	memset(&bi, 0, sizeof(bi));
	log_reset();
	bi.ram[0] = (struct boot_range){ 1 * MIB, 256 * MIB };
	bi.nr_ram = 1;
	bi.image = (struct boot_range){ 2 * MIB, 2 * MIB };
	bi.nr_cpus = 4;
	for (u32 i = 0; i < n; i++) {
		bi.modules[i] = (struct boot_range){ (16 + 8 * i) * MIB, 1 * MIB + i };
		bi.module_args[i] = args[i];
	}
	bi.nr_modules = n;
	assert_int_equal(boot_module_vms(&bi), 0);
}

static void test_words(void **state)
{
	static const char *const args[] = {
		"vm name=linux mem=100M cpus=2 ram-base=0x40000000 console -- console=ttyS0  quiet",
		"ramdisk",
		"  vm mem=0x800000 pcpus=3 load=0x200000",
		"something else entirely",
	};
	const struct boot_vm *a = &bi.vms[0], *b = &bi.vms[1];

	(void)state;
	board(args, 4);
	assert_string_equal(log_buf, "");
	assert_int_equal(bi.nr_vm_nodes, 2);
	assert_int_equal(bi.nr_vms, 2);
	assert_string_equal(a->name, "linux");
	assert_int_equal(a->mem_size, 100 * MIB);	/* 2 MiB multiple already */
	assert_int_equal(a->nr_vcpus, 2);
	assert_int_equal(a->cpu_mask, 0x3);		/* the lowest free after vm1's CPU 3 */
	assert_int_equal(a->ram_base, 0x40000000);
	assert_true(a->vpl011);
	assert_string_equal(a->bootargs, "console=ttyS0  quiet");
	assert_int_equal(a->kernel.base, 16 * MIB);
	assert_int_equal(a->ramdisk.base, 24 * MIB);
	assert_int_equal(a->ramdisk.size, 1 * MIB + 1);
	assert_string_equal(b->name, "vm1");
	assert_int_equal(b->mem_size, 8 * MIB);
	assert_int_equal(b->nr_vcpus, 1);
	assert_int_equal(b->cpu_mask, 0x8);
	assert_int_equal(b->load_addr, 0x200000);
	assert_false(b->vpl011);
	assert_null(b->bootargs);
	assert_int_equal(b->kernel.base, 32 * MIB);
}

/* Each bad module alone beside a good one: exactly its line, the good VM kept. */
static void test_bad(void **state)
{
	static const struct { const char *args, *line; } cases[] = {
		{ "vm name=x", "hyp: multiboot2: x: no mem=\n" },
		{ "vm mem=lots", "hyp: multiboot2: vm1: mem=lots is not a size (like 16M or 1G)\n" },
		{ "vm mem=0", "hyp: multiboot2: vm1: mem=0 is not a size (like 16M or 1G)\n" },
		{ "vm mem=99999999999999999999", "hyp: multiboot2: vm1: mem=99999999999999999999 "
		  "is not a size (like 16M or 1G)\n" },
		{ "vm mem=17179869184G", "hyp: multiboot2: vm1: mem=17179869184G is not a size "
		  "(like 16M or 1G)\n" },
		{ "vm mem=16M cpus=5", "hyp: multiboot2: vm1: cpus=5 is not 1 to the machine's "
		  "4 CPUs\n" },
		{ "vm mem=16M cpus=2 pcpus=1", "hyp: multiboot2: vm1: pcpus= names 1 CPUs for 2 "
		  "vCPUs\n" },
		{ "vm mem=16M pcpus=1,2 cpus=3", "hyp: multiboot2: vm1: pcpus= names 2 CPUs for 3 "
		  "vCPUs\n" },
		{ "vm mem=16M pcpus=1,1", "hyp: multiboot2: vm1: pcpus=1,1: not CPUs of the "
		  "machine's 4, each once\n" },
		{ "vm mem=16M pcpus=0", "hyp: multiboot2: vm1: CPU 0 is already good's\n" },
		{ "vm mem=16M ram-base=0x100000", "hyp: multiboot2: vm1: ram-base=0x100000 is not "
		  "2 MiB aligned, or RAM ends past the address space\n" },
		{ "vm mem=16M load=", "hyp: multiboot2: vm1: load= is not an address\n" },
		{ "vm mem=16M speed=9", "hyp: multiboot2: vm1: unknown word \"speed=...\"\n" },
		{ "vm mem=16M name=", "hyp: multiboot2: vm1: name=: 1 to 23 letters, digits, '-', "
		  "'_' or '.'\n" },
		{ "vm mem=16M name=a\033[2J", "hyp: multiboot2: vm1: name=: 1 to 23 letters, "
		  "digits, '-', '_' or '.'\n" },
		{ "vm mem=16M \033[2J", "hyp: multiboot2: vm1: unknown word \"?[2J\"\n" },
		{ "vm mem=16M cpus=4", "hyp: multiboot2: vm1: 4 vCPUs but only 3 free CPUs\n" },
		{ "vm mem=16M averyveryveryverylongwordindeed=1", "hyp: multiboot2: vm1: a word "
		  "longer than 32 characters\n" },
	};
	const char *args[2] = { "vm name=good mem=16M pcpus=0 console -- ok", NULL };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		args[1] = cases[i].args;
		board(args, 2);
		if (strcmp(log_buf, cases[i].line))
			fail_msg("\"%s\": logged \"%s\", expected \"%s\"", cases[i].args, log_buf,
				 cases[i].line);
		assert_int_equal(bi.nr_vm_nodes, 2);
		assert_int_equal(bi.nr_vms, 1);
		assert_string_equal(bi.vms[0].name, "good");
		assert_string_equal(bi.vms[0].bootargs, "ok");
	}
}

static void test_bad_ranges(void **state)
{
	static const char *const args[] = { "ramdisk", "vm mem=16M", "ramdisk", "ramdisk" };

	(void)state;
	board(args, 4);
	assert_string_equal(log_buf,
			    "hyp: multiboot2: module 0: a ramdisk without a vm module before it\n"
			    "hyp: multiboot2: vm0: two ramdisk modules\n");
	assert_int_equal(bi.nr_vms, 0);
	board(args + 1, 1);
	bi.modules[0] = (struct boot_range){ 3 * MIB, 4096 };	/* inside the hypervisor */
	bi.nr_vms = bi.nr_vm_nodes = 0;
	log_reset();
	boot_module_vms(&bi);
	assert_string_equal(log_buf, "hyp: multiboot2: vm0: kernel: overlaps the hypervisor or "
				     "the firmware's tables\n");
	bi.modules[0] = (struct boot_range){ 300 * MIB, 4096 };	/* past RAM */
	bi.nr_vms = bi.nr_vm_nodes = 0;
	log_reset();
	boot_module_vms(&bi);
	assert_string_equal(log_buf, "hyp: multiboot2: vm0: kernel: 0x12c00000 - 0x12c01000 is "
				     "not inside RAM\n");
	assert_int_equal(bi.nr_vms, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bad_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
