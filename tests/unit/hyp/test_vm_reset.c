// SPDX-License-Identifier: MIT
/*
 * vm_reset(), vm_stop() and vm_power_off() on the fake arch: RAM given
 * back, its emulated UARTs at their reset state, one line per stop, a
 * bounded number of lines however often a guest resets.
 */
#include "console.h"
#include "fake_arch.h"
#include "page_alloc.h"
#include "power.h"
#include "vdev.h"
#include "vdev/vpl011.h"
#include "vm_config.h"

#define IMAGE_SIZE	(2 * HYP_PAGE_SIZE + 0x123)
#define ZERO_PAGE	(FAKE_RAM_BASE + 0x300000)	/* beyond the image, in the second 2 MiB */

static u8 image[IMAGE_SIZE];

static struct vm *create_vm(const char *name, u32 nr_vcpus)
{
	for (u32 i = 0; i < IMAGE_SIZE; i++)
		image[i] = (u8)(i * 13 + 5);
	return fake_vm_create(name, nr_vcpus, image, sizeof(image));
}

static void reset_fn(void *vcpu)
{
	vm_reset(vcpu, "reset by the test");
}

static struct fake_exit reset(struct vcpu *vcpu)
{
	return fake_run(vcpu->cpu, reset_fn, vcpu);
}

static void stop_fn(void *vcpu)
{
	vm_stop(((struct vcpu *)vcpu)->vm, "stopped by vCPU %u", ((struct vcpu *)vcpu)->id);
}

static void power_off_vm_fn(void *vcpu)
{
	vm_power_off(vcpu);
}

static void power_off_fn(void *vcpu)
{
	vcpu_power_off(vcpu);
}

/* The guest's view of [@ipa, @ipa + @len) equals @want. */
static void check_guest(struct vcpu *vcpu, u64 ipa, const u8 *want, u64 len)
{
	u8 buf[IMAGE_SIZE];

	assert_true(len <= sizeof(buf));
	fake_guest_read(vcpu, ipa, buf, len);
	assert_memory_equal(buf, want, len);
}

static void test_reset_gives_ram_back(void **state)
{
	static const u8 zeros[64];
	struct vm *vm = create_vm("rs", 2);
	struct vcpu *v0 = &vm->vcpus[0];
	struct fake_exit ex;

	(void)state;
	fake_vm_start(vm);
	fake_guest_write(v0, FAKE_RAM_BASE + 0x10, "over the image", 14);
	fake_guest_write(v0, FAKE_RAM_BASE + 2 * HYP_PAGE_SIZE + 0x120, "tail", 4);
	fake_guest_write(v0, ZERO_PAGE, "data", 4);
	for (u64 a = FAKE_RAM_BASE; a < FAKE_RAM_BASE + (2ull << 20); a += HYP_PAGE_SIZE)
		fake_guest_write(v0, a + HYP_PAGE_SIZE - 1, "!", 1);
	assert_int_equal(vm->mem.nr_collapses, 1);
	assert_int_equal(reset(v0).kind, FAKE_IDLE);
	assert_int_equal(fake_tlb_holders(vm, FAKE_RAM_BASE), 0);
	assert_int_equal(fake_tlb_holders(vm, ZERO_PAGE), 0);
	ex = fake_idle(v0->cpu, 1);
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_ptr_equal(ex.vcpu, v0);
	assert_int_equal(ex.entry, FAKE_RAM_BASE);
	assert_int_equal(ex.arg0, FAKE_RAM_BASE);
	assert_int_equal(ex.arg1, FAKE_VM_RAM);
	check_guest(v0, FAKE_RAM_BASE, image, sizeof(image));
	check_guest(v0, FAKE_RAM_BASE + IMAGE_SIZE, zeros, sizeof(zeros));
	check_guest(v0, FAKE_RAM_BASE + 0x100000 - sizeof(zeros), zeros, sizeof(zeros));
	check_guest(v0, ZERO_PAGE, zeros, sizeof(zeros));
	assert_false(vm->stopped);
	assert_int_equal(fake_console_count_prefix("hyp: rs stopped"), 0);
}

