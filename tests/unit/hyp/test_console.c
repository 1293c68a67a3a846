// SPDX-License-Identifier: MIT
/* The vCPUs' console lines (vm_console_putc) on the fake arch, alone and from racing CPUs. */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "fake_arch.h"
#include "guest_abi.h"
#include "hypercall.h"

#define RACE_LINES	200
#define RACE_WIDTH	60
#define TEXT_GPA	(FAKE_RAM_BASE + 0x10000)
#define CONSOLE_COPY	(1u << 20)

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
};

static void putc_lines(void *arg)
{
	struct racer *r = arg;
	char line[RACE_WIDTH + 1];

	memset(line, 'A', RACE_WIDTH);
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

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_on_newline),
		cmocka_unit_test(test_cr_dropped),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_long_line_split),
		cmocka_unit_test(test_stop_flushes),
		cmocka_unit_test(test_lines_never_interleave),
	};

	return FAKE_RUN_TESTS(tests);
}
