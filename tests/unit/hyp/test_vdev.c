// SPDX-License-Identifier: MIT
/* hyp/vdev.c's bus, hyp/vdev/vpl011.c and hyp/vdev/vns16550.c on the fake arch. */
#include "fake_arch.h"
#include "vdev/vns16550.h"
#include "vdev/vpl011.h"
#include "vm_config.h"

#define DEV_BASE	0x1000ull
#define DEV_SIZE	0x100ull
#define UART_DR		0x000
#define UART_RSR	0x004
#define UART_FR		0x018
#define UART_CR		0x030
#define UART_CR_RESET	0x300	/* TXE | RXE */
#define UART_FR_RXFE_TXFE	0x90

/* A device that records its last access and reads as all ones. */
static struct {
	u32 calls;
	u64 offset, val;
	u32 size;
	bool write;
} last;

static u64 ones_read(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size)
{
	(void)vcpu;
	(void)dev;
	last.calls++;
	last.offset = offset;
	last.size = size;
	last.write = false;
	return ~0ull;
}

static void ones_write(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size, u64 val)
{
	(void)vcpu;
	(void)dev;
	last.calls++;
	last.offset = offset;
	last.size = size;
	last.write = true;
	last.val = val;
}

static void test_add_errors(void **state)
{
	struct vdev_bus bus = { 0 };

	(void)state;
	assert_int_equal(vdev_add(&bus, DEV_BASE, DEV_SIZE, ones_read, ones_write, NULL), 0);
	assert_int_equal(vdev_add(&bus, DEV_BASE, DEV_SIZE, ones_read, ones_write, NULL), -EBUSY);
	assert_int_equal(vdev_add(&bus, DEV_BASE - 0x80, DEV_SIZE, ones_read, ones_write, NULL), -EBUSY);
	assert_int_equal(vdev_add(&bus, DEV_BASE + DEV_SIZE - 1, 1, ones_read, ones_write, NULL), -EBUSY);
	assert_int_equal(vdev_add(&bus, 0, ~0ull, ones_read, ones_write, NULL), -EBUSY);
	assert_int_equal(vdev_add(&bus, DEV_BASE, 0, ones_read, ones_write, NULL), -EINVAL);
	assert_int_equal(vdev_add(&bus, ~0ull - 0xff, 0x200, ones_read, ones_write, NULL), -EINVAL);
	assert_int_equal(bus.nr, 1);
	assert_int_equal(vdev_add(&bus, DEV_BASE + DEV_SIZE, DEV_SIZE, ones_read, ones_write, NULL), 0);
	assert_int_equal(vdev_add(&bus, DEV_BASE - DEV_SIZE, DEV_SIZE, ones_read, ones_write, NULL), 0);
	assert_int_equal(vdev_add(&bus, 0x10000, 1, ones_read, ones_write, NULL), 0);
	assert_int_equal(bus.nr, VM_MAX_VDEVS);
	assert_int_equal(vdev_add(&bus, 0x20000, 1, ones_read, ones_write, NULL), -ENOMEM);
	assert_int_equal(vdev_add(&bus, DEV_BASE, 1, ones_read, ones_write, NULL), -EBUSY);
	assert_int_equal(bus.nr, VM_MAX_VDEVS);
}

static void test_find_edges(void **state)
{
	struct vdev_bus bus = { 0 };
	const struct vdev *d;

	(void)state;
	assert_null(vdev_find(&bus, DEV_BASE));
	assert_int_equal(vdev_add(&bus, DEV_BASE, DEV_SIZE, ones_read, ones_write, NULL), 0);
	d = &bus.devs[0];
	assert_ptr_equal(vdev_find(&bus, DEV_BASE), d);
	assert_ptr_equal(vdev_find(&bus, DEV_BASE + DEV_SIZE - 1), d);
	assert_null(vdev_find(&bus, DEV_BASE + DEV_SIZE));
	assert_null(vdev_find(&bus, DEV_BASE - 1));
	assert_null(vdev_find(&bus, DEV_BASE - DEV_SIZE));
	assert_int_equal(vdev_add(&bus, DEV_BASE + DEV_SIZE, 8, ones_read, ones_write, NULL), 0);
	assert_ptr_equal(vdev_find(&bus, DEV_BASE + DEV_SIZE), &bus.devs[1]);
	assert_ptr_equal(vdev_find(&bus, DEV_BASE + DEV_SIZE - 1), d);
}

