/* SPDX-License-Identifier: MIT */
/*
 * Entry from a multiboot2 loader (GRUB's multiboot2 command), Multiboot2
 * Specification 1.0, 3.3 "I386 machine state": 32-bit protected mode,
 * paging off, flat CS/DS, interrupts off, EAX = MB2_BOOT_MAGIC, EBX = the
 * boot information's physical address. The image is linked where it runs
 * (no relocation). An early identity map of the first 4 GiB in 2 MiB
 * pages gets the CPU into long mode; arch/x86_64/mmu.c replaces it with
 * the walker's 4-level tables before the guests run.
 */
#include "config.h"
#include "x86_regs.h"

#define MB2_HEADER_MAGIC	0xe85250d6	/* Multiboot2 3.1.1 */
#define MB2_ARCH_I386		0		/* 32-bit protected mode entry */
#define MB2_BOOT_MAGIC		0x36d76289	/* EAX at entry, 3.3 */
#define EARLY_PD_COUNT		4		/* 4 page directories: 4 GiB of 2 MiB pages */
#define PAGE_SIZE		4096

	.section .head.text, "ax"
	.code32
	.balign	8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.word	0, 0			/* the end tag: type 0, flags 0, size 8 */
	.long	8
mb2_header_end:

	.globl	_start_entry
_start_entry:
	cli
	cld
	mov	%eax, %esi		/* magic */
	mov	%ebx, %edi		/* boot information */
	/* BSS, where the early tables and stacks are. */
	mov	$__bss_start, %ebx
1:	cmp	$__bss_end, %ebx
	jae	2f
	movl	$0, (%ebx)
	add	$4, %ebx
	jmp	1b
2:	/* PML4[0] -> PDPT, PDPT[0..3] -> PD0..3, each PD maps 1 GiB with 2 MiB pages. */
	mov	$early_pdpt, %eax
	or	$(EARLY_PTE_P | EARLY_PTE_RW), %eax
	mov	%eax, early_pml4
	xor	%ecx, %ecx
3:	mov	%ecx, %eax
	shl	$12, %eax
	add	$early_pd, %eax
	or	$(EARLY_PTE_P | EARLY_PTE_RW), %eax
	mov	%eax, early_pdpt(, %ecx, 8)
	inc	%ecx
	cmp	$EARLY_PD_COUNT, %ecx
	jb	3b
	xor	%ecx, %ecx		/* entry i of the 2048 maps i * 2 MiB */
4:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(EARLY_PTE_P | EARLY_PTE_RW | EARLY_PTE_PS), %eax
	mov	%eax, early_pd(, %ecx, 8)
	inc	%ecx
	cmp	$(EARLY_PD_COUNT * 512), %ecx
	jb	4b
	/* SDM Vol. 3A 10.8.5: PAE, EFER.LME, CR3, then CR0.PG. */
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$early_pml4, %eax
	mov	%eax, %cr3
	mov	%esi, %ebp
	mov	$MSR_IA32_EFER, %ecx
	rdmsr
	or	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov	%ebp, %esi
	mov	%cr0, %eax
	or	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	mov	%eax, %cr0
	lgdt	gdt_desc32
	ljmp	$GDT_CODE64, $long_entry

	.code64
long_entry:
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	lea	hyp_stacks + HYP_STACK_SIZE(%rip), %rsp
	xor	%ebp, %ebp
	mov	%edi, %edi		/* boot information, zero-extended */
	mov	%esi, %esi		/* magic */
	call	x86_main
5:	cli
	hlt
	jmp	5b

/* Drop this CPU's stack: enter vcpu_idle(@edi) on the top of its own. */
	.globl	x86_idle_reset
x86_idle_reset:
	mov	%edi, %eax
	inc	%rax
	imul	$HYP_STACK_SIZE, %rax
	lea	hyp_stacks(%rip), %rsp
	add	%rax, %rsp
	xor	%ebp, %ebp
	call	vcpu_idle
	jmp	5b

	.section .data
	.balign	16
	.globl	x86_gdt
