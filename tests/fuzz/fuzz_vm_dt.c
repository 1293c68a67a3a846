// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any blob as a VM's user device tree (hyp/vm_dt.c on
 * hyp/fdt_write.c), taken both as a partial tree and as a whole one. A
 * refusal is -errno with exactly one log line; a tree that is made must
 * read back (hyp/fdt.c) with the VM's RAM and vCPUs only, come out the same
 * in a buffer of exactly its size, and not fit in one byte less (ASan: the
 * buffers are allocated to those sizes).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "fdt.h"
#include "fdt_write.h"	/* ENOSPC */
#include "vm.h"
#include "vm_config.h"
#include "vm_dt.h"
#include "vgic.h"

/* arch/arm64/guest_dt.c asks whether VMs get a vGIC: they do here. */
bool vgic_available(void)
{
	return true;
}

#define RAM_BASE	0x40000000ull
#define RAM_SIZE	(256ull << 20)
#define NR_VCPUS	2
#define OUT_SIZE	(256u << 10)
#define MAX_MEM		16

static u32 log_lines;

void hyp_log(const char *fmt, ...)
{
	(void)fmt;
	log_lines++;
}

static const struct vm_desc fuzz_vm = {
	.name = "fuzz", .ram_base = RAM_BASE, .ram_size = RAM_SIZE,
	.console_kind = VM_CONSOLE_PL011, .console_base = 0x09000000, .nr_vcpus = NR_VCPUS,
};

/* What the VM was given: its RAM only, its vCPUs exactly, a readable tree. */
static void check_tree(const u8 *blob, u32 len, bool full)
{
	struct fdt_range mem[MAX_MEM];
	u64 ids[VM_MAX_VCPUS];
	struct fdt fdt;
	u32 nr;
	int depth = 0, node;

	if (fdt_init(&fdt, blob, len) || fdt.size != len)
		abort();
	for (node = fdt_root(&fdt); node >= 0; node = fdt_next_node(&fdt, node, &depth))
		if (!fdt_node_name(&fdt, node))
			abort();
	if (node != -ENOENT)
		abort();
	if (fdt_cpus(&fdt, ids, VM_MAX_VCPUS, &nr) || nr != NR_VCPUS)
		abort();
	if (fdt_memory(&fdt, mem, MAX_MEM, &nr) || !nr || (!full && nr != 1))
		abort();
	for (u32 i = 0; i < nr; i++)
		if (mem[i].base < RAM_BASE || mem[i].size > RAM_SIZE ||
		    mem[i].base - RAM_BASE > RAM_SIZE - mem[i].size)
			abort();
}

static void one(const uint8_t *data, size_t size, bool full)
{
	static u8 out[OUT_SIZE];
	struct vm_dt_args a = {
		.bootargs = "console=ttyAMA0", .initrd_start = RAM_BASE + (16u << 20),
		.initrd_end = RAM_BASE + (17u << 20), .user_dtb = data, .user_dtb_size = size,
		.user_full = full,
	};
	u32 len = 0, len2 = 0;
	u8 *exact, *short_buf;
	int ret;

	log_lines = 0;
	ret = vm_dt_build(&fuzz_vm, &a, out, OUT_SIZE, &len);
	if (ret) {
		if (ret > 0 || log_lines != 1)
			abort();
		return;
	}
	if (log_lines || !len || len > OUT_SIZE)
		abort();
	check_tree(out, len, full);
	exact = malloc(len);
	short_buf = malloc(len - 1 ? len - 1 : 1);
	if (vm_dt_build(&fuzz_vm, &a, exact, len, &len2) || len2 != len || memcmp(exact, out, len))
		abort();
	if (vm_dt_build(&fuzz_vm, &a, short_buf, len - 1, &len2) != -ENOSPC)
		abort();
	free(exact);
	free(short_buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, false);
	one(data, size, true);
	return 0;
}
