/* SPDX-License-Identifier: MIT */
/*
 * The EL2 vector table (Arm ARM D1.3.1 "Exception vectors"): 16 entries of
 * 0x80 bytes, 2 KiB aligned. Every entry pushes a trap frame (struct
 * arm64_regs: x0-x30, ELR_EL2, SPSR_EL2) on the EL2 stack. Exceptions from
 * EL2 itself go to arm64_exception(), which panics, but for IRQs, which
 * EL2 unmasks only while it waits (arch/arm64/irq.c); exceptions from a
 * guest (lower EL, AArch64) go to arm64_guest_sync(frame) (synchronous),
 * arm64_guest_irq(kind, frame) (IRQs) or arm64_guest_trap(kind, frame)
 * (FIQ, SError), and when it returns the frame, possibly changed, is
 * loaded back and the guest resumed.
 *
 * A guest's frame is at the same place for every trap (the top of the
 * stack arch_vcpu_run() left), so its vcpu word, which no vector writes,
 * stays what arch_vcpu_run() set.
 *
 * x19-x29 are saved (handlers read any register from the frame) but
 * loaded back only when a handler wrote one of them into the frame
 * (ARM64_FRAME_RESTORE_ALL, set by arm64_frame_set_reg()): otherwise the C
 * code, which preserves them (AAPCS64 callee-saved), returns them as the
 * guest left them.
 */
#include "config.h"

#define FRAME_SIZE	(36 * 8)	/* ARM64_FRAME_SIZE: a multiple of 16 */
#define FRAME_ELR	(31 * 8)
#define FRAME_RESTORE_ALL (33 * 8)	/* struct arm64_regs.restore_all */

	.macro	ventry, kind, handler
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	\handler
	.endm

	/* x0 and x1 are saved; x0 may hold the vector's kind. */
	.macro	save_frame
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [sp, #240]
	stp	x3, xzr, [sp, #256]	/* SPSR, restore_all = 0 */
	.endm

	/* The hot entry whole in its slot (at most 32 instructions): no kind, no branch. */
	.macro	guest_sync_entry
	.balign	0x80
.Lguest_sync_entry:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	save_frame
	mov	x0, sp
	bl	arm64_guest_sync
	b	guest_return
	.if	. - .Lguest_sync_entry > 0x80
	.error	"guest_sync_entry is longer than its vector slot"
	.endif
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.globl	arm64_vectors
arm64_vectors:
	ventry	0, host_vector		/* current EL, SP_EL0: synchronous */
	ventry	1, host_vector		/* IRQ */
	ventry	2, host_vector		/* FIQ */
	ventry	3, host_vector		/* SError */
	ventry	4, host_vector		/* current EL, SP_ELx: synchronous */
	ventry	5, host_irq_vector	/* IRQ: taken only inside arch_wait_event() */
	ventry	6, host_vector
	ventry	7, host_vector
	guest_sync_entry		/* lower EL, AArch64: synchronous */
	ventry	9, guest_irq_vector	/* IRQ */
	ventry	10, guest_vector	/* FIQ */
	ventry	11, guest_vector	/* SError */
	ventry	12, host_vector		/* lower EL, AArch32: never entered */
	ventry	13, host_vector
	ventry	14, host_vector
	ventry	15, host_vector

	/* Everything but x0, x1 and x19-x29 back from the frame at sp. */
	.macro	load_frame_volatile
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #256]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	.endm

host_vector:
	save_frame
	mov	x1, sp
	bl	arm64_exception
1:	wfi
	b	1b

/* An IRQ at EL2 returns where it was taken: the frame's ELR and SPSR are EL2's. */
host_irq_vector:
	save_frame
	mov	x1, sp
	bl	arm64_host_irq
	b	guest_resume

guest_irq_vector:
	save_frame
	mov	x1, sp
	bl	arm64_guest_irq
	b	guest_return

guest_vector:
	save_frame
	mov	x1, sp
	bl	arm64_guest_trap
	b	guest_resume

/* After arm64_guest_sync() (guest_sync_entry) or arm64_guest_irq(). */
guest_return:
	ldr	x2, [sp, #FRAME_RESTORE_ALL]
	cbnz	x2, guest_resume
	load_frame_volatile
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret

/* x0: a trap frame, 16-byte aligned, on this CPU's EL2 stack. */
	.globl	arm64_guest_enter
arm64_guest_enter:
	mov	sp, x0
guest_resume:
	load_frame_volatile
	ldr	x19, [sp, #152]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret

/*
 * A vCPU stopped and its frame is no longer needed: start this CPU's EL2
 * stack afresh (head.S: CPU n's stack is hyp_stacks + n * HYP_STACK_SIZE,
 * growing down), save and quiet the vCPU's interrupt state
 * (arm64_cpu_leave) and wait for its vCPU in vcpu_idle(cpu).
 */
	.globl	arch_cpu_idle_reset
arch_cpu_idle_reset:
	mrs	x0, tpidr_el2		/* the logical CPU index */
	adrp	x1, hyp_stacks
	add	x1, x1, :lo12:hyp_stacks
	mov	x2, #HYP_STACK_SIZE
	madd	x1, x0, x2, x1
	add	sp, x1, x2
	bl	arm64_cpu_leave
	mrs	x0, tpidr_el2
	b	vcpu_idle
