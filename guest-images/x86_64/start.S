/* SPDX-License-Identifier: MIT */
/*
 * Guest entry: 32-bit protected mode, paging off, flat segments, EAX =
 * 0x2BADB002 and EBX = the multiboot information (docs/x86_64.md), ESI =
 * RAM base, EDI = RAM size. BSS is zeroed, guest_boot() (multiboot.c)
 * reads RAM's range from the information (ESI/EDI without one) on a small
 * boot stack; the stack is then the top 16 KiB of RAM; then guest_main().
 */
#include "guest_abi.h"

#define GUEST_EXIT_PORT	0xf4
#define STACK_SIZE	0x4000

	.code32
	.section .head.text, "ax"
	.globl	_start
_start:
	jmp	entry
	.balign	8, 0
	.long	HYP_GUEST_MAGIC_LO
	.long	HYP_GUEST_MAGIC_HI

entry:
	mov	%eax, guest_boot_magic
	mov	%ebx, guest_boot_info
	mov	%esi, guest_ram_base
	mov	%edi, guest_ram_size
	mov	$__bss_start, %eax
1:	cmp	$__bss_end, %eax
	jae	2f
	movl	$0, (%eax)
	add	$4, %eax
	jmp	1b
2:	mov	$boot_stack_top, %esp
	call	guest_boot
	mov	guest_ram_base, %esi
	mov	guest_ram_size, %edi
	lea	(%esi, %edi), %esp	/* top of RAM */
	mov	%esp, guest_ram_top
	push	%edi
	push	%esi
	call	guest_main
	xor	%eax, %eax
	outb	%al, $GUEST_EXIT_PORT	/* power the VM off */
3:	hlt
	jmp	3b

	/* HC_VCPU_ON: ESI = the argument, this vCPU's index; its stack below the previous one's. */
	.globl	guest_secondary_entry
guest_secondary_entry:
	mov	%esi, %eax
	imul	$STACK_SIZE, %eax
	mov	guest_ram_top, %esp
	sub	%eax, %esp
	push	%esi
	call	guest_secondary_main
4:	hlt
	jmp	4b

	.data
	.balign	4
	.globl	guest_ram_top, guest_ram_base, guest_ram_size, guest_boot_magic, guest_boot_info
guest_ram_top:
	.long	0
guest_ram_base:
	.long	0
guest_ram_size:
	.long	0
guest_boot_magic:
	.long	0
guest_boot_info:
	.long	0
	.balign	16
	.space	1024		/* guest_boot()'s stack: in .data, written before BSS is zeroed */
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
