/* SPDX-License-Identifier: MIT */
/*
 * The "handover" guest's entry (guest-images/common/handover.h): an arm64
 * Linux Image (Documentation/arch/arm64/booting.rst, "Call the kernel
 * image"): the 64-byte header, code0 executed first, x0 = the device
 * tree, x1-x3 = 0, MMU off. The same code linked as an ELF starts at
 * _start too. The very first instruction reads the virtual counter:
 * under QEMU -icount that is the time from reset to here.
 */
#include "hvc_abi.h"

#define IMAGE_TEXT_OFFSET	0x80000
/* Header flags: little-endian (bit 0 = 0), 4 KiB pages (bits 2:1 = 1),
 * any 2 MiB-aligned base (bit 3). */
#define IMAGE_FLAGS		((1 << 1) | (1 << 3))
#define STACK_SIZE		0x4000

	.section .head.text, "ax"
	.globl	_start
_start:
	mrs	x4, cntvct_el0		/* code0: the first instruction */
	b	entry			/* code1 */
	.quad	IMAGE_TEXT_OFFSET
	.quad	_image_size		/* BSS included (handover.lds) */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic, at offset 56 */
	.long	0			/* no PE/COFF header */

	/* x0-x3 as handed over and x4 = the count stay untouched until the call. */
entry:
	adr	x5, handover_vectors
	msr	vbar_el1, x5
	isb
	adrp	x5, __bss_start
	add	x5, x5, :lo12:__bss_start
	adrp	x6, __bss_end
	add	x6, x6, :lo12:__bss_end
1:	cmp	x5, x6
	b.hs	2f
	str	xzr, [x5], #8
	b	1b
2:	adrp	x5, handover_stack
	add	x5, x5, :lo12:handover_stack
	add	sp, x5, #STACK_SIZE
	bl	handover_arch_entry	/* (x0, x1, x2, x3, count) */
	ldr	x0, =HYP_PSCI_SYSTEM_OFF
	hvc	#0
3:	wfi
	b	3b

	/* lib.c's vcpu_start() names it; this guest starts no other vCPU. */
	.globl	guest_secondary_entry
guest_secondary_entry:
	ldr	x0, =HYP_PSCI_CPU_OFF
	hvc	#0
4:	wfi
	b	4b

	/* Any exception: guest_exception(ESR, ELR, FAR) reports it and powers off. */
	.balign	0x800
handover_vectors:
	.rept	16
	.balign	0x80
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	guest_exception
5:	wfi
	b	5b
	.endr

	.ltorg

	.bss
	.balign	16
handover_stack:
	.skip	STACK_SIZE
