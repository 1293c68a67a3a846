// SPDX-License-Identifier: MIT
/* The boot description from a device tree (hyp/boot.h), for every DT arch. */
#include "boot.h"
#include "console.h"
#include "fdt.h"

_Static_assert(sizeof(struct fdt_range) == sizeof(struct boot_range), "range layouts");

static int boot_fdt_ranges(const char *what, int ret)
{
	if (ret == -ERANGE)
		hyp_log("hyp: device tree: too many %s ranges\n", what);
	else if (ret)
		hyp_log("hyp: device tree: bad %s (%d)\n", what, ret);
	return ret;
}

static int boot_fdt_reserved(struct boot_info *bi, const struct fdt *fdt)
{
	struct fdt_range *r = (struct fdt_range *)bi->reserved;
	u32 first_module;
	int ret;

	bi->reserved[bi->nr_reserved++] = bi->fw_table;
	ret = boot_fdt_ranges("/memreserve/", fdt_memreserve(fdt, r, BOOT_MAX_RESERVED,
							     &bi->nr_reserved));
	if (!ret)
		ret = boot_fdt_ranges("/reserved-memory", fdt_reserved_memory(fdt, r,
					BOOT_MAX_RESERVED, &bi->nr_reserved));
	first_module = bi->nr_reserved;
	if (!ret)
		ret = boot_fdt_ranges("multiboot,module", fdt_boot_modules(fdt, r,
					BOOT_MAX_RESERVED, &bi->nr_reserved));
	for (u32 i = first_module; !ret && i < bi->nr_reserved && bi->nr_modules < BOOT_MAX_MODULES; i++)
		bi->modules[bi->nr_modules++] = bi->reserved[i];
	return ret;
}

static int boot_fdt_cpus(struct boot_info *bi, const struct fdt *fdt)
{
	int ret = fdt_cpus(fdt, bi->cpus, HYP_MAX_CPUS, &bi->nr_cpus);

	if (ret == -ERANGE) {
		hyp_log("hyp: more than %u cpus, using the first ones\n", HYP_MAX_CPUS);
		return 0;
	}
	if (ret)
		hyp_log("hyp: device tree: bad /cpus (%d)\n", ret);
	return ret;
}

static void boot_fdt_cmdline(struct boot_info *bi, const struct fdt *fdt)
{
	int node = fdt_path(fdt, "/chosen", 7);
	u32 len;

	if (node < 0 || fdt_prop_string(fdt, node, "bootargs", &bi->cmdline, &len))
		bi->cmdline = NULL;
}

int boot_from_fdt(struct boot_info *bi, const struct fdt *fdt)
{
	int ret = fdt_memory(fdt, (struct fdt_range *)bi->ram, BOOT_MAX_RAM, &bi->nr_ram);

	if (ret == -ERANGE)
		hyp_log("hyp: more than %u RAM ranges, using the first ones\n", BOOT_MAX_RAM);
	else if (boot_fdt_ranges("/memory", ret))
		return ret;
	if (!bi->nr_ram) {
		hyp_log("hyp: device tree: no RAM in /memory\n");
		return -ENOENT;
	}
	bi->fw_table = (struct boot_range){ .base = (u64)(uintptr_t)fdt->blob, .size = fdt->size };
	ret = boot_fdt_reserved(bi, fdt);
	if (!ret)
		ret = boot_fdt_cpus(bi, fdt);
	if (!ret)
		ret = boot_fdt_vms(bi, fdt);
	boot_fdt_cmdline(bi, fdt);
	return ret;
}
