/* SPDX-License-Identifier: MIT */
/*
 * Entry from OpenSBI (fw_dynamic, -kernel) or U-Boot's booti, following
 * the RISC-V Linux boot protocol (Documentation/riscv/boot.rst): S-mode
 * (HS with the H extension), satp = 0, a0 = this hart's id, a1 = the DTB's
 * physical address. The image runs wherever it was placed: it applies its
 * own R_RISCV_RELATIVE relocations first.
 */
#include "config.h"
#include "csr.h"

#define R_RISCV_RELATIVE	3
#define HYP_LINK_BASE		0x80200000	/* boot/riscv64/hyp.lds */
/* Documentation/riscv/boot-image-header.rst: version 0.2, little-endian. */
#define IMAGE_VERSION		((0 << 16) | 2)
#define IMAGE_TEXT_OFFSET	0x200000	/* from the start of RAM, as Linux */

	.option	norvc
	.section .head.text, "ax"
	.globl	_start
_start:
	j	primary_entry		/* code0 */
	.word	0			/* code1 */
	.dword	IMAGE_TEXT_OFFSET
	/*
	 * image_size, BSS included, is the linker script's QUAD between the
	 * two sections: a .dword of a symbol would be a dynamic relocation,
	 * whose word the linker leaves zero, and booti refuses a zero size.
	 */
	.section .head.text.rest, "ax"
	.dword	0			/* flags: little-endian */
	.word	IMAGE_VERSION
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* res3: no PE/COFF header */
	.option	rvc

primary_entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	lla	t0, boot_claimed
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, misrouted_secondary
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* DTB */
	call	relocate
	call	zero_bss
	lla	sp, hyp_stacks
	li	t0, HYP_STACK_SIZE
	add	sp, sp, t0
	li	tp, 0			/* logical CPU 0 */
	call	trap_setup
	mv	a0, s0
	mv	a1, s1
	call	riscv_main
	j	halt

/*
 * Apply R_RISCV_RELATIVE relocations for the distance from the link
 * address, even a zero one: the linker leaves the words themselves zero
 * (the value is only in r_addend).
 */
relocate:
	lla	t0, _start
	li	t1, HYP_LINK_BASE
	sub	t2, t0, t1
	lla	t3, __rela_start
	lla	t4, __rela_end
1:	bgeu	t3, t4, 2f
	ld	t5, 0(t3)		/* r_offset */
	ld	t6, 8(t3)		/* r_info */
	ld	a2, 16(t3)		/* r_addend */
	addi	t3, t3, 24
	beqz	t6, 1b			/* R_RISCV_NONE */
	li	a3, R_RISCV_RELATIVE
	bne	t6, a3, halt		/* no other kind is expected */
	add	a2, a2, t2
	add	t5, t5, t2
	sd	a2, 0(t5)
	j	1b
2:	fence.i
	ret

zero_bss:
	lla	t0, __bss_start
	lla	t1, __bss_end
	addi	t2, t1, -64
1:	bgtu	t0, t2, 2f		/* 64 bytes a turn while they fit */
	sd	zero, 0(t0)
	sd	zero, 8(t0)
	sd	zero, 16(t0)
	sd	zero, 24(t0)
	sd	zero, 32(t0)
	sd	zero, 40(t0)
	sd	zero, 48(t0)
	sd	zero, 56(t0)
	addi	t0, t0, 64
	j	1b
2:	bgeu	t0, t1, 3f		/* then 8 (the linker script aligns both ends to 16) */
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
3:	ret

/* The trap vector (direct mode), sscratch = 0: in the hypervisor. */
trap_setup:
	lla	t0, riscv_trap_vector
	csrw	stvec, t0
	csrw	sscratch, zero
	ret

/*
 * SBI HSM hart_start lands here in S-mode, satp = 0, a0 = the hart id,
 * a1 = the opaque value: the logical CPU index. Translation goes on
 * before the stack is touched.
 */
	.globl	riscv_secondary_entry
riscv_secondary_entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	li	t0, HYP_MAX_CPUS
	bgeu	a1, t0, halt
	mv	tp, a1
	call	trap_setup
	lla	t0, riscv_satp
	ld	t0, 0(t0)
	sfence.vma
	csrw	satp, t0
	sfence.vma
	lla	sp, hyp_stacks
	li	t0, HYP_STACK_SIZE
	addi	t1, tp, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	mv	a0, tp
	call	hyp_secondary_main
	j	halt

/*
 * A second hart at the image's entry. OpenSBI 1.1's hart_start marks the
 * hart START_PENDING before it stores the start address, so a hart woken
 * in between leaves for the default next address, here, with a1 = the
 * DTB. It goes on as riscv_secondary_entry if the ticket the boot hart
 * published (cpu.c: hart id + 1 << 32 | CPU index; 0: none) names it;
 * else it parks.
 */
misrouted_secondary:
	lla	t0, riscv_hart_ticket
	ld	t1, 0(t0)
	srli	t2, t1, 32
	addi	t3, a0, 1
	bne	t2, t3, halt
	slli	a1, t1, 32
	srli	a1, a1, 32
	j	riscv_secondary_entry

halt:
	wfi
	j	halt

	/* Not in the BSS: the boot hart claims it before it clears the BSS. */
	.data
	.balign	4
boot_claimed:
	.word	0

	.section .noinit.stacks, "aw", @nobits
	.balign	4096
	.globl	hyp_stacks
hyp_stacks:
	.space	HYP_MAX_CPUS * HYP_STACK_SIZE
