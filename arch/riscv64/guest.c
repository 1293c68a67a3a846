// SPDX-License-Identifier: MIT
/*
 * Running a vCPU in VS-mode and turning its traps into calls of the core
 * (Privileged Architecture chapter 8): guest-page faults (demand paging
 * of guest RAM, emulated devices decoded from the trapping instruction),
 * ECALLs from VS-mode (the SBI, vsbi.c), WFI (a virtual-instruction
 * exception, hstatus.VTW), and the host's IPI and timer interrupts that
 * take the hart out of the guest. Whatever else a guest does stops its VM.
 */
#include "arch/vcpu.h"
#include "console.h"
#include "csr.h"
#include "inject.h"
#include "mmio_decode.h"
#include "page_alloc.h"
#include "riscv64.h"
#include "sbi.h"
#include "vdev.h"
#include "vm.h"

#define INSN_WFI		0x10500073u	/* Vol. II 3.3.3 */
#define HTINST_IS_32BIT		BIT(1)		/* 8.6.3: bit 1 clear = a compressed original */
#define HTVAL_SHIFT		2		/* htval holds the guest-physical address >> 2 */
/*
 * 8.4: what VS-mode takes itself (hedeleg) ... A misaligned load, store
 * or AMO the machine does not emulate (OpenSBI does not emulate AMOs)
 * is the guest's own too: before, its user space could stop its VM so.
 */
#define HEDELEG_GUEST		(BIT(EXC_INSN_MISALIGNED) | BIT(EXC_ILLEGAL_INSN) | \
				 BIT(EXC_BREAKPOINT) | BIT(EXC_LOAD_MISALIGNED) | \
				 BIT(EXC_STORE_MISALIGNED) | BIT(EXC_ECALL_U) | \
				 BIT(EXC_INSN_PAGE_FAULT) | BIT(EXC_LOAD_PAGE_FAULT) | \
				 BIT(EXC_STORE_PAGE_FAULT))
/* ... and its own interrupts (hideleg). */
#define HIDELEG_GUEST		(HIP_VSSIP | HIP_VSTIP | HIP_VSEIP)
#define HSTATUS_GUEST		(HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW | HSTATUS_VSXL_64)

/* trap.S lays the frame out by hand. */
_Static_assert(sizeof(struct riscv_regs) == RISCV_FRAME_SIZE, "trap frame size");
_Static_assert(__builtin_offsetof(struct riscv_regs, sepc) == RISCV_FRAME_SEPC, "trap frame sepc");
_Static_assert(__builtin_offsetof(struct riscv_regs, restore_all) == RISCV_FRAME_RESTORE_ALL,
	       "trap frame flag");
_Static_assert(__builtin_offsetof(struct riscv_regs, vcpu) == RISCV_FRAME_VCPU, "trap frame vcpu");
_Static_assert(__builtin_offsetof(struct riscv_regs, virq_word) == RISCV_FRAME_VIRQ,
	       "trap frame virq");
/* trap.S's check before riscv_vcpu_flush(), which takes word 0 only. */
_Static_assert(IRQ_VS_SOFT < 32, "riscv64 raised interrupts in virq word 0");

/*
 * This file is built with -ffixed-s0 ... -ffixed-s11 (boot/riscv64/hyp.mk):
 * while it handles a guest trap, s0-s11 hold the guest's values, which
 * trap.S did not save; riscv_frame_save_sregs() before the frame's are read.
 */
static u64 reg_get(struct riscv_regs *regs, u32 r)
{
	if (riscv_reg_is_saved(r))
		riscv_frame_save_sregs(regs);
	return r ? regs->x[r] : 0;
}

static void reg_set(struct riscv_regs *regs, u32 r, u64 val)
{
	if (riscv_reg_is_saved(r))
		riscv_frame_save_sregs(regs);	/* restore_all loads all twelve back */
	if (r)
		riscv_frame_set_reg(regs, r, val);
}