/* PrimeCell UART PL011 TRM r1p5, 3.3; PC16550D Table 2 */
#define PL011_DR	0x000
#define PL011_RSR	0x004
#define PL011_FR	0x018
#define PL011_FR_RXFE	(1u << 4)
#define PL011_FR_TXFE	(1u << 7)
#define PL011_IBRD	0x024
#define PL011_FBRD	0x028
#define PL011_LCR_H	0x02c
#define PL011_CR	0x030
#define PL011_IFLS	0x034
#define PL011_IMSC	0x038
#define PL011_RIS	0x03c
#define PL011_INT_RT	(1u << 6)
#define COM1		0x3f8ull
#define NS_DLL		0
#define NS_IER		1
#define NS_DLM		1
#define NS_LCR		3
#define NS_MCR		4
#define NS_LSR		5
#define NS_SCR		7
#define NS_LCR_DLAB	0x80
#define NS_LSR_TX_EMPTY	0x60
#define TYPED		40	/* more than the PL011's 32-byte FIFO: an overrun */

static u32 typed_left;

static int typed_getc(void)
{
	return typed_left ? (int)(typed_left-- + 'a') % 128 : -1;
}

static u64 dev_reg(struct vcpu *v, struct vdev_bus *bus, u64 addr, bool write, u64 val, u32 size)
{
	const struct vdev *d = vdev_find(bus, addr);

	assert_non_null(d);
	assert_int_equal(vdev_access(v, d, addr, size, write, &val), 0);
	return val;
}

static u64 pl011(struct vcpu *v, u64 off, bool write, u64 val)
{
	return dev_reg(v, &v->vm->mmio, FAKE_UART_BASE + off, write, val, 4);
}

static u64 com1(struct vcpu *v, u64 off, bool write, u64 val)
{
	return dev_reg(v, &v->vm->port, COM1 + off, write, val, 1);
}

static void dirty_uarts(struct vcpu *v0)
{
	static const u64 pl011_regs[][2] = {
		{ PL011_IBRD, 0x1234 }, { PL011_FBRD, 0x21 }, { PL011_LCR_H, 0x70 },
		{ PL011_CR, 0x301 }, { PL011_IFLS, 0x3f }, { PL011_IMSC, PL011_INT_RT },
	};

	for (u32 i = 0; i < sizeof(pl011_regs) / sizeof(pl011_regs[0]); i++)
		pl011(v0, pl011_regs[i][0], true, pl011_regs[i][1]);
	typed_left = TYPED;
	hyp_console_poll();
	assert_int_equal(pl011(v0, PL011_FR, false, 0) & PL011_FR_RXFE, 0);
	assert_true(fake_irq_lines[v0->vm->id].level[VPL011_SPI]);
	com1(v0, NS_LCR, true, NS_LCR_DLAB | 3);
	com1(v0, NS_DLL, true, 0x0c);
	com1(v0, NS_DLM, true, 0x01);
	com1(v0, NS_LCR, true, 0x1b);
	com1(v0, NS_IER, true, 0x0f);
	com1(v0, NS_MCR, true, 0x0b);
	com1(v0, NS_SCR, true, 0x5a);
}

/*
 * A reset puts the VM's UARTs back as a machine reset would: the PL011's
 * registers at the TRM's reset values, its FIFO empty (an overrun
 * forgotten), its interrupt line low; the 16550's registers and divisor
 * latch zero. Before, they kept what the previous run wrote.
 */
