// SPDX-License-Identifier: MIT
/*
 * hyp/vdev/vpl011.c as Linux's amba-pl011 driver sees it, on the fake arch:
 * its IDs, the registers that hold their values, and its interrupt line
 * (RIS & IMSC, level-sensitive) following the receive FIFO, transmits
 * and clears.
 */
#include <string.h>

#include "console.h"
#include "fake_arch.h"
#include "vdev.h"
#include "vdev/vpl011.h"

/* PrimeCell UART PL011 TRM r1p5, 3.3 */
#define UART_DR		0x000
#define UART_FR		0x018
#define UART_FR_RXFE	(1u << 4)
#define UART_FR_TXFE	(1u << 7)
#define UART_IBRD	0x024
#define UART_FBRD	0x028
#define UART_LCR_H	0x02c
#define UART_CR		0x030
#define UART_IFLS	0x034
#define UART_IMSC	0x038
#define UART_RIS	0x03c
#define UART_MIS	0x040
#define UART_ICR	0x044
#define UART_DMACR	0x048
#define UART_INT_RX	(1u << 4)
#define UART_INT_TX	(1u << 5)
#define UART_INT_RT	(1u << 6)
#define UART_INT_OE	(1u << 10)
#define UART_IFLS_RX_1_8	(0u << 3)
#define UART_IFLS_RX_4_8	(2u << 3)
#define UART_PERIPH_ID0	0xfe0
#define UART_RX_DEPTH	32
#define TYPED_MAX	256

static u8 typed[TYPED_MAX];
static u32 typed_len, typed_pos;

static int typed_getc(void)
{
	return typed_pos == typed_len ? -1 : typed[typed_pos++];
}

static void type(const char *s)
{
	u32 n = (u32)strlen(s);

	assert_true(typed_len + n <= TYPED_MAX);
	memcpy(typed + typed_len, s, n);
	typed_len += n;
}

static u64 reg(struct vm *vm, u64 offset, u32 size, bool write, u64 val)
{
	const struct vdev *d = vdev_find(&vm->mmio, FAKE_UART_BASE + offset);

	assert_non_null(d);
	assert_int_equal(vdev_access(&vm->vcpus[0], d, FAKE_UART_BASE + offset, size, write,
				     &val), 0);
	return val;
}

static u64 rd(struct vm *vm, u64 offset)
{
	return reg(vm, offset, 4, false, ~0ull);
}

static void wr(struct vm *vm, u64 offset, u64 val)
{
	reg(vm, offset, 4, true, val);
}

static bool line(const struct vm *vm)
{
	return fake_irq_lines[vm->id].level[VPL011_SPI];
}

static struct vm *input_vm(void)
{
	hyp_console_set_input(typed_getc);
	return fake_vm_create("lin", 1, NULL, 0);
}

static void test_ids(void **state)
{
	static const u8 id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct vm *vm = fake_vm_create("ids", 1, NULL, 0);
	u32 periph = 0, cell = 0;

	(void)state;
	for (u32 i = 0; i < 8; i++)
		assert_int_equal(rd(vm, UART_PERIPH_ID0 + 4 * i), id[i]);
	for (u32 i = 0; i < 4; i++) {
		periph |= (u32)rd(vm, UART_PERIPH_ID0 + 4 * i) << (8 * i);
		cell |= (u32)rd(vm, UART_PERIPH_ID0 + 16 + 4 * i) << (8 * i);
	}
	assert_int_equal(periph, 0x00341011);	/* PL011 r1p5, as the AMBA bus matches it */
	assert_int_equal(cell, 0xb105f00d);
	assert_int_equal(reg(vm, UART_PERIPH_ID0 + 1, 1, false, ~0ull), 0);
	assert_int_equal(reg(vm, UART_PERIPH_ID0, 2, false, ~0ull), 0x11);
}

static void test_registers_hold(void **state)
{
	struct vm *vm = fake_vm_create("regs", 1, NULL, 0);

	(void)state;
	assert_int_equal(rd(vm, UART_CR), 0x300);	/* the TRM's reset values */
	assert_int_equal(rd(vm, UART_IFLS), 0x12);
	assert_int_equal(rd(vm, UART_IMSC), 0);
	wr(vm, UART_IBRD, 0x12345);
	wr(vm, UART_FBRD, 0xff);
	wr(vm, UART_LCR_H, 0x170);
	wr(vm, UART_CR, 0x30301);
	wr(vm, UART_IFLS, 0xff);
	wr(vm, UART_IMSC, 0xffff);
	wr(vm, UART_DMACR, 7);
	assert_int_equal(rd(vm, UART_IBRD), 0x2345);
	assert_int_equal(rd(vm, UART_FBRD), 0x3f);
	assert_int_equal(rd(vm, UART_LCR_H), 0x70);
	assert_int_equal(rd(vm, UART_CR), 0x0301);
	assert_int_equal(rd(vm, UART_IFLS), 0x3f);
	assert_int_equal(rd(vm, UART_IMSC), 0x7ff);
	assert_int_equal(rd(vm, UART_DMACR), 0);
	assert_int_equal(rd(vm, UART_FR), UART_FR_TXFE | UART_FR_RXFE);
	wr(vm, UART_RIS, 0x7ff);			/* read-only */
	assert_int_equal(rd(vm, UART_RIS), 0);
}

