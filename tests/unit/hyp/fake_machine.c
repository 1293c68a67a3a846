// SPDX-License-Identifier: MIT
/*
 * A machine on the fake arch: host "RAM" for guests, VMs with a PL011,
 * guest loads and stores through the fake TLBs (a miss walks stage 2, an
 * unmapped page is faulted in as arch/arm64/guest.c does), hypercalls,
 * CPU threads; and a runner that gives each test a process of its own,
 * since the core boots once (its VMs and stops are for good).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/cpu.h"
#include "console.h"
#include "fake_arch.h"
#include "hypercall.h"
#include "page_alloc.h"
#include "power.h"
#include "vm_config.h"

#define FAKE_HOST_RAM_ALIGN	(2ull << 20)
#define FAKE_TEST_TIMEOUT_S	120
#define GUEST_FAULT_TRIES	100000
#define FAKE_CONSOLE_SHOWN	8192
#define CHILD_FAILED		2	/* cmocka counted a failure: other statuses are crashes */

static u32 next_cpu;

static int fake_boot(void **state)
{
	(void)state;
	return fake_machine_boot();
}

int fake_machine_boot(void)
{
	static struct boot_info bi = { .nr_ram = 1 };
	void *ram = aligned_alloc(FAKE_HOST_RAM_ALIGN, FAKE_HOST_RAM);

	fake_arch_init();
	hyp_console_set_output(fake_console_putc);
	hyp_set_power_off(arch_power_off);
	hyp_console_smp_enable();
	if (!ram)
		return -1;
	bi.ram[0] = (struct boot_range){ .base = (u64)(uintptr_t)ram, .size = FAKE_HOST_RAM };
	return vm_system_init(&bi);
}

static void print_console(void)
{
	static char text[FAKE_CONSOLE_SHOWN];

	fake_console_copy(text, sizeof(text));
	fprintf(stderr, "--- the console:\n%s--- end of the console\n", text);
}

static void run_one(const char *name, const struct CMUnitTest *test)
{
	int failed;

	alarm(FAKE_TEST_TIMEOUT_S);
	failed = _cmocka_run_group_tests(name, test, 1, fake_boot, NULL);
	if (failed)
		print_console();
	fflush(stdout);
	fflush(stderr);
	_exit(failed ? CHILD_FAILED : 0);
}

int fake_run_tests(const char *name, const struct CMUnitTest *tests, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		int status;
		pid_t pid;

		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (!pid)
			run_one(name, &tests[i]);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return -1;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			failed++;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != CHILD_FAILED)
				printf("[  FAILED  ] 1 test(s), listed below:\n"
				       "[  FAILED  ] %s (crashed: status 0x%x)\n", tests[i].name, status);
		}
	}
	return failed;
}

struct vm *fake_vm_create(const char *name, u32 nr_vcpus, const u8 *image, u64 image_size)
{
	struct vm_desc d = {
		.name = name, .ram_base = FAKE_RAM_BASE, .ram_size = FAKE_VM_RAM,
		.segs = { { FAKE_RAM_BASE, image, image_size } }, .nr_segs = image ? 1 : 0,
		.entry = FAKE_RAM_BASE, .arg0 = FAKE_RAM_BASE, .arg1 = FAKE_VM_RAM,
		.console_kind = VM_CONSOLE_PL011,
		.console_base = FAKE_UART_BASE, .nr_vcpus = nr_vcpus,
	};
	struct vm *vm = NULL;

	assert_true(nr_vcpus <= VM_MAX_VCPUS && next_cpu + nr_vcpus <= HYP_MAX_CPUS);
	for (u32 i = 0; i < nr_vcpus; i++)
		d.cpus[i] = (u8)next_cpu++;
	assert_int_equal(vm_create(&d, &vm), 0);
	return vm;
}

void fake_vm_start(struct vm *vm)
{
	struct fake_exit ex;

	vm_start(vm);
	ex = fake_idle(vm->vcpus[0].cpu, 1);
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_ptr_equal(ex.vcpu, &vm->vcpus[0]);
}

struct vcpu *fake_vcpu_up(struct vm *vm, u32 id)
{
	struct fake_exit ex;

