// SPDX-License-Identifier: MIT
/* hyp/hypercall.c on the fake arch: hostile arguments, console writes, released pages, stops. */
#include "fake_arch.h"
#include "guest_abi.h"
#include "page_alloc.h"

#define RAM_END		(FAKE_RAM_BASE + FAKE_VM_RAM)
#define IMAGE_SIZE	0x2345

static u8 image[IMAGE_SIZE];

static struct vm *create_vm(const char *name, u32 nr_vcpus)
{
	for (u32 i = 0; i < IMAGE_SIZE; i++)
		image[i] = (u8)(i * 7 + 1);
	return fake_vm_create(name, nr_vcpus, image, sizeof(image));
}

static struct vm *boot_vm(const char *name, u32 nr_vcpus)
{
	struct vm *vm = create_vm(name, nr_vcpus);

	fake_vm_start(vm);
	return vm;
}

static s64 call(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1)
{
	s64 ret = 0;
	struct fake_exit ex = fake_hypercall(vcpu, nr, a0, a1, &ret);

	assert_int_equal(ex.kind, FAKE_RETURNED);
	return ret;
}

static void test_unknown_numbers(void **state)
{
	static const u64 numbers[] = { 0, 10, 0x100000001ull, ~0ull };
	struct vm *vm = boot_vm("hc", 1);

	(void)state;
	for (u32 i = 0; i < ARRAY_SIZE(numbers); i++)
		assert_int_equal(call(&vm->vcpus[0], numbers[i], 0, 0), HC_ERR_NOT_SUPPORTED);
	assert_int_equal(call(&vm->vcpus[0], HC_YIELD, 0, 0), 0);
}

