// SPDX-License-Identifier: MIT
/*
 * The ACPI tables the hypervisor reads (ACPI 6.5), all untrusted input:
 * tables found through the RSDP copy of the multiboot2 ACPI tag, each
 * one's signature, length and checksum checked, inside the first 4 GiB
 * (the early map; they are read at boot only). The MADT lists the CPUs
 * (smp.c); the FADT and the DSDT's \_S5 object give the S5 (soft off)
 * sleep type, written to the PM1 control registers to power off (7.4.2,
 * 4.8.3.2.1), the emulator's shutdown port otherwise (cpu.c).
 */
#include "boot.h"
#include "console.h"
#include "lib/string.h"
#include "x86.h"
#include "x86_cpu.h"

#define ACPI_RSDP_RSDT		16	/* RsdtAddress (5.2.5.3) */
#define ACPI_RSDP_XSDT		24	/* XsdtAddress, revision >= 2 */
#define ACPI_RSDP_REVISION	15
#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36
#define ACPI_TABLE_MAX		(1u << 20)	/* a sanity bound on a table's length */
#define ACPI_MEM_END		(1ull << 32)	/* the early map's end */
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
#define GAS_LEN			12
/* PM1 control register (4.8.3.2.1, Table 4.13) */
#define PM1_SCI_EN		BIT(0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP_MASK	7u
#define PM1_SLP_EN		BIT(13)
#define ACPI_ENABLE_SPINS	1000000	/* for SCI_EN after the ACPI_ENABLE write */
/* AML (20.2): what the \_S5 package's start and its first two elements can be */
#define AML_NAME_OP		0x08
#define AML_PACKAGE_OP		0x12
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_BYTE_PREFIX		0x0a
#define AML_ONES_OP		0xff

struct acpi_s5 {
	u16 pm1a_cnt, pm1b_cnt, smi_cmd;
	u8 acpi_enable, slp_typa, slp_typb;
};

static struct acpi_s5 s5;	/* pm1a_cnt 0: no S5 */

static u32 le32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 le64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The table at @pa if its signature is @sig, its length sane and its bytes sum to 0. */
static const u8 *acpi_table(u64 pa, const char *sig)
{
	const u8 *t = (const u8 *)(uintptr_t)pa;
	u32 len;
	u8 sum = 0;

	if (!pa || pa > ACPI_MEM_END - ACPI_SDT_HEADER)
		return NULL;
	len = le32(t + 4);
	if (memcmp(t, sig, 4) || len < ACPI_SDT_HEADER || len > ACPI_TABLE_MAX ||
	    pa + len > ACPI_MEM_END)
		return NULL;
	for (u32 i = 0; i < len; i++)
		sum = (u8)(sum + t[i]);
	if (sum) {
		hyp_log("hyp: ACPI %.4s at 0x%llx: bad checksum, ignored\n", sig,
			(unsigned long long)pa);
		return NULL;
	}
	return t;
}

u32 x86_acpi_len(const u8 *table)
{
	return le32(table + 4);
}