/*
 * HLVX.HU and HLVX.WU (8.3.1): the guest's code, as VS-mode (or VU, as
 * hstatus.SPVP says) fetches it; a fault sets *bad (RISCV_EXTABLE).
 */
#define GUEST_FETCH(insn, va, bad)					\
	({								\
		u64 v_;							\
		__asm__ volatile(".option push\n\t.option arch, +h\n"	\
				 "1:\t" insn " %0, (%2)\n"		\
				 "2:\n\t.option pop\n\t"		\
				 ".pushsection .text.riscv_fixup, \"ax\"\n"	\
				 "3:\tli %1, 1\n\t"			\
				 "j 2b\n\t"				\
				 ".popsection\n\t"			\
				 RISCV_EXTABLE(1b, 3b)			\
				 : "=&r"(v_), "+r"(bad) : "r"(va) : "memory");	\
		v_;							\
	})

/* Both halves of a 32-bit instruction (the second may be on the next page); *bad if it faulted. */
static inline u32 guest_insn_halves(u64 pc, u64 *bad)
{
	u32 lo, hi = 0;

	lo = (u32)GUEST_FETCH("hlvx.hu", pc, *bad) & 0xffff;
	if (!*bad && (lo & 3) == 3)
		hi = (u32)GUEST_FETCH("hlvx.hu", pc + 2, *bad) & 0xffff;
	return lo | hi << 16;
}

/*
 * The hypervisor took a trap of its own, which changed sstatus (SPP, SPIE)
 * and hstatus.SPV: the return loads them from the frame (trap.S).
 */
static void __attribute__((noinline, cold)) guest_fetch_faulted(struct riscv_regs *regs)
{
	riscv_frame_save_sregs(regs);
	riscv_frame_restore_all(regs);
}

/*
 * The trapping instruction read at sepc (a 16-bit one in the low half).
 * (htinst, which may hold a transformed copy, reads 0 on QEMU 7.2:
 * platform notes.) One word read when it stays in the page: QEMU reads a
 * word at an odd halfword too; a hart that does not (a misaligned-load
 * exception, which OpenSBI passes on for HLVX) faults it, and then the
 * halves are read.
 */
static inline __attribute__((always_inline)) bool guest_insn(struct riscv_regs *regs, u32 *insn)
{
	u64 pc = regs->sepc, bad = 0;
	u32 w;

	if ((pc & (HYP_PAGE_SIZE - 1)) <= HYP_PAGE_SIZE - 4) {
		w = (u32)GUEST_FETCH("hlvx.wu", pc, bad);
		if (!bad) {
			*insn = (w & 3) == 3 ? w : w & 0xffff;
			return true;
		}
		guest_fetch_faulted(regs);
		bad = 0;
	}
	*insn = guest_insn_halves(pc, &bad);
	if (bad)
		guest_fetch_faulted(regs);
	return !bad;
}

static void __attribute__((cold, noreturn))
guest_mmio_bad(struct vcpu *vcpu, const struct riscv_regs *regs, u64 gpa, const char *why)
{
	vm_stop(vcpu->vm, "MMIO access at GPA 0x%llx %s (PC 0x%llx)", (unsigned long long)gpa,
		why, (unsigned long long)regs->sepc);
}

/*
 * The trapping instruction unreadable: its page left the VM's stage 2
 * meanwhile (HYP_MEM_RELEASE from another vCPU) or this hart still caches
 * an invalid entry (guest_ram_fault()'s lazy fences). The guest retries it
 * once they are gone; what it does then is its own (no limit: a vCPU that
 * loops so only spends its own CPU, and the retry re-enters the guest,
 * where a VM stop is seen).
 */
static void __attribute__((noinline, cold)) guest_insn_unreadable(struct vcpu *vcpu)
{
	riscv_hfence_gvma_local(vcpu->vm->vmid, 0, 0);
}

static u64 sign_extend(u64 val, u32 size)
{
	u32 shift = 64 - size * 8;

	return (u64)((s64)(val << shift) >> shift);
}

