// SPDX-License-Identifier: MIT
/*
 * The "handover" guest's RISC-V checks (Documentation/riscv/boot.rst):
 * its entry state (a0 = this hart's id, translation off, interrupts off;
 * in VS-mode satp and sstatus are the guest's vsatp and vsstatus) and the
 * RISC-V nodes of its tree (bindings/riscv/cpus.yaml: each hart with
 * riscv,isa, mmu-type and its riscv,cpu-intc; /cpus/timebase-frequency
 * the rate its time CSR runs at; a0 one of the harts), then the common
 * part.
 */
#include "fdt.h"
#include "handover.h"
#include "lib/string.h"

#define SSTATUS_SIE	(1ul << 1)	/* Privileged Architecture 4.1.1 */
#define SATP_MODE_SHIFT	60		/* satp.MODE, 4.1.11: 0 = Bare */

extern const char _start[];

static u64 boot_hart;

static bool has_string(const struct fdt *fdt, int node, const char *name, const char *prefix)
{
	const char *s;

	return !fdt_prop_string(fdt, node, name, &s, NULL) && !strncmp(s, prefix, strlen(prefix));
}

/* One hart's node: NULL, or what is wrong with it. */
static const char *check_hart(const struct fdt *fdt, int cpu)
{
	int intc = fdt_subnode(fdt, cpu, "interrupt-controller", 20);
	u32 cells;

	if (!fdt_is_compatible(fdt, cpu, "riscv"))
		return "a cpu node is not compatible with \"riscv\"";
	if (!has_string(fdt, cpu, "riscv,isa", "rv64i"))
		return "a cpu node has no riscv,isa rv64i...";
	if (!has_string(fdt, cpu, "mmu-type", "riscv,sv"))
		return "a cpu node has no mmu-type";
	if (intc < 0 || !fdt_is_compatible(fdt, intc, "riscv,cpu-intc") ||
	    fdt_prop_u32(fdt, intc, "#interrupt-cells", &cells) || cells != 1)
		return "a cpu node has no riscv,cpu-intc interrupt-controller";
	return NULL;
}

static const char *check_tree(const struct fdt *fdt)
{
	int cpus = fdt_path(fdt, "/cpus", 5), cpu;
	bool boot_seen = false;
	const char *why;
	u32 hz, reg;

	if (cpus < 0 || fdt_prop_u32(fdt, cpus, "timebase-frequency", &hz))
		return "no /cpus/timebase-frequency";
	if (hz != TIMEBASE_HZ)
		return "/cpus/timebase-frequency is not the rate of the time CSR";
	for (cpu = fdt_first_child(fdt, cpus); cpu >= 0; cpu = fdt_next_sibling(fdt, cpu)) {
		if (!has_string(fdt, cpu, "device_type", "cpu"))
			continue;
		why = check_hart(fdt, cpu);
		if (why)
			return why;
		if (!fdt_prop_u32(fdt, cpu, "reg", &reg) && reg == boot_hart)
			boot_seen = true;
	}
	return boot_seen ? NULL : "a0 is the id of no hart in /cpus";
}

void handover_arch_entry(u64 a0, u64 a1, u64 count);

void handover_arch_entry(u64 a0, u64 a1, u64 count)
{
	struct handover_entry e = { .count = count, .dtb = a1, .self = (u64)_start,
				    .check_tree = check_tree };
	u64 satp, sstatus;

	__asm__ volatile("csrr %0, satp" : "=r"(satp));
	__asm__ volatile("csrr %0, sstatus" : "=r"(sstatus));
	boot_hart = a0;
	if (satp >> SATP_MODE_SHIFT)
		e.bad = "entered with translation on";
	else if (sstatus & SSTATUS_SIE)
		e.bad = "entered with interrupts on";
	handover_main(&e);
}
