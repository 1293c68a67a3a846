// SPDX-License-Identifier: MIT
/*
 * hyp/fdt.c against device trees QEMU dumps at test time (arm64 and
 * riscv64 virt), a hand-built tree for the corner cases, and truncated and
 * corrupted blobs. Every blob lives in a buffer of exactly its length, so
 * AddressSanitizer catches any read past it.
 *
 * Build (from the repository root):
 *   gcc -std=c11 -Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes \
 *     -Wmissing-prototypes -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer \
 *     -fsanitize=address,undefined -fno-sanitize-recover=all -Ihyp -Immu \
 *     -o build/host-asan/hyp/test_fdt tests/unit/hyp/test_fdt.c \
 *     tests/unit/hyp/fdt_builder.c hyp/fdt.c hyp/fdt_query.c -lcmocka
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

#include "fdt.h"
#include "fdt_builder.h"

#define MIB		(1024ull * 1024)
#define ARM_VIRT_RAM	0x40000000ull
#define ARM_VIRT_UART	0x09000000ull
#define RV_VIRT_RAM	0x80000000ull
#define RV_VIRT_UART	0x10000000ull

struct blob {
	u8 *data;
	size_t len;
};

static char tmpdir[64];

/* A copy of @len bytes in a buffer of exactly that size. */
static u8 *exact_copy(const u8 *src, size_t len)
{
	u8 *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

static void read_file(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	long len;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	b->data = malloc((size_t)len);
	assert_non_null(b->data);
	assert_int_equal(fread(b->data, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	b->len = (size_t)len;
}

static void need_tool(const char *tool, const char *package)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd))
		fail_msg("%s is missing: install the Debian package %s", tool, package);
}

/* Run QEMU with dumpdtb=FILE appended to @machine and load the blob. */
static void qemu_dtb(const char *qemu, const char *machine, const char *args,
		     const char *name, struct blob *b)
{
	char path[128], cmd[512];

	need_tool(qemu, strstr(qemu, "aarch64") ? "qemu-system-arm" : "qemu-system-misc");
	snprintf(path, sizeof(path), "%s/%s.dtb", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "%s -M %s,dumpdtb=%s %s -nographic >%s/%s.log 2>&1",
		 qemu, machine, path, args, tmpdir, name);
	if (system(cmd))
		fail_msg("'%s' failed: see %s/%s.log", cmd, tmpdir, name);
	read_file(path, b);
}

static void arm64_dtb(unsigned int smp, unsigned int mem_mib, struct blob *b)
{
	char args[64], name[32];

	snprintf(args, sizeof(args), "-cpu max -smp %u -m %uM", smp, mem_mib);
	snprintf(name, sizeof(name), "arm64-%u-%u", smp, mem_mib);
	qemu_dtb("qemu-system-aarch64", "virt,virtualization=on,gic-version=3", args, name, b);
}

static void riscv64_dtb(struct blob *b)
{
	qemu_dtb("qemu-system-riscv64", "virt", "-smp 2 -m 256M", "riscv64", b);
}

static void init_ok(struct fdt *fdt, const struct blob *b)
{
	assert_int_equal(fdt_init(fdt, b->data, b->len), 0);
}

static void check_machine(const struct blob *b, u64 ram, u64 ram_size, u32 nr_cpus,
			  u64 uart, const char *uart_compat)
{
	struct fdt fdt;
	struct fdt_range r[4];
	u64 ids[8], base = 0;
	u32 nr = 0;

	init_ok(&fdt, b);
	assert_int_equal(fdt_memory(&fdt, r, 4, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].base, ram);
	assert_int_equal(r[0].size, ram_size);
	assert_int_equal(fdt_cpus(&fdt, ids, 8, &nr), 0);
	assert_int_equal(nr, nr_cpus);
	for (u32 i = 0; i < nr; i++)
		assert_int_equal(ids[i], i);	/* MPIDR Aff0 / hart id */
	assert_int_equal(fdt_find_uart(&fdt, uart_compat, &base), 0);
	assert_int_equal(base, uart);
	base = 0;
	assert_int_equal(fdt_find_uart(&fdt, NULL, &base), 0);
	assert_int_equal(base, uart);
}

static void test_arm64_smp4_1g(void **state)
{
	struct blob b;

	(void)state;
	arm64_dtb(4, 1024, &b);
	check_machine(&b, ARM_VIRT_RAM, 1024 * MIB, 4, ARM_VIRT_UART, "arm,pl011");
	free(b.data);
}

