// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any blob through the device-tree reader and the boot
 * description built from it (hyp/fdt*.c, hyp/boot_fdt.c). Every read must
 * stay inside the blob (ASan: libFuzzer's buffer is exactly its size) and
 * the description must hold only ranges and CPUs within its bounds.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "console.h"
#include "fdt.h"

void hyp_log(const char *fmt, ...)
{
	(void)fmt;
}

static void walk_tree(const struct fdt *fdt)
{
	int depth = 0, node = fdt_root(fdt);
	const char *s;
	u32 len;

	for (u32 n = 0; node >= 0 && n < 4096; n++) {
		struct fdt_range r;

		(void)fdt_node_name(fdt, node);
		(void)fdt_prop_string(fdt, node, "compatible", &s, &len);
		(void)fdt_is_available(fdt, node);
		(void)fdt_reg(fdt, node, 0, &r);
		(void)fdt_parent(fdt, node);
		node = fdt_next_node(fdt, node, &depth);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	struct fdt fdt;
	u64 base;

	if (fdt_init(&fdt, data, size))
		return 0;
	walk_tree(&fdt);
	(void)fdt_find_uart(&fdt, "arm,pl011", &base);
	(void)fdt_path(&fdt, "/chosen/module@0", 16);
	memset(&bi, 0, sizeof(bi));
	if (boot_from_fdt(&bi, &fdt))
		return 0;
	if (bi.nr_ram > BOOT_MAX_RAM || bi.nr_reserved > BOOT_MAX_RESERVED ||
	    bi.nr_cpus > HYP_MAX_CPUS || bi.nr_modules > BOOT_MAX_MODULES || !bi.nr_ram)
		abort();
	return 0;
}
