/* SPDX-License-Identifier: MIT */
/*
 * The boot description: everything the core starts from, arch-neutral.
 * arch code fills it in one pass, from a device tree (boot_from_fdt(),
 * arm64 and RISC-V) or from multiboot2 (x86), then calls hyp_main().
 */
#ifndef HYP_BOOT_H
#define HYP_BOOT_H

#include "config.h"
#include "types.h"

#define BOOT_MAX_RAM		16
#define BOOT_MAX_RESERVED	32
#define BOOT_MAX_MODULES	8

struct boot_range {
	u64 base, size;
};

struct boot_info {
	struct boot_range ram[BOOT_MAX_RAM];
	u32 nr_ram;
	/* Never handed to guests: firmware, /memreserve/, /reserved-memory, modules. */
	struct boot_range reserved[BOOT_MAX_RESERVED];
	u32 nr_reserved;
	/* Hardware ids of the CPUs (the boot CPU's among them), in firmware order. */
	u64 cpus[HYP_MAX_CPUS];
	u32 nr_cpus;
	/* The hypervisor console's registers (size 0: not memory-mapped). */
	struct boot_range console;
	/* What the boot loader placed for guests (kernels, initrds, device trees). */
	struct boot_range modules[BOOT_MAX_MODULES];
	u32 nr_modules;
	const char *cmdline;		/* may be NULL */
	/* The firmware's description (a DTB, ACPI tables): mapped read-only. */
	struct boot_range fw_table;
};

struct fdt;

/*
 * Fill @bi from the device tree @fdt: /memory, /memreserve/,
 * /reserved-memory, /cpus, /chosen (bootargs, multiboot,module nodes);
 * the blob itself is fw_table and reserved. Errors are logged with what
 * is wrong; -errno.
 */
int boot_from_fdt(struct boot_info *bi, const struct fdt *fdt);

/* The boot CPU enters with the filled description, the others by index. */
void __attribute__((noreturn)) hyp_main(const struct boot_info *bi);
void __attribute__((noreturn)) hyp_secondary_main(u32 cpu);

#endif
