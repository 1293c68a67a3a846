// SPDX-License-Identifier: MIT
/*
 * vCPUs: each vCPU is pinned to one physical CPU (the VM's configuration
 * says which) and runs nowhere else, and no CPU has two, so a CPU's only
 * scheduling decision is whether its vCPU is on.
 * vCPU 0 starts on; the guest turns the others on and off through its
 * arch's power calls (hyp/power.h). A CPU with nothing to run waits for
 * an event (arch_wait_event), it does not spin.
 */
#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/vcpu.h"
#include "console.h"
#include "power.h"
#include "vm.h"

enum vcpu_state {
	VCPU_OFF,
	VCPU_STARTING,		/* a power-on is writing its entry point */
	VCPU_ON_PENDING,	/* power-on accepted, its CPU has not entered it yet */
	VCPU_ON,
};

/* The vCPU pinned to each physical CPU, NULL if none. */
static struct vcpu *cpu_vcpu[HYP_MAX_CPUS];

void vcpu_boot_entry(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	vcpu->entry = vm->entry;
	vcpu->arg0 = vm->arg0;
	vcpu->arg1 = vm->arg1;
	vcpu->entry_info = vm->entry_info;
}

void vcpus_init(struct vm *vm, u32 nr, const u8 *cpus)
{
	vm->nr_vcpus = nr;
	for (u32 i = 0; i < nr; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->cpu = cpus[i];
		v->state = VCPU_OFF;
	}
	vcpu_boot_entry(&vm->vcpus[0]);
}

void vcpus_start(struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		__atomic_store_n(&cpu_vcpu[vm->vcpus[i].cpu], &vm->vcpus[i], __ATOMIC_RELEASE);
	__atomic_store_n(&vm->vcpus[0].state, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	arch_send_event();
}

/* The vCPU this CPU should enter now, or NULL. */
static struct vcpu *vcpu_to_run(u32 cpu)
{
	struct vcpu *v = __atomic_load_n(&cpu_vcpu[cpu], __ATOMIC_ACQUIRE);
	u32 pending = VCPU_ON_PENDING;

	if (!v || __atomic_load_n(&v->vm->stopped, __ATOMIC_ACQUIRE))
		return NULL;
	if (!__atomic_compare_exchange_n(&v->state, &pending, VCPU_ON, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return NULL;
	return v;
}

static void __attribute__((noinline, cold)) vcpu_chores_do(void)
{
	hyp_console_tx_push();
	hyp_cpus_check_late();
}

/* A plain volatile load: one instruction fewer than an atomic one on arm64. */
static inline void vcpu_chores(void)
{
	if (__builtin_expect(*(volatile const u32 *)&hyp_idle_chores != 0, 0))
		vcpu_chores_do();
}

/*
 * Retired table pages are freed by the CPU that retired them: one that
 * idles must not keep them (the epoch moves on without it meanwhile).
 * An idle CPU also sends queued console output, takes console input
 * (Ctrl-A x3 works while guests idle), and the input holder's part line
 * goes out: it may be a prompt.
 */
void vcpu_wait(struct vcpu *vcpu)
{
	pt_pool_reclaim(vcpu->vm->pool);
	vcpu_chores();
	hyp_console_poll();
	if (hyp_console_input_owner() == vcpu->vm)
		vm_console_input_wait(vcpu);
	arch_wait_event();
}

void vcpu_idle(u32 cpu)
{
	struct vcpu *v;

	for (;;) {
		v = vcpu_to_run(cpu);
		if (v)
			arch_vcpu_run(v);
		v = __atomic_load_n(&cpu_vcpu[cpu], __ATOMIC_ACQUIRE);
		if (v) {
			vcpu_wait(v);
		} else {
			vcpu_chores();
			hyp_console_poll();
			arch_wait_event();
		}
	}
}

enum power_ret vcpu_power_on(struct vm *vm, u32 id, u64 entry, u64 arg0, u64 arg1)
{
	struct vcpu *v;
	u32 off = VCPU_OFF;

	if (id >= vm->nr_vcpus)
		return POWER_NO_SUCH_VCPU;
	if (!vm_ipa_in_ram(vm, entry, 1))
		return POWER_BAD_ENTRY;
	v = &vm->vcpus[id];
	/* Still coming up: the vCPU runs once it is online (vcpu_idle()). */
	if (hyp_cpu_lost(v->cpu))
		return POWER_NO_CPU;
	/* Only the power-on that wins OFF -> STARTING writes the entry. */
	if (!__atomic_compare_exchange_n(&v->state, &off, VCPU_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return off == VCPU_ON ? POWER_ALREADY_ON : POWER_ON_PENDING;
	v->entry = entry;
	v->arg0 = arg0;
	v->arg1 = arg1;
	v->entry_info = 0;
	__atomic_store_n(&v->state, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	arch_wake_cpu(v->cpu);
	return POWER_OK;
}

void vcpu_power_off(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	u32 on = 0;

	/* Sequentially consistent: two vCPUs turning off at once must not each see the other on. */
	__atomic_store_n(&vcpu->state, VCPU_OFF, __ATOMIC_SEQ_CST);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		on += __atomic_load_n(&vm->vcpus[i].state, __ATOMIC_SEQ_CST) != VCPU_OFF;
	if (!on)
		vm_stop(vm, "every vCPU is off");
	arch_cpu_idle_reset();
}

enum power_ret vcpu_power_state(struct vm *vm, u32 id, enum vcpu_power *state)
{
	u32 s;

	if (id >= vm->nr_vcpus)
		return POWER_NO_SUCH_VCPU;
	s = __atomic_load_n(&vm->vcpus[id].state, __ATOMIC_ACQUIRE);
	if (s == VCPU_ON)
		*state = VCPU_POWER_ON;
	else
		*state = s == VCPU_OFF ? VCPU_POWER_OFF : VCPU_POWER_ON_PENDING;
	return POWER_OK;
}

void vm_power_off(struct vcpu *vcpu)
{
	vm_stop(vcpu->vm, NULL);
}

void vm_reset(struct vcpu *vcpu, const char *how)
{
	struct vm *vm = vcpu->vm;

	vm_log_reset(vm, "%s", how);	/* a guest may reset in a loop: a few lines only */
	if (vcpu->id)
		vm_stop(vm, "reset from vCPU %u: only vCPU 0 may reset", vcpu->id);
	for (u32 i = 1; i < vm->nr_vcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].state, __ATOMIC_ACQUIRE) != VCPU_OFF)
			vm_stop(vm, "reset while vCPU %u is on: not supported", i);
	if (vm_release(vm, vm->ram_base, vm->ram_size))
		vm_stop(vm, "reset: its memory could not be given back");
	vdev_console_reset(vm);		/* its line low before the interrupt controller resets */
	arch_vm_reset(vm);
	vcpu_boot_entry(vcpu);
	/* Entered afresh by this CPU's idle loop, as at the VM's start. */
	__atomic_store_n(&vcpu->state, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	arch_cpu_idle_reset();
}
