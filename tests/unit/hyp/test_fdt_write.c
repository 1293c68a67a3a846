// SPDX-License-Identifier: MIT
/*
 * The device-tree writer (hyp/fdt_write.c) on its own: the blob's header,
 * names stored once, the sticky error, the order rules, and copying from a
 * parsed tree through a filter. Read back with hyp/fdt.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "fdt_builder.h"
#include "fdt_write.h"

#define BUF_SIZE	4096
#define H_VERSION	20
#define H_LAST_COMP	24
#define H_SIZE_STRINGS	32

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void check_prop_u32(const struct fdt *fdt, const char *path, const char *name, u32 want)
{
	u32 v;

	assert_int_equal(fdt_prop_u32(fdt, fdt_path(fdt, path, (u32)strlen(path)), name, &v), 0);
	assert_int_equal(v, want);
}

static void test_header_and_strings(void **state)
{
	u8 *buf = malloc(BUF_SIZE);
	struct fdt_wr w;
	struct fdt fdt;
	u32 ph;
	int len;

	(void)state;
	fdt_wr_init(&w, buf, BUF_SIZE, 100);
	fdt_wr_begin_node(&w, "");
	fdt_wr_prop_u32(&w, "value", 1);
	fdt_wr_begin_node_unit(&w, "a", 0x9000000);
	fdt_wr_prop_u32(&w, "value", 2);
	fdt_wr_prop_u64(&w, "wide", 0x123456789ull);
	assert_int_equal(fdt_wr_phandle(&w, &ph), 0);
	assert_int_equal(ph, 100);
	fdt_wr_begin_node(&w, "grandchild");
	fdt_wr_end_node(&w);
	fdt_wr_end_node(&w);
	fdt_wr_begin_node_unit(&w, "b", 0);
	assert_int_equal(fdt_wr_phandle(&w, &ph), 0);
	assert_int_equal(ph, 101);
	assert_false(fdt_wr_has_child(&w, "a@9000000"));
	fdt_wr_end_node(&w);
	assert_true(fdt_wr_has_child(&w, "a@9000000"));
	assert_true(fdt_wr_has_child(&w, "b@0"));
	assert_false(fdt_wr_has_child(&w, "a"));
	assert_false(fdt_wr_has_child(&w, "grandchild"));
	fdt_wr_end_node(&w);
	len = fdt_wr_finish(&w);
	assert_true(len > 0);
	assert_int_equal(fdt_init(&fdt, buf, (u64)len), 0);
	assert_int_equal(be32(buf + H_VERSION), 17);
	assert_int_equal(be32(buf + H_LAST_COMP), 16);
	/* "value", "wide" and "phandle", each once. */
	assert_int_equal(be32(buf + H_SIZE_STRINGS), sizeof("value") + sizeof("wide") + sizeof("phandle"));
	check_prop_u32(&fdt, "/", "value", 1);
	check_prop_u32(&fdt, "/a@9000000", "value", 2);
	check_prop_u32(&fdt, "/a@9000000", "phandle", 100);
	check_prop_u32(&fdt, "/b@0", "phandle", 101);
	/* Done: nothing more goes in. */
	assert_int_equal(fdt_wr_begin_node(&w, "c"), -EINVAL);
	free(buf);
}

static void test_order_rules(void **state)
{
	u8 buf[BUF_SIZE];
	struct fdt_wr w;

	(void)state;
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	assert_int_equal(fdt_wr_prop_u32(&w, "x", 1), -EINVAL);	/* outside a node */
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	assert_int_equal(fdt_wr_begin_node(&w, "named-root"), -EINVAL);
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	fdt_wr_begin_node(&w, "");
	fdt_wr_begin_node(&w, "child");
	fdt_wr_end_node(&w);
	assert_int_equal(fdt_wr_prop_u32(&w, "late", 1), -EINVAL);	/* after a child */
	assert_int_equal(fdt_wr_finish(&w), -EINVAL);
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	fdt_wr_begin_node(&w, "");
	assert_int_equal(fdt_wr_finish(&w), -EINVAL);		/* still open */
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	assert_int_equal(fdt_wr_finish(&w), -EINVAL);		/* no root */
	fdt_wr_init(&w, buf, sizeof(buf), 0xffffffffu);
	fdt_wr_begin_node(&w, "");
	assert_int_equal(fdt_wr_phandle(&w, &(u32){ 0 }), -ERANGE);
	/* FDT_MAX_DEPTH nodes deep, and no deeper. */
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	fdt_wr_begin_node(&w, "");
	for (u32 i = 1; i < FDT_MAX_DEPTH; i++)
		assert_int_equal(fdt_wr_begin_node(&w, "n"), 0);
	assert_int_equal(fdt_wr_begin_node(&w, "n"), -ERANGE);
	assert_int_equal(w.depth, FDT_MAX_DEPTH);
}

/* Any short buffer: -ENOSPC, sticky, and not a byte written past it (ASan). */
static void test_sticky_enospc(void **state)
{
	static const char *const list[] = { "one", "two" };

	(void)state;
	for (u32 size = 0; size < 200; size++) {
		u8 *buf = malloc(size ? size : 1);
		struct fdt_wr w;
		int ret;

		fdt_wr_init(&w, buf, size, 1);
		fdt_wr_begin_node(&w, "");
		fdt_wr_prop_strings(&w, "compatible", list, 2);
		fdt_wr_prop_string(&w, "model", "a model of some length");
		fdt_wr_begin_node(&w, "node");
		fdt_wr_prop(&w, "empty", NULL, 0);
		fdt_wr_end_node(&w);
		fdt_wr_end_node(&w);
		ret = fdt_wr_finish(&w);
		if (ret > 0) {
			struct fdt fdt;

			assert_true((u32)ret <= size);
			assert_int_equal(fdt_init(&fdt, buf, size), 0);
		} else {
			assert_int_equal(ret, -ENOSPC);
			assert_int_equal(fdt_wr_prop_u32(&w, "x", 1), -ENOSPC);
		}
		free(buf);
	}
}

