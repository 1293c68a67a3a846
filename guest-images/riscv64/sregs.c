// SPDX-License-Identifier: MIT
/*
 * The "sregs" guest, riscv64: gp and s0-s11 across every kind of trap the
 * hypervisor handles. The trap entry leaves them in the registers
 * (arch/riscv64/trap.S); a handler that needs them saves them first, and
 * the "whole-frame return" loads them back from the frame: after a handler
 * wrote one, injected an exception, or its read of the trapping
 * instruction faulted. Each iteration sets all thirteen to values of its
 * own, then traps: an emulated UART load and a store from s2 (read back
 * through an a-register), rdcycle (an illegal instruction injected), an
 * SBI call, a store where no device is (a store access fault injected) and,
 * now and then, WFI; then compares every one. Meanwhile vCPU 1 releases
 * the page holding that code over and over (HYP_MEM_RELEASE; the image
 * fills it again on the next fault), so the hypervisor's read of a
 * trapping instruction sometimes faults. The second phase runs in VU-mode:
 * the same UART round trip, another emulated load and csrr sscratch twice,
 * which must trap into this kernel every time (an illegal instruction the
 * hypervisor injects): the guest's privilege survives the whole-frame
 * return. Each phase prints one exact line of counts; the races' own
 * counts vary from run to run and have a "(timing)" line of their own
 * (tests/boot/test_sregs.py).
 */
#include "lib.h"

#define VS_ITERS	4000
#define VU_ITERS	4000
#define WRONG_LINES_MAX	20	/* lines naming a wrong register, at most */
#define WFI_EVERY	1000	/* a WFI waits up to 10 ms (ARCH_WAIT_MAX_US): not every iteration */
#define NO_DEVICE_GPA	0x10001000ul	/* QEMU virt's first virtio-mmio slot: none emulated */

#define EXC_ILLEGAL_INSN 2	/* Privileged Architecture 4.1.9, table 4.2 */
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U	8
#define SSTATUS_SPP	(1ul << 8)	/* 4.1.1: the privilege the trap came from */
#define INSN_LEN_32	3	/* low bits of a 32-bit instruction (Unprivileged 1.5) */

/* A probe's words: gp, s0, s1, s2-s11 (x3, x8, x9, x18-x27), gp kept, the UART byte. */
#define NR_SREGS	13
#define GP_KEPT		13	/* the caller's gp while the probe runs */
#define UART_BYTE	14	/* stored from s2, loaded back into a0 */
#define PROBE_WORDS	15
#define UART_PROBE_REG	18	/* s2 */

static const u32 sreg_num[NR_SREGS] = { 3, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27 };

/* Register xN gets seed + N. */
#define SET_SREGS							\
	"addi gp, %[seed], 3\n\t"					\
	"addi s0, %[seed], 8\n\taddi s1, %[seed], 9\n\t"		\
	"addi s2, %[seed], 18\n\taddi s3, %[seed], 19\n\t"		\
	"addi s4, %[seed], 20\n\taddi s5, %[seed], 21\n\t"		\
	"addi s6, %[seed], 22\n\taddi s7, %[seed], 23\n\t"		\
	"addi s8, %[seed], 24\n\taddi s9, %[seed], 25\n\t"		\
	"addi s10, %[seed], 26\n\taddi s11, %[seed], 27\n\t"

/* Into out[0..12], in sreg_num's order; then gp gets its value back from out[GP_KEPT]. */
#define STORE_SREGS							\
	"sd gp, 0(%[out])\n\tsd s0, 8(%[out])\n\tsd s1, 16(%[out])\n\t"	\
	"sd s2, 24(%[out])\n\tsd s3, 32(%[out])\n\tsd s4, 40(%[out])\n\t"	\
	"sd s5, 48(%[out])\n\tsd s6, 56(%[out])\n\tsd s7, 64(%[out])\n\t"	\
	"sd s8, 72(%[out])\n\tsd s9, 80(%[out])\n\tsd s10, 88(%[out])\n\t"	\
	"sd s11, 96(%[out])\n\t"					\
	"ld gp, %[gp_kept](%[out])\n\t"

/* The UART byte stored from s2 and loaded back into a0, into out[UART_BYTE]. */
#define UART_ROUND_TRIP							\
	"sb s2, 0(%[uart])\n\tlbu a0, 0(%[uart])\n\tsd a0, %[uart_byte](%[out])\n\t"

