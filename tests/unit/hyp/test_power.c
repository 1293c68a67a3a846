// SPDX-License-Identifier: MIT
/* hyp/vcpu.c's state machine on the fake arch: power calls alone and racing, on threads as CPUs. */
#include <sys/wait.h>
#include <unistd.h>

#include "arch/cpu.h"
#include "arch/irq.h"
#include "fake_arch.h"
#include "power.h"

#define RAM_END			(FAKE_RAM_BASE + FAKE_VM_RAM)
#define ON_RACERS		6		/* vCPUs 2.. turning vCPU 1 on at once */
#define ON_RACE_ROUNDS		40
#define ON_RACE_WAITS		500		/* the target's CPU: 5 s at most */
#define OFF_RACE_ROUNDS		200
#define IDLE_WAITS		3
#define IDLE_WAITS_MAX_US	2000000

struct on_racer {
	struct vm *vm;
	struct fake_barrier *start;
	u64 entry, arg;
	enum power_ret ret;
};

static void power_on_fn(void *arg)
{
	struct on_racer *r = arg;

	fake_barrier_wait(r->start);
	r->ret = vcpu_power_on(r->vm, 1, r->entry, r->arg, 0);
}

struct off_racer {
	struct fake_barrier *start;
	struct vcpu *vcpu;
};

static void power_off_after(void *arg)
{
	struct off_racer *r = arg;

	fake_barrier_wait(r->start);
	vcpu_power_off(r->vcpu);
}

static void power_off_fn(void *vcpu)
{
	vcpu_power_off(vcpu);
}

static struct fake_exit power_off(struct vcpu *vcpu)
{
	return fake_run(vcpu->cpu, power_off_fn, vcpu);
}

static enum vcpu_power power_state(struct vm *vm, u32 id)
{
	enum vcpu_power s = VCPU_POWER_ON;

	assert_int_equal(vcpu_power_state(vm, id, &s), POWER_OK);
	return s;
}

/* One round: vCPU 1 off, its CPU idle, the racers turn it on; then it turns itself off. */
static void on_race_round(struct vm *vm, u32 round)
{
	struct fake_barrier start = { .n = ON_RACERS };
	struct fake_thread target, racers[ON_RACERS];
	struct on_racer r[ON_RACERS];
	u32 waits = ON_RACE_WAITS, ok = 0, winner = 0;
	struct fake_exit ex;

	fake_thread_start(&target, vm->vcpus[1].cpu, fake_idle_loop, &waits);
	for (u32 i = 0; i < ON_RACERS; i++) {
		r[i] = (struct on_racer){ .vm = vm, .start = &start,
					  .entry = FAKE_RAM_BASE + 4 * (round * ON_RACERS + i),
					  .arg = 0x1000 + i };
		fake_thread_start(&racers[i], vm->vcpus[2 + i].cpu, power_on_fn, &r[i]);
	}
	for (u32 i = 0; i < ON_RACERS; i++) {
		assert_int_equal(fake_thread_join(&racers[i]).kind, FAKE_RETURNED);
		if (r[i].ret == POWER_OK)
			winner = i, ok++;
		else
			assert_true(r[i].ret == POWER_ALREADY_ON || r[i].ret == POWER_ON_PENDING);
	}
	ex = fake_thread_join(&target);
	assert_int_equal(ok, 1);
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_ptr_equal(ex.vcpu, &vm->vcpus[1]);
	assert_int_equal(ex.entry, r[winner].entry);
	assert_int_equal(ex.arg0, r[winner].arg);
	assert_int_equal(ex.arg1, 0);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_ON);
	assert_int_equal(power_off(&vm->vcpus[1]).kind, FAKE_IDLE);
}

static void test_power_on_race(void **state)
{
	struct vm *vm = fake_vm_create("pw", 2 + ON_RACERS, NULL, 0);

	(void)state;
	fake_vm_start(vm);
	for (u32 i = 0; i < ON_RACERS; i++)
		fake_vcpu_up(vm, 2 + i);
	for (u32 round = 0; round < ON_RACE_ROUNDS; round++)
		on_race_round(vm, round);
	assert_false(vm->stopped);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_OFF);
}

static void test_power_states(void **state)
{
	struct vm *vm = fake_vm_create("pw", 2, NULL, 0);
	enum vcpu_power s;

	(void)state;
	fake_vm_start(vm);
	assert_int_equal(power_state(vm, 0), VCPU_POWER_ON);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_OFF);
	assert_int_equal(vcpu_power_state(vm, 2, &s), POWER_NO_SUCH_VCPU);
	assert_int_equal(vcpu_power_state(vm, ~0u, &s), POWER_NO_SUCH_VCPU);
	assert_int_equal(vcpu_power_on(vm, 2, FAKE_RAM_BASE, 0, 0), POWER_NO_SUCH_VCPU);
	assert_int_equal(vcpu_power_on(vm, ~0u, FAKE_RAM_BASE, 0, 0), POWER_NO_SUCH_VCPU);
	assert_int_equal(vcpu_power_on(vm, 1, FAKE_RAM_BASE - 1, 0, 0), POWER_BAD_ENTRY);
	assert_int_equal(vcpu_power_on(vm, 1, RAM_END, 0, 0), POWER_BAD_ENTRY);
	assert_int_equal(vcpu_power_on(vm, 1, 0, 0, 0), POWER_BAD_ENTRY);
	assert_int_equal(vcpu_power_on(vm, 1, ~0ull, 0, 0), POWER_BAD_ENTRY);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_OFF);
	assert_int_equal(fake_idle(vm->vcpus[1].cpu, 1).kind, FAKE_WAIT_LIMIT);
	assert_int_equal(vcpu_power_on(vm, 1, RAM_END - 4, 42, 0), POWER_OK);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_ON_PENDING);
	assert_int_equal(vcpu_power_on(vm, 1, FAKE_RAM_BASE, 0, 0), POWER_ON_PENDING);
	assert_int_equal(vcpu_power_on(vm, 0, FAKE_RAM_BASE, 0, 0), POWER_ALREADY_ON);
	assert_int_equal(fake_idle(vm->vcpus[1].cpu, 1).kind, FAKE_RUN);
	assert_int_equal(vm->vcpus[1].entry, RAM_END - 4);
	assert_int_equal(vm->vcpus[1].arg0, 42);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_ON);
	assert_int_equal(vcpu_power_on(vm, 1, FAKE_RAM_BASE, 0, 0), POWER_ALREADY_ON);
	assert_int_equal(power_off(&vm->vcpus[1]).kind, FAKE_IDLE);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_OFF);
	assert_false(vm->stopped);
}

