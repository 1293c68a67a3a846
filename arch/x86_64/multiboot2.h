/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_64_MULTIBOOT2_H
#define ARCH_X86_64_MULTIBOOT2_H

#include "types.h"

struct boot_info;

#define MB2_BOOT_MAGIC		0x36d76289	/* EAX at entry, Multiboot2 3.3 */

/* The boot information at @info_pa into @bi (RAM, modules, command line): 0 or -errno. */
int mb2_parse(struct boot_info *bi, u64 info_pa);

#endif