static void test_console_write_hostile(void **state)
{
	static const struct { u64 gpa, len; } bad[] = {
		{ FAKE_RAM_BASE, HC_CONSOLE_MAX + 1 },
		{ FAKE_RAM_BASE, ~0ull },
		{ FAKE_RAM_BASE - 1, 2 },		/* starts below RAM */
		{ 0x1000, 16 },				/* not RAM */
		{ RAM_END, 1 },				/* past the end */
		{ RAM_END - 4, 8 },			/* crosses the end */
		{ ~0ull - 3, 16 },			/* wraps 2^64 */
		{ FAKE_RAM_BASE + 16, ~0ull - 15 },	/* wraps 2^64 from RAM */
	};
	struct vm *vm = boot_vm("hc", 1);
	struct vcpu *v = &vm->vcpus[0];
	u32 guest_lines;
	u64 faults;

	(void)state;
	fake_guest_write(v, FAKE_RAM_BASE, "hostile\n", 8);
	fake_guest_write(v, RAM_END - 8, "end of RAM\n", 8);
	guest_lines = fake_console_count_prefix("[hc] ");
	faults = vm->mem.nr_faults;
	for (u32 i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(call(v, HC_CONSOLE_WRITE, bad[i].gpa, bad[i].len), HC_ERR_INVALID);
	/* Nothing of the guest's is printed; the refusals are, the first 4 of them. */
	assert_int_equal(fake_console_count_prefix("[hc] "), guest_lines);
	assert_int_equal(fake_console_count_prefix("hyp: hc: hypercall 1 ("), 4);
	assert_int_equal(fake_console_count("hyp: hc: further refused calls are not logged"), 1);
	assert_int_equal(v->line_len, 0);
	assert_int_equal(vm->mem.nr_faults, faults);
}

static void test_console_write_across_pages(void **state)
{
	static const char text[] = "hello from the end of a page\n";
	u64 gpa = FAKE_RAM_BASE + 3 * HYP_PAGE_SIZE - 10;
	struct vm *vm = boot_vm("hc", 2);
	struct vcpu *v1 = fake_vcpu_up(vm, 1);
	u64 syncs = fake_counts.mem_syncs;

	(void)state;
	fake_guest_write(v1, gpa, text, sizeof(text) - 1);
	assert_int_equal(call(v1, HC_CONSOLE_WRITE, gpa, sizeof(text) - 1), sizeof(text) - 1);
	assert_int_equal(fake_console_count("[hc] hello from the end of a page"), 1);
	assert_int_equal(fake_counts.mem_syncs - syncs, 2);
	assert_int_equal(call(v1, HC_CONSOLE_WRITE, gpa, 5), 5);
	assert_int_equal(v1->line_len, 5);
	assert_memory_equal(v1->line, "hello", 5);
	assert_int_equal(vm->vcpus[0].line_len, 0);
	assert_int_equal(call(v1, HC_CONSOLE_WRITE, FAKE_RAM_BASE, HC_CONSOLE_MAX), HC_CONSOLE_MAX);
	assert_int_equal(call(v1, HC_CONSOLE_WRITE, RAM_END, 0), 0);
}

static void test_mem_release_hostile(void **state)
{
	static const struct { u64 gpa, size; } bad[] = {
		{ FAKE_RAM_BASE + 1, HYP_PAGE_SIZE },		/* unaligned address */
		{ FAKE_RAM_BASE, 100 },				/* unaligned size */
		{ FAKE_RAM_BASE, 0 },
		{ FAKE_RAM_BASE - HYP_PAGE_SIZE, HYP_PAGE_SIZE },
		{ RAM_END, HYP_PAGE_SIZE },
		{ RAM_END - HYP_PAGE_SIZE, 2 * HYP_PAGE_SIZE },
		{ ~0ull & ~(HYP_PAGE_SIZE - 1), 2 * HYP_PAGE_SIZE },	/* wraps 2^64 */
		{ FAKE_RAM_BASE + HYP_PAGE_SIZE, ~0ull & ~(HYP_PAGE_SIZE - 1) },
	};
	struct vm *vm = boot_vm("hc", 1);
	struct vcpu *v = &vm->vcpus[0];

	(void)state;
	fake_guest_write(v, FAKE_RAM_BASE + HYP_PAGE_SIZE, "kept", 4);
	for (u32 i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(call(v, HC_MEM_RELEASE, bad[i].gpa, bad[i].size), HC_ERR_INVALID);
	assert_int_equal(fake_guest_byte(v, FAKE_RAM_BASE + HYP_PAGE_SIZE), 'k');
	assert_int_equal(fake_tlb_holders(vm, FAKE_RAM_BASE + HYP_PAGE_SIZE), 1);
}

/* A page both vCPUs' CPUs translate, released by vCPU 0: zero on the next touch, cached nowhere. */
static void test_mem_release_page(void **state)
{
	u64 page = FAKE_RAM_BASE + 0x40 * HYP_PAGE_SIZE, next = page + HYP_PAGE_SIZE;
	struct vm *vm = boot_vm("hc", 2);
	struct vcpu *v0 = &vm->vcpus[0], *v1 = fake_vcpu_up(vm, 1);
	u64 invals = fake_counts.s2_invals;

	(void)state;
	fake_guest_write(v0, page, "page", 4);
	fake_guest_write(v0, next, "next", 4);
	assert_int_equal(fake_guest_byte(v1, page + 1), 'a');
	assert_int_equal(fake_tlb_holders(vm, page), 2);
	assert_int_equal(call(v0, HC_MEM_RELEASE, page, HYP_PAGE_SIZE), 0);
	assert_true(fake_counts.s2_invals > invals);
	assert_int_equal(fake_tlb_holders(vm, page), 0);
	assert_int_equal(fake_guest_byte(v1, page), 0);
	assert_int_equal(fake_guest_byte(v0, page + 1), 0);
	assert_int_equal(fake_guest_byte(v1, next), 'n');
}

/* Image pages come back from the image; a page released out of a collapsed 2 MiB block alone. */
static void test_mem_release_in_block(void **state)
{
	u64 block = FAKE_RAM_BASE, page = FAKE_RAM_BASE + HYP_PAGE_SIZE;
	struct vm *vm = boot_vm("hc", 2);
	struct vcpu *v0 = &vm->vcpus[0], *v1 = fake_vcpu_up(vm, 1);
	u8 buf[16];

	(void)state;
	for (u64 a = block; a < block + (2ull << 20); a += HYP_PAGE_SIZE)
		fake_guest_write(v0, a, "x", 1);
	assert_int_equal(vm->mem.nr_collapses, 1);
	assert_int_equal(fake_guest_byte(v1, page), 'x');
	assert_int_equal(call(v0, HC_MEM_RELEASE, page, HYP_PAGE_SIZE), 0);
	assert_int_equal(fake_tlb_holders(vm, page), 0);
	fake_guest_read(v1, page, buf, sizeof(buf));
	assert_memory_equal(buf, image + HYP_PAGE_SIZE, sizeof(buf));
	assert_int_equal(fake_guest_byte(v1, page + HYP_PAGE_SIZE), 'x');
	assert_int_equal(fake_guest_byte(v0, page - HYP_PAGE_SIZE), 'x');
	assert_int_equal(fake_guest_byte(v1, page - HYP_PAGE_SIZE + 1), image[1]);
}

static void test_vcpu_id_and_stats(void **state)
{
	struct vm *vm = boot_vm("hc", 3);
	struct vcpu *v2 = fake_vcpu_up(vm, 2);

	(void)state;
	assert_int_equal(call(&vm->vcpus[0], HC_VCPU_ID, 0, 0), 0);
	assert_int_equal(call(v2, HC_VCPU_ID, ~0ull, ~0ull), 2);
	fake_guest_write(v2, FAKE_RAM_BASE + 0x100000, "y", 1);
	fake_guest_write(v2, FAKE_RAM_BASE + 0x101000, "z", 1);
	assert_int_equal(call(v2, HC_FAULT_STATS, 0, 0), 2);
}

static void test_vm_stop(void **state)
{
	struct vm *vm = create_vm("hc", 1), *other = create_vm("other", 1);
	struct fake_exit ex;
	s64 ret = 0;

	(void)state;
	fake_vm_start(vm);
	fake_vm_start(other);
	ex = fake_hypercall(&vm->vcpus[0], HC_VM_STOP, 7, 0, NULL);
	assert_int_equal(ex.kind, FAKE_IDLE);
	assert_int_equal(fake_console_count("hyp: hc stopped: the guest asked to stop (code 7)"), 1);
	assert_true(vm->stopped);
	assert_false(other->stopped);
	assert_int_equal(fake_idle(vm->vcpus[0].cpu, 2).kind, FAKE_WAIT_LIMIT);
	assert_int_equal(fake_hypercall(&other->vcpus[0], HC_VCPU_ID, 0, 0, &ret).kind,
			 FAKE_RETURNED);
	ex = fake_hypercall(&other->vcpus[0], HC_VM_STOP, (u64)-1, 0, NULL);
	assert_int_equal(ex.kind, FAKE_POWER_OFF);
	assert_int_equal(fake_console_count("hyp: other stopped: the guest asked to stop (code -1)"), 1);
	assert_int_equal(fake_console_count("hyp: all VMs stopped"), 1);
}

/* The neutral vCPU interface (x86's): hostile indices and entries, then a real start. */
static void test_vcpu_on_state(void **state)
{
	struct vm *vm = boot_vm("hc", 2);
	struct vcpu *v = &vm->vcpus[0];

	(void)state;
	assert_int_equal(call(v, HC_VCPU_STATE, 0, 0), HC_VCPU_STATE_ON);
	assert_int_equal(call(v, HC_VCPU_STATE, 1, 0), HC_VCPU_STATE_OFF);
	assert_int_equal(call(v, HC_VCPU_STATE, 2, 0), HC_ERR_INVALID);
	assert_int_equal(call(v, HC_VCPU_STATE, 0x100000001ull, 0), HC_ERR_INVALID);
	assert_int_equal(call(v, HC_VCPU_ON, 2, FAKE_RAM_BASE), HC_ERR_INVALID);
	assert_int_equal(call(v, HC_VCPU_ON, 0x100000001ull, FAKE_RAM_BASE), HC_ERR_INVALID);
	assert_int_equal(call(v, HC_VCPU_ON, 1, RAM_END), HC_ERR_INVALID);
	assert_int_equal(call(v, HC_VCPU_ON, 1, FAKE_RAM_BASE - 1), HC_ERR_INVALID);
	assert_int_equal(call(v, HC_VCPU_STATE, 1, 0), HC_VCPU_STATE_OFF);
	assert_int_equal(call(v, HC_VCPU_ON, 0, FAKE_RAM_BASE), HC_ERR_ALREADY_ON);
	assert_int_equal(call(v, HC_VCPU_ON, 1, FAKE_RAM_BASE + 0x100), 0);
	assert_int_equal(call(v, HC_VCPU_STATE, 1, 0), HC_VCPU_STATE_PENDING);
	assert_int_equal(call(v, HC_VCPU_ON, 1, FAKE_RAM_BASE), HC_ERR_ON_PENDING);
	assert_ptr_equal(fake_idle(vm->vcpus[1].cpu, 1).vcpu, &vm->vcpus[1]);
	assert_int_equal(vm->vcpus[1].entry, FAKE_RAM_BASE + 0x100);
	assert_int_equal(call(v, HC_VCPU_STATE, 1, 0), HC_VCPU_STATE_ON);
	assert_int_equal(call(v, HC_VCPU_ON, 1, FAKE_RAM_BASE), HC_ERR_ALREADY_ON);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_numbers),
		cmocka_unit_test(test_console_write_hostile),
		cmocka_unit_test(test_console_write_across_pages),
		cmocka_unit_test(test_mem_release_hostile),
		cmocka_unit_test(test_mem_release_page),
		cmocka_unit_test(test_mem_release_in_block),
		cmocka_unit_test(test_vcpu_id_and_stats),
		cmocka_unit_test(test_vm_stop),
		cmocka_unit_test(test_vcpu_on_state),
	};

	return FAKE_RUN_TESTS(tests);
}
