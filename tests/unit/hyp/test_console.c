// SPDX-License-Identifier: MIT
/*
 * The vCPUs' console lines (vm_console_putc) on the fake arch, alone and
 * from racing CPUs; console input: the VM that holds it, Ctrl-A x3
 * switching, its emulated PL011's receive FIFO, raw and escaped output.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "fake_arch.h"
#include "guest_abi.h"
#include "hypercall.h"
#include "vdev.h"
#include "vdev/vns16550.h"
#include "vm_config.h"

#define RACE_LINES	200
#define RACE_WIDTH	60
#define TEXT_GPA	(FAKE_RAM_BASE + 0x10000)
#define CONSOLE_COPY	(1u << 20)
#define CTRL_A		"\x01"
#define SWITCH		CTRL_A CTRL_A CTRL_A
#define UART_DR		0x000	/* PL011 TRM 3.3 */
#define UART_DR_OE	(1u << 11)
#define UART_RSR_ECR	0x004
#define UART_RSR_OE	(1u << 3)
#define UART_FR		0x018
#define UART_FR_RXFE	(1u << 4)
#define UART_FR_RXFF	(1u << 6)
#define UART_RX_DEPTH	32
#define IDLE_CPU	(HYP_MAX_CPUS - 1)	/* no VM of these tests has it */
#define TYPED_MAX	4096
#define NS16550_BASE	0x2000ull	/* a second console on a VM: nothing else there */

static void put(struct vcpu *vcpu, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vm_console_putc(vcpu, s[i]);
}

static struct vm *boot_vm(u32 nr_vcpus)
{
	struct vm *vm = fake_vm_create("cn", nr_vcpus, NULL, 0);

	fake_vm_start(vm);
	return vm;
}

static void test_line_on_newline(void **state)
{
	struct vcpu *v = &boot_vm(1)->vcpus[0];
	size_t printed = fake_console_len();

	(void)state;
	put(v, "hello", 5);
	assert_int_equal(fake_console_len(), printed);
	put(v, "\n", 1);
	assert_int_equal(fake_console_count("[cn] hello"), 1);
	printed = fake_console_len();
	put(v, "\n", 1);
	assert_int_equal(fake_console_len(), printed);
}

static void test_cr_dropped(void **state)
{
	struct vcpu *v = &boot_vm(1)->vcpus[0];

	(void)state;
	put(v, "a\rb\r\n", 5);
	put(v, "\r\r\rc\n", 5);
	assert_int_equal(fake_console_count("[cn] ab"), 1);
	assert_int_equal(fake_console_count("[cn] c"), 1);
}

static void test_control_chars(void **state)
{
	static const char in[] = "\x01x\x1b[2J\x7f\x80\xff\t\0z\b\\\n";
	struct vcpu *v = &boot_vm(1)->vcpus[0];

	(void)state;
	put(v, in, sizeof(in) - 1);
	assert_int_equal(fake_console_count("[cn] \\x01x\\x1b[2J\\x7f\\x80\\xff\t\\x00z\\x08\\\\"), 1);
}

static void test_long_line_split(void **state)
{
	struct vcpu *v = &boot_vm(1)->vcpus[0];
	char full[VM_LINE_MAX + 8], a[300];

	(void)state;
	memset(a, 'a', sizeof(a));
	put(v, a, sizeof(a));
	put(v, "\n", 1);
	memcpy(full, "[cn] ", 5);
	memset(full + 5, 'a', VM_LINE_MAX - 1);
	full[5 + VM_LINE_MAX - 1] = '\0';
	assert_int_equal(fake_console_count(full), 2);
	full[5 + sizeof(a) - 2 * (VM_LINE_MAX - 1)] = '\0';
	assert_int_equal(fake_console_count(full), 1);
	assert_int_equal(fake_console_count_prefix("[cn] "), 3);
	put(v, a, VM_LINE_MAX - 1);
	put(v, "\n", 1);
	assert_int_equal(fake_console_count_prefix("[cn] "), 4);
}

static void stop_fn(void *vm)
{
	vm_stop(vm, "done");
}

