/* SPDX-License-Identifier: MIT */
/*
 * The FADT and DSDT parsing of acpi.c, host-testable (acpi_parse.c); its
 * loads and byte sum serve the MP table's parsing too (mptable.c).
 */
#ifndef ARCH_X86_64_ACPI_PARSE_H
#define ARCH_X86_64_ACPI_PARSE_H

#include "types.h"

#define ACPI_SDT_HEADER		36	/* ACPI 6.5, 5.2.6: signature ... creator revision */
#define ACPI_SLP_TYP_MASK	7u	/* SLP_TYPx: 3 bits of PM1x_CNT (4.8.3.2.1) */

/* The PM1 control ports (0: none), ACPI mode's switch, S5's sleep types. */
struct acpi_s5 {
	u16 pm1a_cnt, pm1b_cnt, smi_cmd;
	u8 acpi_enable, slp_typa, slp_typb;
};

u32 acpi_le32(const u8 *p);
u64 acpi_le64(const u8 *p);
/* The sum of @len bytes at @t, modulo 256: 0 for a table with a good checksum (5.2.6). */
u8 acpi_sum8(const u8 *t, u32 len);
/* The DSDT's physical address in the FADT of @len bytes (X_DSDT, else DSDT); 0 if none. */
u64 acpi_fadt_dsdt(const u8 *fadt, u32 len);
/*
 * @s5 from the FADT and the DSDT's Name(_S5, Package{SLP_TYPa, SLP_TYPb,
 * ...}) (@dsdt NULL: none found). NULL, or what is missing.
 */
const char *acpi_s5_parse(const u8 *fadt, u32 fadt_len, const u8 *dsdt, u32 dsdt_len,
			  struct acpi_s5 *s5);

#endif
