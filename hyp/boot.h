/* SPDX-License-Identifier: MIT */
/*
 * The boot description: everything the core starts from, arch-neutral.
 * arch code fills it in one pass, from a device tree (boot_from_fdt(),
 * arm64 and RISC-V) or from multiboot2 (x86), then calls hyp_main().
 */
#ifndef HYP_BOOT_H
#define HYP_BOOT_H

#include "config.h"
#include "types.h"

#define BOOT_MAX_RAM		16
#define BOOT_MAX_RESERVED	32
#define BOOT_MAX_MODULES	8
#define BOOT_MAX_VMS		4
#define BOOT_MAX_DEVICES	4
#define BOOT_VM_NAME_MAX	24

struct boot_range {
	u64 base, size;
};

/*
 * A VM the boot loader handed over: a /chosen node compatible with
 * "xen,domain" (Xen's dom0less binding; docs/guests.md), checked. Ranges
 * are host-physical, inside RAM, each module apart from the others and
 * from the hypervisor image; size 0: none.
 */
struct boot_vm {
	char name[BOOT_VM_NAME_MAX];	/* the node's name, without "@unit" */
	u64 mem_size;		/* bytes: Xen's "memory" (KiB), rounded up to 2 MiB */
	u64 ram_base;		/* "hyp,ram-base": guest-physical; 0: the arch's default */
	u32 nr_vcpus;		/* Xen's "cpus" */
	u32 cpu_mask;		/* "hyp,cpus", else the first free CPUs: never shared */
	bool vpl011;		/* Xen's "vpl011": the emulated UART */
	bool dtb_full;		/* the device-tree module is a whole tree ("hyp,full-device-tree") */
	u64 load_addr;		/* "hyp,load-address": where a raw binary kernel goes; 0: none */
	struct boot_range kernel;	/* "multiboot,kernel" */
	struct boot_range ramdisk;	/* "multiboot,ramdisk" */
	struct boot_range dtb;		/* "multiboot,device-tree" */
	const char *bootargs;	/* the kernel module's "bootargs", or NULL */
};

struct boot_info {
	struct boot_range ram[BOOT_MAX_RAM];
	u32 nr_ram;
	/* Never handed to guests: firmware, /memreserve/, /reserved-memory, modules. */
	struct boot_range reserved[BOOT_MAX_RESERVED];
	u32 nr_reserved;
	/* Hardware ids of the CPUs (the boot CPU's among them), in firmware order. */
	u64 cpus[HYP_MAX_CPUS];
	u32 nr_cpus;
	/* The hypervisor console's registers (size 0: not memory-mapped). */
	struct boot_range console;
	/* Other device registers the hypervisor uses (an interrupt controller), mapped as device. */
	struct boot_range devices[BOOT_MAX_DEVICES];
	u32 nr_devices;
	/* What the boot loader placed for guests (kernels, initrds, device trees). */
	struct boot_range modules[BOOT_MAX_MODULES];
	/* Each module's own string (multiboot2: the words after the file on its line), or NULL. */
	const char *module_args[BOOT_MAX_MODULES];
	u32 nr_modules;
	const char *cmdline;		/* may be NULL */
	/* The firmware's description (a DTB, ACPI tables): mapped read-only. */
	struct boot_range fw_table;
	/* The hypervisor image, set by the arch before the description is read. */
	struct boot_range image;
	/*
	 * The VMs handed over (dom0less), of nr_vm_nodes described (the bad
	 * ones skipped); no node at all: the build-time configurations run.
	 */
	struct boot_vm vms[BOOT_MAX_VMS];
	u32 nr_vms;
	u32 nr_vm_nodes;
};

struct fdt;

/*
 * Fill @bi from the device tree @fdt: /memory, /memreserve/,
 * /reserved-memory, /cpus, /chosen (bootargs, multiboot,module nodes);
 * the blob itself is fw_table and reserved. Errors are logged with what
 * is wrong; -errno. bi->image must be set first.
 */
int boot_from_fdt(struct boot_info *bi, const struct fdt *fdt);
/*
 * hyp/boot_dom0less.c: the "xen,domain" nodes of /chosen into bi->vms
 * (after RAM, reserved ranges, modules and CPUs are read). A bad node is
 * skipped with one line naming it and the problem; the others are kept.
 * -errno only when the tree itself cannot be read.
 */
int boot_fdt_vms(struct boot_info *bi, const struct fdt *fdt);

/*
 * hyp/boot_modules.c: the modules whose string starts with "vm" (and their
 * "ramdisk" modules) into bi->vms (after RAM, reserved ranges, modules
 * and CPUs are known); docs/guests.md has the words. A bad VM is skipped
 * with one line naming it and the problem; the others are kept. 0.
 */
int boot_module_vms(struct boot_info *bi);

/* The boot CPU enters with the filled description, the others by index. */
void __attribute__((noreturn)) hyp_main(const struct boot_info *bi);
void __attribute__((noreturn)) hyp_secondary_main(u32 cpu);

#endif
