/* SPDX-License-Identifier: MIT */
/*
 * The multiboot (version 1) information a VM's guest is handed where the
 * arch boots its guests the multiboot way (x86: EAX = 0x2BADB002, EBX =
 * its guest-physical address; Multiboot Specification 0.6.96, 3.2-3.3):
 * the memory map of the VM's RAM, the command line, the boot loader's
 * name and at most one module (the initrd). Written into host pages of
 * its own and placed in the VM's RAM as one more segment, filled on the
 * guest's first touch like the kernel.
 */
#ifndef HYP_VM_MBI_H
#define HYP_VM_MBI_H

#include "types.h"

struct vm_desc;

#define VM_MBI_SIZE		4096u	/* the page the information and its strings fill */
#define VM_MBI_ALIGN		(2ull << 20)	/* where callers place it: its own 2 MiB */
#define VM_MBI_LIMIT		(1ull << 32)	/* every address in it is 32 bits */

struct vm_mbi_args {
	const char *cmdline;	/* may be NULL */
	u64 module_gpa, module_size;	/* size 0: no module */
};

/*
 * The information for @d's RAM, to lie at guest-physical @gpa, into @buf
 * (@size bytes, zeroed here): 0 and *@len, or -ERANGE (@gpa or the
 * module not below 4 GiB) or -ENOSPC (the command line does not fit).
 */
int vm_mbi_build(const struct vm_desc *d, u64 gpa, const struct vm_mbi_args *a, u8 *buf,
		 u32 size, u32 *len);
/*
 * Build it into a page of its own at @gpa of @d's RAM, add it as a
 * segment and point d->entry_info at it: 0, or -errno after one line
 * naming the VM.
 */
int vm_mbi_add(struct vm_desc *d, u64 gpa, const struct vm_mbi_args *a);

#endif
