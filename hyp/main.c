// SPDX-License-Identifier: MIT
/*
 * Boot: read the device tree, turn the MMU on, start the other CPUs, wait
 * for them, run the configured VMs (hyp/vm_boot.c), each vCPU on its own
 * CPU; once every VM has stopped, power off. The console lines are what tests/boot expects.
 */
#include "console.h"
#include "hyp.h"
#include "vm.h"

struct hyp_cpu {
	u64 hwid;
	u32 online;
} __attribute__((aligned(64)));

static struct hyp_cpu hyp_cpus[HYP_MAX_CPUS];
static u32 hyp_nr_cpus;

static void hyp_find_ram(const struct fdt *fdt, struct hyp_mem *mem)
{
	int ret = fdt_memory(fdt, mem->ram, HYP_MAX_RAM, &mem->nr_ram);

	if (ret == -ERANGE)
		hyp_log("hyp: more than %u RAM ranges, using the first ones\n",
			HYP_MAX_RAM);
	else if (ret)
		hyp_panic("bad /memory in the device tree (%d)\n", ret);
	if (!mem->nr_ram)
		hyp_panic("no RAM in the device tree\n");
	mem->dtb = (u64)(uintptr_t)fdt->blob;
	mem->dtb_size = fdt->size;
}

/* Logical CPU 0 is the boot CPU; the others follow in device-tree order. */
static void hyp_find_cpus(const struct fdt *fdt)
{
	u64 ids[HYP_MAX_CPUS], self = arch_cpu_hwid();
	u32 nr, i;
	bool self_found = false;
	int ret = fdt_cpus(fdt, ids, HYP_MAX_CPUS, &nr);

	if (ret == -ERANGE)
		hyp_log("hyp: more than %u cpus, using the first ones\n", HYP_MAX_CPUS);
	else if (ret)
		hyp_panic("bad /cpus in the device tree (%d)\n", ret);
	hyp_cpus[0].hwid = self;
	hyp_cpus[0].online = 1;
	hyp_nr_cpus = 1;
	for (i = 0; i < nr; i++) {
		if (ids[i] == self)
			self_found = true;
		else if (hyp_nr_cpus < HYP_MAX_CPUS)
			hyp_cpus[hyp_nr_cpus++].hwid = ids[i];
	}
	if (!self_found)
		hyp_log("hyp: the boot cpu (id 0x%llx) is not in /cpus\n",
			(unsigned long long)self);
}

static void hyp_print_boot(const struct hyp_mem *mem)
{
	u64 lo = ~0ull, hi = 0;

	for (u32 i = 0; i < mem->nr_ram; i++) {
		lo = MIN(lo, mem->ram[i].base);
		hi = MAX(hi, mem->ram[i].base + mem->ram[i].size);
	}
	hyp_log("hyp: %s boot, %u cpus, RAM 0x%llx - 0x%llx\n", arch_boot_level(),
		hyp_nr_cpus, (unsigned long long)lo, (unsigned long long)hi);
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

/* /chosen/bootargs, or NULL. */
static const char *hyp_bootargs(const struct fdt *fdt)
{
	static const char chosen[] = "/chosen";
	const char *args;
	u32 len;
	int node = fdt_path(fdt, chosen, sizeof(chosen) - 1);

	if (node < 0 || fdt_prop_string(fdt, node, "bootargs", &args, &len))
		return NULL;
	return args;
}

void hyp_main(u64 dtb)
{
	static struct hyp_mem mem;
	struct fdt fdt;
	int ret = fdt_init(&fdt, (const void *)(uintptr_t)dtb, HYP_FDT_MAX_SIZE);

	arch_console_init(ret ? NULL : &fdt);
	if (ret)
		hyp_panic("no valid device tree at 0x%llx (%d)\n",
			  (unsigned long long)dtb, ret);
	hyp_find_ram(&fdt, &mem);
	hyp_find_cpus(&fdt);
	hyp_print_boot(&mem);

	ret = arch_mmu_init(&mem);
	if (ret)
		hyp_panic("MMU set-up failed (%d)\n", ret);
	hyp_console_smp_enable();
	hyp_log("hyp: mmu on\n");

	hyp_start_cpus();
	hyp_log("hyp: all %u cpus online\n", hyp_nr_cpus);
	hyp_run_guests(&mem, hyp_bootargs(&fdt));
	hyp_log("hyp: power off\n");
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
