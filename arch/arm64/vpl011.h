/* SPDX-License-Identifier: MIT */
/* An emulated PL011 for guests: transmit only, into the VM's console. */
#ifndef ARCH_ARM64_VPL011_H
#define ARCH_ARM64_VPL011_H

#include "vm.h"

#define VPL011_SIZE		0x1000ull	/* at vm->uart_base, from its configuration */

static inline bool vpl011_owns(const struct vm *vm, u64 ipa)
{
	return ipa >= vm->uart_base && ipa - vm->uart_base < VPL011_SIZE;
}

/* One access of @size bytes at @ipa; *@val is written for reads. */
void vpl011_access(struct vcpu *vcpu, u64 ipa, u32 size, bool write, u64 *val);

#endif
