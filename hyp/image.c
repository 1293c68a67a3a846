// SPDX-License-Identifier: MIT
/* Guest kernel images (hyp/image.h): a stub until the loader lands. */
#include "image.h"

int image_layout(const u8 *img, u64 size, u8 linux_image, u16 elf_machine, u64 load_addr,
		 u64 ram_base, u64 ram_size, struct image_layout *out, const char **why)
{
	(void)img; (void)size; (void)linux_image; (void)elf_machine; (void)load_addr;
	(void)ram_base; (void)ram_size; (void)out;
	*why = "no image loader yet";
	return -ENOSYS;
}