static void test_arm64_smp1_512m(void **state)
{
	struct blob b;
	struct fdt fdt;
	int node;

	(void)state;
	arm64_dtb(1, 512, &b);
	check_machine(&b, ARM_VIRT_RAM, 512 * MIB, 1, ARM_VIRT_UART, "arm,pl011");
	init_ok(&fdt, &b);
	node = fdt_stdout(&fdt);
	assert_true(node >= 0);
	assert_string_equal(fdt_node_name(&fdt, node), "pl011@9000000");
	assert_int_equal(fdt_find_compatible(&fdt, -1, "arm,pl011"), node);
	free(b.data);
}

static void test_riscv64_virt(void **state)
{
	struct blob b;

	(void)state;
	riscv64_dtb(&b);
	/* /soc/serial@10000000, through /soc's empty "ranges". */
	check_machine(&b, RV_VIRT_RAM, 256 * MIB, 2, RV_VIRT_UART, "ns16550a");
	free(b.data);
}

/* Corner cases QEMU's trees do not have: see the comments in the tree. */
static u8 *synthetic_dtb(size_t *len)
{
	struct fdtb *b = malloc(sizeof(*b));
	u8 *blob;

	assert_non_null(b);
	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_prop_cells(b, "#address-cells", 1, 1);
	fdtb_prop_cells(b, "#size-cells", 1, 1);
	fdtb_begin(b, "aliases");
	fdtb_prop_str(b, "serial0", "/soc/bus@1000/uart@200");
	fdtb_end(b);
	fdtb_begin(b, "chosen");
	fdtb_prop_str(b, "stdout-path", "serial0:115200n8");	/* an alias */
	fdtb_end(b);
	fdtb_begin(b, "memory@80000000");			/* two ranges */
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_cells(b, "reg", 4, 0x80000000, 0x1000000, 0x90000000, 0x2000000);
	fdtb_end(b);
	fdtb_begin(b, "memory@a0000000");			/* disabled */
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_str(b, "status", "disabled");
	fdtb_prop_cells(b, "reg", 2, 0xa0000000, 0x1000);
	fdtb_end(b);
	fdtb_begin(b, "cpus");					/* 2-cell MPIDRs */
	fdtb_prop_cells(b, "#address-cells", 1, 2);
	fdtb_prop_cells(b, "#size-cells", 1, 0);
	fdtb_begin(b, "cpu@0");
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_prop_cells(b, "reg", 2, 0, 0);
	fdtb_end(b);
	fdtb_begin(b, "cpu@100000100");
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_prop_cells(b, "reg", 2, 1, 0x100);
	fdtb_end(b);
	fdtb_begin(b, "cpu@2");
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_prop_str(b, "status", "disabled");
	fdtb_prop_cells(b, "reg", 2, 0, 2);
	fdtb_end(b);
	fdtb_begin(b, "cpu-map");				/* not a cpu */
	fdtb_end(b);
	fdtb_end(b);
	fdtb_begin(b, "soc");					/* identity */
	fdtb_prop_cells(b, "#address-cells", 1, 1);
	fdtb_prop_cells(b, "#size-cells", 1, 1);
	fdtb_prop(b, "ranges", NULL, 0);
	fdtb_begin(b, "bus@1000");				/* 0 -> 0x10000000 */
	fdtb_prop_cells(b, "#address-cells", 1, 1);
	fdtb_prop_cells(b, "#size-cells", 1, 1);
	fdtb_prop_cells(b, "ranges", 3, 0, 0x10000000, 0x1000);
	fdtb_begin(b, "uart@200");
	fdtb_prop(b, "compatible", "vendor,uart\0arm,pl011", 22);
	fdtb_prop_cells(b, "reg", 2, 0x200, 0x100);
	fdtb_end(b);
	fdtb_begin(b, "dev@2000");				/* outside ranges */
	fdtb_prop_cells(b, "reg", 2, 0x2000, 0x100);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_begin(b, "nobus");					/* no ranges */
	fdtb_prop_cells(b, "#address-cells", 1, 1);
	fdtb_prop_cells(b, "#size-cells", 1, 1);
	fdtb_begin(b, "dev@0");
	fdtb_prop_cells(b, "reg", 2, 0, 4);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_end(b);
	blob = fdtb_finish(b, len);
	free(b);
	return blob;
}

