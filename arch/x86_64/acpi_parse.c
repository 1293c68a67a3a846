// SPDX-License-Identifier: MIT
/*
 * What ACPI S5 needs, from the FADT and the DSDT (ACPI 6.5), as host-
 * testable C (tests/unit/arch/test_x86_acpi.c): the tables are untrusted,
 * every offset is checked against the length given.
 */
#include "acpi_parse.h"
#include "lib/string.h"

/* FADT fields (5.2.9, Table 5.9): byte offsets */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT		64
#define FADT_PM1B_CNT		68
#define FADT_FLAGS		112
#define FADT_X_DSDT		140
#define FADT_X_PM1A_CNT		172	/* Generic Address Structures (5.2.3.2), 12 bytes */
#define FADT_X_PM1B_CNT		184
#define FADT_HW_REDUCED		BIT(20)	/* no PM1 registers: sleep through other means */
#define GAS_SPACE_IO		1
#define GAS_ADDR		4
#define GAS_LEN			12
#define IO_PORT_MAX		0xffffu
/* AML (20.2): what the \_S5 package's start and its first two elements can be */
#define AML_NAME_OP		0x08
#define AML_ROOT_PREFIX		0x5c	/* the root's name prefix, a backslash */
#define AML_PACKAGE_OP		0x12
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_BYTE_PREFIX		0x0a
#define AML_ONES_OP		0xff
#define AML_PKGLEN_BYTES_SHIFT	6	/* PkgLength's lead byte: bytes that follow, 20.2.4 */
/* Eight bytes at a time: each byte's copy, and its top bits */
#define BYTES_ONES		0x0101010101010101ull
#define BYTES_HIGHS		0x8080808080808080ull
#define BYTES_EVEN		0x00ff00ff00ff00ffull
#define LANE16_MASK		0xffffu
#define SUM_FOLD_WORDS		128	/* 16-bit lanes gain at most 510 a word: 128 fit */