static const char guest_mmio_unread[] = "unreadable";

/* The trapping load or store, from htinst (8.6.3) or read: NULL, or why not. */
static inline const char *guest_mmio_insn(struct riscv_regs *regs, struct riscv_mmio *m)
{
	u64 htinst = csr_read(htinst);
	u32 insn;

	if (htinst & 1)		/* a transformed load or store; bit 1 clear: compressed */
		insn = (u32)htinst | HTINST_IS_32BIT;
	else if (!guest_insn(regs, &insn))
		return guest_mmio_unread;
	if (!riscv_mmio_decode(insn, m))
		return "by an instruction that is no load or store";
	if (htinst & 1)
		m->len = htinst & HTINST_IS_32BIT ? 4 : 2;
	return NULL;
}

/* An access to an emulated device: the hot MMIO exit, inline in guest_page_fault(). */
static inline void guest_mmio(struct vcpu *vcpu, const struct vdev *dev, struct riscv_regs *regs,
			      u64 gpa)
{
	struct riscv_mmio m;
	const char *bad = guest_mmio_insn(regs, &m);
	u64 val;

	if (bad == guest_mmio_unread) {
		guest_insn_unreadable(vcpu);
		return;
	}
	if (bad)
		guest_mmio_bad(vcpu, regs, gpa, bad);
	val = m.write ? reg_get(regs, m.reg) : 0;
	if (vdev_access(vcpu, dev, gpa, m.size, m.write, &val))
		guest_mmio_bad(vcpu, regs, gpa, "past the end of its device");
	if (!m.write)
		reg_set(regs, m.reg, m.sign ? sign_extend(val, m.size) : val);
	regs->sepc += m.len;
}

/*
 * A fault in the VM's RAM: its page mapped (or being mapped); the guest
 * retries the access. No HFENCE.GVMA for the new entries (see
 * arch_tlb_s2_sync_new()): an invalid entry made valid may be fenced
 * lazily (Privileged Architecture 4.2.1, SFENCE.VMA, which 8.3.2 applies
 * to HFENCE.GVMA: "either the new or old permissions will be used ... a
 * page-fault exception might occur, at which point software should
 * execute" the fence). So a fault on a page already present fences, the
 * whole VMID: a hart may cache invalid non-leaf entries too, which a fence
 * of one address does not reach.
 */
static void __attribute__((noinline, cold)) guest_ram_refault(struct vm *vm, u64 gpa)
{
	riscv_hfence_gvma_local(vm->vmid, 0, 0);
	vm_guest_fault(vm, gpa);
}

static void __attribute__((noinline)) guest_ram_fault(struct vcpu *vcpu, u64 gpa)
{
	struct vm *vm = vcpu->vm;

	vcpu_trap_enter(vcpu);
	if (s2_mem_page_present(&vm->mem, gpa)) {
		guest_ram_refault(vm, gpa);
		return;
	}
	vm_guest_fault_inline(vm, gpa);
}

/* Neither RAM nor an emulated device: the access faulted on real hardware's bus. */
static void __attribute__((noinline, cold))
guest_fault_outside(struct vcpu *vcpu, struct riscv_regs *regs, u64 cause, u64 gpa)
{
	riscv_frame_save_sregs(regs);
	if (cause != EXC_INSN_GUEST_PAGE_FAULT && vfault_device_gpa(gpa)) {
		vfault_inject_access(vcpu, regs, gpa, cause == EXC_STORE_GUEST_PAGE_FAULT);
		return;
	}
	vm_stop(vcpu->vm, "%s guest-page fault at GPA 0x%llx outside its memory (PC 0x%llx)",
		cause == EXC_INSN_GUEST_PAGE_FAULT ? "instruction" :
		cause == EXC_LOAD_GUEST_PAGE_FAULT ? "load" : "store",
		(unsigned long long)gpa, (unsigned long long)regs->sepc);
}

