/* SPDX-License-Identifier: MIT */
/* The hypervisor's own stage 1, laid out here and turned on by the arch. */
#ifndef HYP_MM_H
#define HYP_MM_H

#include "boot.h"

/*
 * Build the identity-mapped stage 1 (image text RX, rodata R, data RW;
 * the rest of RAM RW; the firmware table R; the console's registers as
 * device memory), check it, and turn translation on on this CPU.
 */
int hyp_mm_init(const struct boot_info *bi);

#endif
