/* SPDX-License-Identifier: MIT */
/*
 * vCPU and VM power, arch-neutral: what each arch's power calls (arm64,
 * RISC-V, x86) translate into, with neutral results.
 */
#ifndef HYP_POWER_H
#define HYP_POWER_H

#include "types.h"

struct vm;
struct vcpu;

enum power_ret {
	POWER_OK = 0,
	POWER_NO_SUCH_VCPU,	/* no vCPU with that index in the VM */
	POWER_BAD_ENTRY,	/* the entry point is not in the VM's RAM */
	POWER_ALREADY_ON,
	POWER_ON_PENDING,	/* another power-on of it is under way */
	POWER_NO_CPU,		/* its physical CPU did not come online */
};

enum vcpu_power {
	VCPU_POWER_OFF,
	VCPU_POWER_ON,
	VCPU_POWER_ON_PENDING,	/* turned on, not yet running */
};

/*
 * Turn vCPU @id of @vm on at @entry with @arg0 and @arg1 as its first two
 * arguments (PSCI CPU_ON: the context id and 0; SBI hart_start: the hart
 * id and the opaque value).
 */
enum power_ret vcpu_power_on(struct vm *vm, u32 id, u64 entry, u64 arg0, u64 arg1);
/* The calling vCPU turns itself off; the last one off stops the VM. */
void __attribute__((noreturn)) vcpu_power_off(struct vcpu *vcpu);
/* Whether vCPU @id is on: POWER_OK and *@state, or POWER_NO_SUCH_VCPU. */
enum power_ret vcpu_power_state(struct vm *vm, u32 id, enum vcpu_power *state);
/* The guest powers its VM off: it stops, without a "stopped:" line. */
void __attribute__((noreturn)) vm_power_off(struct vcpu *vcpu);
/*
 * Restart @vcpu's VM from its image: RAM given back (refilled from the
 * image or zeroed on the next touch), vCPU 0 re-entered at the RAM base.
 * Only vCPU 0 may, with every other vCPU off; otherwise the VM stops with
 * one line saying why. @how (the guest's request, "PSCI SYSTEM_RESET")
 * is logged for the first VM_LOG_MAX resets of the VM only.
 */
void __attribute__((noreturn)) vm_reset(struct vcpu *vcpu, const char *how);

#endif