/* RAM (demand paging), an emulated device's load or store, or neither. */
static void __attribute__((noinline))
guest_page_fault(struct vcpu *vcpu, struct riscv_regs *regs, u64 cause)
{
	u64 gpa = csr_read(htval) << HTVAL_SHIFT | (csr_read(stval) & 3);
	struct vm *vm = vcpu->vm;
	const struct vdev *dev;

	if (vm_ipa_in_ram(vm, gpa, 1)) {
		guest_ram_fault(vcpu, gpa);	/* a tail call, before this one's stack frame */
		return;
	}
	vcpu_trap_enter(vcpu);
	dev = cause != EXC_INSN_GUEST_PAGE_FAULT ? vdev_find(&vm->mmio, gpa) : NULL;
	if (dev) {
		guest_mmio(vcpu, dev, regs, gpa);
		return;
	}
	guest_fault_outside(vcpu, regs, cause, gpa);
}

/*
 * A virtual-instruction exception (8.6.1): WFI waits; anything else (the
 * cycle or instret counter, which hcounteren does not give it, a
 * hypervisor CSR or instruction) is illegal for the guest, which has no H
 * extension: injected as such, never its VM stopped, since its user
 * space can read a counter too.
 */
static void guest_virtual_insn(struct vcpu *vcpu, struct riscv_regs *regs)
{
	u32 insn = (u32)csr_read(stval);	/* the instruction, where the hart reports it */

	if (!insn && !guest_insn(regs, &insn)) {
		guest_insn_unreadable(vcpu);
		return;
	}
	if (insn != INSN_WFI) {
		vinsn_inject_illegal(vcpu, regs, insn);
		return;
	}
	riscv_vcpu_wfi(vcpu);
	regs->sepc += 4;
}

/* A host interrupt taken while the guest ran: an IPI or the wait timer. */
static void guest_host_irq(struct vcpu *vcpu, u64 code)
{
	if (code == IRQ_S_SOFT) {
		csr_clear(sip, SIE_SSIE);
		riscv_gvma_serve();	/* a G-stage shootdown, maybe */
	} else if (code == IRQ_S_TIMER)
		riscv_vtimer_irq();	/* the guest's deadline, without Sstc */
	else
		vm_stop(vcpu->vm, "unexpected host interrupt %llu", (unsigned long long)code);
	vcpu_trap_enter(vcpu);
}

/* Interrupts and the rarer exceptions: riscv_guest_trap() takes the hot ones itself. */
static void __attribute__((noinline))
guest_trap_other(struct vcpu *vcpu, struct riscv_regs *regs, u64 cause)
{
	riscv_frame_save_sregs(regs);	/* the rare traps: the frame whole */
	if (cause & SCAUSE_INTR) {
		guest_host_irq(vcpu, cause & SCAUSE_CODE_MASK);
		return;
	}
	vcpu_trap_enter(vcpu);
	switch (cause) {
	case EXC_VIRTUAL_INSN:
		guest_virtual_insn(vcpu, regs);
		break;
	default:
		vm_stop(vcpu->vm, "trap cause %llu (stval 0x%llx) at PC 0x%llx",
			(unsigned long long)cause, (unsigned long long)csr_read(stval),
			(unsigned long long)regs->sepc);
	}
}

/* An ECALL from VS-mode: the SBI (vsbi.c), which reads and writes only a0-a7 of the frame. */
static void __attribute__((noinline)) guest_ecall(struct vcpu *vcpu, struct riscv_regs *regs)
{
	vcpu_trap_enter(vcpu);
	regs->sepc += 4;	/* before the call: some do not return */
	riscv_vsbi_call(vcpu, regs);
}

/*
 * Every trap; trap.S then calls riscv_vcpu_flush() for what other harts
 * raised for the vCPU before it re-enters. The hot cases have their own
 * functions, so this one needs no stack frame.
 */
