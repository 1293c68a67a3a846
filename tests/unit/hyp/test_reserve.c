// SPDX-License-Identifier: MIT
/*
 * Each VM's stage-2 reserve (hyp/vm_s2.c) on the fake arch: it holds the
 * worst case (all of RAM at 4 KiB, twice over while retired tables wait
 * for their grace period), and a VM whose reserve is empty only waits
 * itself: another VM's faults go on.
 */
#include "fake_arch.h"
#include "pt_alloc.h"
#include "pt_fmt_arm64.h"

#define PAGE		4096ull
#define BLOCK		(2ull << 20)
#define EPOCH_CPU	(HYP_MAX_CPUS - 1)	/* a CPU no VM has, inside a walk */

struct faults {
	struct vm *vm;
	u64 done, failed;
};

/* Every page of RAM but the last of each 2 MiB: nothing collapses, every table is needed. */
static void fault_all_but_one(void *arg)
{
	struct faults *f = arg;

	for (u64 a = f->vm->ram_base; a < f->vm->ram_base + f->vm->ram_size; a += PAGE) {
		if ((a & (BLOCK - 1)) == BLOCK - PAGE)
			continue;
		if (vm_fault_in(f->vm, a))
			f->failed++;
		f->done++;
	}
}

static void release_all(void *arg)
{
	struct faults *f = arg;

	if (vm_release(f->vm, f->vm->ram_base, f->vm->ram_size))
		f->failed++;
}

static void run_on(struct vm *vm, fake_fn *fn, struct faults *f)
{
	assert_int_equal(fake_run(vm->vcpus[0].cpu, fn, f).kind, FAKE_RETURNED);
}

static void test_reserve_worst_case(void **state)
{
	struct vm *vm = fake_vm_create("rs", 2, NULL, 0);
	struct faults f = { .vm = vm };

	(void)state;
	/* Nothing retired can be freed while this CPU stays in its walk. */
	fake_cpu_set(EPOCH_CPU);
	pt_epoch_enter(vm->pool);
	run_on(vm, fault_all_but_one, &f);
	run_on(vm, release_all, &f);
	run_on(vm, fault_all_but_one, &f);
	fake_cpu_set(EPOCH_CPU);
	pt_epoch_exit(vm->pool);
	assert_int_equal(f.failed, 0);
	assert_int_equal(f.done, 2 * (vm->ram_size / PAGE - vm->ram_size / BLOCK));
	assert_true(pt_pool_pages_in_use(vm->pool) <= vm->s2_reserve_pages);
}

static void drain_pool(void *arg)
{
	struct faults *f = arg;

	while (pt_pool_alloc_contig(f->vm->pool, PAGE))
		f->done++;
	pt_cache_flush(f->vm->pool);
	while (pt_pool_alloc_contig(f->vm->pool, PAGE))
		f->done++;
}

static void guest_fault(void *arg)
{
	struct faults *f = arg;

	vm_guest_fault(f->vm, f->vm->ram_base + BLOCK + PAGE);
}

static void test_reserve_isolation(void **state)
{
	struct vm *a = fake_vm_create("ra", 1, NULL, 0), *b = fake_vm_create("rb", 1, NULL, 0);
	struct faults fa = { .vm = a };
	u64 x = 0x1234567890abcdefull, y = 0;

	(void)state;
	fake_vm_start(a);
	fake_vm_start(b);
	run_on(a, drain_pool, &fa);
	assert_true(fa.done > 0);
	/* a's fault finds no table page: a waits (its guest retries), it is not stopped. */
	run_on(a, guest_fault, &fa);
	assert_int_equal(__atomic_load_n(&a->stopped, __ATOMIC_RELAXED), 0);
	assert_int_equal(fake_console_count_prefix("hyp: ra: its stage-2 reserve ran short"), 1);
	/* b's memory is b's own: its faults are served. */
	fake_guest_write(&b->vcpus[0], b->ram_base + BLOCK + 2 * PAGE, &x, sizeof(x));
	fake_guest_read(&b->vcpus[0], b->ram_base + BLOCK + 2 * PAGE, &y, sizeof(y));
	assert_int_equal(x, y);
	assert_int_equal(__atomic_load_n(&b->stopped, __ATOMIC_RELAXED), 0);
}

/* arm64's stage 2 (40-bit IPA, two concatenated level-1 roots) for 256 MiB, 4 vCPUs. */
static void test_reserve_size(void **state)
{
	struct pt_fmt fmt;
	u64 tables = 128 + 1;	/* 4 KiB tables for 256 MiB, one 2 MiB table for its 1 GiB */
	u64 pages = 2 + 2 * tables + 4 * (PT_CACHE_KEEP + 3);

	(void)state;
	assert_int_equal(pt_fmt_arm64_s2_init(&fmt, 40, 1), 0);
	assert_int_equal(vm_s2_reserve_pages(&fmt, 0x80000000ull, 256ull << 20, 4),
			 pages + DIV_ROUND_UP(pages * 32, PAGE) + 1);
	/* RAM straddling a 1 GiB line needs a 2 MiB table on each side. */
	assert_int_equal(vm_s2_reserve_pages(&fmt, 0x3fe00000ull, 4ull << 20, 1) -
			 vm_s2_reserve_pages(&fmt, 0x40000000ull, 4ull << 20, 1), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_size),
		cmocka_unit_test(test_reserve_worst_case),
		cmocka_unit_test(test_reserve_isolation),
	};

	return FAKE_RUN_TESTS(tests);
}