/* The operands every probe has. */
#define PROBE_OPERANDS(out, seed)						\
	[out] "r"(out), [seed] "r"(seed), [uart] "r"(UART_BASE + UART_SCR),	\
	[gp_kept] "i"(GP_KEPT * 8), [uart_byte] "i"(UART_BYTE * 8)

#define SREGS_CLOBBERS							\
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "memory"

static volatile u32 vs_traps, vu_traps, vu_wrong, in_vu_phase;
static u32 wrong_lines;
static volatile u64 release_page;	/* vCPU 1 releases it while not 0 */
static volatile u64 releases;
static u32 releasing, pauses;		/* vCPU 1's first release; its pauses */
static int releaser;			/* vCPU 1 runs */

/* Each probe has a page of its own, the page vCPU 1 releases. */
#define PROBE_PAGE(name) __attribute__((noinline, aligned(PAGE_SIZE), section(".text.sregs_" name)))

PROBE_PAGE("vs") static void vs_probe(u64 *out, u64 seed, u64 wfi)
{
	__asm__ volatile("sd gp, %[gp_kept](%[out])\n\t"
			 SET_SREGS
			 UART_ROUND_TRIP
			 "rdcycle t0\n\t"
			 "li a7, %[ext]\n\tli a6, %[fid]\n\tecall\n\t"
			 "sw zero, 0(%[nodev])\n\t"
			 "beqz %[wfi], 1f\n\t"
			 "wfi\n"
			 "1:\t"
			 STORE_SREGS
			 :: PROBE_OPERANDS(out, seed), [nodev] "r"(NO_DEVICE_GPA), [wfi] "r"(wfi),
			    [ext] "i"(SBI_EXT_BASE), [fid] "i"(SBI_BASE_SPEC_VERSION)
			 : "a0", "a1", "a6", "a7", "t0", SREGS_CLOBBERS);
}

/* From VU-mode: csrr sscratch is an illegal instruction there, which the hypervisor injects. */
PROBE_PAGE("vu") static void vu_probe(u64 *out, u64 seed)
{
	__asm__ volatile("sd gp, %[gp_kept](%[out])\n\t"
			 SET_SREGS
			 UART_ROUND_TRIP
			 "csrr t0, sscratch\n\t"
			 "lbu t0, 0(%[uart])\n\t"
			 "csrr t0, sscratch\n\t"
			 STORE_SREGS
			 :: PROBE_OPERANDS(out, seed)
			 : "a0", "t0", SREGS_CLOBBERS);
}

static void wrong_line(const char *what, u64 n)
{
	if (wrong_lines++ < WRONG_LINES_MAX)
		put_line_u64(what, n, "");
}

/* The registers of one probe that are not what it set: 0 to NR_SREGS + 1. */
static u32 probe_wrong(const u64 *out, u64 seed)
{
	u32 wrong = 0;

	for (u32 i = 0; i < NR_SREGS; i++)
		if (out[i] != seed + sreg_num[i]) {
			wrong_line("sregs: wrong x", sreg_num[i]);
			wrong++;
		}
	if (out[UART_BYTE] != ((seed + UART_PROBE_REG) & 0xff)) {
		wrong_line("sregs: wrong UART byte stored from s2: ", out[UART_BYTE]);
		wrong++;
	}
	return wrong;
}

static u64 iter_seed(u64 i)
{
	return 0x9e3779b97f4a7c15ul * (i + 1);	/* every bit varies */
}

static void release_on(u64 code)
{
	release_page = code & ~(PAGE_SIZE - 1);
}

/*
 * vCPU 1 stops releasing, and has said so, before a line is printed: a
 * line the hypervisor logs meanwhile (a late shootdown answer) would split it.
 */
static void release_pause(void)
{
	u32 seen = atomic_read(&pauses);

	release_page = 0;
	if (releaser)
		wait_at_least(&pauses, seen + 1);
}

/* vCPU 1: releases release_page until the VM is off; pauses while it is 0. */
void guest_secondary_main(u64 index)
{
	(void)index;
	for (;;) {
		u64 page = release_page;

		if (page) {
			hyp_mem_release(page, PAGE_SIZE);
			if (!releases++)
				atomic_inc(&releasing);
			continue;
		}
		atomic_inc(&pauses);
		while (!release_page)
			cpu_wait_event();
	}
}

