// SPDX-License-Identifier: MIT
/*
 * The boot description from a device tree (hyp/boot_fdt.c) and the guest
 * memory it leaves (hyp/page_alloc.c): RAM minus the image, the DTB,
 * /memreserve/, /reserved-memory and boot modules. Addresses are only
 * compared, never dereferenced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/cpu.h"
#include "boot.h"
#include "console.h"
#include "fdt.h"
#include "fdt_builder.h"
#include "page_alloc.h"
#include "log_capture.h"

#define MIB		(1ull << 20)
#define RAM0		0x40000000ull
#define RAM1		0x100000000ull

unsigned int hyp_this_cpu(void)
{
	return 0;
}

static void cells64(struct fdtb *b, const char *name, uint64_t base, uint64_t size)
{
	fdtb_prop_cells(b, name, 4, (uint32_t)(base >> 32), (uint32_t)base,
			(uint32_t)(size >> 32), (uint32_t)size);
}

static void node_reg(struct fdtb *b, const char *name, uint64_t base, uint64_t size)
{
	fdtb_begin(b, name);
	cells64(b, "reg", base, size);
	fdtb_end(b);
}

/* Two RAM banks, two CPUs, a /memreserve/, a /reserved-memory node, two modules. */
static uint8_t *board_dtb(size_t *len)
{
	struct fdtb b;

	fdtb_init(&b);
	fdtb_memreserve(&b, RAM0 + 0x10000000, 2 * MIB);
	fdtb_begin(&b, "");
	fdtb_prop_cells(&b, "#address-cells", 1, 2);
	fdtb_prop_cells(&b, "#size-cells", 1, 2);
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_cells(&b, "reg", 8, 0, (uint32_t)RAM0, 0, 0x40000000, 1, 0, 0, 0x10000000);
	fdtb_end(&b);
	fdtb_begin(&b, "cpus");
	fdtb_prop_cells(&b, "#address-cells", 1, 1);
	fdtb_prop_cells(&b, "#size-cells", 1, 0);
	for (uint32_t i = 0; i < 2; i++) {
		fdtb_begin(&b, i ? "cpu@1" : "cpu@0");
		fdtb_prop_str(&b, "device_type", "cpu");
		fdtb_prop_cells(&b, "reg", 1, i);
		fdtb_end(&b);
	}
	fdtb_end(&b);
	fdtb_begin(&b, "reserved-memory");
	fdtb_prop_cells(&b, "#address-cells", 1, 2);
	fdtb_prop_cells(&b, "#size-cells", 1, 2);
	fdtb_prop(&b, "ranges", NULL, 0);
	node_reg(&b, "fw@7f000000", 0x7f000000, 16 * MIB);
	fdtb_end(&b);
	fdtb_begin(&b, "chosen");
	fdtb_prop_str(&b, "bootargs", "config=two");
	fdtb_prop_cells(&b, "#address-cells", 1, 2);
	fdtb_prop_cells(&b, "#size-cells", 1, 2);
	fdtb_begin(&b, "module@60000000");
	fdtb_prop(&b, "compatible", "multiboot,kernel\0multiboot,module", 34);
	cells64(&b, "reg", 0x60000000, 8 * MIB);
	fdtb_end(&b);
	fdtb_begin(&b, "module@61000000");
	fdtb_prop(&b, "compatible", "multiboot,ramdisk\0multiboot,module", 35);
	cells64(&b, "reg", 0x61000000, 3 * MIB);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	return fdtb_finish(&b, len);
}

static bool has_range(const struct boot_range *r, uint32_t nr, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < nr; i++)
		if (r[i].base == base && r[i].size == size)
			return true;
	return false;
}

