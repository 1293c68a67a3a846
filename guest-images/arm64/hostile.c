// SPDX-License-Identifier: MIT
/*
 * The "hostile" guest: misbehaves three ways, each of which must cost only
 * itself. It calls a hypercall that does not exist (the answer is SMCCC
 * NOT_SUPPORTED, -1, and it goes on); it writes to a device address where
 * no device is emulated (the hypervisor injects a synchronous external
 * abort, its handler below prints where and skips the store); it reads
 * past all of its RAM and devices (an abort again, as an empty bus
 * gives); then, with its vector table moved where nothing is, it reads
 * there once more: it cannot take that abort, and its VM is stopped.
 * First it asks
 * what every arm64 OS asks: the SMCCC version, SMCCC_ARCH_FEATURES of a
 * call that exists and of one that does not, the vendor hypervisor UID.
 */
#include "lib.h"

#define NO_DEVICE_IPA	0x0a000000ul	/* QEMU virt's virtio-mmio slot: none emulated */
#define BEYOND_IPA	0x200000000ul	/* 8 GiB: neither RAM nor a device */
#define INSN_SIZE	4
#define WFI_STORM	200	/* each traps and waits at most 10 ms at EL2 */
#define SMCCC_ARCH_WORKAROUND_1	0x80008000ul	/* DEN0028 7.5: not offered here */
/* ESR_EL1 (Arm ARM D24.2.40) of the aborts expected: a data abort without a
 * change of EL (EC 0x25), 32-bit instruction, write or read, synchronous external abort. */
#define ESR_EC_SHIFT	26
#define ID_AA64DFR0_PMUVER_SHIFT 8	/* [11:8], D24.2 ID_AA64DFR0_EL1 */
#define ESR_EC_DABT_CUR	0x25ul
#define ESR_IL		(1ul << 25)
#define ESR_WNR		(1ul << 6)
#define ESR_FSC_SEA	0x10ul
#define ESR_READ_SEA	(ESR_EC_DABT_CUR << ESR_EC_SHIFT | ESR_IL | ESR_FSC_SEA)
#define ESR_WRITE_SEA	(ESR_READ_SEA | ESR_WNR)
#define ABORTS_EXPECTED	2
#define LOAD_PROBE_VALUE 0x5a	/* written to UARTIBRD, loaded back into x19-x28 */
#define LOAD_PROBE_REGS	10

/* Changed by guest_exception(), which the compiler does not see called. */
static volatile u32 aborts, undefs;
static volatile u64 esr_expected;
static int expect_undef;

/* The SMCCC queries (DEN0028), each answer as the spec defines it. */
static void smccc_probe(void)
{
	register u64 x0 __asm__("x0") = HYP_HVC_CALL_UID;
	register u64 x1 __asm__("x1"), x2 __asm__("x2"), x3 __asm__("x3");
	int uid_ok;

	__asm__ volatile("hvc #0" : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3) :: "memory");
	uid_ok = x0 == HYP_HVC_UID_0 && x1 == HYP_HVC_UID_1 && x2 == HYP_HVC_UID_2 &&
		 x3 == HYP_HVC_UID_3;
	put_line_u64("hostile: smccc version ", hyp_call(HYP_SMCCC_VERSION, 0, 0, 0), "");
	uart_puts("hostile: arch features: version ");
	uart_put_s64((s64)hyp_call(HYP_SMCCC_ARCH_FEATURES, HYP_SMCCC_VERSION, 0, 0));
	uart_puts(", workaround_1 ");
	uart_put_s64((s64)hyp_call(HYP_SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0));
	uart_puts(uid_ok ? ", uid ok\n" : ", uid WRONG\n");
}

/* What a VM may learn of the host: no PMU (hidden and UNDEFINED), debug registers inert. */
static void host_probe(void)
{
	u64 dfr0, v = 1;

	__asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(dfr0));
	put_line_u64("hostile: ID_AA64DFR0_EL1.PMUVer ", (dfr0 >> ID_AA64DFR0_PMUVER_SHIFT) & 0xf, "");
	expect_undef = 1;
	__asm__ volatile("mrs %0, pmccntr_el0" : "+r"(v) :: "memory");
	expect_undef = 0;
	put_line_u64("hostile: PMCCNTR_EL0 reads taken as undefined: ", undefs, "");
	__asm__ volatile("msr dbgbvr0_el1, %0" :: "r"(0x80001000ul) : "memory");
	__asm__ volatile("mrs %0, dbgbvr0_el1" : "=r"(v) :: "memory");
	put_line_u64("hostile: DBGBVR0_EL1 after a write reads ", v, "");
}

