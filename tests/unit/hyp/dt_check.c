// SPDX-License-Identifier: MIT
/*
 * Checks of a VM's generated device tree shared by the tests of
 * hyp/vm_dt.c with each arch's nodes (test_vm_dt.c, test_vm_dt_riscv.c):
 * built into an exact-size buffer (so that ASan sees a write past it),
 * read back with hyp/fdt.c, and given to Debian's dtc.
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

#include "dt_check.h"
#include "log_capture.h"

#define DT_CHECK_BUF_SIZE	(64u << 10)

/* Build into an exact-size copy; *fdt reads the result. */
u8 *build(const struct vm_desc *d, const struct vm_dt_args *a, struct fdt *fdt)
{
	u8 *big = malloc(DT_CHECK_BUF_SIZE), *blob;
	u32 len = 0;

	assert_int_equal(vm_dt_build(d, a, big, DT_CHECK_BUF_SIZE, &len), 0);
	assert_int_equal(log_len, 0);
	blob = malloc(len);
	memcpy(blob, big, len);
	free(big);
	assert_int_equal(fdt_init(fdt, blob, len), 0);
	assert_int_equal(fdt->size, len);
	return blob;
}

static void run_dtc(const char *args, const char *err_file)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "dtc %s 2>%s", args, err_file);
	assert_int_equal(system(cmd), 0);
}

static size_t file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return (size_t)n;
}

static void tmp_name(char *buf, size_t size, const char *what)
{
	snprintf(buf, size, "/tmp/dt_check.%d.%s", (int)getpid(), what);
}

/* dtc reads the blob back without an error or a warning. */
void assert_dtc_clean(const u8 *blob, u32 len)
{
	char dtb[64], err[64], args[256];
	FILE *f;

	tmp_name(dtb, sizeof(dtb), "dtb");
	tmp_name(err, sizeof(err), "err");
	f = fopen(dtb, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(blob, 1, len, f), len);
	fclose(f);
	snprintf(args, sizeof(args), "-I dtb -O dts -o /dev/null %s", dtb);
	run_dtc(args, err);
	if (file_size(err)) {
		snprintf(args, sizeof(args), "cat %s >&2", err);
		assert_int_equal(system(args), 0);
		fail_msg("dtc warned");
	}
	unlink(dtb);
	unlink(err);
}

/* A user tree from source, compiled by dtc. */
u8 *dtc_compile(const char *dts, u64 *len)
{
	char src[64], dtb[64], err[64], args[256];
	FILE *f;
	u8 *blob;

	tmp_name(src, sizeof(src), "dts");
	tmp_name(dtb, sizeof(dtb), "user.dtb");
	tmp_name(err, sizeof(err), "err");
	f = fopen(src, "w");
	assert_non_null(f);
	fputs(dts, f);
	fclose(f);
	snprintf(args, sizeof(args), "-q -I dts -O dtb -o %s %s", dtb, src);
	run_dtc(args, err);
	*len = file_size(dtb);
	blob = malloc(*len);
	f = fopen(dtb, "rb");
	assert_int_equal(fread(blob, 1, *len, f), *len);
	fclose(f);
	unlink(src);
	unlink(dtb);
	unlink(err);
	return blob;
}

int node(const struct fdt *fdt, const char *path)
{
	int n = fdt_path(fdt, path, (u32)strlen(path));

	if (n < 0)
		fail_msg("no %s (%d)", path, n);
	return n;
}

const char *prop_str(const struct fdt *fdt, const char *path, const char *name)
{
	const char *s;

	if (fdt_prop_string(fdt, node(fdt, path), name, &s, NULL))
		fail_msg("no string %s in %s", name, path);
	return s;
}

u64 prop_u64(const struct fdt *fdt, const char *path, const char *name)
{
	const u8 *p;
	u32 len;
	u64 v = 0;

	assert_int_equal(fdt_prop(fdt, node(fdt, path), name, (const void **)&p, &len), 0);
	assert_int_equal(len, 8);
	for (u32 i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

bool has_prop(const struct fdt *fdt, const char *path, const char *name)
{
	const void *p;
	u32 len;

	return !fdt_prop(fdt, node(fdt, path), name, &p, &len);
}

void assert_ram_and_cpus(const struct fdt *fdt, u64 base, u64 size, u32 nr_cpus)
{
	struct fdt_range mem[4];
	u64 ids[VM_MAX_VCPUS];
	u32 nr;

	assert_int_equal(fdt_memory(fdt, mem, 4, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(mem[0].base, base);
	assert_int_equal(mem[0].size, size);
	assert_int_equal(fdt_cpus(fdt, ids, VM_MAX_VCPUS, &nr), 0);
	assert_int_equal(nr, nr_cpus);
	for (u32 i = 0; i < nr; i++)
		assert_int_equal(ids[i], i);
}

/* Property @prop of @path is exactly the big-endian cells @want. */
void assert_cells(struct fdt *fdt, const char *path, const char *prop, const u32 *want,
			 u32 n)
{
	const u8 *p;
	u32 len;

	assert_int_equal(fdt_prop(fdt, node(fdt, path), prop, (const void **)&p, &len), 0);
	assert_int_equal(len, n * 4);
	for (u32 i = 0; i < n; i++)
		assert_int_equal((u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
				 (u32)p[4 * i + 2] << 8 | p[4 * i + 3], want[i]);
}

