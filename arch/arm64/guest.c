// SPDX-License-Identifier: MIT
/*
 * Running a vCPU at EL1 and turning its traps into calls of the core:
 * stage-2 faults (demand paging of guest RAM, emulated devices), HVC and
 * trapped SMC calls (hypercalls, PSCI, SMCCC); an access to an empty
 * device address gets an external abort back (vabort.c). Whatever else a
 * guest does stops its VM.
 */
#include "arch/vcpu.h"
#include "arm64.h"
#include "console.h"
#include "hvc_abi.h"
#include "hypercall.h"
#include "page_alloc.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "inject.h"
#include "mmio_decode.h"
#include "vdev.h"
#include "vm.h"
#include "vpsci.h"

#define ARM64_INSN_SIZE		4
#define VECTOR_LOWER_SYNC	8	/* vectors.S kinds 8-11: lower EL, AArch64 */

/* vectors.S lays the frame out by hand. */
_Static_assert(sizeof(struct arm64_regs) == ARM64_FRAME_SIZE, "trap frame size");
_Static_assert(__builtin_offsetof(struct arm64_regs, elr) == 31 * 8, "trap frame ELR");
_Static_assert(__builtin_offsetof(struct arm64_regs, restore_all) == 33 * 8, "trap frame flag");


#if __has_attribute(noipa)
#define GUEST_HALT_CALL	__attribute__((cold, noipa))
#else
#define GUEST_HALT_CALL	__attribute__((cold, noinline))
#endif

static const char *const lower_names[4] = { "sync", "IRQ", "FIQ", "SError" };

static u64 fault_ipa(void)
{
	u64 page = (read_sysreg(hpfar_el2) & HPFAR_EL2_FIPA_MASK) << HPFAR_EL2_FIPA_SHIFT;
	u64 far = read_sysreg(far_el2);

	/* One BFXIL: the compiler does not see that the page's low bits are clear. */
	__asm__("bfxil %0, %1, #0, %2" : "+r"(page) : "r"(far), "i"(__builtin_ctzll(HYP_PAGE_SIZE)));
	return page;
}

/* 31 is XZR here: a load that needs no branch, then a select. */
static u64 reg_get(const struct arm64_regs *regs, u32 r)
{
	u64 v = regs->x[r < 31 ? r : 0];

	return r < 31 ? v : 0;
}

/* The caller-saved registers first: one compare for them. */
static void reg_set(struct arm64_regs *regs, u64 r, u64 val)
{
	if (r < ARM64_REG_FIRST_CALLEE_SAVED)
		regs->x[r] = val;
	else if (r != 31)
		arm64_frame_set_reg(regs, (u32)r, val);
}

/* Stops the VM; not known to, so that a caller can end with it and need no frame. */
static void GUEST_HALT_CALL
guest_mmio_bad(struct vcpu *vcpu, u64 pc, u64 ipa, const char *why)
{
	vm_stop(vcpu->vm, "MMIO access at IPA 0x%llx %s (PC 0x%llx)", (unsigned long long)ipa,
		why, (unsigned long long)pc);
}

/*
 * A load or store at @ipa, @off into @dev, decoded from its syndrome
 * (ISV=1); @load is its WnR bit, known to the caller. A store steps the PC
 * first and calls the device's write last, with its value in a register:
 * the store path needs no stack frame.
 */
static inline __attribute__((always_inline)) void
guest_mmio(struct vcpu *vcpu, const struct vdev *dev, struct arm64_regs *regs, u64 esr, u64 ipa,
	   u64 off, bool load)
{
	struct arm64_mmio m;
	u64 raw;

	if (!arm64_mmio_decode(esr, &m)) {
		guest_mmio_bad(vcpu, regs->elr, ipa, "without a syndrome");
		return;
	}
	if (m.size > dev->size - off) {		/* vdev_fits() */
		guest_mmio_bad(vcpu, regs->elr, ipa, "past the end of its device");
		return;
	}
	regs->elr += ARM64_INSN_SIZE;
	if (!load) {
		dev->write(vcpu, dev, off, m.size, vdev_mask(m.size, reg_get(regs, m.reg)));
		return;
	}
	/* Only @esr and @regs kept across the call. */
	raw = dev->read(vcpu, dev, off, m.size);
	__asm__("" : "+r"(esr));	/* decode it again rather than keep its fields */
	reg_set(regs, (esr >> ESR_ISS_SRT_SHIFT) & ESR_ISS_SRT_MASK, arm64_mmio_load_raw(esr, raw));
}

