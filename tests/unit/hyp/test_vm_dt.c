// SPDX-License-Identifier: MIT
/*
 * A handed-over VM's device tree (hyp/vm_dt.c on hyp/fdt_write.c and the
 * arm64 nodes of arch/arm64/guest_dt.c): generated for several VMs, read
 * back with hyp/fdt.c and compared; Debian's dtc must take each without a
 * warning. User trees: a partial one merged (Xen's /passthrough), a whole
 * one checked against the VM and given the VM's /chosen. Buffers are
 * allocated to their exact size, so ASan sees any write past them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "dt_check.h"
#include "fdt.h"
#include "fdt_builder.h"
#include "fdt_write.h"
#include "vm.h"
#include "vm_config.h"
#include "vm_dt.h"
#include "log_capture.h"
#include "vgic.h"

#define MIB		(1ull << 20)
#define RAM_BASE	0x40000000ull
#define RAM_SIZE	(256 * MIB)
#define UART_BASE	0x09000000ull
#define INITRD_START	(RAM_BASE + 128 * MIB)
#define INITRD_END	(INITRD_START + 3 * MIB + 5)
#define BUF_SIZE	(64u << 10)
#define OUR_PHANDLES	0xffff0000u

/* arch/arm64/guest_dt.c asks whether VMs get a vGIC (the host's GICv3). */
static bool have_vgic = true;

bool vgic_available(void)
{
	return have_vgic;
}

static int reset_log(void **state)
{
	(void)state;
	log_reset();
	return 0;
}

/* Exactly one line, "hyp: vm0: device tree: ...", containing @what. */
static void assert_one_line(const char *what)
{
	const char *nl = strchr(log_buf, '\n');

	assert_non_null(nl);
	assert_int_equal(nl + 1 - log_buf, (long)log_len);
	assert_int_equal(strncmp(log_buf, "hyp: vm0: device tree: ", 23), 0);
	if (!strstr(log_buf, what))
		fail_msg("log \"%s\" lacks \"%s\"", log_buf, what);
}

static struct vm_desc vm(u32 nr_vcpus, u32 console_kind)
{
	struct vm_desc d = {
		.name = "vm0", .ram_base = RAM_BASE, .ram_size = RAM_SIZE,
		.console_kind = console_kind, .nr_vcpus = nr_vcpus,
	};

	if (console_kind == VM_CONSOLE_PL011)
		d.console_base = UART_BASE;
	else if (console_kind == VM_CONSOLE_NS16550)
		d.console_base = 0x10000000;
	return d;
}

/* One vCPU, no UART, no bootargs, no initrd: the bare minimum. */
/*
 * The vGIC's node (GICD, and a GICR frame pair per vCPU), the root's
 * interrupt-parent naming it, the architected timer's four PPIs.
 */
static void assert_gic_and_timer(struct fdt *fdt, u32 vcpus)
{
	const u32 reg[] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, vcpus * 0x20000 };
	const u32 timer[] = { 1, 13, 8, 1, 14, 8, 1, 11, 8, 1, 10, 8 };
	int gic = node(fdt, "/interrupt-controller@8000000");
	u32 ph, parent, cells;

	assert_true(fdt_is_compatible(fdt, gic, "arm,gic-v3"));
	assert_true(has_prop(fdt, "/interrupt-controller@8000000", "interrupt-controller"));
	assert_int_equal(fdt_prop_u32(fdt, gic, "#interrupt-cells", &cells), 0);
	assert_int_equal(cells, 3);
	assert_cells(fdt, "/interrupt-controller@8000000", "reg", reg, ARRAY_SIZE(reg));
	assert_int_equal(fdt_prop_u32(fdt, gic, "phandle", &ph), 0);
	assert_int_equal(fdt_prop_u32(fdt, fdt_root(fdt), "interrupt-parent", &parent), 0);
	assert_int_equal(parent, ph);
	assert_true(ph >= OUR_PHANDLES);
	assert_true(fdt_is_compatible(fdt, node(fdt, "/timer"), "arm,armv8-timer"));
	assert_cells(fdt, "/timer", "interrupts", timer, ARRAY_SIZE(timer));
	assert_true(has_prop(fdt, "/timer", "always-on"));
}

