// SPDX-License-Identifier: MIT
/*
 * A handed-over riscv64 VM's device tree: hyp/vm_dt.c with the RISC-V
 * nodes of arch/riscv64/guest_dt.c (bindings/riscv/cpus.yaml): a cpu node
 * per vCPU with riscv,isa, mmu-type and its riscv,cpu-intc, the host's
 * timebase in /cpus, the NS16550 as stdout-path, no interrupt controller
 * beyond the harts' own. Read back with hyp/fdt.c; Debian's dtc must take
 * each tree without a warning. Also the RISC-V entry convention the core
 * follows (a0 = hart id, a1 = the tree).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/guest.h"
#include "dt_check.h"
#include "log_capture.h"
#include "riscv64.h"
#include "vm_config.h"

#define MIB		(1ull << 20)
#define RAM_BASE	0x80000000ull
#define RAM_SIZE	(128 * MIB)
#define UART_BASE	0x10000000ull
#define QEMU_TIMEBASE	10000000u	/* QEMU virt's /cpus/timebase-frequency */
#define OTHER_TIMEBASE	24000000u	/* a board's, say */

/* arch/riscv64/cpu.c's, read from the host's /cpus. */
u64 riscv_timebase_hz = QEMU_TIMEBASE;
/* arch/riscv64/mmu_mode.c's, probed at boot: QEMU 7.2's rv64 (Sv48, its DT's bound). */
struct riscv_mmu_modes riscv_mmu;
static const char *want_mmu_type;

static int reset(void **state)
{
	(void)state;
	log_reset();
	riscv_timebase_hz = QEMU_TIMEBASE;
	riscv_mmu = (struct riscv_mmu_modes){ .s1 = RISCV_LEVELS_SV48, .g = RISCV_LEVELS_SV48,
					   .vs = RISCV_LEVELS_SV48 };
	want_mmu_type = "riscv,sv48";
	return 0;
}

static struct vm_desc vm(u32 nr_vcpus, u32 console_kind)
{
	struct vm_desc d = {
		.name = "vm0", .ram_base = RAM_BASE, .ram_size = RAM_SIZE,
		.console_kind = console_kind, .nr_vcpus = nr_vcpus,
	};

	if (console_kind == VM_CONSOLE_NS16550)
		d.console_base = UART_BASE;
	return d;
}

/* cpu@N: a RISC-V hart with an MMU and its local interrupt controller. */
static void assert_hart(const struct fdt *fdt, u32 n)
{
	char path[64], intc[96];
	u32 cells, addr_cells;
	int cpu, ic;

	snprintf(path, sizeof(path), "/cpus/cpu@%u", n);
	snprintf(intc, sizeof(intc), "%s/interrupt-controller", path);
	cpu = node(fdt, path);
	assert_true(fdt_is_compatible(fdt, cpu, "riscv"));
	assert_string_equal(prop_str(fdt, path, "device_type"), "cpu");
	assert_int_equal(strncmp(prop_str(fdt, path, "riscv,isa"), "rv64ima", 7), 0);
	assert_string_equal(prop_str(fdt, path, "mmu-type"), want_mmu_type);
	assert_string_equal(prop_str(fdt, path, "status"), "okay");
	assert_false(has_prop(fdt, path, "enable-method"));	/* SBI HSM, no property */
	ic = node(fdt, intc);
	assert_true(fdt_is_compatible(fdt, ic, "riscv,cpu-intc"));
	assert_true(has_prop(fdt, intc, "interrupt-controller"));
	assert_int_equal(fdt_prop_u32(fdt, ic, "#interrupt-cells", &cells), 0);
	assert_int_equal(cells, 1);
	assert_int_equal(fdt_prop_u32(fdt, ic, "#address-cells", &addr_cells), 0);
	assert_int_equal(addr_cells, 0);
}

static u32 timebase(const struct fdt *fdt)
{
	u32 hz = 0;

	assert_int_equal(fdt_prop_u32(fdt, node(fdt, "/cpus"), "timebase-frequency", &hz), 0);
	return hz;
}

/* Four harts, the NS16550, bootargs: each hart as the binding has it, the host's timebase. */
static void test_four_harts_ns16550(void **state)
{
	struct vm_desc d = vm(4, VM_CONSOLE_NS16550);
	struct vm_dt_args a = { .bootargs = "console=ttyS0 earlycon=sbi" };
	struct fdt fdt;
	u64 base;
	u8 *blob;

	(void)state;
	blob = build(&d, &a, &fdt);
	assert_ram_and_cpus(&fdt, RAM_BASE, RAM_SIZE, 4);
	for (u32 i = 0; i < 4; i++)
		assert_hart(&fdt, i);
	assert_int_equal(timebase(&fdt), QEMU_TIMEBASE);
	assert_int_equal(fdt_find_uart(&fdt, "ns16550a", &base), 0);
	assert_int_equal(base, UART_BASE);
	assert_string_equal(prop_str(&fdt, "/chosen", "stdout-path"), "/serial@10000000");
	assert_string_equal(prop_str(&fdt, "/chosen", "bootargs"), "console=ttyS0 earlycon=sbi");
	/* No PLIC or APLIC yet: nothing names an interrupt parent, the UART has no line. */
	assert_false(has_prop(&fdt, "/", "interrupt-parent"));
	assert_false(has_prop(&fdt, "/serial@10000000", "interrupts"));
	assert_int_equal(fdt_find_compatible(&fdt, -1, "arm,psci-0.2"), -ENOENT);
	assert_dtc_clean(fdt.blob, fdt.size);
	free(blob);
}

/*
 * One hart, no console: the timebase is the host's, whatever it is, and
 * mmu-type what the host's harts let a guest's vsatp use (an Sv39 board).
 */
static void test_one_hart_host_timebase(void **state)
{
	struct vm_desc d = vm(1, VM_CONSOLE_NONE);
	struct vm_dt_args a = { 0 };
	struct fdt fdt;
	u8 *blob;

	(void)state;
	riscv_timebase_hz = OTHER_TIMEBASE;
	riscv_mmu = (struct riscv_mmu_modes){ .s1 = RISCV_LEVELS_SV39, .g = RISCV_LEVELS_SV39,
					   .vs = RISCV_LEVELS_SV39 };
	want_mmu_type = "riscv,sv39";
	blob = build(&d, &a, &fdt);
	assert_ram_and_cpus(&fdt, RAM_BASE, RAM_SIZE, 1);
	assert_hart(&fdt, 0);
	assert_int_equal(timebase(&fdt), OTHER_TIMEBASE);
	assert_false(has_prop(&fdt, "/chosen", "stdout-path"));
	assert_dtc_clean(fdt.blob, fdt.size);
	free(blob);
}

/* What a handed-over VM gets: QEMU virt's layout, the tree in a1 (a0 = hart 0). */
static void test_defaults(void **state)
{
	const struct arch_guest_defaults *def = arch_guest_defaults();

	(void)state;
	assert_int_equal(def->ram_base, RAM_BASE);
	assert_int_equal(def->console_kind, VM_CONSOLE_NS16550);
	assert_int_equal(def->console_base, UART_BASE);
	assert_int_equal(def->elf_machine, 243);	/* EM_RISCV */
	assert_int_equal(def->linux_image, ARCH_LINUX_IMAGE_RISCV);
	assert_int_equal(def->dt_arg, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_four_harts_ns16550, reset),
		cmocka_unit_test_setup(test_one_hart_host_timebase, reset),
		cmocka_unit_test_setup(test_defaults, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