static void test_synthetic(void **state)
{
	struct fdt_range r[4], one;
	struct fdt fdt;
	u64 ids[4], base;
	size_t len;
	u8 *blob = synthetic_dtb(&len);
	u32 nr;
	int node;

	(void)state;
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	assert_int_equal(fdt_memory(&fdt, r, 4, &nr), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(r[0].base, 0x80000000);
	assert_int_equal(r[0].size, 0x1000000);
	assert_int_equal(r[1].base, 0x90000000);
	assert_int_equal(r[1].size, 0x2000000);
	assert_int_equal(fdt_memory(&fdt, r, 1, &nr), -ERANGE);
	assert_int_equal(nr, 1);
	assert_int_equal(fdt_cpus(&fdt, ids, 4, &nr), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 0x100000100ull);
	assert_int_equal(fdt_find_uart(&fdt, "arm,pl011", &base), 0);
	assert_int_equal(base, 0x10000200);
	node = fdt_path(&fdt, "/soc/bus/uart", 13);		/* names without units */
	assert_int_equal(fdt_stdout(&fdt), node);
	assert_string_equal(fdt_node_name(&fdt, fdt_parent(&fdt, node)), "bus@1000");
	assert_int_equal(fdt_reg(&fdt, fdt_path(&fdt, "/soc/bus@1000/dev@2000", 22), 0, &one),
			 -ENOENT);
	assert_int_equal(fdt_reg(&fdt, fdt_path(&fdt, "/nobus/dev@0", 12), 0, &one), -ENOENT);
	assert_int_equal(fdt_reg(&fdt, node, 1, &one), -ENOENT);
	assert_int_equal(fdt_path(&fdt, "/soc/nothing", 12), -ENOENT);
	assert_int_equal(fdt_path(&fdt, "soc", 3), -EINVAL);
	free(blob);
}

/* Nesting deeper than FDT_MAX_DEPTH: refused, not overflowed. */
static void test_deep_tree(void **state)
{
	struct fdtb *b = malloc(sizeof(*b));
	struct fdt fdt;
	int node, depth = 0, max_depth = 0, deepest = -1;
	size_t len;
	u8 *blob;

	(void)state;
	assert_non_null(b);
	fdtb_init(b);
	fdtb_begin(b, "");
	for (int i = 0; i < FDT_MAX_DEPTH + 8; i++)
		fdtb_begin(b, "n");
	for (int i = 0; i < FDT_MAX_DEPTH + 8; i++)
		fdtb_end(b);
	fdtb_end(b);
	blob = fdtb_finish(b, &len);
	free(b);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	for (node = fdt_root(&fdt); node >= 0; node = fdt_next_node(&fdt, node, &depth)) {
		deepest = node;
		max_depth = MAX(max_depth, depth);
	}
	assert_int_equal(node, -ENOENT);
	assert_int_equal(max_depth, FDT_MAX_DEPTH + 8);
	assert_int_equal(fdt_parent(&fdt, deepest), -ERANGE);
	free(blob);
}

static void put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Run every query; results do not matter, reading out of bounds does. */
static void exercise(const struct fdt *fdt)
{
	struct fdt_range r[4];
	u64 ids[8], base;
	u32 nr, n = 0;
	int node, depth = 0;
	const void *val;
	u32 len;

	fdt_memory(fdt, r, 4, &nr);
	fdt_cpus(fdt, ids, 8, &nr);
	fdt_find_uart(fdt, "arm,pl011", &base);
	fdt_find_uart(fdt, NULL, &base);
	fdt_find_compatible(fdt, -1, "ns16550a");
	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		fdt_node_name(fdt, node);
		fdt_prop(fdt, node, "compatible", &val, &len);
		fdt_is_available(fdt, node);
		if (n++ < 8) {
			fdt_reg(fdt, node, 0, r);
			fdt_first_child(fdt, node);
			fdt_next_sibling(fdt, node);
		}
	}
}

/* Every header field that can be wrong is refused. */
static void test_bad_headers(void **state)
{
	static const struct { u32 off, val; } bad[] = {
		{ 0, 0xd00dfeee },	/* magic */
		{ 4, 39 },		/* totalsize below the header */
		{ 4, 0x7fffffff },	/* totalsize past the buffer */
		{ 8, 0x41 },		/* off_dt_struct misaligned */
		{ 8, 0xfffffff0 },	/* off_dt_struct past the end */
		{ 12, 0xfffffff0 },	/* off_dt_strings past the end */
		{ 16, 0xfffffff8 },	/* off_mem_rsvmap past the end */
		{ 20, 16 },		/* version without size_dt_struct */
		{ 24, 18 },		/* last_comp_version from the future */
		{ 32, 0xfffffff0 },	/* size_dt_strings */
		{ 36, 0xfffffff0 },	/* size_dt_struct */
	};
	struct fdt fdt;
	size_t len;
	u8 *blob = synthetic_dtb(&len);

	(void)state;
	assert_int_equal(fdt_init(&fdt, NULL, len), -EINVAL);
	assert_int_equal(fdt_init(&fdt, blob, 39), -EINVAL);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		u8 *copy = exact_copy(blob, len);

		put_be32(copy + bad[i].off, bad[i].val);
		assert_int_equal(fdt_init(&fdt, copy, len), -EINVAL);
		free(copy);
	}
	free(blob);
}