static void __attribute__((cold, noreturn))
guest_abort_bad(struct vm *vm, const struct arm64_regs *regs, u64 ipa, u64 esr, bool data)
{
	const char *what = data ? "data" : "instruction";

	if (vm_ipa_in_ram(vm, ipa, 1))
		vm_stop(vm, "%s abort at IPA 0x%llx, fault status 0x%llx (PC 0x%llx)",
			what, (unsigned long long)ipa, (unsigned long long)(esr & ESR_ISS_FSC_MASK),
			(unsigned long long)regs->elr);
	vm_stop(vm, "%s abort at IPA 0x%llx outside its memory, %s (PC 0x%llx)", what,
		(unsigned long long)ipa,
		(esr & ESR_ISS_S1PTW) ? "on its stage-1 table walk" : "in its EL1 vector table",
		(unsigned long long)regs->elr);
}

/* Nothing there for the access (or a fault in RAM that is no translation fault). */
static void __attribute__((cold, noinline))
guest_abort_empty(struct vcpu *vcpu, struct arm64_regs *regs, u64 ipa, u64 esr, bool data)
{
	if (!vm_ipa_in_ram(vcpu->vm, ipa, 1) && vabort_can_take(regs, esr)) {
		vabort_inject(vcpu, regs, ipa, esr, data);
		return;
	}
	guest_abort_bad(vcpu->vm, regs, ipa, esr, data);
}

/*
 * A stage-2 fault: demand paging in RAM, an emulated device, or nothing
 * there (an external abort for the guest, as an empty bus gives). What
 * is left stops the VM: a fault in RAM that is not a translation fault,
 * or an abort the vCPU cannot take (vabort_can_take()). @load: a data
 * abort with WnR clear, which has an instance of its own (below).
 */
static inline __attribute__((always_inline)) void
guest_abort_body(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr, bool data, bool load)
{
	struct vm *vm = vcpu->vm;
	u64 fsc = esr & ESR_ISS_FSC_MASK, ipa = fault_ipa(), off;
	const struct vdev *dev;

	if ((fsc & ESR_FSC_TYPE_MASK) == ESR_FSC_TRANS && vm_ipa_in_ram(vm, ipa, 1)) {
		vm_guest_fault(vm, ipa);
		dsb_ishst();	/* the new entry, before the guest's walk */
		return;		/* mapped, or being mapped: the guest retries the access */
	}
	dev = data ? vdev_find_offset(&vm->mmio, ipa, &off) : NULL;
	if (dev) {
		guest_mmio(vcpu, dev, regs, esr, ipa, off, load);
		return;
	}
	guest_abort_empty(vcpu, regs, ipa, esr, data);
}

/* Loads keep what they read across the device's call: a frame, in this instance only. */
static void __attribute__((noinline))
guest_abort_load(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr)
{
	guest_abort_body(vcpu, regs, esr, true, true);
}

static void __attribute__((noinline))
guest_abort_store(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr)
{
	guest_abort_body(vcpu, regs, esr, true, false);
}

static void __attribute__((noinline))
guest_abort_insn(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr)
{
	guest_abort_body(vcpu, regs, esr, false, false);
}

/* SMCCC_ARCH_FEATURES: which of SMCCC's own calls exist (no workaround calls). */
static s64 smccc_arch_features(u32 fn)
{
	return fn == HYP_SMCCC_VERSION || fn == HYP_SMCCC_ARCH_FEATURES ?
	       0 : HYP_SMCCC_NOT_SUPPORTED;
}

/* SMCCC's own calls and the vendor hypervisor service's queries. */
static void smccc_call(struct arm64_regs *regs, u32 fn)
{
	switch (fn) {
	case HYP_SMCCC_VERSION:
		regs->x[0] = HYP_SMCCC_VERSION_1_1;
		return;
	case HYP_SMCCC_ARCH_FEATURES:
		regs->x[0] = (u64)smccc_arch_features((u32)regs->x[1]);
		return;
	case HYP_HVC_CALL_UID:
		regs->x[0] = HYP_HVC_UID_0;
		regs->x[1] = HYP_HVC_UID_1;
		regs->x[2] = HYP_HVC_UID_2;
		regs->x[3] = HYP_HVC_UID_3;
		return;
	case HYP_HVC_REVISION:
		regs->x[0] = HYP_HVC_REVISION_MAJOR;
		regs->x[1] = HYP_HVC_REVISION_MINOR;
		return;
	default:
		regs->x[0] = (u64)(s64)HYP_SMCCC_NOT_SUPPORTED;
	}
}

