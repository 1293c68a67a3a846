/* SPDX-License-Identifier: MIT */
/*
 * The device tree a handed-over VM boots with, generated per VM: nothing
 * the VM does not have. A user's partial tree (Xen's passthrough meaning)
 * is merged in; a user's whole tree is checked against the VM and gets
 * /chosen filled.
 */
#ifndef HYP_VM_DT_H
#define HYP_VM_DT_H

#include "types.h"

struct vm_desc;

#define VM_DT_MAX_SIZE		(2u << 20)	/* Linux arm64's limit for its DTB */

struct vm_dt_args {
	const char *bootargs;		/* /chosen/bootargs, or NULL */
	u64 initrd_start, initrd_end;	/* guest-physical; equal: no initrd */
	const u8 *user_dtb;		/* a "multiboot,device-tree" module, or NULL */
	u64 user_dtb_size;
	bool user_full;			/* it is the whole tree, not a partial one */
};

/*
 * Write the device tree of the VM @d into @buf (@size bytes): 0 and *@len,
 * or -errno after one line naming the VM and the problem (the user tree
 * is malformed, names more memory or CPUs than the VM has, the buffer is
 * too small).
 */
int vm_dt_build(const struct vm_desc *d, const struct vm_dt_args *a, u8 *buf, u32 size,
		u32 *len);

#endif