static void test_stop_flushes(void **state)
{
	struct vm *vm = boot_vm(2);
	char text[4096];

	(void)state;
	fake_vcpu_up(vm, 1);
	put(&vm->vcpus[0], "abc", 3);
	put(&vm->vcpus[1], "def", 3);
	assert_int_equal(fake_run(0, stop_fn, vm).kind, FAKE_POWER_OFF);
	fake_console_copy(text, sizeof(text));
	assert_non_null(strstr(text, "[cn] abc\r\n[cn] def\r\nhyp: cn: "));
	assert_int_equal(fake_console_count("hyp: cn stopped: done"), 1);
}

struct racer {
	struct vcpu *vcpu;
	struct fake_barrier *start;
	char fill;		/* putc_lines: the byte of its lines, 'A' if 0 */
};

static void putc_lines(void *arg)
{
	struct racer *r = arg;
	char line[RACE_WIDTH + 1];

	memset(line, r->fill ? r->fill : 'A', RACE_WIDTH);
	line[RACE_WIDTH] = '\n';
	fake_barrier_wait(r->start);
	for (u32 i = 0; i < RACE_LINES; i++)
		put(r->vcpu, line, sizeof(line));
}

static void hypercall_lines(void *arg)
{
	struct racer *r = arg;

	fake_barrier_wait(r->start);
	for (u32 i = 0; i < RACE_LINES; i++)
		hypercall(r->vcpu, HC_CONSOLE_WRITE, TEXT_GPA, RACE_WIDTH + 1, 0);
}

static void log_lines(void *arg)
{
	struct racer *r = arg;

	fake_barrier_wait(r->start);
	for (u32 i = 0; i < RACE_LINES; i++)
		hyp_log("hyp: noise %u\n", i);
}

/* Every line of the output whole: @a lines of A, @b of B, the rest the hypervisor's. */
static void count_lines(char *text, u32 *a, u32 *b)
{
	char want_a[RACE_WIDTH + 8] = "[cn] ", want_b[RACE_WIDTH + 8] = "[cn] ";

	memset(want_a + 5, 'A', RACE_WIDTH);
	memset(want_b + 5, 'B', RACE_WIDTH);
	*a = *b = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		size_t n = strlen(line);

		assert_true(n && line[n - 1] == '\r');
		line[n - 1] = '\0';
		*a += !strcmp(line, want_a);
		*b += !strcmp(line, want_b);
		if (strcmp(line, want_a) && strcmp(line, want_b))
			assert_memory_equal(line, "hyp: ", 5);
	}
}

static void test_lines_never_interleave(void **state)
{
	struct vm *vm = boot_vm(3);
	struct fake_barrier start = { .n = 3 };
	struct racer r[3];
	struct fake_thread t[3];
	fake_fn *const fns[3] = { putc_lines, hypercall_lines, log_lines };
	char line[RACE_WIDTH + 1], *text = malloc(CONSOLE_COPY);
	u32 a, b;

	(void)state;
	assert_non_null(text);
	fake_vcpu_up(vm, 1);
	fake_vcpu_up(vm, 2);
	memset(line, 'B', RACE_WIDTH);
	line[RACE_WIDTH] = '\n';
	fake_guest_write(&vm->vcpus[1], TEXT_GPA, line, sizeof(line));
	for (u32 i = 0; i < 3; i++) {
		r[i] = (struct racer){ .vcpu = &vm->vcpus[i], .start = &start };
		fake_thread_start(&t[i], vm->vcpus[i].cpu, fns[i], &r[i]);
	}
	for (u32 i = 0; i < 3; i++)
		assert_int_equal(fake_thread_join(&t[i]).kind, FAKE_RETURNED);
	fake_console_copy(text, CONSOLE_COPY);
	count_lines(text, &a, &b);
	assert_int_equal(a, RACE_LINES);
	assert_int_equal(b, RACE_LINES);
	assert_int_equal(fake_console_count_prefix("hyp: noise "), RACE_LINES);
	free(text);
}

