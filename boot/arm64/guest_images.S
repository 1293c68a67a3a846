/* SPDX-License-Identifier: MIT */
/*
 * The guest images the hypervisor can run, embedded read-only:
 * guest_<name>_start .. guest_<name>_end for each. hyp.mk passes each raw
 * binary's path as GUEST_<NAME>_BIN and checks that it exists first.
 */
#if !defined(GUEST_HELLO_BIN) || !defined(GUEST_FAULT_BIN) || !defined(GUEST_SMP_BIN) || \
	!defined(GUEST_MEMTOUCH_BIN) || !defined(GUEST_BENCH_BIN) || !defined(GUEST_HOSTILE_BIN)
#error "GUEST_*_BIN, the raw guest images' paths, come from boot/arm64/hyp.mk"
#endif

	.macro	guest_start, name
	.balign	4096
	.globl	guest_\name\()_start
guest_\name\()_start:
	.endm

	.macro	guest_end, name
	.globl	guest_\name\()_end
guest_\name\()_end:
	.endm

	.section .rodata.guest_images, "a"
	guest_start hello
	.incbin	GUEST_HELLO_BIN
	guest_end hello
	guest_start fault
	.incbin	GUEST_FAULT_BIN
	guest_end fault
	guest_start smp
	.incbin	GUEST_SMP_BIN
	guest_end smp
	guest_start memtouch
	.incbin	GUEST_MEMTOUCH_BIN
	guest_end memtouch
	guest_start bench
	.incbin	GUEST_BENCH_BIN
	guest_end bench
	guest_start hostile
	.incbin	GUEST_HOSTILE_BIN
	guest_end hostile
	guest_start stop
	.incbin	GUEST_STOP_BIN
	guest_end stop
	guest_start reset
	.incbin	GUEST_RESET_BIN
	guest_end reset
	.balign	8
