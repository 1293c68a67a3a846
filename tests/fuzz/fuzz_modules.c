// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any boot modules' strings (GRUB module2 lines) through
 * hyp/boot_modules.c. The input is up to BOOT_MAX_MODULES strings split at
 * NUL bytes, its first byte the machine's CPU count. Every VM kept must
 * have its memory (2 MiB multiple), one CPU of its own per vCPU, a kernel
 * module in RAM apart from the hypervisor, a name that ends, bootargs
 * inside its module's string; never more VMs than "vm" modules.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "console.h"
#include "printf.h"

#define MIB		(1ull << 20)

void hyp_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	hyp_vsnprintf(line, sizeof(line), fmt, ap);	/* every line formats */
	va_end(ap);
}

static void check_vm(const struct boot_info *bi, const struct boot_vm *vm, u32 *used)
{
	u32 n = 0;

	if (!vm->mem_size || vm->mem_size % (2 * MIB) || !memchr(vm->name, 0, sizeof(vm->name)))
		abort();
	for (u32 c = 0; c < 32; c++)
		n += (vm->cpu_mask >> c) & 1;
	if (n != vm->nr_vcpus || !n || (vm->cpu_mask & *used) || vm->cpu_mask >> bi->nr_cpus)
		abort();
	*used |= vm->cpu_mask;
	if (vm->kernel.base < bi->ram[0].base ||
	    vm->kernel.base + vm->kernel.size > bi->ram[0].base + bi->ram[0].size ||
	    (vm->kernel.base < bi->image.base + bi->image.size &&
	     bi->image.base < vm->kernel.base + vm->kernel.size))
		abort();
	if (vm->bootargs) {
		bool inside = false;

		for (u32 i = 0; i < bi->nr_modules; i++)
			inside |= vm->bootargs >= bi->module_args[i] &&
				  vm->bootargs <= bi->module_args[i] + strlen(bi->module_args[i]);
		if (!inside)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	char *buf;
	u32 vm_modules = 0, used = 0;

	if (!size)
		return 0;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	memset(&bi, 0, sizeof(bi));
	bi.ram[0] = (struct boot_range){ 1 * MIB, 1024 * MIB };
	bi.nr_ram = 1;
	bi.image = (struct boot_range){ 2 * MIB, 2 * MIB };
	bi.nr_cpus = 1 + data[0] % 8;
	for (char *s = buf; s < buf + size && bi.nr_modules < BOOT_MAX_MODULES; s += strlen(s) + 1) {
		u32 i = bi.nr_modules++;

		/* Every third module overlaps the hypervisor or lies outside RAM. */
		bi.modules[i] = (struct boot_range){ i % 3 == 2 ? (i & 1) * 2000 * MIB + 3 * MIB :
							      (16 + 8 * i) * MIB, MIB };
		bi.module_args[i] = s;
		vm_modules += !strncmp(s + strspn(s, " \t"), "vm", 2);
	}
	if (boot_module_vms(&bi) || bi.nr_vms > bi.nr_vm_nodes || bi.nr_vm_nodes > vm_modules ||
	    bi.nr_vms > BOOT_MAX_VMS)
		abort();
	for (u32 i = 0; i < bi.nr_vms; i++)
		check_vm(&bi, &bi.vms[i], &used);
	free(buf);
	return 0;
}