/* The table @sig, through the XSDT (8-byte entries) or the RSDT (4-byte entries). */
const u8 *x86_acpi_find(const struct boot_range *rsdp, const char *sig)
{
	const u8 *r = (const u8 *)(uintptr_t)rsdp->base, *sdt;
	bool x;
	u32 esize, len;

	if (rsdp->size < ACPI_RSDP_V1_LEN || memcmp(r, "RSD PTR ", 8))
		return NULL;
	x = rsdp->size >= ACPI_RSDP_V2_LEN && r[ACPI_RSDP_REVISION] >= 2;
	esize = x ? 8 : 4;
	sdt = x ? acpi_table(le64(r + ACPI_RSDP_XSDT), "XSDT")
		: acpi_table(le32(r + ACPI_RSDP_RSDT), "RSDT");
	if (!sdt)
		return NULL;
	len = x86_acpi_len(sdt);
	for (u32 off = ACPI_SDT_HEADER; off + esize <= len; off += esize) {
		const u8 *t = acpi_table(x ? le64(sdt + off) : le32(sdt + off), sig);

		if (t)
			return t;
	}
	return NULL;
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
static int dsdt_s5(const u8 *dsdt, u8 *typa, u8 *typb)
{
	u32 len = x86_acpi_len(dsdt);

	for (u32 at = ACPI_SDT_HEADER; at + 6 <= len; at++) {
		u32 o = at + 4;
		int a, b;

		if (memcmp(dsdt + at, "_S5_", 4) ||
		    (dsdt[at - 1] != AML_NAME_OP && dsdt[at - 1] != '\\') ||
		    dsdt[o] != AML_PACKAGE_OP)
			continue;
		o += 2 + (dsdt[o + 1] >> 6);	/* PackageOp, PkgLength's lead and following bytes */
		o++;				/* NumElements */
		a = aml_const(dsdt, len, &o);
		b = aml_const(dsdt, len, &o);
		if (a < 0 || b < 0)
			return -1;
		*typa = (u8)(a & PM1_SLP_TYP_MASK);
		*typb = (u8)(b & PM1_SLP_TYP_MASK);
		return 0;
	}
	return -1;
}

/* A PM1 control block's I/O port: the X_ Generic Address if the FADT has one, else @legacy. */
static u16 fadt_pm1_port(const u8 *fadt, u32 x_off, u32 legacy_off)
{
	u32 len = x86_acpi_len(fadt);
	u64 a = 0;

	if (len >= x_off + GAS_LEN && fadt[x_off] == GAS_SPACE_IO)
		a = le64(fadt + x_off + 4);
	if (!a && len >= legacy_off + 4)
		a = le32(fadt + legacy_off);
	return a <= 0xffff ? (u16)a : 0;
}

void x86_acpi_s5_init(const struct boot_range *rsdp)
{
	const u8 *fadt = rsdp->size ? x86_acpi_find(rsdp, "FACP") : NULL, *dsdt = NULL;
	u32 len = fadt ? x86_acpi_len(fadt) : 0;
	u64 dsdt_pa = 0;

	if (!fadt || len < FADT_FLAGS + 4 || (le32(fadt + FADT_FLAGS) & FADT_HW_REDUCED))
		return;		/* no FADT, or no PM1 registers: the shutdown port */
	if (len >= FADT_X_DSDT + 8)
		dsdt_pa = le64(fadt + FADT_X_DSDT);
	if (!dsdt_pa)
		dsdt_pa = le32(fadt + FADT_DSDT);
	dsdt = acpi_table(dsdt_pa, "DSDT");
	s5.pm1a_cnt = fadt_pm1_port(fadt, FADT_X_PM1A_CNT, FADT_PM1A_CNT);
	s5.pm1b_cnt = fadt_pm1_port(fadt, FADT_X_PM1B_CNT, FADT_PM1B_CNT);
	s5.smi_cmd = le32(fadt + FADT_SMI_CMD) <= 0xffff ? (u16)le32(fadt + FADT_SMI_CMD) : 0;
	s5.acpi_enable = fadt[FADT_ACPI_ENABLE];
	if (!s5.pm1a_cnt || !dsdt || dsdt_s5(dsdt, &s5.slp_typa, &s5.slp_typb)) {
		hyp_log("hyp: ACPI: %s: powering off through the emulator's port\n",
			!s5.pm1a_cnt ? "FADT without a PM1a control port" :
			!dsdt ? "no valid DSDT" : "no \\_S5 package in the DSDT");
		s5.pm1a_cnt = 0;
		return;
	}
	hyp_log("hyp: ACPI S5: PM1a_CNT 0x%x, SLP_TYPa %u\n", s5.pm1a_cnt, s5.slp_typa);
}

/* ACPI mode first if the firmware left the machine in legacy mode (SCI_EN clear, 4.8.2.5). */
static void acpi_enable(void)
{
	u32 spins = 0;

	if ((inw(s5.pm1a_cnt) & PM1_SCI_EN) || !s5.smi_cmd || !s5.acpi_enable)
		return;
	outb(s5.smi_cmd, s5.acpi_enable);
	while (!(inw(s5.pm1a_cnt) & PM1_SCI_EN) && ++spins < ACPI_ENABLE_SPINS)
		cpu_relax();
}

/* SLP_TYP and SLP_EN, PM1b after PM1a as 7.4.2 says; returns if the machine is still on. */
void x86_acpi_power_off(void)
{
	if (!s5.pm1a_cnt)
		return;
	acpi_enable();
	outw(s5.pm1a_cnt, (u16)((inw(s5.pm1a_cnt) & ~(PM1_SLP_TYP_MASK << PM1_SLP_TYP_SHIFT)) |
				(u16)(s5.slp_typa << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
	if (s5.pm1b_cnt)
		outw(s5.pm1b_cnt, (u16)((inw(s5.pm1b_cnt) &
					  ~(PM1_SLP_TYP_MASK << PM1_SLP_TYP_SHIFT)) |
					 (u16)(s5.slp_typb << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
}
