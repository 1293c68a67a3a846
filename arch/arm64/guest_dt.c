// SPDX-License-Identifier: MIT
/* arm64's part of handed-over guests (hyp/arch/guest.h): a stub until it lands. */
#include "arch/guest.h"
#include "vm_config.h"

static const struct arch_guest_defaults arm64_guest_defaults = {
	.ram_base = 0x40000000, .console_kind = VM_CONSOLE_PL011, .console_base = 0x09000000,
	.elf_machine = 183, .linux_image = ARCH_LINUX_IMAGE_ARM64,
};

const struct arch_guest_defaults *arch_guest_defaults(void)
{
	return &arm64_guest_defaults;
}
