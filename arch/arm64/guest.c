// SPDX-License-Identifier: MIT
/*
 * Running a vCPU at EL1 and handling its traps: stage-2 faults (demand
 * paging of guest RAM, MMIO to the emulated PL011), HVC and trapped SMC
 * calls (hyp/hvc_abi.h); an access to an empty device address gets an
 * external abort back (vabort.c). Whatever else a guest does stops its VM.
 */
#include "arm64.h"
#include "console.h"
#include "hvc_abi.h"
#include "page_alloc.h"
#include "sysreg.h"
#include "vabort.h"
#include "vm.h"
#include "vpl011.h"
#include "vpsci.h"

#define ARM64_INSN_SIZE		4
#define VECTOR_LOWER_SYNC	8	/* vectors.S kinds 8-11: lower EL, AArch64 */

/* vectors.S lays the frame out by hand. */
_Static_assert(sizeof(struct arm64_regs) == ARM64_FRAME_SIZE, "trap frame size");
_Static_assert(__builtin_offsetof(struct arm64_regs, elr) == 31 * 8, "trap frame ELR");

static struct vcpu *cur_vcpu[HYP_MAX_CPUS];

static const char *const lower_names[4] = { "sync", "IRQ", "FIQ", "SError" };

static u64 fault_ipa(void)
{
	u64 hpfar = read_sysreg(hpfar_el2);

	return (hpfar & HPFAR_EL2_FIPA_MASK) << HPFAR_EL2_FIPA_SHIFT |
	       (read_sysreg(far_el2) & (HYP_PAGE_SIZE - 1));
}

static u64 reg_get(const struct arm64_regs *regs, u32 r)
{
	return r == 31 ? 0 : regs->x[r];	/* 31 is XZR here */
}

static void reg_set(struct arm64_regs *regs, u32 r, u64 val)
{
	if (r != 31)
		regs->x[r] = val;
}

/* A load or store the syndrome describes (ISV=1) to the emulated UART. */
static void guest_mmio(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr, u64 ipa)
{
	struct vm *vm = vcpu->vm;
	u32 size = 1u << ((esr >> ESR_ISS_SAS_SHIFT) & ESR_ISS_SAS_MASK);
	u32 srt = (esr >> ESR_ISS_SRT_SHIFT) & ESR_ISS_SRT_MASK;
	u64 mask = size == 8 ? ~0ull : (1ull << (size * 8)) - 1, val;

	if (!(esr & ESR_ISS_ISV))
		vm_stop(vm, "MMIO access at IPA 0x%llx without a syndrome (PC 0x%llx)",
			(unsigned long long)ipa, (unsigned long long)regs->elr);
	if (esr & ESR_ISS_WNR) {
		val = reg_get(regs, srt) & mask;
		vpl011_access(vcpu, ipa, size, true, &val);
	} else {
		vpl011_access(vcpu, ipa, size, false, &val);
		val &= mask;
		if ((esr & ESR_ISS_SSE) && size < 8 && (val & (1ull << (size * 8 - 1))))
			val |= ~mask;
		if (!(esr & ESR_ISS_SF))
			val &= 0xffffffffull;
		reg_set(regs, srt, val);
	}
	regs->elr += ARM64_INSN_SIZE;
}

static void guest_abort(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr, bool data)
{
	struct vm *vm = vcpu->vm;
	u64 fsc = esr & ESR_ISS_FSC_MASK, ipa = fault_ipa();
	const char *what = data ? "data" : "instruction";
	int ret;

	if ((fsc & ESR_FSC_TYPE_MASK) == ESR_FSC_TRANS && vm_ipa_in_ram(vm, ipa, 1)) {
		__atomic_fetch_add(&vm->s2_faults, 1, __ATOMIC_RELAXED);
		ret = vm_fault_in(vm, ipa);
		if (ret == -ENOMEM)
			vm_stop(vm, "out of memory for IPA 0x%llx", (unsigned long long)ipa);
		if (ret && ret != -EAGAIN)
			vm_stop(vm, "stage-2 map of IPA 0x%llx failed (%d)",
				(unsigned long long)ipa, ret);
		dsb_ishst();	/* the new entry, before the guest's walk */
		return;		/* 0 or -EAGAIN: the guest retries the access */
	}
	if (data && vpl011_owns(vm, ipa)) {
		guest_mmio(vcpu, regs, esr, ipa);
		return;
	}
	if (data && vabort_device_ipa(ipa) && !(esr & ESR_ISS_S1PTW)) {
		vabort_inject_data(vcpu, regs, ipa, esr & ESR_ISS_WNR);
		return;
	}
	if (vm_ipa_in_ram(vm, ipa, 1))
		vm_stop(vm, "%s abort at IPA 0x%llx, fault status 0x%llx (PC 0x%llx)",
			what, (unsigned long long)ipa, (unsigned long long)fsc,
			(unsigned long long)regs->elr);
	vm_stop(vm, "%s abort at IPA 0x%llx outside its memory (PC 0x%llx)", what,
		(unsigned long long)ipa, (unsigned long long)regs->elr);
}