static const char *const extra_names[] = { "extra" };

/* Drop "secret" properties and "hidden" nodes, replace "old" with "new", add to each node. */
static int filter(void *ctx, struct fdt_wr *w, const struct fdt *src, const struct fdt_copy_ev *ev)
{
	(void)ctx;
	(void)src;
	switch (ev->kind) {
	case FDT_COPY_NODE:
		return !strcmp(ev->name, "hidden") ? FDT_COPY_SKIP : FDT_COPY_KEEP;
	case FDT_COPY_PROP:
		if (!strcmp(ev->name, "old")) {
			fdt_wr_prop_u32(w, "new", 7);
			return FDT_COPY_SKIP;
		}
		return !strcmp(ev->name, "secret") ? FDT_COPY_SKIP : FDT_COPY_KEEP;
	case FDT_COPY_PROPS_DONE:
		return fdt_wr_prop_u32(w, "depth", ev->depth);
	default:
		if (ev->depth)
			return FDT_COPY_KEEP;
		fdt_wr_begin_node(w, extra_names[0]);
		return fdt_wr_end_node(w);
	}
}

static void test_copy_filtered(void **state)
{
	struct fdtb b;
	struct fdt src, out;
	size_t len;
	u8 *blob, buf[BUF_SIZE];
	struct fdt_wr w;
	const void *p;
	u32 n;
	int ret;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_cells(&b, "old", 1, 1);
	fdtb_prop_str(&b, "secret", "x");
	fdtb_begin(&b, "kept");
	fdtb_prop_cells(&b, "v", 1, 5);
	fdtb_begin(&b, "hidden");
	fdtb_begin(&b, "below-hidden");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "leaf");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	blob = fdtb_finish(&b, &len);
	assert_int_equal(fdt_init(&src, blob, len), 0);

	fdt_wr_init(&w, buf, sizeof(buf), 1);
	assert_int_equal(fdt_wr_copy_node(&w, &src, fdt_root(&src), filter, NULL), 0);
	ret = fdt_wr_finish(&w);
	assert_true(ret > 0);
	assert_int_equal(fdt_init(&out, buf, (u64)ret), 0);
	check_prop_u32(&out, "/", "new", 7);
	check_prop_u32(&out, "/", "depth", 0);
	check_prop_u32(&out, "/kept", "v", 5);
	check_prop_u32(&out, "/kept", "depth", 1);
	check_prop_u32(&out, "/kept/leaf", "depth", 2);
	assert_int_equal(fdt_prop(&out, fdt_root(&out), "old", &p, &n), -ENOENT);
	assert_int_equal(fdt_prop(&out, fdt_root(&out), "secret", &p, &n), -ENOENT);
	assert_int_equal(fdt_path(&out, "/kept/hidden", 12), -ENOENT);
	assert_true(fdt_path(&out, "/extra", 6) >= 0);

	/* Only the properties, into a node of the writer's. */
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	fdt_wr_begin_node(&w, "");
	assert_int_equal(fdt_wr_copy_props(&w, &src, fdt_path(&src, "/kept", 5), NULL, NULL), 0);
	fdt_wr_end_node(&w);
	ret = fdt_wr_finish(&w);
	assert_int_equal(fdt_init(&out, buf, (u64)ret), 0);
	check_prop_u32(&out, "/", "v", 5);
	assert_int_equal(fdt_first_child(&out, fdt_root(&out)), -ENOENT);
	free(blob);
}

/* A truncated source: -EINVAL, sticky. */
static void test_copy_corrupt(void **state)
{
	struct fdtb b;
	struct fdt src;
	size_t len;
	u8 *blob, buf[BUF_SIZE];
	struct fdt_wr w;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "a");
	fdtb_prop_cells(&b, "v", 1, 5);
	fdtb_end(&b);
	fdtb_end(&b);
	blob = fdtb_finish(&b, &len);
	assert_int_equal(fdt_init(&src, blob, len), 0);
	src.struct_end -= 12;		/* cut inside the last node */
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	assert_int_equal(fdt_wr_copy_node(&w, &src, fdt_root(&src), NULL, NULL), -EINVAL);
	assert_int_equal(fdt_wr_finish(&w), -EINVAL);
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	assert_int_equal(fdt_wr_copy_node(&w, &src, 2, NULL, NULL), -EINVAL);
	/* A failed copy of properties spoils the tree too. */
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	fdt_wr_begin_node(&w, "");
	assert_int_equal(fdt_wr_copy_props(&w, &src, 3, NULL, NULL), -EINVAL);
	fdt_wr_end_node(&w);
	assert_int_equal(fdt_wr_finish(&w), -EINVAL);
	/* A property running past the structure block (root, "a", then "v"). */
	assert_int_equal(fdt_init(&src, blob, len), 0);
	assert_int_equal(be32(blob + src.struct_off + 16), 3);	/* FDT_PROP */
	blob[src.struct_off + 16 + 4 + 2] = 0x10;		/* its length: 0x1004 */
	fdt_wr_init(&w, buf, sizeof(buf), 1);
	assert_int_equal(fdt_wr_copy_node(&w, &src, fdt_root(&src), NULL, NULL), -EINVAL);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_strings),
		cmocka_unit_test(test_order_rules),
		cmocka_unit_test(test_sticky_enospc),
		cmocka_unit_test(test_copy_filtered),
		cmocka_unit_test(test_copy_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
