// SPDX-License-Identifier: MIT
/*
 * The "smp" guest: vCPU 0 starts every other vCPU (PSCI CPU_ON on arm64);
 * all of them meet at a barrier (a counter in guest RAM, waited on with
 * WFE on arm64), each says so, then vCPU 0 waits for the others to print
 * and turn themselves off and says that all met. It checks the vCPU
 * interface's other answers first (PSCI VERSION, FEATURES, CPU_ON errors).
 */
#include "lib.h"

static u32 nr_vcpus, arrived, printed;

static void meet(u32 index)
{
	if (vcpu_self() != index || hyp_vcpu_id() != index)
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
		while (!vcpu_is_off(i))
			cpu_wait_event();
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_size;
	nr_vcpus = vcpu_count();
	if (!vcpu_interface_ok(ram_base, nr_vcpus))
		uart_puts("smp: " VCPU_INTERFACE " answers FAILED\n");
	for (u32 i = 1; i < nr_vcpus; i++) {
		s64 ret = vcpu_start(i), again = vcpu_start(i);

		if (ret || !vcpu_start_says_on(again))
			put_line_u64("smp: CPU_ON FAILED for vcpu ", i, "");
	}
	meet(0);
	wait_at_least(&printed, nr_vcpus);
	wait_all_off();
	put_line_u64("smp: all ", nr_vcpus, " vcpus met");
}
