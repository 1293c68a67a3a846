/* SPDX-License-Identifier: MIT */
/*
 * The guest images built into the hypervisor, in the order of the arch's
 * guest list (guest-images/<arch>/guest.mk): generated C and assembly from
 * tools/guest_images.py (see boot/<arch>/hyp.mk).
 */
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