static void test_one_vcpu_bare(void **state)
{
	struct vm_desc d = vm(1, VM_CONSOLE_NONE);
	struct vm_dt_args a = { 0 };
	struct fdt fdt;
	u64 base;
	u8 *blob = build(&d, &a, &fdt);

	(void)state;
	assert_ram_and_cpus(&fdt, RAM_BASE, RAM_SIZE, 1);
	assert_string_equal(prop_str(&fdt, "/", "model"), "hyp VM vm0");
	assert_string_equal(prop_str(&fdt, "/cpus/cpu@0", "enable-method"), "psci");
	assert_true(fdt_is_compatible(&fdt, node(&fdt, "/cpus/cpu@0"), "arm,armv8"));
	assert_true(fdt_is_compatible(&fdt, node(&fdt, "/psci"), "arm,psci-0.2"));
	assert_string_equal(prop_str(&fdt, "/psci", "method"), "hvc");
	assert_false(has_prop(&fdt, "/chosen", "bootargs"));
	assert_false(has_prop(&fdt, "/chosen", "linux,initrd-start"));
	assert_false(has_prop(&fdt, "/chosen", "stdout-path"));
	assert_int_equal(fdt_find_uart(&fdt, NULL, &base), -ENOENT);
	assert_int_equal(fdt_find_compatible(&fdt, -1, "fixed-clock"), -ENOENT);
	assert_gic_and_timer(&fdt, 1);
	assert_dtc_clean(fdt.blob, fdt.size);
	free(blob);
}

/* Four vCPUs, the PL011 with its clock, bootargs and an initrd. */
static void test_four_vcpus_uart_initrd(void **state)
{
	struct vm_desc d = vm(4, VM_CONSOLE_PL011);
	struct vm_dt_args a = { .bootargs = "console=ttyAMA0 earlycon", .initrd_start = INITRD_START,
				.initrd_end = INITRD_END };
	struct fdt fdt;
	static const u32 uart_irq[] = { 0, 1, 4 };	/* GIC_SPI 1, level high */
	const u8 *clocks;
	const char *names;
	u32 len, ph, freq;
	u64 base;
	u8 *blob = build(&d, &a, &fdt);
	int uart, clk;

	(void)state;
	assert_ram_and_cpus(&fdt, RAM_BASE, RAM_SIZE, 4);
	assert_string_equal(prop_str(&fdt, "/cpus/cpu@3", "device_type"), "cpu");
	assert_string_equal(prop_str(&fdt, "/chosen", "bootargs"), a.bootargs);
	assert_int_equal(prop_u64(&fdt, "/chosen", "linux,initrd-start"), INITRD_START);
	assert_int_equal(prop_u64(&fdt, "/chosen", "linux,initrd-end"), INITRD_END);
	assert_int_equal(fdt_find_uart(&fdt, "arm,pl011", &base), 0);
	assert_int_equal(base, UART_BASE);
	uart = fdt_stdout(&fdt);
	assert_int_equal(uart, node(&fdt, "/serial@9000000"));
	assert_true(fdt_is_compatible(&fdt, uart, "arm,primecell"));
	assert_int_equal(fdt_prop(&fdt, uart, "clocks", (const void **)&clocks, &len), 0);
	assert_int_equal(len, 8);
	ph = (u32)clocks[0] << 24 | (u32)clocks[1] << 16 | (u32)clocks[2] << 8 | clocks[3];
	assert_memory_equal(clocks, clocks + 4, 4);
	assert_true(ph >= OUR_PHANDLES);
	assert_int_equal(fdt_prop_string(&fdt, uart, "clock-names", &names, &len), 0);
	assert_int_equal(len, sizeof("uartclk") + sizeof("apb_pclk"));
	assert_string_equal(names, "uartclk");
	assert_string_equal(names + sizeof("uartclk"), "apb_pclk");
	clk = fdt_find_compatible(&fdt, -1, "fixed-clock");
	assert_true(clk >= 0);
	assert_int_equal(fdt_prop_u32(&fdt, clk, "phandle", &len), 0);
	assert_int_equal(len, ph);
	assert_int_equal(fdt_prop_u32(&fdt, clk, "clock-frequency", &freq), 0);
	assert_int_equal(freq, 24000000);
	assert_int_equal(fdt_prop_u32(&fdt, clk, "#clock-cells", &len), 0);
	assert_int_equal(len, 0);
	assert_cells(&fdt, "/serial@9000000", "interrupts", uart_irq, ARRAY_SIZE(uart_irq));
	assert_gic_and_timer(&fdt, 4);
	assert_dtc_clean(fdt.blob, fdt.size);
	free(blob);
}