/*
 * Emulated loads into x19-x28, which EL2's C code preserves: the
 * hypervisor must load them back from the frame after it wrote them.
 */
static void load_probe(void)
{
	u64 got[LOAD_PROBE_REGS];
	u32 right = 0;

	mmio_write32(UART_BASE + UART_IBRD, LOAD_PROBE_VALUE);
	__asm__ volatile("mov x19, xzr\n\tmov x20, xzr\n\tmov x21, xzr\n\tmov x22, xzr\n\t"
			 "mov x23, xzr\n\tmov x24, xzr\n\tmov x25, xzr\n\tmov x26, xzr\n\t"
			 "mov x27, xzr\n\tmov x28, xzr\n\t"
			 "ldr w19, [%1]\n\tldr w20, [%1]\n\tldr w21, [%1]\n\tldr w22, [%1]\n\t"
			 "ldr w23, [%1]\n\tldr w24, [%1]\n\tldr w25, [%1]\n\tldr w26, [%1]\n\t"
			 "ldr w27, [%1]\n\tldr w28, [%1]\n\t"
			 "stp x19, x20, [%0]\n\tstp x21, x22, [%0, #16]\n\t"
			 "stp x23, x24, [%0, #32]\n\tstp x25, x26, [%0, #48]\n\t"
			 "stp x27, x28, [%0, #64]"
			 :: "r"(got), "r"(UART_BASE + UART_IBRD)
			 : "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
			   "memory");
	for (u32 i = 0; i < LOAD_PROBE_REGS; i++)
		right += got[i] == LOAD_PROBE_VALUE;
	put_line_u64("hostile: emulated loads into x19-x28 right: ", right, "");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_size;
	smccc_probe();
	host_probe();
	load_probe();
	put_line_u64("hostile: release of an unaligned range returned ",
		     (u64)-(s64)hyp_mem_release(ram_base + 8, PAGE_SIZE), " (negated)");
	for (u32 i = 0; i < WFI_STORM; i++)
		__asm__ volatile("wfi" ::: "memory");
	put_line_u64("hostile: still running after ", WFI_STORM, " WFIs");
	uart_puts("hostile: unknown hvc returned ");
	uart_puts(hyp_unknown_call() == HYP_SMCCC_NOT_SUPPORTED ? "-1\n" : "WRONG\n");
	uart_puts("hostile: writing to a device that is not there\n");
	esr_expected = ESR_WRITE_SEA;
	mmio_write32(NO_DEVICE_IPA, 0xdead);
	put_line_u64("hostile: still running after ", aborts, " abort");
	uart_puts("hostile: reading beyond my memory\n");
	esr_expected = ESR_READ_SEA;
	(void)*(volatile u32 *)BEYOND_IPA;
	put_line_u64("hostile: still running after ", aborts, " aborts");
	uart_puts("hostile: vector table moved beyond my memory, reading there\n");
	__asm__ volatile("msr vbar_el1, %0\n\tisb" :: "r"(BEYOND_IPA) : "memory");
	(void)*(volatile u32 *)BEYOND_IPA;
	uart_puts("hostile: still running, the read was NOT caught\n");
}

/* The injected abort: report it and resume past the store (an expected UNDEFINED too). */
void guest_exception(u64 esr, u64 elr, u64 far)
{
	if (expect_undef && esr >> ESR_EC_SHIFT == 0) {
		undefs++;
		__asm__ volatile("msr elr_el1, %0" :: "r"(elr + INSN_SIZE));
		return;
	}
	uart_puts("hostile: abort taken at FAR ");
	uart_put_hex(far, 8);
	uart_puts(esr == esr_expected ? ", ESR ok" : ", ESR WRONG ");
	if (esr != esr_expected)
		uart_put_hex(esr, 8);
	uart_puts("\n");
	if (aborts++ == ABORTS_EXPECTED) {
		uart_puts("hostile: a second exception, stopping\n");
		system_off();
	}
	__asm__ volatile("msr elr_el1, %0" :: "r"(elr + INSN_SIZE));
}