static void __attribute__((noinline)) guest_call(struct vcpu *vcpu, struct arm64_regs *regs)
{
	u32 fn = (u32)regs->x[0];

	if ((fn & HYP_HVC_SVC_MASK) == HYP_HVC_BASE) {
		regs->x[0] = (u64)hypercall(vcpu, fn & HYP_HVC_FN_MASK, regs->x[1], regs->x[2],
					    regs->x[3]);
		return;
	}
	if (!vpsci_call(vcpu, regs))
		smccc_call(regs, fn);
}

static void __attribute__((cold, noreturn))
guest_trap_bad(struct vcpu *vcpu, const struct arm64_regs *regs, u64 kind, u64 esr)
{
	if (kind != VECTOR_LOWER_SYNC)
		vm_stop(vcpu->vm, "unexpected %s exception (ESR 0x%llx, PC 0x%llx)",
			lower_names[(kind - VECTOR_LOWER_SYNC) & 3],
			(unsigned long long)esr, (unsigned long long)regs->elr);
	vm_stop(vcpu->vm, "exception class 0x%llx (ESR 0x%llx) at PC 0x%llx",
		(unsigned long long)((esr >> ESR_EL2_EC_SHIFT) & ESR_EL2_EC_MASK),
		(unsigned long long)esr, (unsigned long long)regs->elr);
}

/* The rarer classes, out of the hot function's way. */
static void __attribute__((cold, noinline))
guest_trap_other(struct vcpu *vcpu, struct arm64_regs *regs, u64 kind, u64 esr)
{
	switch ((esr >> ESR_EL2_EC_SHIFT) & ESR_EL2_EC_MASK) {
	case ESR_EC_SYS64:
		arm64_sysreg_trap(vcpu, regs, esr);
		return;
	case ESR_EC_SVE:	/* hidden in its ID registers: UNDEFINED, as without them */
		inject_undef(vcpu, regs, "SVE, which it does not have");
		return;
	case ESR_EC_SME:
		inject_undef(vcpu, regs, "SME, which it does not have");
		return;
	default:
		guest_trap_bad(vcpu, regs, kind, esr);
	}
}

static struct vcpu *guest_trap_vcpu(const struct arm64_regs *regs)
{
	struct vcpu *vcpu = regs->vcpu;

	if (!vcpu)
		hyp_panic("exception from a lower EL with no vCPU loaded (ESR 0x%llx)\n",
			  (unsigned long long)read_sysreg(esr_el2));
	vcpu_trap_enter(vcpu);
	return vcpu;
}

/*
 * No vCPU (a bug) or its VM stopping: never returns, but not known to, so
 * that arm64_guest_sync() calls it last and needs no stack frame.
 */
static void GUEST_HALT_CALL guest_trap_halt(const struct arm64_regs *regs)
{
	guest_trap_vcpu(regs);
	hyp_panic("trap of a stopping VM returned\n");
}

/* vectors.S: FIQ and SError from the guest, never routed to EL2 on purpose. */
void arm64_guest_trap(u64 kind, struct arm64_regs *regs);
void arm64_guest_trap(u64 kind, struct arm64_regs *regs)
{
	guest_trap_bad(guest_trap_vcpu(regs), regs, kind, read_sysreg(esr_el2));
}

/* The synchronous exceptions but HVC and data aborts. */
static void __attribute__((noinline))
guest_sync_other(struct vcpu *vcpu, struct arm64_regs *regs, u64 esr)
{
	switch ((esr >> ESR_EL2_EC_SHIFT) & ESR_EL2_EC_MASK) {
	case ESR_EC_SMC64:		/* ELR_EL2 is the SMC itself */
		regs->elr += ARM64_INSN_SIZE;
		guest_call(vcpu, regs);
		break;
	case ESR_EC_IABT_LOW:
		guest_abort_insn(vcpu, regs, esr);
		break;
	case ESR_EC_WFX:		/* only WFI traps (HCR_EL2.TWI) */
		arm64_vcpu_wfi(vcpu);	/* idle here, where a stop is seen */
		regs->elr += ARM64_INSN_SIZE;
		break;
	default:
		guest_trap_other(vcpu, regs, VECTOR_LOWER_SYNC, esr);
	}
}

/*
 * vectors.S: a synchronous exception from the guest. The hot classes
 * first, each a tail call, so this needs no stack frame of its own.
 */
