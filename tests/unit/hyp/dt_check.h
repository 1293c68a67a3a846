/* SPDX-License-Identifier: MIT */
/* Checks of a VM's generated device tree (tests/unit/hyp/dt_check.c). */
#ifndef TESTS_DT_CHECK_H
#define TESTS_DT_CHECK_H

#include "fdt.h"
#include "vm.h"
#include "vm_dt.h"

/* vm_dt_build() into an exact-size malloc'ed copy, nothing logged; *fdt reads it. */
u8 *build(const struct vm_desc *d, const struct vm_dt_args *a, struct fdt *fdt);
/* dtc reads the blob back without an error or a warning. */
void assert_dtc_clean(const u8 *blob, u32 len);
/* A user tree from source, compiled by dtc (malloc'ed). */
u8 *dtc_compile(const char *dts, u64 *len);
/* The node at @path; the test fails without it. */
int node(const struct fdt *fdt, const char *path);
const char *prop_str(const struct fdt *fdt, const char *path, const char *name);
u64 prop_u64(const struct fdt *fdt, const char *path, const char *name);
bool has_prop(const struct fdt *fdt, const char *path, const char *name);
/* One /memory range @base, @size; cpus 0 .. @nr_cpus - 1. */
void assert_ram_and_cpus(const struct fdt *fdt, u64 base, u64 size, u32 nr_cpus);
/* Property @prop of @path is exactly the big-endian cells @want. */
void assert_cells(struct fdt *fdt, const char *path, const char *prop, const u32 *want, u32 n);

#endif