/* A wrong token, a property longer than the block, a name off the strings. */
static void test_bad_structure(void **state)
{
	struct fdt fdt;
	struct fdt_range r[4];
	size_t len;
	u8 *blob = synthetic_dtb(&len), *copy;
	u32 off_struct = get_be32(blob + 8), nr;
	const void *val;
	u32 plen;

	(void)state;
	/* Root: BEGIN_NODE, "" padded to 4, then PROP len nameoff. */
	copy = exact_copy(blob, len);
	put_be32(copy + off_struct + 8 + 4, 0xfffffff0);	/* len */
	assert_int_equal(fdt_init(&fdt, copy, len), 0);
	assert_int_equal(fdt_prop(&fdt, fdt_root(&fdt), "#size-cells", &val, &plen), -EINVAL);
	assert_int_equal(fdt_memory(&fdt, r, 4, &nr), -EINVAL);
	exercise(&fdt);
	free(copy);

	copy = exact_copy(blob, len);
	put_be32(copy + off_struct + 8 + 8, 0xffff);		/* nameoff */
	assert_int_equal(fdt_init(&fdt, copy, len), 0);
	assert_int_equal(fdt_prop(&fdt, fdt_root(&fdt), "#size-cells", &val, &plen), -EINVAL);
	exercise(&fdt);
	free(copy);

	copy = exact_copy(blob, len);
	put_be32(copy + off_struct, 7);				/* token */
	assert_int_equal(fdt_init(&fdt, copy, len), 0);
	assert_int_equal(fdt_root(&fdt), -EINVAL);
	exercise(&fdt);
	free(copy);
	free(blob);
}

/*
 * Cut a real blob at every length, keeping the header consistent (sizes
 * clipped to what is left), so that parsing goes as far as it can.
 */
static void truncate_all(const struct blob *b)
{
	u32 off_struct = get_be32(b->data + 8), size_struct = get_be32(b->data + 36);
	u32 off_strings = get_be32(b->data + 12), size_strings = get_be32(b->data + 32);
	size_t used = MAX(off_struct + size_struct, off_strings + size_strings);
	struct fdt fdt;

	for (size_t len = 0; len < used; len++) {
		u8 *copy = exact_copy(b->data, len);

		/* As it is: the header claims more than the buffer. */
		assert_int_equal(fdt_init(&fdt, copy, len), -EINVAL);
		if (len >= 40) {
			put_be32(copy + 4, (u32)len);
			put_be32(copy + 36, (u32)MIN(size_struct, len > off_struct ? len - off_struct : 0));
			put_be32(copy + 32, (u32)MIN(size_strings, len > off_strings ? len - off_strings : 0));
			if (!fdt_init(&fdt, copy, len))
				exercise(&fdt);
		}
		free(copy);
	}
}

static void test_truncated(void **state)
{
	struct blob b;

	(void)state;
	arm64_dtb(2, 512, &b);
	truncate_all(&b);
	free(b.data);
	riscv64_dtb(&b);
	truncate_all(&b);
	free(b.data);
}

/* Random byte and word changes in the used part of a real blob. */
static void test_corrupted(void **state)
{
	struct blob b;
	struct fdt fdt;
	u32 seed = 12345;
	size_t used;

	(void)state;
	arm64_dtb(4, 1024, &b);
	used = MAX(get_be32(b.data + 8) + get_be32(b.data + 36),
		   get_be32(b.data + 12) + get_be32(b.data + 32));
	for (int i = 0; i < 20000; i++) {
		u8 *copy = exact_copy(b.data, used);
		u32 pos;

		put_be32(copy + 4, (u32)used);
		seed = seed * 1103515245u + 12345u;
		pos = (seed >> 8) % (u32)(used - 40) + 40;
		if (i & 1)
			copy[pos] ^= (u8)(seed >> 3 | 1);
		else if (pos + 4 <= used)
			put_be32(copy + (pos & ~3u), seed);
		if (!fdt_init(&fdt, copy, used))
			exercise(&fdt);
		free(copy);
	}
	free(b.data);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hyp-test-fdt-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm64_smp4_1g),
		cmocka_unit_test(test_arm64_smp1_512m),
		cmocka_unit_test(test_riscv64_virt),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_deep_tree),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupted),
	};

	return cmocka_run_group_tests_name("hyp/fdt", tests, setup, teardown);
}