void arm64_guest_sync(struct arm64_regs *regs);
void arm64_guest_sync(struct arm64_regs *regs)
{
	struct vcpu *vcpu = regs->vcpu;
	u64 esr;

	if (__builtin_expect(!vcpu || __atomic_load_n(&vcpu->vm->stopped, __ATOMIC_ACQUIRE), 0)) {
		guest_trap_halt(regs);	/* vcpu_trap_enter()'s check, without its frame */
		return;
	}
	esr = read_sysreg(esr_el2);
	switch ((esr >> ESR_EL2_EC_SHIFT) & ESR_EL2_EC_MASK) {
	case ESR_EC_HVC64:		/* ELR_EL2 is past the HVC already */
		guest_call(vcpu, regs);
		break;
	case ESR_EC_DABT_LOW:
		if (esr & ESR_ISS_WNR)
			guest_abort_store(vcpu, regs, esr);
		else
			guest_abort_load(vcpu, regs, esr);
		break;
	default:
		guest_sync_other(vcpu, regs, esr);
	}
}

/*
 * Pointer authentication as its ID registers show it: untrapped. Its keys
 * need no switching (one vCPU per CPU) and EL2 never signs (built without
 * -mbranch-protection), so the guest's keys are its own.
 */
static u64 guest_hcr(void)
{
	bool pauth = (read_sysreg(id_aa64isar1_el1) & ID_AA64ISAR1_PAUTH) ||
		     (read_sysreg(S3_0_C0_C6_2) & ID_AA64ISAR2_PAUTH);	/* ID_AA64ISAR2_EL1 */

	return HCR_EL2_GUEST | (pauth ? HCR_EL2_API | HCR_EL2_APK : 0) |
	       (arm64_has_s2fwb() ? HCR_EL2_FWB : 0);
}

/*
 * FP/SIMD and SVE untrapped: EL2 never uses those registers
 * (-mgeneral-regs-only), and a CPU runs one vCPU only, so they need no
 * switching either. The rest as sysreg_trap.c hides it.
 */
static u64 guest_cptr(bool sve)
{
	bool amu = read_sysreg(id_aa64pfr0_el1) & ID_AA64PFR0_AMU;

	return CPTR_EL2_GUEST | (sve ? 0 : CPTR_EL2_TZ) | (amu ? CPTR_EL2_TAM : 0);
}

/* SVE at every vector length the PE has: set once TZ no longer traps ZCR_EL2. */
static void guest_sve(bool sve)
{
	if (!sve)
		return;
	isb();
	write_sysreg(S3_4_C1_C2_0, ZCR_EL2_LEN_MAX);	/* ZCR_EL2 */
}

/* Stage 2 and the traps for this VM, the EL1 state a vCPU starts from. */
static void vcpu_load(const struct vcpu *vcpu)
{
	const struct arch_vm *vm = vcpu->vm->arch;
	bool sve = read_sysreg(id_aa64pfr0_el1) & ID_AA64PFR0_SVE;
	u64 hcr = guest_hcr();

	write_sysreg(vmpidr_el2, vcpu->arch->vmpidr);
	write_sysreg(vtcr_el2, vm->vtcr);
	write_sysreg(vttbr_el2, vm->vttbr);
	write_sysreg(hcr_el2, hcr);
	write_sysreg(cptr_el2, guest_cptr(sve));
	guest_sve(sve);
	arm64_vcpu_reset_el1(sve, hcr & HCR_EL2_APK);	/* nothing of firmware or a previous run */
	write_sysreg(mdcr_el2, vm->mdcr);
	write_sysreg(sctlr_el1, SCTLR_EL1_GUEST_ENTRY);
	write_sysreg(cntvoff_el2, 0);
	isb();
	__asm__ volatile("tlbi vmalls12e1" ::: "memory");	/* this VMID, this CPU */
	__asm__ volatile("dsb nsh" ::: "memory");
	isb();
}

/* From arch_cpu_idle_reset (vectors.S): this CPU's vCPU, if any, leaves it. */
void arm64_cpu_leave(void);
void arm64_cpu_leave(void)
{
	struct vcpu *v = vgic_loaded_vcpu();

	if (v)		/* its trap frame goes with the stack: the next run sets a new one */
		vgic_vcpu_put(v);
}

void arch_vcpu_run(struct vcpu *vcpu)
{
	struct arm64_regs frame __attribute__((aligned(16))) = { 0 };

	vcpu_load(vcpu);
	vgic_vcpu_reset(vcpu);		/* entered afresh: nothing of a previous run */
	vgic_vcpu_restore(vcpu);
	frame.x[0] = vcpu->arg0;	/* the entry ABI, hvc_abi.h */
	frame.x[1] = vcpu->arg1;
	frame.elr = vcpu->entry;
	frame.spsr = SPSR_EL2_GUEST_ENTRY;
	frame.vcpu = vcpu;		/* arm64_guest_sync()'s, for every trap */
	arm64_guest_enter(&frame);
}