static void test_access_bounds(void **state)
{
	struct vdev_bus bus = { 0 };
	const struct vdev *d;
	u64 val = 0;

	(void)state;
	assert_int_equal(vdev_add(&bus, DEV_BASE, 0x10, ones_read, ones_write, NULL), 0);
	d = &bus.devs[0];
	assert_int_equal(vdev_access(NULL, d, DEV_BASE + 0xc, 8, false, &val), -EINVAL);
	assert_int_equal(vdev_access(NULL, d, DEV_BASE + 0xf, 2, true, &val), -EINVAL);
	assert_int_equal(vdev_access(NULL, d, DEV_BASE + 0xd, 4, false, &val), -EINVAL);
	assert_int_equal(last.calls, 0);
	assert_int_equal(vdev_access(NULL, d, DEV_BASE + 0x8, 8, false, &val), 0);
	assert_int_equal(vdev_access(NULL, d, DEV_BASE + 0xf, 1, false, &val), 0);
	assert_int_equal(last.calls, 2);
	assert_int_equal(last.offset, 0xf);
	assert_int_equal(last.size, 1);
}

static void test_access_truncated(void **state)
{
	static const u32 sizes[] = { 1, 2, 4, 8 };
	struct vdev_bus bus = { 0 };
	u64 val;

	(void)state;
	assert_int_equal(vdev_add(&bus, DEV_BASE, DEV_SIZE, ones_read, ones_write, NULL), 0);
	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 mask = sizes[i] == 8 ? ~0ull : (1ull << (sizes[i] * 8)) - 1;

		val = 0x5a5a5a5a5a5a5a5aull;
		assert_int_equal(vdev_access(NULL, &bus.devs[0], DEV_BASE, sizes[i], false, &val), 0);
		assert_int_equal(val, mask);
		val = 0x1122334455667788ull;
		assert_int_equal(vdev_access(NULL, &bus.devs[0], DEV_BASE + 8, sizes[i], true, &val), 0);
		assert_true(last.write);
		assert_int_equal(last.val, 0x1122334455667788ull & mask);
	}
}

static u64 uart(struct vcpu *vcpu, u64 offset, u32 size, bool write, u64 val)
{
	const struct vdev *d = vdev_find(&vcpu->vm->mmio, FAKE_UART_BASE + offset);

	assert_non_null(d);
	assert_int_equal(vdev_access(vcpu, d, FAKE_UART_BASE + offset, size, write, &val), 0);
	return val;
}

static void test_pl011(void **state)
{
	struct vm *vm = fake_vm_create("uart", 2, NULL, 0);
	struct vcpu *v0 = &vm->vcpus[0], *v1;
	u64 val = 0;

	(void)state;
	fake_vm_start(vm);
	v1 = fake_vcpu_up(vm, 1);
	assert_int_equal(vm->mmio.nr, 1);
	assert_int_equal(vm->mmio.devs[0].size, VPL011_SIZE);
	uart(v0, UART_DR, 4, true, 0x100 | 'o');
	uart(v0, UART_DR, 1, true, 'k');
	uart(v0, UART_RSR, 4, true, 'x');
	uart(v0, UART_DR + 1, 1, true, 'y');
	uart(v1, UART_DR, 4, true, 'v');
	uart(v0, UART_DR, 2, true, '\n');
	assert_int_equal(fake_console_count("[uart] ok"), 1);
	assert_int_equal(v1->line_len, 1);
	assert_int_equal(uart(v0, UART_FR, 4, false, 0), UART_FR_RXFE_TXFE);
	assert_int_equal(uart(v0, UART_FR, 1, false, 0), UART_FR_RXFE_TXFE);
	assert_int_equal(uart(v0, UART_FR, 8, false, 0), UART_FR_RXFE_TXFE);
	assert_int_equal(uart(v0, UART_DR, 4, false, ~0ull), 0);
	assert_int_equal(uart(v0, UART_CR, 4, false, ~0ull), UART_CR_RESET);
	assert_int_equal(uart(v0, UART_FR + 1, 1, false, ~0ull), 0);
	assert_int_equal(uart(v0, VPL011_SIZE - 4, 4, false, ~0ull), 0xb1);	/* UARTPCellID3 */
	assert_int_equal(uart(v0, VPL011_SIZE - 0x100, 4, false, ~0ull), 0);	/* reserved */
	assert_int_equal(vdev_access(v0, &vm->mmio.devs[0], FAKE_UART_BASE + VPL011_SIZE - 2, 4,
				     false, &val), -EINVAL);
	assert_null(vdev_find(&vm->mmio, FAKE_UART_BASE + VPL011_SIZE));
	assert_null(vdev_find(&vm->port, FAKE_UART_BASE));
}