/* A vCPU on a CPU that never came online: its power-on fails, the vCPU stays off. */
static void test_power_on_lost_cpu(void **state)
{
	struct vm *vm = fake_vm_create("pw", 2, NULL, 0);

	(void)state;
	fake_vm_start(vm);
	fake_cpus_lost = BIT(vm->vcpus[1].cpu);
	assert_int_equal(vcpu_power_on(vm, 1, FAKE_RAM_BASE, 0, 0), POWER_NO_CPU);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_OFF);
	fake_cpus_lost = 0;
	assert_int_equal(vcpu_power_on(vm, 1, FAKE_RAM_BASE, 0, 0), POWER_OK);
	assert_int_equal(power_state(vm, 1), VCPU_POWER_ON_PENDING);
}

/* A CPU with nothing to run waits, each wait bounded by ARCH_WAIT_MAX_US (nobody sends events here). */
static void test_idle_waits_bounded(void **state)
{
	struct vm *vm = fake_vm_create("pw", 2, NULL, 0);
	u64 start;

	(void)state;
	fake_vm_start(vm);
	start = arch_time_us();
	assert_int_equal(fake_idle(vm->vcpus[1].cpu, IDLE_WAITS).kind, FAKE_WAIT_LIMIT);
	assert_in_range(arch_time_us() - start, IDLE_WAITS * ARCH_WAIT_MAX_US, IDLE_WAITS_MAX_US);
}

/* The last vCPU off stops its VM; the last VM stopped powers the machine off. */
static void test_last_off_stops(void **state)
{
	struct vm *vm = fake_vm_create("pw", 2, NULL, 0), *other = fake_vm_create("other", 1, NULL, 0);

	(void)state;
	fake_vm_start(vm);
	fake_vm_start(other);
	fake_vcpu_up(vm, 1);
	assert_int_equal(power_off(&vm->vcpus[0]).kind, FAKE_IDLE);
	assert_false(vm->stopped);
	assert_int_equal(fake_console_count_prefix("hyp: pw stopped"), 0);
	assert_int_equal(power_off(&vm->vcpus[1]).kind, FAKE_IDLE);
	assert_true(vm->stopped);
	assert_int_equal(fake_console_count("hyp: pw stopped: every vCPU is off"), 1);
	assert_int_equal(fake_console_count_prefix("hyp: pw stopped"), 1);
	assert_int_equal(fake_console_count("hyp: all VMs stopped"), 0);
	assert_int_equal(power_off(&other->vcpus[0]).kind, FAKE_POWER_OFF);
	assert_int_equal(fake_console_count("hyp: other stopped: every vCPU is off"), 1);
	assert_int_equal(fake_console_count("hyp: all VMs stopped"), 1);
}

/* A VM whose two vCPUs turn themselves off at once, in a process of its own: 0 if it stopped. */
static int off_race_round(void)
{
	struct vm *vm = fake_vm_create("race", 2, NULL, 0);
	struct fake_barrier start = { .n = 2 };
	struct fake_thread t[2];
	struct off_racer arg[2];

	fake_vm_start(vm);
	fake_vcpu_up(vm, 1);
	for (u32 i = 0; i < 2; i++)
		arg[i] = (struct off_racer){ .start = &start, .vcpu = &vm->vcpus[i] };
	fake_thread_start(&t[0], 0, power_off_after, &arg[0]);
	fake_thread_start(&t[1], 1, power_off_after, &arg[1]);
	fake_thread_join(&t[0]);
	fake_thread_join(&t[1]);
	return vm->stopped && fake_console_count("hyp: race stopped: every vCPU is off") == 1 ? 0 : 1;
}

static void test_power_off_race(void **state)
{
	(void)state;
	for (u32 round = 0; round < OFF_RACE_ROUNDS; round++) {
		pid_t pid = fork();
		int status = -1;

		if (!pid)
			_exit(off_race_round());
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (status)
			fail_msg("round %u: both vCPUs are off, the VM did not stop (status 0x%x)",
				 round, status);
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_states),
		cmocka_unit_test(test_power_on_lost_cpu),
		cmocka_unit_test(test_idle_waits_bounded),
		cmocka_unit_test(test_last_off_stops),
		cmocka_unit_test(test_power_on_race),
		cmocka_unit_test(test_power_off_race),
	};

	return FAKE_RUN_TESTS(tests);
}