/* Console input: what the "host UART" received, read by hyp_console_poll(). */
static u8 typed[TYPED_MAX];
static u32 typed_len, typed_pos;

static int typed_getc(void)
{
	u32 pos = __atomic_load_n(&typed_pos, __ATOMIC_RELAXED);

	if (pos == __atomic_load_n(&typed_len, __ATOMIC_ACQUIRE))
		return -1;
	__atomic_store_n(&typed_pos, pos + 1, __ATOMIC_RELAXED);
	return typed[pos];
}

static void type(const char *s)
{
	u32 len = typed_len, n = (u32)strlen(s);

	assert_true(len + n <= TYPED_MAX);
	memcpy(typed + len, s, n);
	__atomic_store_n(&typed_len, len + n, __ATOMIC_RELEASE);
}

/* @n VMs "a", "b", ... with a PL011 each, created after the console can receive. */
static void input_vms(struct vm **vms, u32 n)
{
	static const char *const names[] = { "a", "b", "c" };

	hyp_console_set_input(typed_getc);
	for (u32 i = 0; i < n; i++)
		vms[i] = fake_vm_create(names[i], 1, NULL, 0);
}

static u64 uart_read(struct vm *vm, u64 reg)
{
	const struct vdev *d = vdev_find(&vm->mmio, FAKE_UART_BASE);
	u64 val = ~0ull;

	assert_non_null(d);
	assert_int_equal(vdev_access(&vm->vcpus[0], d, FAKE_UART_BASE + reg, 4, false, &val), 0);
	return val;
}

static void uart_write(struct vm *vm, u64 reg, u64 val)
{
	const struct vdev *d = vdev_find(&vm->mmio, FAKE_UART_BASE);

	assert_int_equal(vdev_access(&vm->vcpus[0], d, FAKE_UART_BASE + reg, 4, true, &val), 0);
}

static void uart_puts(struct vm *vm, const char *s)
{
	for (; *s; s++) {
		uart_read(vm, UART_FR);		/* as a driver does before each byte */
		uart_write(vm, UART_DR, (u8)*s);
	}
}

/* What @vm's guest reads from its UART (polling as it goes), NUL-terminated. */
static u32 uart_gets(struct vm *vm, char *buf, u32 size)
{
	u32 n = 0;

	while (n + 1 < size && !(uart_read(vm, UART_FR) & UART_FR_RXFE))
		buf[n++] = (char)(uart_read(vm, UART_DR) & 0xff);
	buf[n] = '\0';
	return n;
}

static bool console_has(const char *text)
{
	static char out[CONSOLE_COPY];

	fake_console_copy(out, sizeof(out));
	return strstr(out, text) != NULL;
}

static void put_str(struct vcpu *vcpu, const char *s)
{
	put(vcpu, s, strlen(s));
}

static void test_input_to_first_vm(void **state)
{
	struct vm *vm[2];
	char got[64];

	(void)state;
	input_vms(vm, 2);
	assert_int_equal(fake_console_count("hyp: console input: a (Ctrl-A three times to switch)"), 1);
	assert_int_equal(fake_console_count_prefix("hyp: console input: "), 1);
	assert_ptr_equal(hyp_console_input_owner(), vm[0]);
	type("hi\r");
	assert_int_equal(uart_gets(vm[1], got, sizeof(got)), 0);
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)), 3);
	assert_string_equal(got, "hi\r");
	assert_int_equal(uart_gets(vm[1], got, sizeof(got)), 0);
}

static void test_no_input_no_holder(void **state)
{
	struct vm *vm = fake_vm_create("a", 1, NULL, 0);
	char got[8];

	(void)state;
	assert_null(hyp_console_input_owner());
	assert_int_equal(fake_console_count_prefix("hyp: console input: "), 0);
	assert_int_equal(uart_gets(vm, got, sizeof(got)), 0);
}

