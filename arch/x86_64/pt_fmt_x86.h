/* SPDX-License-Identifier: MIT */
/* The x86-64 walker formats (pt_fmt_x86.c). */
#ifndef ARCH_X86_64_PT_FMT_X86_H
#define ARCH_X86_64_PT_FMT_X86_H

#include "pt_fmt.h"

extern const struct pt_fmt pt_fmt_x86_s1_4l;	/* IA-32e 4-level paging */
extern const struct pt_fmt pt_fmt_x86_s1_5l;	/* IA-32e 5-level paging (LA57) */
extern const struct pt_fmt pt_fmt_x86_ept_4l;	/* Intel EPT, 4-level */
extern const struct pt_fmt pt_fmt_x86_ept_5l;	/* Intel EPT, 5-level */

#endif
