// SPDX-License-Identifier: MIT
/*
 * Boot, from the boot description (hyp/boot.h): turn the MMU on, start the
 * other CPUs and, without waiting for them, run the configured VMs
 * (hyp/vm_boot.c), each vCPU on its own CPU; once every VM has stopped,
 * power off. A vCPU whose CPU is still coming up runs once it is online
 * (its idle loop finds it; hyp/vcpu.c). Each secondary prints "cpu N
 * online", and whichever CPU completes the set "all N cpus online"; the
 * guests' lines may come before, between or after those. A CPU not online
 * HYP_CPU_ON_TIMEOUT_US after the starts gets one line when a CPU next
 * idles or powers a vCPU on there (which then fails), or at the latest
 * before the power-off. The console lines are what tests/boot expects.
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
static u32 hyp_cpus_coming;	/* the CPUs not online yet: 0 once every one is */
u32 hyp_idle_chores;	/* here, not in vcpu.c: its test there is then one load fewer */
/* Never until the starts are all asked: a secondary idles before the last start. */
static u64 hyp_cpus_deadline = ~0ull;
/* The line for CPUs not online by then: not yet, being written, out. */
enum { HYP_LATE_UNSAID, HYP_LATE_SAYING, HYP_LATE_SAID };
static u32 hyp_cpus_late_said;

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
	__atomic_store_n(&hyp_cpus_coming, hyp_nr_cpus, __ATOMIC_RELEASE);
	__atomic_fetch_or(&hyp_idle_chores, HYP_CHORE_CPUS_COMING, __ATOMIC_RELEASE);
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

/* One more CPU online (the boot CPU counts itself too); the last one says so. */
static void hyp_cpu_count_in(void)
{
	if (__atomic_sub_fetch(&hyp_cpus_coming, 1, __ATOMIC_ACQ_REL))
		return;
	__atomic_fetch_and(&hyp_idle_chores, ~HYP_CHORE_CPUS_COMING, __ATOMIC_RELEASE);
	hyp_log("hyp: all %u cpus online\n", hyp_nr_cpus);
}

static bool hyp_cpus_all_online(void)
{
	return !__atomic_load_n(&hyp_cpus_coming, __ATOMIC_ACQUIRE);
}

/*
 * Ordered after this CPU's earlier stores by a full barrier on the CPU
 * that came online (hyp_secondary_main()): a CPU that changed a VM's
 * tables and then finds @cpu not online may skip it in a shootdown, since
 * @cpu's walks start after that barrier and its first guest entry
 * invalidates the VM's stage 2 locally (arch_vcpu_run's load).
 */
bool hyp_cpu_online(u32 cpu)
{
	return cpu < hyp_nr_cpus && __atomic_load_n(&hyp_cpus[cpu].online, __ATOMIC_SEQ_CST);
}

/*
 * Past the deadline with a CPU not online: one line each, once, and out
 * before any caller goes on (the power-off must not cut it). Whether so.
 */
static bool hyp_cpus_late(void)
{
	u32 said = HYP_LATE_UNSAID;

	if (hyp_cpus_all_online() ||
	    arch_time_us() < __atomic_load_n(&hyp_cpus_deadline, __ATOMIC_ACQUIRE))
		return false;
	if (!__atomic_compare_exchange_n(&hyp_cpus_late_said, &said, HYP_LATE_SAYING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&hyp_cpus_late_said, __ATOMIC_ACQUIRE) != HYP_LATE_SAID)
			arch_wait_event();
		return true;
	}
	for (u32 i = 1; i < hyp_nr_cpus; i++)
		if (!hyp_cpu_online(i))
			hyp_log("hyp: cpu %u (id 0x%llx) did not come online in %llu ms: "
				"its vCPUs cannot run\n", i, (unsigned long long)hyp_cpus[i].hwid,
				HYP_CPU_ON_TIMEOUT_US / 1000);
	__atomic_store_n(&hyp_cpus_late_said, HYP_LATE_SAID, __ATOMIC_RELEASE);
	arch_send_event();
	return true;
}

void hyp_cpus_check_late(void)
{
	(void)hyp_cpus_late();
}

bool hyp_cpu_lost(u32 cpu)
{
	return !hyp_cpu_online(cpu) && hyp_cpus_late();
}

void hyp_cpus_wait(void)
{
	while (!hyp_cpus_all_online() && !hyp_cpus_late())
		arch_wait_event();
}

/* Each started, none waited for: the deadline runs from the last start. */
static void hyp_start_cpus(void)
{
	int ret;

	for (u32 i = 1; i < hyp_nr_cpus; i++) {
		ret = arch_cpu_start(i, hyp_cpus[i].hwid);
		if (ret)
			hyp_log("hyp: cpu %u (id 0x%llx) did not start: %d\n", i,
				(unsigned long long)hyp_cpus[i].hwid, ret);
	}
	__atomic_store_n(&hyp_cpus_deadline, arch_time_us() + HYP_CPU_ON_TIMEOUT_US,
			 __ATOMIC_RELEASE);
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

	hyp_cpu_count_in();
	hyp_start_cpus();
	hyp_run_guests(bi);
	hyp_cpus_wait();
	hyp_log("hyp: power off\n");
	hyp_console_flush();
	arch_power_off();
}

void hyp_secondary_main(u32 cpu)
{
	hyp_log("hyp: cpu %u online\n", cpu);
	/* Before its first walk of a VM's tables: see hyp_cpu_online(). */
	__atomic_store_n(&hyp_cpus[cpu].online, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	hyp_cpu_count_in();
	arch_send_event();
	vcpu_idle(cpu);
}

u32 hyp_cpu_count(void)
{
	return hyp_nr_cpus;
}
