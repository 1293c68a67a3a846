/* SPDX-License-Identifier: MIT */
/*
 * The trap vector (stvec, direct mode; Privileged Architecture 4.1.2) and
 * the way into a guest. sscratch tells where a trap came from: 0 while
 * the hypervisor runs, the vCPU's trap frame (struct riscv_regs, on this
 * hart's stack) while a guest runs. A guest trap saves the registers C
 * may change and sepc in that frame and calls
 * riscv_guest_trap(frame), then riscv_vcpu_flush(vcpu) if another hart
 * raised something for it; then the frame, possibly changed, is loaded
 * back and sret resumes the guest. A trap of the hypervisor itself goes
 * to riscv_host_trap(frame) on its own stack.
 *
 * Left in the registers: gp (the hypervisor never uses it) and s0-s11,
 * which the C code preserves (psABI callee-saved); guest.c, which the
 * trap enters, does not use them at all (-ffixed-sN, boot/riscv64/hyp.mk),
 * so a handler that needs them in the frame has guest.c save them there
 * first (riscv_frame_save_sregs(), which also gives the frame's sstatus
 * its SPP). hstatus and sstatus are left as the
 * trap set them (SPV, SPVP; SPP, SPIE): no handler changes the CSRs.
 * restore_all (riscv_frame_set_reg(), after that save) takes the other
 * return, which loads everything from the frame: a handler wrote gp or an
 * s-register, changed the frame's sstatus.SPP (inject.c), or the
 * hypervisor took a trap of its own meanwhile (an HLVX that faulted),
 * which changed sstatus.SPP and SPIE and hstatus.SPV. So does a new frame
 * (riscv_guest_enter); its hstatus is arch_vcpu_run()'s (SPV set).
 */
#include "config.h"
#include "csr.h"
#include "riscv64.h"

	/* The registers C may change: all but sp, gp, tp and s0-s11. */
	.macro	save_regs_volatile
	sd	x1, 1*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	.endm

	/* gp and s0-s11 (x3, x8, x9, x18-x27) into the frame at \base. */
	.macro	save_regs_saved base
	sd	x3, 3*8(\base)
	sd	x8, 8*8(\base)
	sd	x9, 9*8(\base)
	sd	x18, 18*8(\base)
	sd	x19, 19*8(\base)
	sd	x20, 20*8(\base)
	sd	x21, 21*8(\base)
	sd	x22, 22*8(\base)
	sd	x23, 23*8(\base)
	sd	x24, 24*8(\base)
	sd	x25, 25*8(\base)
	sd	x26, 26*8(\base)
	sd	x27, 27*8(\base)
	.endm

	/* The registers C may change: all but sp, gp, tp and s0-s11. */
	.macro	load_regs_volatile
	ld	x1, 1*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	.endm

	/* gp and s0-s11 (x3, x8, x9, x18-x27). */
	.macro	load_regs_saved
	ld	x3, 3*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	.endm

	/* Everything but sp (x2) and tp (x4), which the callers handle. */
	.macro	load_regs
	load_regs_volatile
	load_regs_saved
	.endm

	/* sepc, hstatus, sstatus and tp for the guest from the frame at sp. */
	.macro	guest_csrs
	ld	t0, RISCV_FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, RISCV_FRAME_HSTATUS(sp)
	csrw	hstatus, t0		/* SPV set (arch_vcpu_run) */
	li	t1, SSTATUS_SPP
	csrc	sstatus, t1
	ld	t0, RISCV_FRAME_SSTATUS(sp)
	and	t0, t0, t1		/* the guest's privilege: VS (1) or VU (0) */
	csrs	sstatus, t0
	li	t0, SSTATUS_SPIE
	csrc	sstatus, t0
	sd	tp, 0(sp)
	ld	tp, 4*8(sp)
	csrw	sscratch, sp
	.endm

	.section .text.trap, "ax"
	.balign	4
	.globl	riscv_trap_vector
riscv_trap_vector:
	csrrw	sp, sscratch, sp
	beqz	sp, host_trap
	/* From the guest: sp = its frame, sscratch = its sp. s0-s11 stay put. */
	save_regs_volatile
	sd	x4, 4*8(sp)
	csrrw	t0, sscratch, zero
	sd	t0, 2*8(sp)
	csrr	t0, sepc
	sd	t0, RISCV_FRAME_SEPC(sp)
	ld	tp, 0(sp)		/* the hypervisor's; restore_all is 0 */
	mv	a0, sp
	call	riscv_guest_trap
	ld	t0, RISCV_FRAME_VIRQ(sp)
	lw	t0, 0(t0)		/* raised by another hart meanwhile? */
	beqz	t0, 1f
	ld	a0, RISCV_FRAME_VCPU(sp)
	call	riscv_vcpu_flush
1:
	ld	t0, RISCV_FRAME_RESTORE_ALL(sp)
	bnez	t0, guest_resume_all
	/* x[0] still holds the hypervisor's tp; hstatus and sstatus as the trap set them. */
	ld	t0, RISCV_FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	tp, 4*8(sp)
	csrw	sscratch, sp
	load_regs_volatile
	ld	sp, 2*8(sp)
	sret

/*
 * The guest's gp and s0-s11 into its frame at a0: only from guest.c, whose code
 * (-ffixed-s0 ... -ffixed-s11, boot/riscv64/hyp.mk) leaves them as the
 * guest had them, as every function it calls does (psABI callee-saved).
 */
	.globl	riscv_frame_save_sregs
riscv_frame_save_sregs:
	save_regs_saved a0
	/*
	 * The frame's sstatus: its SPP, the guest's privilege, which is
	 * hstatus.SPVP (the same bit) since the trap; a trap the hypervisor
	 * took meanwhile changed SPP but not SPVP (8.2.2).
	 */
	csrr	t0, hstatus
	andi	t0, t0, HSTATUS_SPVP
	sd	t0, RISCV_FRAME_SSTATUS(a0)
	ret

/* a0: a trap frame on this hart's stack, below everything the caller keeps. */
	.globl	riscv_guest_enter
riscv_guest_enter:
	mv	sp, a0
guest_resume_all:
	sd	zero, RISCV_FRAME_RESTORE_ALL(sp)	/* 0 while the guest runs */
	guest_csrs
	load_regs
	ld	sp, 2*8(sp)
	sret

/* From the hypervisor itself: its own sp back, a frame below it. */
host_trap:
	csrrw	sp, sscratch, sp
	addi	sp, sp, -RISCV_FRAME_SIZE
	save_regs_volatile
	save_regs_saved sp
	sd	x4, 4*8(sp)
	addi	t0, sp, RISCV_FRAME_SIZE
	sd	t0, 2*8(sp)
	csrr	t0, sepc
	sd	t0, RISCV_FRAME_SEPC(sp)
	mv	a0, sp
	call	riscv_host_trap
	ld	t0, RISCV_FRAME_SEPC(sp)
	csrw	sepc, t0
	load_regs
	ld	x4, 4*8(sp)
	addi	sp, sp, RISCV_FRAME_SIZE
	sret

/*
 * A vCPU stopped and its frame is no longer needed: start this hart's
 * stack afresh (head.S: CPU n's stack is hyp_stacks + n * HYP_STACK_SIZE,
 * growing down) and wait for its vCPU in vcpu_idle(cpu).
 */
	.globl	arch_cpu_idle_reset
arch_cpu_idle_reset:
	csrw	sscratch, zero
	lla	sp, hyp_stacks
	li	t0, HYP_STACK_SIZE
	addi	t1, tp, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	mv	a0, tp
	tail	vcpu_idle
