/* SPDX-License-Identifier: MIT */
/*
 * Guest entry (arch/riscv64/sbi_abi.h): VS-mode, vsatp = 0, a0 = RAM
 * base, a1 = RAM size. The stack is the top 16 KiB of RAM; BSS is zeroed;
 * then guest_main(). Another vCPU, started by SBI hart_start at
 * guest_secondary_entry (a0 = its hart id = its index), takes the 16 KiB
 * below the previous one's and runs guest_secondary_main(index). tp holds
 * the vCPU's index (vcpu_self()).
 */
#include "sbi_abi.h"

#define STACK_SIZE	0x4000
#define EXC_FRAME	(16 * 8)	/* ra, t0-t6, a0-a7 */

	.section .head.text, "ax"
	.option	push
	.option	norvc
	.globl	_start
_start:
	j	entry
	.word	0
	.word	HYP_GUEST_MAGIC_LO
	.word	HYP_GUEST_MAGIC_HI
	.option	pop

entry:
	add	sp, a0, a1		/* top of RAM */
	lla	t0, guest_ram_top
	sd	sp, 0(t0)
	mv	s0, a0
	mv	s1, a1
	li	tp, 0
	lla	t0, guest_trap
	csrw	stvec, t0
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	mv	a0, s0
	mv	a1, s1
	call	guest_main
	call	system_off
3:	wfi
	j	3b

	.globl	guest_secondary_entry
guest_secondary_entry:
	mv	tp, a0
	lla	t0, guest_trap
	csrw	stvec, t0
	ld	t1, guest_ram_top
	li	t2, STACK_SIZE
	mul	t2, t2, a0
	sub	sp, t1, t2
	call	guest_secondary_main
	call	vcpu_stop
4:	wfi
	j	4b

	/*
	 * Every trap: guest_exception(scause, sepc, stval) with the registers
	 * a C call may clobber saved. Most guests report it and power off; if
	 * it returns (after setting sepc past the instruction, say), the
	 * registers come back and sret resumes the guest.
	 */
	.balign	4
guest_trap:
	addi	sp, sp, -EXC_FRAME
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	guest_exception
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, EXC_FRAME
	sret

	/* In the image, not BSS: written before BSS is zeroed. */
	.data
	.balign	8
	.globl	guest_ram_top
guest_ram_top:
	.dword	0