/* A host without a usable GICv3: no GIC, no timer, no interrupt-parent or UART interrupt. */
static void test_no_vgic(void **state)
{
	struct vm_desc d = vm(2, VM_CONSOLE_PL011);
	struct vm_dt_args a = { .bootargs = "console=ttyAMA0" };
	struct fdt fdt;
	u8 *blob;

	(void)state;
	have_vgic = false;
	blob = build(&d, &a, &fdt);
	have_vgic = true;
	assert_int_equal(fdt_find_compatible(&fdt, -1, "arm,gic-v3"), -ENOENT);
	assert_int_equal(fdt_find_compatible(&fdt, -1, "arm,armv8-timer"), -ENOENT);
	assert_false(has_prop(&fdt, "/", "interrupt-parent"));
	assert_false(has_prop(&fdt, "/serial@9000000", "interrupts"));
	assert_true(fdt_is_compatible(&fdt, node(&fdt, "/psci"), "arm,psci-0.2"));
	assert_dtc_clean(fdt.blob, fdt.size);
	free(blob);
}

static void test_ns16550(void **state)
{
	struct vm_desc d = vm(2, VM_CONSOLE_NS16550);
	struct vm_dt_args a = { .bootargs = "" };
	struct fdt fdt;
	u64 base;
	u8 *blob = build(&d, &a, &fdt);

	(void)state;
	assert_ram_and_cpus(&fdt, RAM_BASE, RAM_SIZE, 2);
	assert_int_equal(fdt_find_uart(&fdt, "ns16550a", &base), 0);
	assert_int_equal(base, 0x10000000);
	assert_string_equal(prop_str(&fdt, "/chosen", "bootargs"), "");
	assert_dtc_clean(fdt.blob, fdt.size);
	free(blob);
}

/* Every size short of the tree's: -ENOSPC, one line, no byte written past the buffer. */
static void test_too_small(void **state)
{
	struct vm_desc d = vm(4, VM_CONSOLE_PL011);
	struct vm_dt_args a = { .bootargs = "console=ttyAMA0", .initrd_start = INITRD_START,
				.initrd_end = INITRD_END };
	struct fdt fdt;
	u8 *full = build(&d, &a, &fdt), *buf;
	u32 need = fdt.size, len = 0;

	(void)state;
	for (u32 size = 0; size < need; size++) {
		reset_log(NULL);
		buf = malloc(size ? size : 1);
		assert_int_equal(vm_dt_build(&d, &a, size ? buf : NULL, size, &len), -ENOSPC);
		assert_one_line("does not fit");
		free(buf);
	}
	buf = malloc(need);
	reset_log(NULL);
	assert_int_equal(vm_dt_build(&d, &a, buf, need, &len), 0);
	assert_int_equal(len, need);
	assert_memory_equal(buf, full, need);
	free(buf);
	free(full);
}

static void test_bad_args(void **state)
{
	struct vm_desc d = vm(0, VM_CONSOLE_NONE);
	struct vm_dt_args a = { 0 };
	u8 buf[4096];
	u32 len;

	(void)state;
	assert_int_equal(vm_dt_build(&d, &a, buf, sizeof(buf), &len), -EINVAL);
	assert_one_line("0 vCPUs");
	reset_log(NULL);
	d = vm(1, VM_CONSOLE_NONE);
	a.initrd_start = RAM_BASE + RAM_SIZE - 4096;
	a.initrd_end = RAM_BASE + RAM_SIZE + 4096;
	assert_int_equal(vm_dt_build(&d, &a, buf, sizeof(buf), &len), -EINVAL);
	assert_one_line("initrd");
}

#define PARTIAL_HEAD "/dts-v1/;\n/ {\n#address-cells = <2>;\n#size-cells = <2>;\n"
#define PASSTHROUGH_HEAD "passthrough {\ncompatible = \"simple-bus\";\nranges;\n" \
	"#address-cells = <2>;\n#size-cells = <2>;\n"

