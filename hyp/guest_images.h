/* SPDX-License-Identifier: MIT */
/* The guest images built into the hypervisor image, by name. */
#ifndef HYP_GUEST_IMAGES_H
#define HYP_GUEST_IMAGES_H

#include "types.h"

struct hyp_guest_image {
	const char *name;
	const u8 *start, *end;
};

extern const struct hyp_guest_image hyp_guest_images[];
extern const u32 hyp_nr_guest_images;

#endif