static void test_reset_clears_uarts(void **state)
{
	struct vm *vm;
	struct vcpu *v0;

	(void)state;
	hyp_console_set_input(typed_getc);
	vm = create_vm("rs", 1);
	v0 = &vm->vcpus[0];
	fake_vm_start(vm);
	assert_int_equal(vdev_console_add(vm, VM_CONSOLE_NS16550_PORT, COM1), 0);
	dirty_uarts(v0);
	assert_int_equal(reset(v0).kind, FAKE_IDLE);
	assert_int_equal(fake_idle(v0->cpu, 1).kind, FAKE_RUN);
	assert_false(fake_irq_lines[vm->id].level[VPL011_SPI]);
	assert_int_equal(pl011(v0, PL011_FR, false, 0), PL011_FR_TXFE | PL011_FR_RXFE);
	assert_int_equal(pl011(v0, PL011_RSR, false, 0), 0);
	assert_int_equal(pl011(v0, PL011_DR, false, 0), 0);
	assert_int_equal(pl011(v0, PL011_RIS, false, 0), 0);
	assert_int_equal(pl011(v0, PL011_IBRD, false, 0), 0);
	assert_int_equal(pl011(v0, PL011_FBRD, false, 0), 0);
	assert_int_equal(pl011(v0, PL011_LCR_H, false, 0), 0);
	assert_int_equal(pl011(v0, PL011_CR, false, 0), 0x300);
	assert_int_equal(pl011(v0, PL011_IFLS, false, 0), 0x12);
	assert_int_equal(pl011(v0, PL011_IMSC, false, 0), 0);
	for (u64 r = NS_IER; r < 8; r++)
		assert_int_equal(com1(v0, r, false, 0xff), r == 2 ? 1 : r == NS_LSR ?
				 NS_LSR_TX_EMPTY : 0);
	com1(v0, NS_LCR, true, NS_LCR_DLAB);
	assert_int_equal(com1(v0, NS_DLL, false, 0xff), 0);
	assert_int_equal(com1(v0, NS_DLM, false, 0xff), 0);
}

/*
 * A guest that resets in a loop (the reset request is the first thing its
 * image does): each reset is served, but the log about it stays at
 * VM_LOG_MAX lines and one "not logged" line, as for refused calls.
 */
static void test_reset_storm_logs_bounded(void **state)
{
	struct vm *vm = create_vm("rs", 1), *other = create_vm("other", 1);
	struct vcpu *v0 = &vm->vcpus[0];

	(void)state;
	fake_vm_start(vm);
	fake_vm_start(other);
	for (u32 i = 0; i < 50; i++) {
		assert_int_equal(reset(v0).kind, FAKE_IDLE);
		assert_int_equal(fake_idle(v0->cpu, 1).kind, FAKE_RUN);
	}
	assert_false(vm->stopped);
	assert_int_equal(fake_console_count("hyp: rs: reset by the test"), VM_LOG_MAX);
	assert_int_equal(fake_console_count("hyp: rs: further resets are not logged"), 1);
	assert_int_equal(fake_console_count_prefix("hyp: rs: r"), VM_LOG_MAX);	/* not RAM's */
	assert_false(other->stopped);
}

/* vCPU 1 alone on (vCPU 0 turned itself off) asks for the reset. */
static void test_reset_from_vcpu1(void **state)
{
	struct vm *vm = create_vm("rs", 2), *other = create_vm("other", 1);
	struct vcpu *v1;

	(void)state;
	fake_vm_start(vm);
	fake_vm_start(other);
	v1 = fake_vcpu_up(vm, 1);
	assert_int_equal(fake_run(0, power_off_fn, &vm->vcpus[0]).kind, FAKE_IDLE);
	fake_guest_write(v1, ZERO_PAGE, "kept", 4);
	assert_int_equal(reset(v1).kind, FAKE_IDLE);
	assert_true(vm->stopped);
	assert_int_equal(fake_console_count("hyp: rs stopped: reset from vCPU 1: only vCPU 0 may reset"), 1);
	assert_int_equal(fake_console_count_prefix("hyp: rs stopped"), 1);
	assert_int_equal(fake_tlb_holders(vm, ZERO_PAGE), 1);
}