static const char partial_dts[] = PARTIAL_HEAD
	"aliases { widget0 = \"/widget@a000000\"; };\n"
	"unrelated { phandle = <7>; };\n"
	PASSTHROUGH_HEAD
	"widget@a000000 { compatible = \"acme,widget\"; reg = <0 0x0a000000 0 0x1000>;\n"
	"  phandle = <1>; gadget { compatible = \"acme,gadget\"; }; };\n"
	"blinker { compatible = \"acme,blinker\"; widget = <1>; };\n"
	"};\n};\n";

static int merge(const char *dts, bool full, const struct vm_desc *d, struct vm_dt_args *a,
		 u8 **out, struct fdt *fdt)
{
	u8 *buf = malloc(BUF_SIZE);
	u32 len = 0;
	int ret;

	a->user_dtb = dtc_compile(dts, &a->user_dtb_size);
	a->user_full = full;
	ret = vm_dt_build(d, a, buf, BUF_SIZE, &len);
	free((void *)a->user_dtb);
	if (!ret)
		assert_int_equal(fdt_init(fdt, buf, len), 0);
	*out = buf;
	return ret;
}

static void test_partial_merged(void **state)
{
	struct vm_desc d = vm(2, VM_CONSOLE_PL011);
	struct vm_dt_args a = { .bootargs = "quiet" };
	struct fdt fdt;
	struct fdt_range r;
	u8 *buf;

	(void)state;
	assert_int_equal(merge(partial_dts, false, &d, &a, &buf, &fdt), 0);
	assert_int_equal(log_len, 0);
	assert_ram_and_cpus(&fdt, RAM_BASE, RAM_SIZE, 2);
	assert_true(fdt_is_compatible(&fdt, node(&fdt, "/widget@a000000"), "acme,widget"));
	assert_int_equal(fdt_reg(&fdt, node(&fdt, "/widget@a000000"), 0, &r), 0);
	assert_int_equal(r.base, 0x0a000000);
	assert_int_equal(r.size, 0x1000);
	assert_true(fdt_is_compatible(&fdt, node(&fdt, "/widget@a000000/gadget"), "acme,gadget"));
	assert_true(fdt_is_compatible(&fdt, node(&fdt, "/blinker"), "acme,blinker"));
	assert_string_equal(prop_str(&fdt, "/aliases", "widget0"), "/widget@a000000");
	assert_int_equal(fdt_path(&fdt, "/passthrough", 12), -ENOENT);
	assert_int_equal(fdt_path(&fdt, "/unrelated", 10), -ENOENT);
	assert_string_equal(prop_str(&fdt, "/chosen", "bootargs"), "quiet");
	assert_string_equal(prop_str(&fdt, "/chosen", "stdout-path"), "/serial@9000000");
	assert_dtc_clean(fdt.blob, fdt.size);
	free(buf);
}

static void assert_partial_refused(const char *dts, int err, const char *what)
{
	struct vm_desc d = vm(1, VM_CONSOLE_PL011);
	struct vm_dt_args a = { 0 };
	struct fdt fdt;
	u8 *buf;

	reset_log(NULL);
	assert_int_equal(merge(dts, false, &d, &a, &buf, &fdt), err);
	assert_one_line(what);
	free(buf);
}

static void test_partial_refused(void **state)
{
	(void)state;
	assert_partial_refused(PARTIAL_HEAD "x { phandle = <0xffff0000>; };\n};\n", -EINVAL,
			       "phandle 0xffff0000");
	assert_partial_refused(PARTIAL_HEAD PASSTHROUGH_HEAD
			       "serial@9000000 { compatible = \"ns16550a\"; reg = <0 0x9000000 0 0x100>; };\n"
			       "};\n};\n", -EEXIST, "/passthrough/serial@9000000 clashes");
	assert_partial_refused(PARTIAL_HEAD PASSTHROUGH_HEAD
			       "ram@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000>; };\n"
			       "};\n};\n", -EINVAL, "RAM the VM does not have");
	assert_partial_refused(PARTIAL_HEAD PASSTHROUGH_HEAD
			       "dev@a000000 { reg = <0 0xa000000 0 0x1000>;\n"
			       "  xen,reg = <0 0xa000000 0 0x1000 0 0xa000000>; xen,path = \"/dev\"; };\n"
			       "};\n};\n", -EINVAL, "host device (xen,reg)");
	assert_partial_refused("/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>; };\n",
			       -EINVAL, "#address-cells");
	assert_partial_refused(PARTIAL_HEAD "passthrough { #address-cells = <2>; #size-cells = <1>;\n"
			       "dev@0 { reg = <0 0 0x10>; }; };\n};\n", -EINVAL, "passthrough needs");
}

