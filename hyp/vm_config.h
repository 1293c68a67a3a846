/* SPDX-License-Identifier: MIT */
/*
 * Build-time VM configurations: tools/vmconfig.py turns each
 * guest-images/<arch>/configs/NAME.vm into one entry of vm_configs[]
 * (generated C, see boot/<arch>/hyp.mk). The bootarg "config=NAME" picks
 * one; "default" otherwise.
 */
#ifndef HYP_VM_CONFIG_H
#define HYP_VM_CONFIG_H

#include "types.h"

/* The emulated console of a VM: its kind and address (guest-physical, or an I/O port). */
#define VM_CONSOLE_NONE		0
#define VM_CONSOLE_PL011	1
#define VM_CONSOLE_NS16550	2
#define VM_CONSOLE_NS16550_PORT	3	/* port I/O, x86 */

struct vm_config_vm {
	const char *name;	/* the console prefix: "[NAME] " */
	const char *guest;	/* a built-in guest image */
	u64 ram_base, ram_size;	/* guest-physical */
	u32 console_kind;	/* VM_CONSOLE_* */
	u64 console_base;	/* guest-physical, or the I/O port */
	u32 cpus;		/* physical CPUs, a bit each; 0: every CPU */
	u32 nr_vcpus;		/* 0: one per CPU; with cpus 0, the first N CPUs */
};

struct vm_config {
	const char *name;
	u32 nr_vms;
	const struct vm_config_vm *vms;
};

extern const struct vm_config vm_configs[];
extern const u32 vm_nr_configs;

#endif