/* A transmit raises TX (the FIFO drains at once); ICR clears it; IMSC gates the line. */
static void test_tx_interrupt(void **state)
{
	struct vm *vm = fake_vm_create("tx", 1, NULL, 0);

	(void)state;
	assert_int_equal(rd(vm, UART_RIS), 0);
	wr(vm, UART_DR, 'a');
	assert_int_equal(rd(vm, UART_RIS), UART_INT_TX);
	assert_int_equal(rd(vm, UART_MIS), 0);
	assert_false(line(vm));
	wr(vm, UART_IMSC, UART_INT_TX);
	assert_int_equal(rd(vm, UART_MIS), UART_INT_TX);
	assert_true(line(vm));
	wr(vm, UART_ICR, UART_INT_RX);			/* another bit: no change */
	assert_true(line(vm));
	wr(vm, UART_ICR, UART_INT_TX);
	assert_int_equal(rd(vm, UART_RIS), 0);
	assert_false(line(vm));
	wr(vm, UART_DR, 'b');
	assert_true(line(vm));
	wr(vm, UART_IMSC, 0);
	assert_false(line(vm));
	assert_int_equal(fake_irq_lines[vm->id].redundant, 0);
}

/*
 * Linux's way: RX and RT unmasked, the FIFO half full raises RX, a byte
 * at all RT; both fall as DR is read, never by ICR alone.
 */
static void test_rx_interrupt(void **state)
{
	struct vm *vm = input_vm();
	char got[UART_RX_DEPTH + 1];
	u32 n = 0;

	(void)state;
	assert_ptr_equal(hyp_console_input_owner(), vm);
	wr(vm, UART_IMSC, UART_INT_RX | UART_INT_RT);
	wr(vm, UART_ICR, 0x7ff);
	assert_false(line(vm));
	type("echo hi\r");
	hyp_console_poll();
	assert_int_equal(rd(vm, UART_RIS), UART_INT_RT);	/* 8 < 16, the trigger level */
	assert_true(line(vm));
	wr(vm, UART_ICR, UART_INT_RT | UART_INT_RX);
	assert_true(line(vm));
	type("0123456789");
	hyp_console_poll();
	assert_int_equal(rd(vm, UART_MIS), UART_INT_RT | UART_INT_RX);
	while (!(rd(vm, UART_FR) & UART_FR_RXFE) && n < UART_RX_DEPTH)
		got[n++] = (char)rd(vm, UART_DR);
	got[n] = '\0';
	assert_string_equal(got, "echo hi\r0123456789");
	assert_int_equal(rd(vm, UART_RIS), 0);
	assert_false(line(vm));
	wr(vm, UART_IFLS, UART_IFLS_RX_1_8);			/* 4 bytes */
	type("abcd");
	hyp_console_poll();
	assert_int_equal(rd(vm, UART_RIS), UART_INT_RT | UART_INT_RX);
	rd(vm, UART_DR);
	assert_int_equal(rd(vm, UART_RIS), UART_INT_RT);
	wr(vm, UART_IMSC, UART_INT_RX);
	assert_false(line(vm));
	assert_int_equal(fake_irq_lines[vm->id].redundant, 0);
}

/* A byte that finds the FIFO full: OE latched in RIS until ICR. */
static void test_overrun_interrupt(void **state)
{
	struct vm *vm = input_vm();
	char many[UART_RX_DEPTH + 2];

	(void)state;
	memset(many, 'x', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	wr(vm, UART_IFLS, UART_IFLS_RX_4_8);
	wr(vm, UART_IMSC, UART_INT_OE);
	type(many);
	hyp_console_poll();
	assert_int_equal(rd(vm, UART_RIS), UART_INT_OE | UART_INT_RX | UART_INT_RT);
	assert_true(line(vm));
	for (u32 i = 0; i < UART_RX_DEPTH; i++)
		rd(vm, UART_DR);
	assert_true(line(vm));
	wr(vm, UART_ICR, UART_INT_OE);
	assert_false(line(vm));
	assert_int_equal(rd(vm, UART_RIS), 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_registers_hold),
		cmocka_unit_test(test_tx_interrupt),
		cmocka_unit_test(test_rx_interrupt),
		cmocka_unit_test(test_overrun_interrupt),
	};

	return FAKE_RUN_TESTS(tests);
}