void riscv_guest_trap(struct riscv_regs *regs);
void riscv_guest_trap(struct riscv_regs *regs)
{
	struct vcpu *vcpu = regs->vcpu;
	u64 cause = csr_read(scause);

	if (!vcpu)
		hyp_panic("trap from a guest with no vCPU loaded (scause 0x%llx)\n",
			  (unsigned long long)cause);
	/* Load and store guest-page faults (21, 23) in one compare. */
	_Static_assert((EXC_LOAD_GUEST_PAGE_FAULT | 2) == EXC_STORE_GUEST_PAGE_FAULT, "causes");
	if ((cause | 2) == EXC_STORE_GUEST_PAGE_FAULT || cause == EXC_INSN_GUEST_PAGE_FAULT)
		guest_page_fault(vcpu, regs, cause);
	else if (cause == EXC_ECALL_VS)
		guest_ecall(vcpu, regs);
	else
		guest_trap_other(vcpu, regs, cause);
}

/* With Sstc vstimecmp is the guest's timer (henvcfg.STCE), else vtimer.c's deadline. */
static void guest_timer_load(void)
{
	csr_write(henvcfg, riscv_has_sstc() ? HENVCFG_STCE : 0);
	csr_write(htimedelta, 0);
}

/*
 * What VS-mode reaches besides its VS CSRs, zero at every start: f0-f31
 * and fcsr (sstatus.FS must be on), and scounteren and senvcfg, which
 * have no VS copies (H extension 1.0, 9.2.1): nothing of firmware or of
 * the vCPU's previous run.
 */
static void vcpu_reset_unbanked(void)
{
	__asm__ volatile(".option push\n\t.option arch, +d\n\t"
			 ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,"
			 "24,25,26,27,28,29,30,31\n\tfmv.d.x f\\n, zero\n\t.endr\n\t"
			 "csrw fcsr, zero\n\t.option pop" ::: "memory");
	csr_write(scounteren, 0);
	csr_write(CSR_SENVCFG, 0);
}

/* The VM's G-stage and the traps it gets, the VS state a vCPU starts from. */
static void vcpu_load(const struct vcpu *vcpu)
{
	const struct arch_vm *a = vcpu->vm->arch;

	csr_write(hgatp, a->hgatp);
	riscv_hfence_gvma_local(a->vmid, 0, 0);
	csr_write(hedeleg, HEDELEG_GUEST);
	csr_write(hideleg, HIDELEG_GUEST);
	csr_write(hcounteren, HCOUNTEREN_TM);
	csr_write(hvip, 0);
	csr_write(hie, 0);
	guest_timer_load();
	riscv_vtimer_reset();
	csr_write(vsstatus, 0);
	csr_write(vsie, 0);
	csr_write(vstvec, 0);
	csr_write(vsscratch, 0);
	csr_write(vsepc, 0);
	csr_write(vscause, 0);
	csr_write(vstval, 0);
	csr_write(vsatp, 0);
	csr_set(sstatus, SSTATUS_FS_INITIAL);
	vcpu_reset_unbanked();
	csr_set(sie, SIE_SSIE | SIE_STIE);
	__asm__ volatile(".option push\n\t.option arch, +h\n\thfence.vvma\n\t.option pop"
			 ::: "memory");
}

void arch_vcpu_run(struct vcpu *vcpu)
{
	struct riscv_regs frame __attribute__((aligned(16))) = { 0 };

	vcpu_load(vcpu);
	frame.x[RISCV_REG_A0] = vcpu->arg0;	/* the entry ABI: docs/riscv64.md */
	frame.x[RISCV_REG_A0 + 1] = vcpu->arg1;
	frame.sepc = vcpu->entry;
	frame.hstatus = (csr_read(hstatus) & ~HSTATUS_VTW) | HSTATUS_GUEST;
	frame.sstatus = SSTATUS_SPP;		/* VS-mode */
	frame.vcpu = vcpu;			/* riscv_guest_trap()'s, for every trap */
	frame.virq_word = &vcpu->arch->virq.word[0];
	riscv_vcpu_flush(vcpu);
	riscv_guest_enter(&frame);
}