static void test_boot_from_fdt(void **state)
{
	static struct boot_info bi;
	size_t len;
	uint8_t *dtb = board_dtb(&len);
	struct fdt fdt;

	(void)state;
	assert_int_equal(fdt_init(&fdt, dtb, len), 0);
	assert_int_equal(boot_from_fdt(&bi, &fdt), 0);
	assert_int_equal(bi.nr_ram, 2);
	assert_true(has_range(bi.ram, bi.nr_ram, RAM0, 0x40000000));
	assert_true(has_range(bi.ram, bi.nr_ram, RAM1, 0x10000000));
	assert_int_equal(bi.nr_cpus, 2);
	assert_int_equal(bi.cpus[1], 1);
	assert_string_equal(bi.cmdline, "config=two");
	assert_int_equal(bi.fw_table.base, (uint64_t)(uintptr_t)dtb);
	assert_int_equal(bi.fw_table.size, len);
	assert_true(has_range(bi.reserved, bi.nr_reserved, bi.fw_table.base, len));
	assert_true(has_range(bi.reserved, bi.nr_reserved, RAM0 + 0x10000000, 2 * MIB));
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x7f000000, 16 * MIB));
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x60000000, 8 * MIB));
	assert_int_equal(bi.nr_modules, 2);
	assert_true(has_range(bi.modules, bi.nr_modules, 0x61000000, 3 * MIB));
	free(dtb);
}

/* Every carve lies in RAM, outside the image and every reserved range, and carves never overlap. */
static void check_carve(const struct boot_info *bi, uint64_t a, uint64_t size, uint64_t img)
{
	bool in_ram = false;

	for (uint32_t i = 0; i < bi->nr_ram; i++)
		in_ram |= a >= bi->ram[i].base && a + size <= bi->ram[i].base + bi->ram[i].size;
	assert_true(in_ram);
	assert_true(a + size <= img || a >= img + 4 * MIB);
	for (uint32_t i = 0; i < bi->nr_reserved; i++)
		assert_true(a + size <= bi->reserved[i].base ||
			    a >= bi->reserved[i].base + bi->reserved[i].size);
}

static void test_guest_memory(void **state)
{
	static struct boot_info bi;
	uint64_t img = RAM0 + 2 * MIB, total = 0, a;
	uint8_t *p;

	(void)state;
	bi.nr_ram = 2;
	bi.ram[0] = (struct boot_range){ RAM0, 0x40000000 };
	bi.ram[1] = (struct boot_range){ RAM1, 0x10000000 };
	bi.nr_reserved = 3;
	bi.reserved[0] = (struct boot_range){ RAM0 + 0x08000000, 1 * MIB };	/* a DTB */
	bi.reserved[1] = (struct boot_range){ 0x7f000000, 16 * MIB };
	bi.reserved[2] = (struct boot_range){ RAM1 - 1 * MIB, 2 * MIB };	/* straddles a bank edge */
	assert_int_equal(hyp_pages_init(&bi, img, img + 4 * MIB), 0);
	assert_non_null(strstr(log_buf, "hyp: guest memory 0x40000000 - 0x40200000"));
	assert_non_null(strstr(log_buf, "hyp: guest memory 0x40600000 - 0x48000000"));
	assert_non_null(strstr(log_buf, "hyp: guest memory 0x48100000 - 0x7f000000"));
	assert_non_null(strstr(log_buf, "hyp: guest memory 0x100100000 - 0x110000000"));
	assert_null(strstr(log_buf, "0x7f000000 - 0x80000000"));
	/* The largest free range first: 0x48100000 - 0x7f000000 (879 MiB). */
	p = hyp_pages_carve(16 * MIB, 2 * MIB);
	assert_int_equal((uint64_t)(uintptr_t)p, 0x48200000);
	check_carve(&bi, 0x48200000, 16 * MIB, img);
	for (;;) {
		p = hyp_pages_carve(64 * MIB, 2 * MIB);
		if (!p)
			break;
		a = (uint64_t)(uintptr_t)p;
		check_carve(&bi, a, 64 * MIB, img);
		total += 64 * MIB;
	}
	/* 862 MiB left above the first carve, 254 and 122 (aligned): 13 + 3 + 1 carves of 64 MiB. */
	assert_int_equal(total, 17 * 64 * MIB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_from_fdt),
		cmocka_unit_test(test_guest_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
