/* SPDX-License-Identifier: MIT */
/* What arch/riscv64 and boot/riscv64 share. */
#ifndef ARCH_RISCV64_RISCV64_H
#define ARCH_RISCV64_RISCV64_H

#include "config.h"

#define RISCV_FRAME_SIZE	(38 * 8)	/* struct riscv_regs; trap.S lays it out */
#define RISCV_FRAME_SEPC	(32 * 8)
#define RISCV_FRAME_HSTATUS	(33 * 8)
#define RISCV_FRAME_SSTATUS	(34 * 8)
#define RISCV_FRAME_RESTORE_ALL	(35 * 8)
#define RISCV_FRAME_VCPU	(36 * 8)
#define RISCV_FRAME_VIRQ	(37 * 8)

#ifndef __ASSEMBLER__
#include "types.h"
#include "virq.h"

/* Per-vCPU and per-VM state (the core's struct vcpu and struct vm point here). */
struct arch_vcpu {
	u64 hstatus;		/* what sret into the guest loads */
	struct virq_set virq;	/* raised by any hart (SBI IPI), moved to hvip by its own */
	u32 suspended;		/* in SBI hart_suspend (HSM state SUSPENDED), atomic */
	u64 ram_fault_last;	/* page of its last RAM fault (guest.c), ~0 if none */
};

struct arch_vm {
	u64 hgatp;		/* G-stage root, mode and VMID */
	u32 vmid;
	struct arch_vcpu vcpus[HYP_MAX_CPUS];
};

/*
 * A trap frame (arch/riscv64/trap.S): x1-x31 of the guest in x[1..31];
 * x[0] holds the hypervisor's tp (the logical CPU index) while the guest
 * runs. Then sepc, hstatus (arch_vcpu_run()'s) and sstatus (its SPP: VS
 * or VU), which sret loads back. gp, s0-s11 and sstatus are filled in
 * only by riscv_frame_save_sregs().
 */
struct riscv_regs {
	u64 x[32];
	u64 sepc;
	u64 hstatus;
	u64 sstatus;
	u64 restore_all;	/* trap.S loads the whole frame back (riscv_frame_restore_all()) */
	struct vcpu *vcpu;	/* whose frame: set once, before the first entry */
	const u32 *virq_word;	/* its raised interrupts: 0, no riscv_vcpu_flush() (trap.S) */
};

/* gp, s0, s1, s2-s11 (x3, x8, x9, x18-x27): left in the registers by a guest trap. */
static inline bool riscv_reg_is_saved(u32 r)
{
	return r == 3 || r == 8 || r == 9 || (r >= 18 && r <= 27);
}

/*
 * trap.S: the guest's gp and s0-s11 into @regs. A guest trap leaves them
 * in the registers; only guest.c, built so that they stay there, may call
 * it, before anything reads one from the frame or riscv_frame_set_reg().
 */
void riscv_frame_save_sregs(struct riscv_regs *regs);

/*
 * The frame is to be loaded back whole, sstatus and hstatus too (trap.S):
 * after riscv_frame_save_sregs().
 */
static inline void riscv_frame_restore_all(struct riscv_regs *regs)
{
	regs->restore_all = 1;
}

/* @val into register @r of the frame (gp, s0-s11: after riscv_frame_save_sregs()). */
static inline void riscv_frame_set_reg(struct riscv_regs *regs, u32 r, u64 val)
{
	regs->x[r] = val;
	if (riscv_reg_is_saved(r))
		riscv_frame_restore_all(regs);
}

#define RISCV_REG_A0		10
#define RISCV_REG_A7		17

/* tp holds the logical CPU index (head.S sets it on each hart). */
static inline u32 riscv_this_cpu(void)
{
	u64 cpu;

	__asm__ volatile("mv %0, tp" : "=r"(cpu));
	return (u32)cpu;
}

/* Paging modes by their levels (Privileged Architecture 4.4-4.6). */
#define RISCV_LEVELS_SV39	3
#define RISCV_LEVELS_SV48	4
#define RISCV_LEVELS_SV57	5

/* The VA bits of a mode of @levels: 12 + 9 a level (Sv39, Sv48, Sv57). */
static inline u32 riscv_va_bits(u32 levels)
{
	return 12 + 9 * levels;
}

/*
 * The modes in use (mmu_mode.c), by levels: the hypervisor's stage 1, the
 * G-stage (x4 of that many levels) and the most a guest's vsatp may use.
 */
struct riscv_mmu_modes {
	u32 s1, g, vs;
};
extern struct riscv_mmu_modes riscv_mmu;

struct fdt;
/* mmu_mode.c: probe and pick them, translation off, on the boot hart; one line. */
void riscv_mmu_modes_init(const struct fdt *fdt);
/* satp's (and hgatp's) MODE for @levels. */
u64 riscv_satp_mode(u32 levels);