static void test_user_tree_not_a_dtb(void **state)
{
	struct vm_desc d = vm(1, VM_CONSOLE_PL011);
	static const u8 junk[64] = { 0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 64 };
	struct vm_dt_args a = { .user_dtb = junk, .user_dtb_size = sizeof(junk) };
	u8 buf[4096];
	u32 len;

	(void)state;
	assert_int_equal(vm_dt_build(&d, &a, buf, sizeof(buf), &len), -EINVAL);
	assert_one_line("no device tree blob");
	reset_log(NULL);
	a.user_full = true;
	assert_int_equal(vm_dt_build(&d, &a, buf, sizeof(buf), &len), -EINVAL);
	assert_one_line("no device tree blob");
}

/* A node name with a newline in it still makes one line. */
static void test_log_tamed(void **state)
{
	struct vm_desc d = vm(1, VM_CONSOLE_PL011);
	struct vm_dt_args a = { 0 };
	struct fdtb b;
	size_t len;
	u8 buf[4096];
	u32 out;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_cells(&b, "#address-cells", 1, 2);
	fdtb_prop_cells(&b, "#size-cells", 1, 2);
	fdtb_begin(&b, "passthrough");
	fdtb_prop_cells(&b, "#address-cells", 1, 2);
	fdtb_prop_cells(&b, "#size-cells", 1, 2);
	fdtb_begin(&b, "evil\nhyp: forged");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	a.user_dtb = fdtb_finish(&b, &len);
	a.user_dtb_size = len;
	assert_int_equal(vm_dt_build(&d, &a, buf, sizeof(buf), &out), -EINVAL);
	assert_one_line("/passthrough/evil?hyp: forged is RAM");
	free((void *)a.user_dtb);
}

/* A whole tree for a VM of 4 vCPUs; %s: /memory's reg, %s: the cpu nodes, %s: /chosen. */
static char *full_dts(const char *mem_reg, u32 nr_cpus, const char *chosen)
{
	static char dts[4096];
	char cpus[1024] = "";
	size_t n = 0;

	for (u32 i = 0; i < nr_cpus; i++)
		n += (size_t)snprintf(cpus + n, sizeof(cpus) - n,
				      "cpu@%u { device_type = \"cpu\"; compatible = \"arm,cortex-a53\";"
				      " reg = <%u>; enable-method = \"psci\"; };\n", i, i);
	snprintf(dts, sizeof(dts), PARTIAL_HEAD
		 "compatible = \"acme,board\";\n"
		 "memory@40000000 { device_type = \"memory\"; reg = <%s>; };\n"
		 "cpus { #address-cells = <1>; #size-cells = <0>;\n%s};\n"
		 "psci { compatible = \"arm,psci-0.2\"; method = \"hvc\"; };\n"
		 "uart@9000000 { compatible = \"arm,pl011\", \"arm,primecell\";"
		 " reg = <0 0x9000000 0 0x1000>; };\n%s};\n", mem_reg, cpus, chosen);
	return dts;
}

#define USER_CHOSEN "chosen { bootargs = \"user\"; stdout-path = \"/uart@9000000\";" \
	" linux,initrd-start = <0 0x41000000>; linux,initrd-end = <0 0x42000000>; };\n"

