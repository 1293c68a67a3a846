/* SPDX-License-Identifier: MIT */
/* The arm64 walker formats (pt_fmt_arm64.c). */
#ifndef ARCH_ARM64_PT_FMT_ARM64_H
#define ARCH_ARM64_PT_FMT_ARM64_H

#include "pt_fmt.h"

/* ARMv8-A 4 KiB granule; the shape follows TCR_EL2.T0SZ / VTCR_EL2.{T0SZ,SL0}. */
int pt_fmt_arm64_s1_el2_init(struct pt_fmt *fmt, u32 ia_bits);
int pt_fmt_arm64_s2_init(struct pt_fmt *fmt, u32 ipa_bits, u32 arm_start_level);
int pt_fmt_arm64_s2_fwb_init(struct pt_fmt *fmt, u32 ipa_bits, u32 arm_start_level);

#endif
