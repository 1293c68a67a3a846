/* SPDX-License-Identifier: MIT */
/*
 * The "handover" guest's entry (guest-images/common/handover.h): a RISC-V
 * Linux Image (Documentation/riscv/boot-image-header.rst; the entry state
 * of Documentation/riscv/boot.rst: a0 = this hart's id, a1 = the device
 * tree, translation off). code0, executed first, reads the time CSR:
 * under QEMU -icount that is the time from reset to here. The same code
 * linked as an ELF starts at _start too.
 */
#include "sbi_abi.h"

#define IMAGE_TEXT_OFFSET	0x200000	/* what Linux's RV64 Image says */
#define IMAGE_FLAGS		0		/* bit 0 clear: little-endian */
#define IMAGE_VERSION		2		/* header version 0.2: major << 16 | minor */
#define STACK_SIZE		0x4000

	.section .head.text, "ax"
	.option	push
	.option	norvc
	.globl	_start
_start:
	rdtime	a2			/* code0: the first instruction */
	j	entry			/* code1 */
	.option	pop
	.dword	IMAGE_TEXT_OFFSET
	.dword	_image_size		/* BSS included (handover.lds) */
	.dword	IMAGE_FLAGS
	.word	IMAGE_VERSION
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic, at offset 48 (deprecated) */
	.ascii	"RSC\x05"		/* magic2, at offset 56 */
	.word	0			/* res3: no PE/COFF header */

	/* a0, a1 as handed over and a2 = the count stay untouched until the call. */
entry:
	lla	t0, handover_trap
	csrw	stvec, t0
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	lla	sp, handover_stack_top
	call	handover_arch_entry	/* (a0, a1, count) */
	call	system_off
3:	wfi
	j	3b

	/* lib.c's vcpu_start() names it; this guest starts no other hart. */
	.globl	guest_secondary_entry
guest_secondary_entry:
	li	a7, SBI_EXT_HSM
	li	a6, SBI_HSM_HART_STOP
	ecall
4:	wfi
	j	4b

	/* Any trap: guest_exception(scause, sepc, stval) reports it and powers off. */
	.balign	4
handover_trap:
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	guest_exception
5:	wfi
	j	5b

	.bss
	.balign	16
handover_stack:
	.skip	STACK_SIZE
handover_stack_top:
