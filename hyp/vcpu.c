// SPDX-License-Identifier: MIT
/*
 * vCPUs: each vCPU is pinned to one physical CPU (the VM's configuration
 * says which) and runs nowhere else, and no CPU has two, so a CPU's only
 * scheduling decision is whether its vCPU is on.
 * vCPU 0 starts on; the guest turns the others on and off with PSCI
 * (CPU_ON, CPU_OFF), decoded by arch/<arch>. A CPU with nothing to run
 * waits for an event (arch_wait_event), it does not spin.
 */
#include "console.h"
#include "hvc_abi.h"
#include "vm.h"

/* The vCPU pinned to each physical CPU, NULL if none. */
static struct vcpu *cpu_vcpu[HYP_MAX_CPUS];

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
	/* vCPU 0 enters at the RAM base with the entry ABI of hyp/hvc_abi.h. */
	vm->vcpus[0].entry = vm->ram_base;
	vm->vcpus[0].arg0 = vm->ram_base;
	vm->vcpus[0].arg1 = vm->ram_size;
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

void vcpu_idle(u32 cpu)
{
	struct vcpu *v;

	for (;;) {
		v = vcpu_to_run(cpu);
		if (v)
			arch_vcpu_run(v);
		arch_wait_event();
	}
}

int vcpu_on(struct vm *vm, u32 id, u64 entry, u64 context)
{
	struct vcpu *v;
	u32 off = VCPU_OFF;

	if (id >= vm->nr_vcpus)
		return HYP_PSCI_INVALID_PARAMS;
	if (!vm_ipa_in_ram(vm, entry, 4) || (entry & 3))
		return HYP_PSCI_INVALID_ADDRESS;
	v = &vm->vcpus[id];
	/* Only the CPU_ON that wins OFF -> ON_PENDING writes the entry. */
	if (!__atomic_compare_exchange_n(&v->state, &off, VCPU_STARTING, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return off == VCPU_ON ? HYP_PSCI_ALREADY_ON : HYP_PSCI_ON_PENDING;
	v->entry = entry;
	v->arg0 = context;
	v->arg1 = 0;
	__atomic_store_n(&v->state, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	arch_send_event();
	return HYP_PSCI_SUCCESS;
}

void vcpu_off(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	u32 on = 0;

	__atomic_store_n(&vcpu->state, VCPU_OFF, __ATOMIC_RELEASE);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		on += __atomic_load_n(&vm->vcpus[i].state, __ATOMIC_ACQUIRE) != VCPU_OFF;
	if (!on)
		vm_stop(vm, "every vCPU is off");
	arch_cpu_idle_reset();
}

int vcpu_affinity_info(struct vm *vm, u32 id)
{
	u32 state;

	if (id >= vm->nr_vcpus)
		return HYP_PSCI_INVALID_PARAMS;
	state = __atomic_load_n(&vm->vcpus[id].state, __ATOMIC_ACQUIRE);
	if (state == VCPU_ON)
		return HYP_PSCI_AFFINITY_ON;
	return state == VCPU_OFF ? HYP_PSCI_AFFINITY_OFF : HYP_PSCI_AFFINITY_ON_PENDING;
}
