/* SPDX-License-Identifier: MIT */
/*
 * Entry from QEMU -kernel or a bootloader's booti, following the arm64
 * Linux boot protocol (Documentation/arch/arm64/booting.rst): MMU and data
 * cache off, x0 = the DTB's physical address. The image runs wherever it
 * was placed: it applies its own R_AARCH64_RELATIVE relocations first.
 */
#include "config.h"
#include "sysreg.h"

#define R_AARCH64_RELATIVE	1027
/* Image header flags: little-endian (bit 0 = 0), 4 KiB pages (bits 2:1 = 1),
 * 2 MiB aligned base anywhere in RAM (bit 3). */
#define IMAGE_FLAGS		((1 << 1) | (1 << 3))

	/* A symbol's run-time address, PC-relative (+-4 GiB). */
	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .head.text, "ax"
	.globl	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_image_size		/* image_size, BSS included (linker script) */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE/COFF header */

primary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	x19, x0			/* DTB */
	bl	relocate
	bl	zero_bss
	adr_l	x0, hyp_stacks
	add	sp, x0, #HYP_STACK_SIZE
	mrs	x1, CurrentEL
	ubfx	x1, x1, #CURRENTEL_EL_SHIFT, #2
	cmp	x1, #2
	b.ne	1f
	mov	x0, #0			/* logical CPU 0 */
	bl	el2_setup
	mov	x0, x19
	bl	arm64_main
	b	halt
1:	mov	x0, x19			/* x1 = the EL we were entered at */
	bl	arm64_wrong_el
	b	halt

/* Apply R_AARCH64_RELATIVE relocations for the distance from the link address. */
relocate:
	adr_l	x0, _start		/* where we run */
	ldr	x1, =_start		/* where we were linked: the literal is not relocated yet */
	subs	x2, x0, x1
	b.eq	2f
	adr_l	x3, __rela_start
	adr_l	x4, __rela_end
1:	cmp	x3, x4
	b.hs	2f
	ldp	x5, x6, [x3], #16	/* r_offset, r_info */
	ldr	x7, [x3], #8		/* r_addend */
	cbz	x6, 1b			/* R_AARCH64_NONE */
	cmp	x6, #R_AARCH64_RELATIVE
	b.ne	halt			/* no other kind is expected */
	add	x7, x7, x2
	add	x5, x5, x2
	str	x7, [x5]
	dc	ivac, x5		/* written with the MMU off (arch_mm_enable) */
	b	1b
2:	ret

/* The BSS is 16-byte aligned and sized (hyp.lds): 64 bytes a turn, then 16. */
zero_bss:
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
	sub	x2, x1, #64
1:	cmp	x0, x2
	b.hi	2f
	stp	xzr, xzr, [x0]
	stp	xzr, xzr, [x0, #16]
	stp	xzr, xzr, [x0, #32]
	stp	xzr, xzr, [x0, #48]
	add	x0, x0, #64
	b	1b
2:	cmp	x0, x1
	b.hs	3f
	stp	xzr, xzr, [x0], #16
	b	2b
3:	ret

/* x0: logical CPU index. EL2 in a known state: MMU off, no VHE, our vectors. */
el2_setup:
	ldr	x1, =SCTLR_EL2_MMU_OFF
	msr	sctlr_el2, x1
	ldr	x1, =HCR_EL2_BOOT
	msr	hcr_el2, x1
	adr_l	x1, arm64_vectors
	msr	vbar_el2, x1
	msr	tpidr_el2, x0
	mov	x1, #CNTHCTL_EL2_VALUE
	msr	cnthctl_el2, x1
	isb
	ret

/*
 * PSCI CPU_ON lands here at EL2, MMU off, x0 = the context id: the logical
 * CPU index. The MMU goes on before the stack is touched, so that nothing
 * is written with the MMU off that is later read through the caches.
 */
	.globl	arm64_secondary_entry
arm64_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	x19, x0
	cmp	x19, #HYP_MAX_CPUS
	b.hs	halt
	bl	el2_setup
	adr_l	x0, arm64_mmu_regs
	bl	arm64_mmu_enable
	adr_l	x0, hyp_stacks
	mov	x1, #HYP_STACK_SIZE
	madd	x0, x19, x1, x0
	add	sp, x0, x1
	bl	arm64_secondary_init
	mov	x0, x19
	bl	hyp_secondary_main
	b	halt

/* x0: struct arm64_mmu_regs. Load the EL2 translation registers, then enable. */
	.globl	arm64_mmu_enable
arm64_mmu_enable:
	ldp	x1, x2, [x0]		/* mair, tcr */
	ldp	x3, x4, [x0, #16]	/* ttbr0, sctlr */
	dsb	ish			/* the tables are written */
	msr	mair_el2, x1
	msr	tcr_el2, x2
	msr	ttbr0_el2, x3
	isb
	tlbi	alle2			/* whatever the firmware left */
	dsb	nsh
	ic	iallu
	dsb	nsh
	isb
	msr	sctlr_el2, x4
	isb
	ret

/* x0, x1: [start, end). Invalidate data cache lines to the point of coherency. */
	.globl	arm64_dcache_inval_range
arm64_dcache_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	ivac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret

halt:
	wfi
	b	halt

	.ltorg

	.section .noinit.stacks, "aw", %nobits
	.balign	4096
	.globl	hyp_stacks
hyp_stacks:
	.space	HYP_MAX_CPUS * HYP_STACK_SIZE
