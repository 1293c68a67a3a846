// SPDX-License-Identifier: MIT
/* The hypercalls: arguments checked here, never trusted. */
#include "guest_abi.h"
#include "hypercall.h"
#include "arch/mm.h"
#include "page_alloc.h"
#include "power.h"
#include "vm.h"

/* HC_CONSOLE_WRITE: the bytes at [gpa, gpa + len) to the vCPU's console line. */
static s64 __attribute__((noinline)) hc_console_write(struct vcpu *vcpu, u64 gpa, u64 len)
{
	if (len > HC_CONSOLE_MAX || !vm_ipa_in_ram(vcpu->vm, gpa, len))
		return HC_ERR_INVALID;
	return (s64)vm_console_write(vcpu, gpa, len);
}

static s64 hc_result(int ret)
{
	if (ret == -ENOMEM)
		return HC_ERR_NO_MEMORY;
	return ret ? HC_ERR_INVALID : 0;
}

static s64 hc_vcpu_on(struct vm *vm, u64 id, u64 entry, u64 arg)
{
	switch (vcpu_power_on(vm, id > ~0u ? ~0u : (u32)id, entry, arg, 0)) {
	case POWER_OK:
		return 0;
	case POWER_ALREADY_ON:
		return HC_ERR_ALREADY_ON;
	case POWER_ON_PENDING:
		return HC_ERR_ON_PENDING;
	default:
		return HC_ERR_INVALID;
	}
}

static s64 hc_vcpu_state(struct vm *vm, u64 id)
{
	enum vcpu_power state;

	if (id > ~0u || vcpu_power_state(vm, (u32)id, &state) != POWER_OK)
		return HC_ERR_INVALID;
	return state == VCPU_POWER_ON ? HC_VCPU_STATE_ON :
	       state == VCPU_POWER_ON_PENDING ? HC_VCPU_STATE_PENDING : HC_VCPU_STATE_OFF;
}

static inline s64 hc_dispatch(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1, u64 a2)
{
	struct vm *vm = vcpu->vm;

	switch (nr) {
	case HC_CONSOLE_WRITE:
		return hc_console_write(vcpu, a0, a1);
	case HC_FAULT_STATS:
		return (s64)__atomic_load_n(&vm->s2_faults, __ATOMIC_RELAXED);
	case HC_MEM_RELEASE:
		return hc_result(vm_release(vm, a0, a1));
	case HC_VM_STOP:
		vm_stop(vm, "the guest asked to stop (code %lld)", (long long)a0);
	case HC_VCPU_ON:
		return hc_vcpu_on(vm, a0, a1, a2);
	case HC_VCPU_OFF:
		vcpu_power_off(vcpu);
	case HC_VCPU_STATE:
		return hc_vcpu_state(vm, a0);
	default:
		return HC_ERR_NOT_SUPPORTED;
	}
}

static void __attribute__((cold, noinline))
hc_refused(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1, s64 ret)
{
	vm_log_refused(vcpu->vm, "hypercall %llu (0x%llx, 0x%llx) refused: %s",
		       (unsigned long long)nr, (unsigned long long)a0, (unsigned long long)a1,
		       ret == HC_ERR_NOT_SUPPORTED ? "no such call" :
		       ret == HC_ERR_INVALID ? "bad arguments" :
		       ret == HC_ERR_NO_MEMORY ? "out of memory" : "already on");
}

static s64 __attribute__((noinline)) hc_call(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1, u64 a2)
{
	s64 ret = hc_dispatch(vcpu, nr, a0, a1, a2);

	if (__builtin_expect(ret < 0, 0))
		hc_refused(vcpu, nr, a0, a1, ret);
	return ret;
}

/* The calls that cannot fail answered without a stack frame; the rest through hc_call(). */
s64 hypercall(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1, u64 a2)
{
	switch (nr) {
	case HC_VCPU_ID:
		return vcpu->id;
	case HC_YIELD:
		/* One vCPU per physical CPU: nothing else to run here yet. */
		return 0;
	default:
		return hc_call(vcpu, nr, a0, a1, a2);
	}
}