x86_gdt:
	.quad	0
	.quad	GDT_CODE64_DESC		/* 0x08 */
	.quad	GDT_DATA_DESC		/* 0x10 */
	.fill	HYP_MAX_CPUS * 2, 8, 0	/* 0x18: a TSS per CPU (16 bytes each), arch/x86_64/cpu.c */
x86_gdt_end:
	.balign	8
gdt_desc32:
	.word	x86_gdt_end - x86_gdt - 1
	.long	x86_gdt
	.balign	8
	.globl	x86_gdt_desc
x86_gdt_desc:
	.word	x86_gdt_end - x86_gdt - 1
	.quad	x86_gdt

	.section .bss.early, "aw", @nobits
	.balign	PAGE_SIZE
early_pml4:
	.space	PAGE_SIZE
early_pdpt:
	.space	PAGE_SIZE
early_pd:
	.space	EARLY_PD_COUNT * PAGE_SIZE

	.section .bss.stacks, "aw", @nobits
	.balign	PAGE_SIZE
	.globl	hyp_stacks
hyp_stacks:
	.space	HYP_MAX_CPUS * HYP_STACK_SIZE

	.section .note.GNU-stack, "", @progbits

/*
 * Application processors: INIT-SIPI-SIPI (arch/x86_64/smp.c) starts them
 * in real mode at CS:IP = (X86_TRAMPOLINE >> 4):0, where x86_main() copied
 * this code. Protected mode, long mode on the early map (which covers the
 * trampoline; the real stage 1 does not map the first MiB), then
 * x86_ap_entry in the image.
 */
#define TRAMP(sym)	((sym) - x86_trampoline + X86_TRAMPOLINE)

	.section .rodata
	.balign	16
	.globl	x86_trampoline, x86_trampoline_end
	.code16
x86_trampoline:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tramp_gdt_desc - x86_trampoline
	mov	%cr0, %eax
	or	$X86_CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$0x08, $TRAMP(tramp32)

	.code32
tramp32:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$early_pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_IA32_EFER, %ecx
	rdmsr
	or	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov	%cr0, %eax
	or	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	mov	%eax, %cr0
	ljmp	$0x18, $TRAMP(tramp64)

	.code64
tramp64:
	movabs	$x86_ap_entry, %rax
	jmp	*%rax

	.balign	8
tramp_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code, flat */
	.quad	GDT_DATA_DESC		/* 0x10 */
	.quad	GDT_CODE64_DESC		/* 0x18 */
tramp_gdt_desc:
	.word	tramp_gdt_desc - tramp_gdt - 1
	.long	TRAMP(tramp_gdt)
x86_trampoline_end:

	.text
	.code64
/* In long mode on the early map: the hypervisor's GDT, this CPU's stack, its stage 1. */
x86_ap_entry:
	lgdt	x86_gdt_desc(%rip)
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	/*
	 * Take the ticket the BSP published for this CPU's local APIC ID
	 * (CPUID.1:EBX[31:24]) by compare-and-swap. A CPU that answers a
	 * SIPI late finds another CPU's ticket, or none, and parks here,
	 * before it touches any stack.
	 */
	mov	$1, %eax
	cpuid
	shr	$24, %ebx
	mov	x86_ap_ticket(%rip), %rax
2:	mov	%rax, %rdx
	shr	$32, %rdx
	cmp	%ebx, %edx
	jne	6f
	mov	$X86_AP_NO_TICKET, %rcx
	lock cmpxchg %rcx, x86_ap_ticket(%rip)
	jne	2b
	mov	%eax, %edi		/* this CPU's index */
	mov	%edi, %eax
	inc	%rax
	imul	$HYP_STACK_SIZE, %rax
	lea	hyp_stacks(%rip), %rsp
	add	%rax, %rsp
	lea	1f(%rip), %rax		/* CS = the hypervisor's code segment */
	pushq	$GDT_CODE64
	push	%rax
	lretq
1:	mov	x86_hyp_cr3(%rip), %rax
	mov	%rax, %cr3
	xor	%ebp, %ebp
	call	x86_ap_main
6:	cli
	hlt
	jmp	6b

	.section .note.GNU-stack, "", @progbits