static void test_console_kinds(void **state)
{
	struct vm *vm = fake_vm_create("kinds", 1, NULL, 0);

	(void)state;
	assert_int_equal(vdev_console_add(vm, VM_CONSOLE_NONE, 0x2000), 0);
	assert_int_equal(vm->mmio.nr, 1);
	assert_int_equal(vdev_console_add(vm, VM_CONSOLE_PL011, FAKE_UART_BASE + 0x800), -EBUSY);
	assert_int_equal(vdev_console_add(vm, 99, 0x2000), -EINVAL);
	assert_int_equal(vdev_console_add(vm, VM_CONSOLE_PL011, 0x2000), 0);
	assert_int_equal(vm->mmio.nr, 2);
}

#define COM1		0x3f8ull
#define NS_THR		0	/* PC16550D Table 2 */
#define NS_IER		1
#define NS_IIR		2
#define NS_LCR		3
#define NS_LSR		5
#define NS_SCR		7
#define NS_LCR_DLAB	0x80
#define NS_LSR_TX_EMPTY	0x60	/* THRE | TEMT */

static u64 port(struct vcpu *vcpu, u64 reg, u32 size, bool write, u64 val)
{
	const struct vdev *d = vdev_find(&vcpu->vm->port, COM1 + reg);

	assert_non_null(d);
	assert_int_equal(vdev_access(vcpu, d, COM1 + reg, size, write, &val), 0);
	return val;
}

/* The x86 console: a 16550 on the VM's port bus, THR into the console line. */
static void test_ns16550_port(void **state)
{
	struct vm *vm = fake_vm_create("com", 1, NULL, 0);
	struct vcpu *v0 = &vm->vcpus[0];
	u64 val = 0;

	(void)state;
	fake_vm_start(vm);
	assert_int_equal(vdev_console_add(vm, VM_CONSOLE_NS16550_PORT, COM1), 0);
	assert_int_equal(vm->port.nr, 1);
	assert_null(vdev_find(&vm->mmio, COM1));
	assert_null(vdev_find(&vm->port, COM1 + VNS16550_REGS));
	assert_int_equal(port(v0, NS_LSR, 1, false, 0), NS_LSR_TX_EMPTY);
	assert_int_equal(port(v0, NS_IIR, 1, false, 0), 1);	/* no interrupt pending */
	port(v0, NS_SCR, 1, true, 0x5a);
	assert_int_equal(port(v0, NS_SCR, 1, false, 0), 0x5a);
	/* With DLAB, offsets 0 and 1 are the divisor: nothing is printed. */
	port(v0, NS_LCR, 1, true, NS_LCR_DLAB | 3);
	port(v0, NS_THR, 1, true, 'x');
	port(v0, NS_IER, 1, true, 0);
	assert_int_equal(port(v0, NS_THR, 1, false, 0), 'x');
	port(v0, NS_LCR, 1, true, 3);
	port(v0, NS_THR, 1, true, 'o');
	port(v0, NS_THR, 2, true, 'z');		/* not a byte access: ignored */
	port(v0, NS_THR, 1, true, 'k');
	port(v0, NS_THR, 1, true, '\n');
	assert_int_equal(fake_console_count("[com] ok"), 1);
	assert_int_equal(vdev_access(v0, &vm->port.devs[0], COM1 + NS_SCR, 2, false, &val),
			 -EINVAL);
	assert_int_equal(vdev_console_add(vm, VM_CONSOLE_NS16550_PORT, COM1 + 4), -EBUSY);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_find_edges),
		cmocka_unit_test(test_access_bounds),
		cmocka_unit_test(test_access_truncated),
		cmocka_unit_test(test_pl011),
		cmocka_unit_test(test_console_kinds),
		cmocka_unit_test(test_ns16550_port),
	};

	return FAKE_RUN_TESTS(tests);
}