/* HYP_CONSOLE_WRITE: the bytes at [ipa, ipa + len) to the VM's console. */
static s64 hvc_console_write(struct vcpu *vcpu, u64 ipa, u64 len)
{
	struct vm *vm = vcpu->vm;
	u64 done = 0;

	if (len > HYP_CONSOLE_MAX || !vm_ipa_in_ram(vm, ipa, len))
		return HYP_SMCCC_INVALID_PARAM;
	while (done < len) {
		u64 chunk = MIN(len - done, HYP_PAGE_SIZE - ((ipa + done) & (HYP_PAGE_SIZE - 1)));
		const char *p = vm_ipa_to_va(vm, ipa + done);

		if (!p)
			break;
		arch_guest_mem_sync(p, chunk);
		for (u64 i = 0; i < chunk; i++)
			vm_console_putc(vcpu, p[i]);
		done += chunk;
	}
	return (s64)done;
}

static void guest_call(struct vcpu *vcpu, struct arm64_regs *regs)
{
	struct vm *vm = vcpu->vm;
	u32 fn = (u32)regs->x[0];
	s64 ret;

	if (vpsci_call(vcpu, regs))
		return;
	switch (fn) {
	case HYP_CONSOLE_WRITE:
		ret = hvc_console_write(vcpu, regs->x[1], regs->x[2]);
		break;
	case HYP_VCPU_ID:
		ret = vcpu->id;
		break;
	case HYP_FAULT_STATS:
		ret = (s64)__atomic_load_n(&vm->s2_faults, __ATOMIC_RELAXED);
		break;
	case HYP_MEM_RELEASE:
		ret = vm_release(vm, regs->x[1], regs->x[2]) ? HYP_SMCCC_INVALID_PARAM : 0;
		break;
	case HYP_YIELD:
		/* One vCPU per physical CPU: nothing else to run here yet. */
		ret = 0;
		break;
	case HYP_VM_STOP:
		vm_stop(vm, "the guest asked to stop (code %lld)", (long long)regs->x[1]);
	default:
		ret = HYP_SMCCC_NOT_SUPPORTED;
		break;
	}
	regs->x[0] = (u64)ret;
}

void arm64_guest_trap(u64 kind, struct arm64_regs *regs);
void arm64_guest_trap(u64 kind, struct arm64_regs *regs)
{
	struct vcpu *vcpu = cur_vcpu[hyp_this_cpu()];
	u64 esr = read_sysreg(esr_el2);
	u64 ec = (esr >> ESR_EL2_EC_SHIFT) & ESR_EL2_EC_MASK;

	if (!vcpu)
		hyp_panic("exception from a lower EL with no vCPU loaded (ESR 0x%llx)\n",
			  (unsigned long long)esr);
	if (__atomic_load_n(&vcpu->vm->stopped, __ATOMIC_ACQUIRE))
		vm_stop(vcpu->vm, NULL);	/* another vCPU stopped it: park */
	if (kind != VECTOR_LOWER_SYNC)
		vm_stop(vcpu->vm, "unexpected %s exception (ESR 0x%llx, PC 0x%llx)",
			lower_names[(kind - VECTOR_LOWER_SYNC) & 3],
			(unsigned long long)esr, (unsigned long long)regs->elr);
	switch (ec) {
	case ESR_EC_HVC64:		/* ELR_EL2 is past the HVC already */
		guest_call(vcpu, regs);
		break;
	case ESR_EC_SMC64:		/* ELR_EL2 is the SMC itself */
		regs->elr += ARM64_INSN_SIZE;
		guest_call(vcpu, regs);
		break;
	case ESR_EC_DABT_LOW:
	case ESR_EC_IABT_LOW:
		guest_abort(vcpu, regs, esr, ec == ESR_EC_DABT_LOW);
		break;
	case ESR_EC_WFX:		/* only WFI traps (HCR_EL2.TWI) */
		arch_wait_event();	/* idle here, where a stop is seen */
		regs->elr += ARM64_INSN_SIZE;
		break;
	default:
		vm_stop(vcpu->vm, "exception class 0x%llx (ESR 0x%llx) at PC 0x%llx",
			(unsigned long long)ec, (unsigned long long)esr,
			(unsigned long long)regs->elr);
	}
}

/* Stage 2 and the traps for this VM, the EL1 state a vCPU starts from. */
static void vcpu_load(const struct vcpu *vcpu)
{
	const struct vm *vm = vcpu->vm;

	write_sysreg(vmpidr_el2, VMPIDR_EL2_VALUE(vcpu->id));
	write_sysreg(vtcr_el2, vm->arch_vtcr);
	write_sysreg(vttbr_el2, vm->arch_vttbr);
	write_sysreg(hcr_el2, HCR_EL2_GUEST);
	write_sysreg(sctlr_el1, SCTLR_EL1_GUEST_ENTRY);
	write_sysreg(cntvoff_el2, 0);
	isb();
	__asm__ volatile("tlbi vmalls12e1" ::: "memory");	/* this VMID, this CPU */
	__asm__ volatile("dsb nsh" ::: "memory");
	isb();
}

void arch_vcpu_run(struct vcpu *vcpu)
{
	struct arm64_regs frame __attribute__((aligned(16))) = { 0 };

	cur_vcpu[hyp_this_cpu()] = vcpu;
	vcpu_load(vcpu);
	frame.x[0] = vcpu->arg0;	/* the entry ABI, hyp/hvc_abi.h */
	frame.x[1] = vcpu->arg1;
	frame.elr = vcpu->entry;
	frame.spsr = SPSR_EL2_GUEST_ENTRY;
	arm64_guest_enter(&frame);
}
