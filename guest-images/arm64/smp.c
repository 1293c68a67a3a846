// SPDX-License-Identifier: MIT
/*
 * The "smp" guest: vCPU 0 starts every other vCPU with PSCI CPU_ON; all
 * of them meet at a barrier (a counter in guest RAM, waited on with WFE),
 * each says so, then vCPU 0 waits for the others to print and turn
 * themselves off (AFFINITY_INFO) and says that all met. It checks a few
 * PSCI answers first (VERSION, FEATURES, CPU_ON errors).
 */
#include "lib.h"

#define PSCI_CPU_SUSPEND_32	0x84000001	/* DEN0022 5.1: not offered here */

static u32 nr_vcpus, arrived, printed;

static void meet(u32 index)
{
	if (vcpu_self() != index || hvc(HYP_VCPU_ID, 0, 0, 0) != index)
		put_line_u64("smp: vcpu identity WRONG for vcpu ", index, "");
	atomic_inc(&arrived);
	wait_at_least(&arrived, nr_vcpus);
	put_line_u64("vcpu ", index, " at barrier");
	atomic_inc(&printed);
}

void guest_secondary_main(u64 index)
{
	meet((u32)index);
	vcpu_stop();
}

static void wait_all_off(void)
{
	for (u32 i = 1; i < nr_vcpus; i++)
		while (hvc(HYP_PSCI_AFFINITY_INFO_64, i, 0, 0) != HYP_PSCI_AFFINITY_OFF)
			__asm__ volatile("wfe" ::: "memory");
}

/* The PSCI answers that do not start anything. */
static void check_psci(u64 ram_base)
{
	s64 none = (s64)hvc(HYP_PSCI_CPU_ON_64, nr_vcpus, (u64)guest_secondary_entry, 0);
	s64 bad_entry = nr_vcpus > 1 ? (s64)hvc(HYP_PSCI_CPU_ON_64, 1, ram_base - PAGE_SIZE, 0)
				     : HYP_PSCI_INVALID_ADDRESS;

	if (hvc(HYP_PSCI_VERSION, 0, 0, 0) != HYP_PSCI_VERSION_1_1 ||
	    hvc(HYP_PSCI_FEATURES, HYP_PSCI_CPU_ON_64, 0, 0) != HYP_PSCI_SUCCESS ||
	    (s64)hvc(HYP_PSCI_FEATURES, PSCI_CPU_SUSPEND_32, 0, 0) != HYP_PSCI_NOT_SUPPORTED ||
	    (s64)hvc(HYP_PSCI_AFFINITY_INFO_64, 0, 0, 0) != HYP_PSCI_AFFINITY_ON ||
	    none != HYP_PSCI_INVALID_PARAMS || bad_entry != HYP_PSCI_INVALID_ADDRESS)
		uart_puts("smp: PSCI answers FAILED\n");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_size;
	nr_vcpus = vcpu_count();
	check_psci(ram_base);
	for (u32 i = 1; i < nr_vcpus; i++) {
		s64 ret = vcpu_start(i), again = vcpu_start(i);

		if (ret != HYP_PSCI_SUCCESS ||
		    (again != HYP_PSCI_ALREADY_ON && again != HYP_PSCI_ON_PENDING))
			put_line_u64("smp: CPU_ON FAILED for vcpu ", i, "");
	}
	meet(0);
	wait_at_least(&printed, nr_vcpus);
	wait_all_off();
	put_line_u64("smp: all ", nr_vcpus, " vcpus met");
}
