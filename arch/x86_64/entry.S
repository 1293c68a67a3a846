/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own exceptions (vectors 0-31, SDM Vol. 3A 6.15): each
 * stub pushes a zero error code where the CPU pushes none, then its
 * vector, saves the general registers and calls x86_exception(frame).
 */
	.text
	.macro	exc_stub vec, has_err
	.balign	16
exc_\vec:
	.if	\has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
	.endm

	/* Vectors with an error code: 8, 10-14, 17, 21, 29, 30 (SDM Vol. 3A Table 6-1). */
	.irp	v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
	exc_stub \v, 0
	.endr
	.irp	v, 8,10,11,12,13,14,17,21,29,30
	exc_stub \v, 1
	.endr

/* An NMI in the hypervisor is another CPU's kick, which arrived late: drop it. */
	.globl	x86_nmi_ignore
x86_nmi_ignore:
	iretq

/*
 * The wake-up vector (idle.c), taken only between STI and HLT in
 * arch_wait_event(): it only ends the HLT. The local APIC wants its EOI.
 */
	.globl	x86_wake_intr
x86_wake_intr:
	push	%rax
	mov	x86_lapic_eoi_reg(%rip), %rax
	movl	$0, (%rax)
	pop	%rax
	iretq

/* The local APIC's spurious interrupt: no EOI (SDM Vol. 3A 11.9). */
	.globl	x86_spurious_intr
x86_spurious_intr:
	iretq

/*
 * IRET to the next instruction: ends NMI blocking, which Bochs leaves set
 * after a VM exit caused by an NMI (the next kick would be held forever).
 */
	.globl	x86_nmi_unblock
x86_nmi_unblock:
	mov	%rsp, %rax
	pushq	$0x10			/* SS: GDT_DATA */
	pushq	%rax
	pushfq
	pushq	$0x08			/* CS: GDT_CODE64 */
	lea	1f(%rip), %rax
	pushq	%rax
	iretq
1:	ret

exc_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rbx
	push	%rbp
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	x86_exception
1:	cli
	hlt
	jmp	1b

	.section .rodata
	.balign	8
	.globl	x86_exc_stubs
x86_exc_stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_\v
	.endr

	.section .note.GNU-stack, "", @progbits
