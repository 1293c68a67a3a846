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
#include "acpi_parse.h"
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
/* PM1 control register (4.8.3.2.1, Table 4.13) */
#define PM1_SCI_EN		BIT(0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_EN		BIT(13)
#define ACPI_ENABLE_SPINS	1000000	/* for SCI_EN after the ACPI_ENABLE write */

static struct acpi_s5 s5;	/* pm1a_cnt 0: no S5 */

/* The table at @pa if its signature is @sig, its length sane and its bytes sum to 0. */
static const u8 *acpi_table(u64 pa, const char *sig)
{
	const u8 *t = (const u8 *)(uintptr_t)pa;
	u32 len;

	if (!pa || pa > ACPI_MEM_END - ACPI_SDT_HEADER)
		return NULL;
	len = acpi_le32(t + 4);
	if (memcmp(t, sig, 4) || len < ACPI_SDT_HEADER || len > ACPI_TABLE_MAX ||
	    pa + len > ACPI_MEM_END)
		return NULL;
	if (acpi_sum8(t, len)) {
		hyp_log("hyp: ACPI %.4s at 0x%llx: bad checksum, ignored\n", sig,
			(unsigned long long)pa);
		return NULL;
	}
	return t;
}

u32 x86_acpi_len(const u8 *table)
{
	return acpi_le32(table + 4);
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
	sdt = x ? acpi_table(acpi_le64(r + ACPI_RSDP_XSDT), "XSDT")
		: acpi_table(acpi_le32(r + ACPI_RSDP_RSDT), "RSDT");
	if (!sdt)
		return NULL;
	len = x86_acpi_len(sdt);
	for (u32 off = ACPI_SDT_HEADER; off + esize <= len; off += esize) {
		const u8 *t = acpi_table(x ? acpi_le64(sdt + off) : acpi_le32(sdt + off), sig);

		if (t)
			return t;
	}
	return NULL;
}

void x86_acpi_s5_init(const struct boot_range *rsdp)
{
	const u8 *fadt = rsdp->size ? x86_acpi_find(rsdp, "FACP") : NULL, *dsdt;
	const char *missing;

	if (!fadt)
		return;		/* no ACPI: the shutdown port */
	dsdt = acpi_table(acpi_fadt_dsdt(fadt, x86_acpi_len(fadt)), "DSDT");
	missing = acpi_s5_parse(fadt, x86_acpi_len(fadt), dsdt, dsdt ? x86_acpi_len(dsdt) : 0, &s5);
	if (missing) {
		hyp_log("hyp: ACPI: %s: powering off through the emulator's port\n", missing);
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
	outw(s5.pm1a_cnt, (u16)((inw(s5.pm1a_cnt) & ~(ACPI_SLP_TYP_MASK << PM1_SLP_TYP_SHIFT)) |
				(u16)(s5.slp_typa << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
	if (s5.pm1b_cnt)
		outw(s5.pm1b_cnt, (u16)((inw(s5.pm1b_cnt) &
					  ~(ACPI_SLP_TYP_MASK << PM1_SLP_TYP_SHIFT)) |
					 (u16)(s5.slp_typb << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
}
