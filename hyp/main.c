// SPDX-License-Identifier: MIT
/*
 * Boot, from the boot description (hyp/boot.h): turn the MMU on, start the
 * other CPUs, wait for them, run the configured VMs (hyp/vm_boot.c), each
 * vCPU on its own CPU; once every VM has stopped, power off. The console
 * lines are what tests/boot expects.
 */
#include "boot.h"
#include "console.h"
#include "hyp.h"
#include "mm.h"
#include "vm.h"

struct hyp_cpu {
	u64 hwid;
	u32 online;
} __attribute__((aligned(64)));

static struct hyp_cpu hyp_cpus[HYP_MAX_CPUS];
static u32 hyp_nr_cpus;

/* Logical CPU 0 is the boot CPU; the others follow in firmware order. */
static void hyp_find_cpus(const struct boot_info *bi)
{
	u64 self = arch_cpu_hwid();
	bool self_found = false;

	hyp_cpus[0].hwid = self;
	hyp_cpus[0].online = 1;
	hyp_nr_cpus = 1;
	for (u32 i = 0; i < bi->nr_cpus; i++) {
		if (bi->cpus[i] == self)
			self_found = true;
		else if (hyp_nr_cpus < HYP_MAX_CPUS)
			hyp_cpus[hyp_nr_cpus++].hwid = bi->cpus[i];
	}
	if (!self_found)
		hyp_log("hyp: the boot cpu (id 0x%llx) is not among the cpus\n",
			(unsigned long long)self);
}

static void hyp_print_boot(const struct boot_info *bi)
{
	u64 lo = ~0ull, hi = 0;

	for (u32 i = 0; i < bi->nr_ram; i++) {
		lo = MIN(lo, bi->ram[i].base);
		hi = MAX(hi, bi->ram[i].base + bi->ram[i].size);
	}
	hyp_log("hyp: %s boot, %u cpus, RAM 0x%llx - 0x%llx\n", arch_boot_level(),
		hyp_nr_cpus, (unsigned long long)lo, (unsigned long long)hi);
	if (bi->fw_table.size)
		hyp_log("hyp: firmware table 0x%llx - 0x%llx\n",
			(unsigned long long)bi->fw_table.base,
			(unsigned long long)(bi->fw_table.base + bi->fw_table.size));
}

static u32 hyp_cpus_online(void)
{
	u32 n = 0;

	for (u32 i = 0; i < hyp_nr_cpus; i++)
		n += __atomic_load_n(&hyp_cpus[i].online, __ATOMIC_ACQUIRE);
	return n;
}

static void hyp_start_cpus(void)
{
	u64 deadline;
	u32 i;
	int ret;

	for (i = 1; i < hyp_nr_cpus; i++) {
		ret = arch_cpu_start(i, hyp_cpus[i].hwid);
		if (ret)
			hyp_log("hyp: cpu %u (id 0x%llx) did not start: %d\n", i,
				(unsigned long long)hyp_cpus[i].hwid, ret);
	}
	deadline = arch_time_us() + HYP_CPU_ON_TIMEOUT_US;
	while (hyp_cpus_online() < hyp_nr_cpus && arch_time_us() < deadline)
		arch_wait_event();
	if (hyp_cpus_online() < hyp_nr_cpus)
		hyp_panic("only %u of %u cpus online after %llu ms\n", hyp_cpus_online(),
			  hyp_nr_cpus, HYP_CPU_ON_TIMEOUT_US / 1000);
}

void hyp_main(const struct boot_info *bi)
{
	int ret;

	hyp_find_cpus(bi);
	hyp_print_boot(bi);
	ret = hyp_mm_init(bi);
	if (ret)
		hyp_panic("MMU set-up failed (%d)\n", ret);
	hyp_console_smp_enable();
	hyp_log("hyp: mmu on\n");

	hyp_start_cpus();
	hyp_log("hyp: all %u cpus online\n", hyp_nr_cpus);
	hyp_run_guests(bi);
	hyp_log("hyp: power off\n");
	hyp_console_flush();
	arch_power_off();
}

void hyp_secondary_main(u32 cpu)
{
	hyp_log("hyp: cpu %u online\n", cpu);
	__atomic_store_n(&hyp_cpus[cpu].online, 1, __ATOMIC_RELEASE);
	arch_send_event();
	vcpu_idle(cpu);
}

u32 hyp_cpu_count(void)
{
	return hyp_nr_cpus;
}