static void test_reset_with_vcpu1_on(void **state)
{
	struct vm *vm = create_vm("rs", 3), *other = create_vm("other", 1);

	(void)state;
	fake_vm_start(vm);
	fake_vm_start(other);
	fake_vcpu_up(vm, 2);
	assert_int_equal(vcpu_power_on(vm, 1, FAKE_RAM_BASE, 0, 0), POWER_OK);
	assert_int_equal(reset(&vm->vcpus[0]).kind, FAKE_IDLE);
	assert_true(vm->stopped);
	assert_int_equal(fake_console_count("hyp: rs stopped: reset while vCPU 1 is on: not supported"), 1);
	assert_int_equal(fake_console_count_prefix("hyp: rs stopped"), 1);
	assert_int_equal(fake_idle(vm->vcpus[1].cpu, 2).kind, FAKE_WAIT_LIMIT);
	assert_int_equal(fake_idle(vm->vcpus[0].cpu, 2).kind, FAKE_WAIT_LIMIT);
	assert_false(other->stopped);
}

static void test_stop_twice_logs_once(void **state)
{
	struct vm *vm = create_vm("st", 2), *other = create_vm("other", 1);

	(void)state;
	fake_vm_start(vm);
	fake_vm_start(other);
	fake_vcpu_up(vm, 1);
	assert_int_equal(fake_run(1, stop_fn, &vm->vcpus[1]).kind, FAKE_IDLE);
	assert_int_equal(fake_run(0, stop_fn, &vm->vcpus[0]).kind, FAKE_IDLE);
	assert_int_equal(fake_run(1, stop_fn, &vm->vcpus[1]).kind, FAKE_IDLE);
	assert_int_equal(fake_console_count("hyp: st stopped: stopped by vCPU 1"), 1);
	assert_int_equal(fake_console_count_prefix("hyp: st stopped"), 1);
	assert_int_equal(fake_console_count("hyp: st: 0 pages filled on demand, 0 2 MiB ranges collapsed"), 1);
	assert_int_equal(fake_console_count("hyp: all VMs stopped"), 0);
}

/* vm_power_off() stops without a reason; the last VM to stop powers the machine off. */
static void test_all_stopped_powers_off(void **state)
{
	struct vm *a = create_vm("a", 1), *b = create_vm("b", 1), *c = create_vm("c", 1);

	(void)state;
	fake_vm_start(a);
	fake_vm_start(b);
	fake_vm_start(c);
	assert_int_equal(fake_run(a->vcpus[0].cpu, power_off_vm_fn, &a->vcpus[0]).kind, FAKE_IDLE);
	assert_int_equal(fake_console_count_prefix("hyp: a stopped"), 0);
	assert_int_equal(fake_console_count("hyp: a: 0 pages filled on demand, 0 2 MiB ranges collapsed"), 1);
	assert_int_equal(fake_run(b->vcpus[0].cpu, stop_fn, &b->vcpus[0]).kind, FAKE_IDLE);
	assert_int_equal(fake_console_count("hyp: all VMs stopped"), 0);
	assert_int_equal(fake_run(c->vcpus[0].cpu, stop_fn, &c->vcpus[0]).kind, FAKE_POWER_OFF);
	assert_int_equal(fake_console_count("hyp: all VMs stopped"), 1);
	assert_int_equal(fake_console_count("hyp: power off"), 1);
	assert_int_equal(fake_run(b->vcpus[0].cpu, stop_fn, &b->vcpus[0]).kind, FAKE_IDLE);
	assert_int_equal(fake_console_count("hyp: all VMs stopped"), 1);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_gives_ram_back),
		cmocka_unit_test(test_reset_clears_uarts),
		cmocka_unit_test(test_reset_storm_logs_bounded),
		cmocka_unit_test(test_reset_from_vcpu1),
		cmocka_unit_test(test_reset_with_vcpu1_on),
		cmocka_unit_test(test_stop_twice_logs_once),
		cmocka_unit_test(test_all_stopped_powers_off),
	};

	return FAKE_RUN_TESTS(tests);
}