/* VU-mode: started by sret from guest_main, ended by ECALL (guest_exception()). */
static void __attribute__((noreturn)) vu_phase(void)
{
	u64 out[PROBE_WORDS];
	u32 wrong = 0;

	for (u64 i = 0; i < VU_ITERS; i++) {
		vu_probe(out, iter_seed(i));
		wrong += probe_wrong(out, iter_seed(i));
	}
	vu_wrong = wrong;
	__asm__ volatile("ecall" ::: "memory");
	/* An SBI call's return: this ran in VS-mode, not VU. */
	uart_puts("sregs: the VU-mode phase ran in VS-mode\n");
	system_off();
	for (;;)
		;
}

/* Back in VS-mode from vu_phase()'s ECALL. */
static void __attribute__((noreturn)) vu_phase_done(void)
{
	release_pause();
	uart_puts("sregs: ");
	uart_put_u64(VU_ITERS);
	uart_puts(" iterations in VU-mode, ");
	uart_put_u64(vu_wrong);
	uart_puts(" registers wrong, ");
	uart_put_u64(vu_traps);
	uart_puts(" csrr sscratch taken in VS-mode\n");
	uart_puts("sregs: (timing) code page released ");
	uart_put_u64(releases);
	put_line_u64(" times, stage-2 faults ", hyp_fault_stats(), "");
	system_off();
	for (;;)
		;
}

static void vs_phase(void)
{
	u64 out[PROBE_WORDS];
	u32 wrong = 0;

	for (u64 i = 0; i < VS_ITERS; i++) {
		vs_probe(out, iter_seed(i), i % WFI_EVERY == 0);
		wrong += probe_wrong(out, iter_seed(i));
	}
	release_pause();
	uart_puts("sregs: ");
	uart_put_u64(VS_ITERS);
	uart_puts(" iterations in VS-mode, ");
	uart_put_u64(wrong);
	put_line_u64(" registers wrong, ", vs_traps, " exceptions taken");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_base;
	(void)ram_size;
	if (vcpu_count() > 1) {
		uart_puts("sregs: vCPU 1 releases the probe's code page\n");
		release_on((u64)&vs_probe);
		releaser = !vcpu_start(1);
		if (releaser)
			wait_at_least(&releasing, 1);
	}
	vs_phase();
	release_on((u64)&vu_probe);
	in_vu_phase = 1;
	__asm__ volatile("csrw sepc, %0\n\tcsrc sstatus, %1\n\tsret"
			 :: "r"((u64)&vu_phase), "r"(SSTATUS_SPP) : "memory");
}

static u64 insn_len(u64 pc)
{
	return (*(volatile unsigned short *)pc & INSN_LEN_32) == INSN_LEN_32 ? 4 : 2;
}

/* @pc is in the page of @code, a probe (PROBE_PAGE). */
static int in_page_of(u64 pc, u64 code)
{
	return (pc & ~(PAGE_SIZE - 1)) == code;
}

/* The wrong trap: said where, and the VM is powered off. */
static void __attribute__((noreturn)) unexpected(u64 scause, u64 sepc, int from_vu)
{
	put_line_u64("sregs: unexpected exception, scause ", scause, "");
	put_line_u64("sregs: at ", sepc, from_vu ? " from VU-mode" : " from VS-mode");
	system_off();
	for (;;)
		;
}

/* Every trap (start.S): the probes' traps are counted and skipped; vu_phase()'s ECALL ends it. */
void guest_exception(u64 scause, u64 sepc, u64 stval)
{
	u64 sstatus;
	int from_vu;

	__asm__ volatile("csrr %0, sstatus" : "=r"(sstatus));
	from_vu = !(sstatus & SSTATUS_SPP);
	if (from_vu && scause == EXC_ECALL_U && in_vu_phase) {
		in_vu_phase = 0;
		__asm__ volatile("csrw sepc, %0\n\tcsrs sstatus, %1"
				 :: "r"((u64)&vu_phase_done), "r"(SSTATUS_SPP));
		return;
	}
	if (from_vu && scause == EXC_ILLEGAL_INSN && in_page_of(sepc, (u64)&vu_probe))
		vu_traps++;
	else if (!from_vu && in_page_of(sepc, (u64)&vs_probe) &&
		 (scause == EXC_ILLEGAL_INSN ||
		  (scause == EXC_STORE_ACCESS && stval == NO_DEVICE_GPA)))
		vs_traps++;
	else
		unexpected(scause, sepc, from_vu);
	__asm__ volatile("csrw sepc, %0" :: "r"(sepc + insn_len(sepc)));
}
