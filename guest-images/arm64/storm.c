// SPDX-License-Identifier: MIT
/*
 * The "storm" guest, the second half of the hostile suite (the first is
 * hostile.c): it misuses the power interface (CPU_ON of a vCPU it does not
 * have, with an entry outside its RAM), then storms: bad releases,
 * unknown hypercalls, WFE, writes to an empty device window (each an injected
 * abort, resumed past); then a CPU_ON with a misaligned entry. Last it makes an MMIO
 * access the hypervisor cannot decode (a load pair: no syndrome), which
 * stops its VM. Each kind must cost only itself, and the hypervisor's log
 * must stay a few lines however long the storm.
 */
#include "lib.h"

#define NO_DEVICE_IPA	0x0a000000ul	/* QEMU virt's virtio-mmio slot: none emulated */
#define INSN_SIZE	4
#define STORM_CALLS	20000
#define STORM_WFE	20000
#define STORM_ABORTS	2000
#define MISALIGNED	2		/* a PSCI entry point must be 4-byte aligned (DEN0022 5.6) */
#define ESR_EC_SHIFT	26
#define ESR_EC_DABT_CUR	0x25ul		/* Arm ARM D24.2.40: data abort, same EL */

static u32 aborts, others;

static void power_misuse(void)
{
	put_line_u64("storm: CPU_ON of a vCPU it does not have: ",
		     (u64)-vcpu_start(vcpu_count()), " (negated)");
	put_line_u64("storm: CPU_ON with an entry outside its RAM: ",
		     (u64)-(s64)hyp_call(HYP_PSCI_CPU_ON_64, 1, OUTSIDE_ADDR, 0), " (negated)");
}

/* After one call of each kind above: the log holds the first 4 refusals, one of each. */
static void power_misaligned(u64 ram_base)
{
	put_line_u64("storm: CPU_ON with a misaligned entry: ",
		     (u64)-(s64)hyp_call(HYP_PSCI_CPU_ON_64, 1, ram_base + MISALIGNED, 0),
		     " (negated)");
}

static void storms(u64 ram_base)
{
	u64 bad = hyp_unknown_call() != HYP_SMCCC_NOT_SUPPORTED;

	for (u32 i = 0; i < STORM_CALLS; i++)
		bad += hyp_mem_release(ram_base + 8, PAGE_SIZE) == 0;
	put_line_u64("storm: bad releases that succeeded (or calls not refused): ", bad, "");
	bad = 0;
	for (u32 i = 0; i < STORM_CALLS; i++)
		bad += hyp_unknown_call() != HYP_SMCCC_NOT_SUPPORTED;
	put_line_u64("storm: unknown hypercalls not answered -1: ", bad, "");
	for (u32 i = 0; i < STORM_WFE; i++)
		__asm__ volatile("wfe" ::: "memory");
	put_line_u64("storm: still running after ", STORM_WFE, " WFEs");
	for (u32 i = 0; i < STORM_ABORTS; i++)
		mmio_write32(NO_DEVICE_IPA, i);
	put_line_u64("storm: aborts taken ", aborts, "");
	put_line_u64("storm: other exceptions ", others, "");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u64 pair[2];

	(void)ram_size;
	power_misuse();
	storms(ram_base);
	power_misaligned(ram_base);
	uart_puts("storm: a load pair from the UART\n");
	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(pair[0]), "=r"(pair[1])
		: "r"(UART_BASE) : "memory");
	uart_puts("storm: still running, the load pair was NOT caught\n");
}

/* Each injected abort: counted and resumed past the store. */
void guest_exception(u64 esr, u64 elr, u64 far)
{
	(void)far;
	if (esr >> ESR_EC_SHIFT == ESR_EC_DABT_CUR)
		aborts++;
	else
		others++;
	__asm__ volatile("msr elr_el1, %0" :: "r"(elr + INSN_SIZE));
}