static void test_full_accepted(void **state)
{
	struct vm_desc d = vm(4, VM_CONSOLE_PL011);
	struct vm_dt_args a = { .bootargs = "vm", .initrd_start = INITRD_START,
				.initrd_end = INITRD_END };
	struct fdt fdt;
	u8 *buf;

	(void)state;
	/* /chosen's bootargs and initrd are the VM's; the rest is the user's. */
	assert_int_equal(merge(full_dts("0 0x40000000 0 0x8000000", 4, USER_CHOSEN), true, &d, &a,
			       &buf, &fdt), 0);
	assert_ram_and_cpus(&fdt, RAM_BASE, 0x8000000, 4);
	assert_string_equal(prop_str(&fdt, "/chosen", "bootargs"), "vm");
	assert_int_equal(prop_u64(&fdt, "/chosen", "linux,initrd-start"), INITRD_START);
	assert_int_equal(prop_u64(&fdt, "/chosen", "linux,initrd-end"), INITRD_END);
	assert_string_equal(prop_str(&fdt, "/chosen", "stdout-path"), "/uart@9000000");
	assert_string_equal(prop_str(&fdt, "/", "compatible"), "acme,board");
	assert_true(fdt_is_compatible(&fdt, node(&fdt, "/cpus/cpu@2"), "arm,cortex-a53"));
	assert_dtc_clean(fdt.blob, fdt.size);
	free(buf);

	/* No VM bootargs: the user's stand; no VM initrd: the user's go. */
	a = (struct vm_dt_args){ 0 };
	assert_int_equal(merge(full_dts("0 0x40000000 0 0x10000000", 4, USER_CHOSEN), true, &d,
			       &a, &buf, &fdt), 0);
	assert_string_equal(prop_str(&fdt, "/chosen", "bootargs"), "user");
	assert_false(has_prop(&fdt, "/chosen", "linux,initrd-start"));
	assert_false(has_prop(&fdt, "/chosen", "linux,initrd-end"));
	assert_dtc_clean(fdt.blob, fdt.size);
	free(buf);

	/* No /chosen: one is made. */
	a = (struct vm_dt_args){ .bootargs = "made" };
	assert_int_equal(merge(full_dts("0 0x40000000 0 0x10000000", 4, ""), true, &d, &a, &buf,
			       &fdt), 0);
	assert_string_equal(prop_str(&fdt, "/chosen", "bootargs"), "made");
	assert_dtc_clean(fdt.blob, fdt.size);
	free(buf);
	assert_int_equal(log_len, 0);
}

static void assert_full_refused(const char *dts, const char *what)
{
	struct vm_desc d = vm(4, VM_CONSOLE_PL011);
	struct vm_dt_args a = { .bootargs = "vm" };
	struct fdt fdt;
	u8 *buf;

	reset_log(NULL);
	assert_int_equal(merge(dts, true, &d, &a, &buf, &fdt), -EINVAL);
	assert_one_line(what);
	free(buf);
}

static void test_full_refused(void **state)
{
	char *dts;

	(void)state;
	/* RAM past the VM's end, before its base, and one of two ranges outside. */
	assert_full_refused(full_dts("0 0x40000000 0 0x10001000", 4, USER_CHOSEN),
			    "memory 0x40000000+0x10001000 is not in the VM's RAM");
	assert_full_refused(full_dts("0 0x3ffff000 0 0x2000", 4, USER_CHOSEN), "not in the VM's RAM");
	assert_full_refused(full_dts("0 0x40000000 0 0x1000 0 0x80000000 0 0x1000", 4, ""),
			    "memory 0x80000000+0x1000");
	assert_full_refused(full_dts("0 0x40000000 0 0x1000", 2, USER_CHOSEN),
			    "has 2 cpus, the VM 4 vCPUs");
	assert_full_refused(full_dts("0 0x40000000 0 0x1000", 5, USER_CHOSEN), "has 5 cpus");
	/* Four cpus, but not vCPUs 0-3: one is 7, then one is 2 twice. */
	dts = full_dts("0 0x40000000 0 0x1000", 4, USER_CHOSEN);
	strstr(dts, "reg = <3>")[7] = '7';
	assert_full_refused(dts, "cpu 0x7 is no vCPU");
	strstr(dts, "reg = <7>")[7] = '2';
	assert_full_refused(dts, "cpu 0x2 is no vCPU");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_vcpu_bare, reset_log),
		cmocka_unit_test_setup(test_four_vcpus_uart_initrd, reset_log),
		cmocka_unit_test_setup(test_no_vgic, reset_log),
		cmocka_unit_test_setup(test_ns16550, reset_log),
		cmocka_unit_test_setup(test_too_small, reset_log),
		cmocka_unit_test_setup(test_bad_args, reset_log),
		cmocka_unit_test_setup(test_partial_merged, reset_log),
		cmocka_unit_test_setup(test_partial_refused, reset_log),
		cmocka_unit_test_setup(test_user_tree_not_a_dtb, reset_log),
		cmocka_unit_test_setup(test_log_tamed, reset_log),
		cmocka_unit_test_setup(test_full_accepted, reset_log),
		cmocka_unit_test_setup(test_full_refused, reset_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