/* Hart ids by logical CPU (cpu.c). */
extern u64 riscv_hartids[HYP_MAX_CPUS];
/* satp of the hypervisor's stage 1, read by secondaries with translation off. */
extern u64 riscv_satp;
/* The timebase, Hz (/cpus/timebase-frequency). */
extern u64 riscv_timebase_hz;

/* trap.S: enter the guest from @frame; sp becomes @frame. */
void __attribute__((noreturn)) riscv_guest_enter(struct riscv_regs *frame);
/* head.S */
void riscv_secondary_entry(void);

/*
 * An instruction that may fault, run under a fix-up (cpu.c): the host trap
 * handler skips a faulting 4-byte instruction and reports it.
 */
struct riscv_fixup {
	u32 active, faulted;
} __attribute__((aligned(64)));

extern struct riscv_fixup riscv_fixups[HYP_MAX_CPUS];

/* This hart's fix-up, open: pass it to riscv_fixup_end(). */
static inline struct riscv_fixup *riscv_fixup_begin(void)
{
	struct riscv_fixup *f = &riscv_fixups[riscv_this_cpu()];

	f->faulted = 0;
	f->active = 1;
	__asm__ volatile("" ::: "memory");
	return f;
}

/* True if it faulted. */
static inline bool riscv_fixup_end(struct riscv_fixup *f)
{
	__asm__ volatile("" ::: "memory");
	f->active = 0;
	return f->faulted;
}

/*
 * An instruction that may fault, without a fix-up window: inline asm puts
 * its address and a landing pad in the exception table (hyp.lds), both
 * relative to the entry, and the host trap handler (cpu.c) resumes a
 * fault of a listed instruction at its landing pad, which sets a flag.
 * The hot path then pays nothing for it (riscv_fixup_begin/end: two
 * stores and a load).
 */
struct riscv_extable {
	s32 insn, fixup;
};

/* Inside an asm statement: a fault at label @insn resumes at label @fixup. */
#define RISCV_EXTABLE(insn, fixup)				\
	".pushsection .riscv_extable, \"a\"\n\t"			\
	".balign 4\n\t"						\
	".4byte " #insn " - .\n\t"				\
	".4byte " #fixup " - .\n\t"				\
	".popsection\n\t"

struct vcpu;
struct vm;
/* vsbi.c: an ECALL from VS-mode; the frame's a0/a1 get the answer. */
void riscv_vsbi_call(struct vcpu *vcpu, struct riscv_regs *regs);
/* irq.c: raise VS interrupt @irq (IRQ_VS_*) for @target, from any hart. */
void riscv_vcpu_raise(struct vcpu *target, u32 irq);
/* irq.c: on @vcpu's own hart, before it re-enters: what was raised, into hvip. */
void riscv_vcpu_flush(struct vcpu *vcpu);
/* irq.c: a trapped WFI of @vcpu. */
void riscv_vcpu_wfi(struct vcpu *vcpu);
/* irq.c: @vcpu waits until an interrupt it enabled is pending (SBI hart_suspend). */
void riscv_vcpu_suspend(struct vcpu *vcpu);
/* stage2.c: HFENCE.GVMA on this hart for @vmid (all addresses if @size is 0). */
void riscv_hfence_gvma_local(u32 vmid, u64 gpa, u64 size);
/* gvma_shootdown.c: the harts of @vm's other vCPUs fenced @gpa/@size (0: all) on return. */
void riscv_gvma_shootdown(const struct vm *vm, u64 gpa, u64 size);
/* gvma_shootdown.c: this hart's mailbox of shootdown requests served (any context). */
void riscv_gvma_serve(void);
/* gvma_shootdown.c: riscv_gvma_serve() if an IPI is pending (pt_cpu_relax, mmu/plat/hyp). */
void riscv_gvma_relax(void);
/* vtimer.c: the hart has Sstc (vstimecmp is the guest's timer). */
bool riscv_has_sstc(void);
/* vtimer.c: probe Sstc on the boot hart; one line. */
void riscv_vtimer_init(void);
/* vtimer.c: the hart's SBI timer for @wait or its vCPU's deadline, the earlier. */
void riscv_timer_program(u64 wait);
/* vtimer.c: VSTIP in hvip if this hart's vCPU's deadline passed (no Sstc). */
void riscv_vtimer_check(void);
/* vtimer.c: a vCPU starts on this hart: no deadline, VSTIP clear. */
void riscv_vtimer_reset(void);
/* vtimer.c: SBI set_timer of this hart's vCPU, which clears its VSTIP. */
void riscv_vtimer_set(u64 stime);
/* vtimer.c: the hart's supervisor timer interrupt, taken from its guest. */
void riscv_vtimer_irq(void);

#endif
#endif
