/* SPDX-License-Identifier: MIT */
/* The RISC-V walker formats (pt_fmt_riscv.c). */
#ifndef ARCH_RISCV64_PT_FMT_RISCV_H
#define ARCH_RISCV64_PT_FMT_RISCV_H

#include "pt_fmt.h"

extern const struct pt_fmt pt_fmt_riscv_sv39;
extern const struct pt_fmt pt_fmt_riscv_sv39_nopbmt;	/* device memory from the PMAs */
extern const struct pt_fmt pt_fmt_riscv_sv48;
extern const struct pt_fmt pt_fmt_riscv_sv48_nopbmt;	/* device memory from the PMAs */
extern const struct pt_fmt pt_fmt_riscv_sv39x4;	/* G-stage, 16 KiB root */
extern const struct pt_fmt pt_fmt_riscv_sv48x4;	/* G-stage, 16 KiB root */

#endif