static void test_ctrl_a_switches(void **state)
{
	struct vm *vm[2];
	char got[64];

	(void)state;
	input_vms(vm, 2);
	type("x" SWITCH "y");
	hyp_console_poll();
	assert_int_equal(fake_console_count("hyp: console input: b (Ctrl-A three times to switch)"), 1);
	assert_ptr_equal(hyp_console_input_owner(), vm[1]);
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)), 1);
	assert_string_equal(got, "x");
	assert_int_equal(uart_gets(vm[1], got, sizeof(got)), 1);
	assert_string_equal(got, "y");
	/* After the last VM, none: what comes is dropped. */
	type(SWITCH "z");
	hyp_console_poll();
	assert_int_equal(fake_console_count("hyp: console input: none, dropped (Ctrl-A three "
					    "times to switch)"), 1);
	assert_null(hyp_console_input_owner());
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)) + uart_gets(vm[1], got, sizeof(got)), 0);
	/* Then the first again, switched by an idle CPU's poll. */
	type(SWITCH "w");
	assert_int_equal(fake_idle(IDLE_CPU, 1).kind, FAKE_WAIT_LIMIT);
	assert_int_equal(fake_console_count("hyp: console input: a (Ctrl-A three times to switch)"), 2);
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)), 1);
	assert_string_equal(got, "w");
	assert_int_equal(fake_console_count_prefix("hyp: console input: "), 4);
}

static void test_ctrl_a_passed_through(void **state)
{
	struct vm *vm[2];
	char got[64];

	(void)state;
	input_vms(vm, 2);
	type(CTRL_A "p" CTRL_A CTRL_A "q");
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)), 5);
	assert_string_equal(got, CTRL_A "p" CTRL_A CTRL_A "q");
	/* Held back until something else comes. */
	type(CTRL_A CTRL_A);
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)), 0);
	type("r");
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)), 3);
	assert_string_equal(got, CTRL_A CTRL_A "r");
	/* Four: a switch, then one held back for the new holder. */
	type(SWITCH CTRL_A "s");
	hyp_console_poll();
	assert_int_equal(uart_gets(vm[0], got, sizeof(got)), 0);
	assert_int_equal(uart_gets(vm[1], got, sizeof(got)), 2);
	assert_string_equal(got, CTRL_A "s");
	assert_int_equal(fake_console_count_prefix("hyp: console input: "), 2);
}

static void test_raw_and_escaped(void **state)
{
	struct vm *vm[2];

	(void)state;
	input_vms(vm, 2);
	put_str(&vm[0]->vcpus[0], "\x1b[2Jhi\\\a\n");
	put_str(&vm[1]->vcpus[0], "\x1b[2Jhi\\\a\n");
	assert_true(console_has("\r\n[a] \x1b[2Jhi\\\a\r\n"));
	assert_int_equal(fake_console_count("[b] \\x1b[2Jhi\\\\\\x07"), 1);
	/* A CR the holder sends is its own: no second one is added. */
	put_str(&vm[0]->vcpus[0], "x\r\n");
	assert_true(console_has("\r\n[a] x\r\n"));
	/* Input moved: b's bytes pass raw, a's are escaped. */
	type(SWITCH);
	hyp_console_poll();
	put_str(&vm[0]->vcpus[0], "\x1b[0m\n");
	put_str(&vm[1]->vcpus[0], "\x1b[0m\n");
	assert_int_equal(fake_console_count("[a] \\x1b[0m"), 1);
	assert_true(console_has("\r\n[b] \x1b[0m\r\n"));
}

/* The holder's part line (a prompt) goes out once it waits for input, not before. */
static void test_raw_part_line_on_wait(void **state)
{
	struct vm *vm[2];
	size_t printed;

	(void)state;
	input_vms(vm, 2);
	fake_vm_start(vm[0]);
	printed = fake_console_len();
	uart_puts(vm[0], "$ ");
	uart_read(vm[0], UART_FR);		/* the transmit's last FR read */
	assert_int_equal(fake_console_len(), printed);
	uart_read(vm[0], UART_FR);		/* polling for input */
	assert_true(console_has("\r\n[a] $ "));
	assert_int_equal(fake_console_len(), printed + strlen("[a] $ "));
	/* Another line ends it first; the holder's next bytes begin a line of their own. */
	put_str(&vm[1]->vcpus[0], "x\n");
	uart_puts(vm[0], "ls\n");
	assert_true(console_has("\r\n[a] $ \r\n[b] x\r\n[a] ls\r\n"));
	/* Waiting in WFI (vcpu_wait) does the same. */
	uart_puts(vm[0], "# ");
	assert_false(console_has("\r\n[a] # "));
	assert_int_equal(fake_idle(vm[0]->vcpus[0].cpu, 1).kind, FAKE_WAIT_LIMIT);
	assert_true(console_has("\r\n[a] # "));
}

