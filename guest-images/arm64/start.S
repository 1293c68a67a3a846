/* SPDX-License-Identifier: MIT */
/*
 * Guest entry (arch/arm64/hvc_abi.h): EL1h, MMU off, x0 = RAM base, x1 = RAM size.
 * The stack is the top 16 KiB of RAM; BSS is zeroed; then guest_main().
 * Another vCPU, started by PSCI CPU_ON at guest_secondary_entry with its
 * index as the context id, takes the 16 KiB below the previous one's and
 * runs guest_secondary_main(index).
 */
#include "hvc_abi.h"

#define STACK_SIZE	0x4000
#define EXC_FRAME	176		/* x0-x18, x29, x30, 16-byte aligned */

	.section .head.text, "ax"
	.globl	_start
_start:
	b	entry
	.long	0
	.long	HYP_GUEST_MAGIC_LO
	.long	HYP_GUEST_MAGIC_HI

entry:
	add	sp, x0, x1		/* top of RAM */
	adr	x2, guest_ram_top
	add	x3, x0, x1
	str	x3, [x2]
	mov	x19, x0
	mov	x20, x1
	adr	x2, guest_vectors
	msr	vbar_el1, x2
	isb
	adrp	x2, __bss_start
	add	x2, x2, :lo12:__bss_start
	adrp	x3, __bss_end
	add	x3, x3, :lo12:__bss_end
1:	cmp	x2, x3
	b.hs	2f
	str	xzr, [x2], #8
	b	1b
2:	mov	x0, x19
	mov	x1, x20
	bl	guest_main
	ldr	x0, =HYP_PSCI_SYSTEM_OFF
	hvc	#0
3:	wfi
	b	3b

	/* x0 = the context id = this vCPU's index (lib.c vcpu_start). */
	.globl	guest_secondary_entry
guest_secondary_entry:
	mov	x19, x0
	adr	x2, guest_vectors
	msr	vbar_el1, x2
	isb
	ldr	x1, guest_ram_top
	mov	x2, #STACK_SIZE
	msub	x1, x19, x2, x1		/* top - index * STACK_SIZE */
	mov	sp, x1
	mov	x0, x19
	bl	guest_secondary_main
	ldr	x0, =HYP_PSCI_CPU_OFF
	hvc	#0
4:	wfi
	b	4b

	/*
	 * Every exception: guest_exception(ESR, ELR, FAR) with the registers
	 * a C call may clobber saved. Most guests report it and power off; if
	 * it returns (after setting ELR_EL1 past the instruction, say), the
	 * registers come back and ERET resumes the guest.
	 */
	.macro	vent
	.balign	0x80
	sub	sp, sp, #EXC_FRAME
	stp	x0, x1, [sp]
	b	guest_vector_common
	.endm

	.balign	0x800
guest_vectors:
	.rept	16
	vent
	.endr

guest_vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	guest_exception
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	ldp	x0, x1, [sp]
	add	sp, sp, #EXC_FRAME
	eret

	.ltorg

	/* In the image, not BSS: written before BSS is zeroed. */
	.balign	8
	.globl	guest_ram_top
guest_ram_top:
	.quad	0