	assert_int_equal(vcpu_power_on(vm, id, FAKE_RAM_BASE, id, 0), POWER_OK);
	ex = fake_idle(vm->vcpus[id].cpu, 1);
	assert_int_equal(ex.kind, FAKE_RUN);
	assert_ptr_equal(ex.vcpu, &vm->vcpus[id]);
	return ex.vcpu;
}

/* The host address of @ipa as @vcpu's CPU sees it, after stage-2 faults as needed. */
static u8 *guest_va(struct vcpu *vcpu, u64 ipa)
{
	struct vm *vm = vcpu->vm;

	fake_cpu_set(vcpu->cpu);
	for (u32 i = 0; i < GUEST_FAULT_TRIES; i++) {
		u8 *va = fake_tlb_translate(vm, ipa);
		int ret;

		if (va)
			return va;
		__atomic_fetch_add(&vm->s2_faults, 1, __ATOMIC_RELAXED);
		ret = vm_fault_in(vm, ipa);
		if (ret && ret != -EAGAIN)
			fail_msg("stage-2 fault at 0x%llx: %d", (unsigned long long)ipa, ret);
	}
	fail_msg("stage-2 fault at 0x%llx: never mapped", (unsigned long long)ipa);
	return NULL;
}

static u64 page_chunk(u64 ipa, u64 left)
{
	return MIN(left, HYP_PAGE_SIZE - (ipa & (HYP_PAGE_SIZE - 1)));
}

void fake_guest_write(struct vcpu *vcpu, u64 ipa, const void *buf, u64 len)
{
	for (u64 done = 0, n; done < len; done += n) {
		n = page_chunk(ipa + done, len - done);
		memcpy(guest_va(vcpu, ipa + done), (const u8 *)buf + done, n);
	}
}

void fake_guest_read(struct vcpu *vcpu, u64 ipa, void *buf, u64 len)
{
	for (u64 done = 0, n; done < len; done += n) {
		n = page_chunk(ipa + done, len - done);
		memcpy((u8 *)buf + done, guest_va(vcpu, ipa + done), n);
	}
}

u8 fake_guest_byte(struct vcpu *vcpu, u64 ipa)
{
	u8 b;

	fake_guest_read(vcpu, ipa, &b, 1);
	return b;
}

struct hc_call {
	struct vcpu *vcpu;
	u64 nr, a0, a1;
	s64 ret;
};

static void hc_fn(void *arg)
{
	struct hc_call *c = arg;

	c->ret = hypercall(c->vcpu, c->nr, c->a0, c->a1, 0);
}

struct fake_exit fake_hypercall(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1, s64 *ret)
{
	struct hc_call c = { .vcpu = vcpu, .nr = nr, .a0 = a0, .a1 = a1 };
	struct fake_exit ex = fake_run(vcpu->cpu, hc_fn, &c);

	if (ret)
		*ret = c.ret;
	return ex;
}

static void *thread_main(void *arg)
{
	struct fake_thread *t = arg;

	t->exit = fake_run(t->cpu, t->fn, t->arg);
	return NULL;
}

void fake_thread_start(struct fake_thread *t, u32 cpu, fake_fn *fn, void *arg)
{
	t->cpu = cpu;
	t->fn = fn;
	t->arg = arg;
	assert_int_equal(pthread_create(&t->thread, NULL, thread_main, t), 0);
}

struct fake_exit fake_thread_join(struct fake_thread *t)
{
	assert_int_equal(pthread_join(t->thread, NULL), 0);
	return t->exit;
}

void fake_barrier_wait(struct fake_barrier *b)
{
	__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&b->arrived, __ATOMIC_ACQUIRE) < b->n)
		pt_cpu_relax();
}

/* hyp/main.c's count of the CPUs: every CPU of the fake machine. */
u32 hyp_cpu_count(void)
{
	return HYP_MAX_CPUS;
}

u32 fake_cpus_lost;

/* Each online, but for those a test marks in fake_cpus_lost: past hyp/main.c's deadline. */
bool hyp_cpu_online(u32 cpu)
{
	return cpu < HYP_MAX_CPUS && !(__atomic_load_n(&fake_cpus_lost, __ATOMIC_ACQUIRE) & BIT(cpu));
}

bool hyp_cpu_lost(u32 cpu)
{
	return !hyp_cpu_online(cpu);
}

u32 hyp_idle_chores;	/* hyp/main.c's */

void hyp_cpus_check_late(void)
{
}

void hyp_cpus_wait(void)
{
}