static void test_switch_flushes_part_lines(void **state)
{
	struct vm *vm[2];

	(void)state;
	input_vms(vm, 2);
	put_str(&vm[0]->vcpus[0], "$ ");
	put_str(&vm[1]->vcpus[0], "part");
	type(SWITCH);
	hyp_console_poll();
	assert_true(console_has("\r\n[a] $ \r\n[b] part\r\n"
				"hyp: console input: b (Ctrl-A three times to switch)\r\n"));
}

static void test_rx_overrun(void **state)
{
	struct vm *vm[2];
	char more[UART_RX_DEPTH + 9];
	u64 dr;

	(void)state;
	input_vms(vm, 2);
	for (u32 i = 0; i < sizeof(more) - 1; i++)
		more[i] = (char)('A' + i % 26);
	more[sizeof(more) - 1] = '\0';
	type(more);
	assert_int_equal(uart_read(vm[0], UART_FR) & (UART_FR_RXFF | UART_FR_RXFE), UART_FR_RXFF);
	assert_int_equal(uart_read(vm[0], UART_RSR_ECR), UART_RSR_OE);
	assert_int_equal(uart_read(vm[1], UART_FR) & UART_FR_RXFE, UART_FR_RXFE);
	/* The first read says bytes were lost; the FIFO holds the first 32, no more. */
	dr = uart_read(vm[0], UART_DR);
	assert_int_equal(dr, UART_DR_OE | 'A');
	for (u32 i = 1; i < UART_RX_DEPTH; i++)
		assert_int_equal(uart_read(vm[0], UART_DR), (u64)more[i]);
	assert_int_equal(uart_read(vm[0], UART_FR) & UART_FR_RXFE, UART_FR_RXFE);
	assert_int_equal(uart_read(vm[0], UART_DR), 0);
	/* RSR.OE stays until the guest writes ECR. */
	assert_int_equal(uart_read(vm[0], UART_RSR_ECR), UART_RSR_OE);
	uart_write(vm[0], UART_RSR_ECR, 0);
	assert_int_equal(uart_read(vm[0], UART_RSR_ECR), 0);
	type("!");
	assert_int_equal(uart_read(vm[0], UART_DR), '!');
}

/* vns16550_getc() (SBI DBCN console_read, the legacy getchar): its 16550's FIFO only. */
static void test_ns16550_getc(void **state)
{
	struct vm *vm[2];

	(void)state;
	input_vms(vm, 2);
	assert_int_equal(vns16550_getc(&vm[0]->vcpus[0]), -1);	/* a PL011, no 16550 */
	assert_int_equal(vdev_console_add(vm[1], VM_CONSOLE_NS16550, NS16550_BASE), 0);
	/* The holder: a's PL011, b's PL011, then b's 16550. */
	type("p" SWITCH SWITCH "qr");
	hyp_console_poll();
	assert_ptr_equal(hyp_console_input_owner(), vm[1]);
	assert_int_equal(vns16550_getc(&vm[1]->vcpus[0]), 'q');
	assert_int_equal(vns16550_getc(&vm[1]->vcpus[0]), 'r');
	assert_int_equal(vns16550_getc(&vm[1]->vcpus[0]), -1);
	assert_int_equal(vns16550_getc(&vm[0]->vcpus[0]), -1);
	type("s");		/* polled by the call itself, b holding input */
	assert_int_equal(vns16550_getc(&vm[1]->vcpus[0]), 's');
}