/* Any alignment; the builtin, as the freestanding memcpy is a call (the scans below). */
u32 acpi_le32(const u8 *p)
{
	u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

u64 acpi_le64(const u8 *p)
{
	u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Pairs of bytes into 16-bit lanes, folded every SUM_FOLD_WORDS words. */
u8 acpi_sum8(const u8 *t, u32 len)
{
	u32 sum = 0, i = 0;

	while (len - i >= 8) {
		u64 lanes = 0;

		for (u32 n = 0; n < SUM_FOLD_WORDS && len - i >= 8; n++, i += 8) {
			u64 w = acpi_le64(t + i);

			lanes += (w & BYTES_EVEN) + (w >> 8 & BYTES_EVEN);
		}
		sum += (u32)(lanes & LANE16_MASK) + (u32)(lanes >> 16 & LANE16_MASK) +
		       (u32)(lanes >> 32 & LANE16_MASK) + (u32)(lanes >> 48);
	}
	for (; i < len; i++)
		sum += t[i];
	return (u8)sum;
}

/* Whether a byte of @w is @c: the zero-byte test on @w ^ @c in every byte. */
static bool word_has_byte(u64 w, u8 c)
{
	u64 x = w ^ (BYTES_ONES * c);

	return (x - BYTES_ONES) & ~x & BYTES_HIGHS;
}

u64 acpi_fadt_dsdt(const u8 *fadt, u32 len)
{
	u64 pa = 0;

	if (len >= FADT_X_DSDT + 8)
		pa = acpi_le64(fadt + FADT_X_DSDT);
	if (!pa && len >= FADT_DSDT + 4)
		pa = acpi_le32(fadt + FADT_DSDT);
	return pa;
}

/* One integer element of a package at @t[*off] (< @len): its value, or -1 if not a constant. */
static int aml_const(const u8 *t, u32 len, u32 *off)
{
	u32 o = *off;

	if (o >= len)
		return -1;
	*off = o + 1;
	if (t[o] == AML_ZERO_OP || t[o] == AML_ONE_OP)
		return t[o];
	if (t[o] == AML_ONES_OP)
		return 0xff;
	if (t[o] != AML_BYTE_PREFIX || o + 1 >= len)
		return -1;
	*off = o + 2;
	return t[o + 1];
}

/*
 * Name(_S5, Package(N) { SLP_TYPa, SLP_TYPb, ... }) in the DSDT: NameOp,
 * the name (maybe after a root prefix), PackageOp, PkgLength (1-4 bytes,
 * 20.2.4), NumElements, then the elements. 0 if found.
 */
static int dsdt_s5(const u8 *dsdt, u32 len, u8 *typa, u8 *typb)
{
	for (u32 at = ACPI_SDT_HEADER; at + 6 <= len; at++) {
		u32 o = at + 4;
		int a, b;

		/* Past eight at a time while no '5' is there: rarer in AML than '_'. */
		if (at + 10 <= len && !word_has_byte(acpi_le64(dsdt + at + 2), '5')) {
			at += 7;
			continue;
		}
		if (dsdt[at + 2] != '5' || memcmp(dsdt + at, "_S5_", 4) ||
		    (dsdt[at - 1] != AML_NAME_OP && dsdt[at - 1] != AML_ROOT_PREFIX) ||
		    dsdt[o] != AML_PACKAGE_OP)
			continue;
		/* PackageOp, PkgLength's lead byte and the bytes that follow it */
		o += 2 + (dsdt[o + 1] >> AML_PKGLEN_BYTES_SHIFT);
		o++;				/* NumElements */
		a = aml_const(dsdt, len, &o);
		b = aml_const(dsdt, len, &o);
		if (a < 0 || b < 0)
			return -1;
		*typa = (u8)(a & ACPI_SLP_TYP_MASK);
		*typb = (u8)(b & ACPI_SLP_TYP_MASK);
		return 0;
	}
	return -1;
}

/* A PM1 control block's I/O port: the X_ Generic Address if the FADT has one, else @legacy. */
static u16 fadt_pm1_port(const u8 *fadt, u32 len, u32 x_off, u32 legacy_off)
{
	u64 a = 0;

	if (len >= x_off + GAS_LEN && fadt[x_off] == GAS_SPACE_IO)
		a = acpi_le64(fadt + x_off + GAS_ADDR);
	if (!a && len >= legacy_off + 4)
		a = acpi_le32(fadt + legacy_off);
	return a <= IO_PORT_MAX ? (u16)a : 0;
}

const char *acpi_s5_parse(const u8 *fadt, u32 fadt_len, const u8 *dsdt, u32 dsdt_len,
			  struct acpi_s5 *s5)
{
	u32 smi;

	*s5 = (struct acpi_s5){ 0 };
	if (fadt_len < FADT_FLAGS + 4)
		return "FADT too short";
	if (acpi_le32(fadt + FADT_FLAGS) & FADT_HW_REDUCED)
		return "hardware-reduced ACPI (no PM1 registers)";
	s5->pm1a_cnt = fadt_pm1_port(fadt, fadt_len, FADT_X_PM1A_CNT, FADT_PM1A_CNT);
	s5->pm1b_cnt = fadt_pm1_port(fadt, fadt_len, FADT_X_PM1B_CNT, FADT_PM1B_CNT);
	smi = acpi_le32(fadt + FADT_SMI_CMD);
	s5->smi_cmd = smi <= IO_PORT_MAX ? (u16)smi : 0;
	s5->acpi_enable = fadt[FADT_ACPI_ENABLE];
	if (!s5->pm1a_cnt)
		return "FADT without a PM1a control port";
	if (!dsdt)
		return "no valid DSDT";
	if (dsdt_s5(dsdt, dsdt_len, &s5->slp_typa, &s5->slp_typb))
		return "no \\_S5 package in the DSDT";
	return NULL;
}
