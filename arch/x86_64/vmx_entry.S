/* SPDX-License-Identifier: MIT */
/*
 * Entering a guest and coming back (SDM Vol. 3C 28.5: a VM exit loads
 * RSP and RIP from the host-state area). vmx_run(regs) saves the callee-
 * saved registers and @regs on its stack, points HOST_RSP there, loads
 * all the guest's registers and enters (VMLAUNCH, or VMRESUME if the VMCS
 * was launched). Each exit saves the registers vmx_exit(regs) may clobber
 * (the C ABI's caller-saved ones) and RBX (CPUID's result), calls it and
 * loads them back for VMRESUME: the guest's RBP and R12-R15 stay in their
 * registers across the call, which preserves them (x86_cpu.h, struct
 * x86_gregs). A failed entry returns. An exit handler that stops or resets
 * the VM never returns here (vm_stop()); the next vmx_run() starts afresh.
 */
#define VMCS_HOST_RSP	0x6c14
#define VMCS_HOST_RIP	0x6c16
#define G_RAX	0
#define G_RBX	8
#define G_RCX	16
#define G_RDX	24
#define G_RSI	32
#define G_RDI	40
#define G_RBP	48
#define G_R8	56
#define G_R9	64
#define G_R10	72
#define G_R11	80
#define G_R12	88
#define G_R13	96
#define G_R14	104
#define G_R15	112
#define G_LAUNCHED 120
#define G_STOPPED 136		/* arch/x86_64/exit.c asserts these offsets */
#define G_VCPU	128
#define PC_IN_GUEST 8		/* struct x86_percpu, at GS */
#define PC_ENTRY_WORK 16	/* ept_flush and console_kick, one 8-byte test */

	.text
	.globl	vmx_run
vmx_run:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* RSP is 16-byte aligned here: the exit path calls C */
	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	vmx_fail
	mov	$VMCS_HOST_RIP, %eax
	lea	vmx_exit_entry(%rip), %rdx
	vmwrite	%rdx, %rax
	jbe	vmx_fail
	mov	%rdi, %rax
	mov	G_RBX(%rax), %rbx
	mov	G_RCX(%rax), %rcx
	mov	G_RDX(%rax), %rdx
	mov	G_RSI(%rax), %rsi
	mov	G_RDI(%rax), %rdi
	mov	G_RBP(%rax), %rbp
	mov	G_R8(%rax), %r8
	mov	G_R9(%rax), %r9
	mov	G_R10(%rax), %r10
	mov	G_R11(%rax), %r11
	mov	G_R12(%rax), %r12
	mov	G_R13(%rax), %r13
	mov	G_R14(%rax), %r14
	mov	G_R15(%rax), %r15
	cmpq	$0, G_LAUNCHED(%rax)
	movq	$1, G_LAUNCHED(%rax)	/* from here on VMRESUME (a failed launch stops the VM) */
	mov	G_RAX(%rax), %rax
	jne	vmx_resume
	vmlaunch
	jmp	vmx_fail
vmx_resume:
	vmresume
vmx_fail:
	pop	%rdi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

vmx_exit_entry:
	push	%rdi
	mov	8(%rsp), %rdi		/* vmx_exit()'s argument */
	mov	%rax, G_RAX(%rdi)
	mov	%rbx, G_RBX(%rdi)
	mov	%rcx, G_RCX(%rdi)
	mov	%rdx, G_RDX(%rdi)
	mov	%rsi, G_RSI(%rdi)
	mov	%r8, G_R8(%rdi)
	mov	%r9, G_R9(%rdi)
	mov	%r10, G_R10(%rdi)
	mov	%r11, G_R11(%rdi)
	popq	G_RDI(%rdi)
	call	vmx_exit		/* preserves RBP and R12-R15: still the guest's */
	/*
	 * x86_guest_entering()'s fast path (ipi.c): in_guest set (a locked
	 * OR: sequentially consistent), then neither an EPT flush nor a console
	 * kick asked for nor the VM stopped; else it runs, flushing or parking.
	 */
	lock orl $1, %gs:PC_IN_GUEST	/* 0 since the exit: 1, a full barrier as XCHG is */
	mov	(%rsp), %rax
	cmpq	$0, %gs:PC_ENTRY_WORK
	jne	2f
	mov	G_STOPPED(%rax), %rdx
	cmpl	$0, (%rdx)
	jne	2f
1:
	mov	G_RBX(%rax), %rbx
	mov	G_RCX(%rax), %rcx
	mov	G_RDX(%rax), %rdx
	mov	G_RSI(%rax), %rsi
	mov	G_RDI(%rax), %rdi
	mov	G_R8(%rax), %r8
	mov	G_R9(%rax), %r9
	mov	G_R10(%rax), %r10
	mov	G_R11(%rax), %r11
	mov	G_RAX(%rax), %rax
	vmresume
	jmp	vmx_fail
2:	mov	G_VCPU(%rax), %rdi
	call	x86_guest_entering
	mov	(%rsp), %rax
	jmp	1b

	.section .note.GNU-stack, "", @progbits