/* A VM that stopped is passed over. */
static void test_switch_skips_stopped(void **state)
{
	struct vm *vm[3];

	(void)state;
	input_vms(vm, 3);
	assert_int_equal(fake_run(vm[1]->vcpus[0].cpu, stop_fn, vm[1]).kind, FAKE_IDLE);
	type(SWITCH);
	hyp_console_poll();
	assert_ptr_equal(hyp_console_input_owner(), vm[2]);
	assert_int_equal(fake_console_count_prefix("hyp: console input: b "), 0);
	assert_int_equal(fake_console_count("hyp: console input: c (Ctrl-A three times to switch)"), 1);
}

#define RACE_SWITCHES	100

static void switch_input(void *arg)
{
	struct racer *r = arg;

	fake_barrier_wait(r->start);
	for (u32 i = 0; i < RACE_SWITCHES; i++) {
		type(SWITCH);
		hyp_console_poll();
	}
}

/* Every line whole or cut at a switch, never mixed: the A and B bytes of @text. */
static void count_bytes(char *text, u32 *a, u32 *b)
{
	*a = *b = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		size_t n = strlen(line);
		char c = line[1];

		assert_true(n && line[n - 1] == '\r');
		line[--n] = '\0';
		if (!strncmp(line, "hyp: ", 5))
			continue;
		/* The holder's bare newline after its line was cut is a line of its own. */
		assert_true(n >= 4 && (c == 'a' || c == 'b') && !strncmp(line + 2, "] ", 2));
		assert_int_equal(strspn(line + 4, c == 'a' ? "A" : "B"), n - 4);
		*(c == 'a' ? a : b) += (u32)(n - 4);
	}
}

/* Lines of the holder (raw) and of another VM (escaped) while input switches back and forth. */
static void test_switch_race(void **state)
{
	struct vm *vm[2];
	struct fake_barrier start = { .n = 3 };
	struct racer r[3];
	struct fake_thread t[3];
	fake_fn *const fns[3] = { putc_lines, putc_lines, switch_input };
	char *text = malloc(CONSOLE_COPY);
	u32 a, b;

	(void)state;
	assert_non_null(text);
	input_vms(vm, 2);
	for (u32 i = 0; i < 3; i++) {
		r[i] = (struct racer){ .vcpu = i < 2 ? &vm[i]->vcpus[0] : NULL, .start = &start,
				       .fill = i ? 'B' : 'A' };
		fake_thread_start(&t[i], i < 2 ? vm[i]->vcpus[0].cpu : IDLE_CPU, fns[i], &r[i]);
	}
	for (u32 i = 0; i < 3; i++)
		assert_int_equal(fake_thread_join(&t[i]).kind, FAKE_RETURNED);
	fake_console_copy(text, CONSOLE_COPY);
	count_bytes(text, &a, &b);
	assert_int_equal(a, RACE_LINES * RACE_WIDTH);
	assert_int_equal(b, RACE_LINES * RACE_WIDTH);
	assert_int_equal(fake_console_count_prefix("hyp: console input: "), RACE_SWITCHES + 1);
	free(text);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_on_newline),
		cmocka_unit_test(test_cr_dropped),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_long_line_split),
		cmocka_unit_test(test_stop_flushes),
		cmocka_unit_test(test_lines_never_interleave),
		cmocka_unit_test(test_input_to_first_vm),
		cmocka_unit_test(test_no_input_no_holder),
		cmocka_unit_test(test_ctrl_a_switches),
		cmocka_unit_test(test_ctrl_a_passed_through),
		cmocka_unit_test(test_raw_and_escaped),
		cmocka_unit_test(test_raw_part_line_on_wait),
		cmocka_unit_test(test_switch_flushes_part_lines),
		cmocka_unit_test(test_rx_overrun),
		cmocka_unit_test(test_ns16550_getc),
		cmocka_unit_test(test_switch_skips_stopped),
		cmocka_unit_test(test_switch_race),
	};

	return FAKE_RUN_TESTS(tests);
}
