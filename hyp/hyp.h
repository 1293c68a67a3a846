/* SPDX-License-Identifier: MIT */
/*
 * The arch-neutral boot flow (hyp/main.c) and what it asks of arch/<arch>/.
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

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

/* arch/<arch> */
const char *arch_boot_level(void);	/* "EL2", "HS" */
/* The console: the UART the device tree names (@fdt may be NULL). */
void arch_console_init(const struct fdt *fdt);
u64 arch_cpu_hwid(void);		/* this CPU's id as the device tree has it */
int arch_mmu_init(const struct hyp_mem *mem);
int arch_cpu_start(u32 cpu, u64 hwid);	/* @cpu enters hyp_secondary_main() */
u64 arch_time_us(void);
void arch_wait_event(void);
void arch_send_event(void);
void __attribute__((noreturn)) arch_power_off(void);

#endif
