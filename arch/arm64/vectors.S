/* SPDX-License-Identifier: MIT */
/*
 * The EL2 vector table (Arm ARM D1.3.1 "Exception vectors"): 16 entries of
 * 0x80 bytes, 2 KiB aligned. Nothing is expected yet, so every entry saves
 * the registers and calls arm64_exception(kind, regs), which panics.
 */
#define FRAME_SIZE	(32 * 8)	/* x0-x30, padded to 16 bytes */

	.macro	ventry, kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	vector_common
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.globl	arm64_vectors
arm64_vectors:
	ventry	0	/* current EL, SP_EL0: synchronous */
	ventry	1	/* IRQ */
	ventry	2	/* FIQ */
	ventry	3	/* SError */
	ventry	4	/* current EL, SP_ELx: synchronous */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15

vector_common:
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
	str	x30, [sp, #240]
	mov	x1, sp
	bl	arm64_exception
1:	wfi
	b	1b
