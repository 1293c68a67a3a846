// SPDX-License-Identifier: MIT
/*
 * libFuzzer: hypercalls (hyp/hypercall.c) and arm64 PSCI calls
 * (arch/arm64/vpsci.c) with any arguments, from a vCPU of a VM on the
 * fake arch. Input: a selector byte, then x0-x3 (8 bytes LE each). Calls
 * that end the VM or the vCPU (HC_VM_STOP, HC_VCPU_OFF, PSCI CPU_OFF,
 * SYSTEM_OFF, SYSTEM_RESET) are left out so that one VM serves every input. Every call must return to
 * the guest with a result its ABI defines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arm64.h"
#include "console.h"
#include "fake_arch.h"
#include "guest_abi.h"
#include "hvc_abi.h"
#include "hypercall.h"
#include "vpsci.h"

struct call {
	struct vcpu *vcpu;
	bool psci;
	struct arm64_regs regs;
	s64 ret;
};

static struct vm *fuzz_vm;

/* PSCI CPU_SUSPEND waits as a trapped WFI (arch/arm64/irq.c); a WFI may end at once. */
void arm64_vcpu_wfi(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* Millions of calls print more than the fake console keeps. */
static void discard_putc(char c)
{
	(void)c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (fake_machine_boot())
		abort();
	fuzz_vm = fake_vm_create("fz", 2, NULL, 0);
	fake_vm_start(fuzz_vm);
	hyp_console_set_output(discard_putc);
	return 0;
}

static void do_call(void *arg)
{
	struct call *c = arg;
	u64 *x = c->regs.x;

	if (c->psci) {
		if (!vpsci_call(c->vcpu, &c->regs))
			x[0] = (u64)HYP_PSCI_NOT_SUPPORTED;
		c->ret = (s64)x[0];
		return;
	}
	c->ret = hypercall(c->vcpu, x[0], x[1], x[2], x[3]);
}

static bool ends_vm(const struct call *c)
{
	u32 fn = (u32)c->regs.x[0];

	if (!c->psci)
		return c->regs.x[0] == HC_VM_STOP || c->regs.x[0] == HC_VCPU_OFF;
	return fn == HYP_PSCI_CPU_OFF || fn == HYP_PSCI_SYSTEM_OFF || fn == HYP_PSCI_SYSTEM_RESET;
}

static bool psci_result_ok(s64 r)
{
	return r == HYP_PSCI_SUCCESS || r == HYP_PSCI_NOT_SUPPORTED ||
	       r == HYP_PSCI_INVALID_PARAMS || r == HYP_PSCI_ALREADY_ON ||
	       r == HYP_PSCI_ON_PENDING || r == HYP_PSCI_INVALID_ADDRESS ||
	       r == HYP_PSCI_AFFINITY_OFF || r == HYP_PSCI_AFFINITY_ON_PENDING ||
	       r == HYP_PSCI_VERSION_1_1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct call c = { .vcpu = &fuzz_vm->vcpus[0] };
	struct fake_exit ex;

	if (size < 1 + 4 * 8)
		return 0;
	c.psci = data[0] & 1;
	memcpy(c.regs.x, data + 1, 4 * 8);
	if (!c.psci)
		c.regs.x[0] &= 0xff;	/* the numbers near the ones that exist */
	if (ends_vm(&c))
		return 0;
	ex = fake_run(c.vcpu->cpu, do_call, &c);
	if (ex.kind != FAKE_RETURNED)
		abort();	/* the VM stopped or the CPU went away: not for these calls */
	if (c.psci ? !psci_result_ok(c.ret) :
		     c.ret < 0 && c.ret != HC_ERR_NOT_SUPPORTED && c.ret != HC_ERR_INVALID &&
		     c.ret != HC_ERR_ALREADY_ON && c.ret != HC_ERR_ON_PENDING)
		abort();
	return 0;
}
