/* SPDX-License-Identifier: MIT */
/*
 * The arch-neutral boot flow (hyp/main.c) and what it asks of arch/<arch>/.
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include "arch/cpu.h"
#include "arch/irq.h"
#include "config.h"
#include "fdt.h"
#include "types.h"

#define HYP_MAX_RAM		16	/* RAM ranges taken from the device tree */
#define HYP_FDT_MAX_SIZE	(2u << 20)
#define HYP_CPU_ON_TIMEOUT_US	10000000ull

/* What the boot CPU found, for the MMU set-up. */
struct hyp_mem {
	struct fdt_range ram[HYP_MAX_RAM];
	u32 nr_ram;
	u64 dtb;		/* the device tree blob, mapped read-only if outside RAM */
	u64 dtb_size;
};

/* Entered from boot/<arch>: the boot CPU with the DTB, the others by index. */
void hyp_main(u64 dtb);
void hyp_secondary_main(u32 cpu);

/* arch/<arch>, until the boot description: the console the device tree names (@fdt may be NULL). */
void arch_console_init(const struct fdt *fdt);
int arch_mmu_init(const struct hyp_mem *mem);

#endif
