// SPDX-License-Identifier: MIT
/*
 * The CPUs: read from the ACPI MADT (ACPI 6.5, 5.2.12, found by acpi.c),
 * every entry's length checked, else from the MP table (mptable.c); started
 * with INIT-SIPI-SIPI (SDM Vol. 3A 9.4.4.1) through the local APIC's ICR
 * (xAPIC, memory-mapped). The local APIC is enabled through its spurious-
 * interrupt vector register only: Bochs ignores setting the global enable
 * bit of IA32_APIC_BASE again once it was cleared, so that bit is never
 * touched.
 */
#include "arch/cpu.h"
#include "arch/mm.h"
#include "acpi_parse.h"
#include "boot.h"
#include "console.h"
#include "hyp.h"
#include "lib/string.h"
#include "mptable.h"
#include "x86.h"
#include "x86_cpu.h"

#define MADT_ENTRIES		44	/* after the header, LAPIC address and flags */
#define MADT_LAPIC		0	/* Processor Local APIC structure (5.2.12.2) */
#define MADT_LAPIC_ENABLED	BIT(0)
#define MADT_LAPIC_ONLINE_CAP	BIT(1)
#define LAPIC_BASE_DEFAULT	0xfee00000ull	/* IA32_APIC_BASE's reset value (SDM Vol. 3A 11.4.4) */
#define LAPIC_SIZE		0x1000ull
#define LAPIC_EOI		0x0b0	/* end of interrupt (SDM Vol. 3A 11.8.5) */
#define LAPIC_SVR		0x0f0	/* spurious-interrupt vector register */
#define LAPIC_SVR_ENABLE	BIT(8)
#define LAPIC_SPURIOUS_VEC	0xff
#define LAPIC_ICR_LO		0x300
#define LAPIC_ICR_HI		0x310
#define LAPIC_ICR_BUSY		BIT(12)	/* delivery status: send pending */
#define LAPIC_ICR_INIT		0x4500	/* INIT, level assert */
#define LAPIC_ICR_SIPI		0x4600	/* start-up, vector in bits 7:0 */
#define LAPIC_DEST_SHIFT	24
#define APIC_BASE_ADDR_MASK	0xffffff000ull
#define CPUID1_EDX_APIC		BIT(9)	/* an on-chip local APIC (SDM Vol. 2A Table 3-11) */
#define INIT_DELAY_US		10000	/* SDM Vol. 3A 9.4.4.1 */
#define SIPI_DELAY_US		200
#define SIPI_DELAY_MODERN_US	10	/* as Linux waits on the processors below */
/* CPUID.0 vendor (EBX, EDX, ECX) and CPUID.1:EAX's family (SDM Vol. 2A, CPUID) */
#define CPUID_INTEL_EBX		0x756e6547u	/* "Genu" */
#define CPUID_AMD_EBX		0x68747541u	/* "Auth" */
#define CPUID1_FAMILY_SHIFT	8
#define CPUID1_EXT_FAMILY_SHIFT	20
#define CPUID1_FAMILY_EXTENDED	0xf	/* the family is this plus the extended family */
#define FAMILY_INTEL_P6		0x6
#define FAMILY_AMD_K8		0xf
#define AP_ACK_TIMEOUT_US	200000
/* Where the MP floating pointer may be (MP spec 1.4, 4): read on the early map */
#define BDA_EBDA_SEG		0x40e	/* BIOS data area: the EBDA's real-mode segment */
#define BDA_BASE_KIB		0x413	/* BIOS data area: base memory in KiB */
#define MP_SCAN_LEN		1024ull	/* the EBDA's first KiB, base memory's last KiB */
#define BASE_MEM_END		0xa0000ull	/* 640 KiB */
#define BIOS_ROM_BASE		0xf0000ull
#define BIOS_ROM_END		0x100000ull
#define MP_TABLE_MEM_END	(1ull << 32)	/* the early map's end */

extern const u8 x86_trampoline[], x86_trampoline_end[];
/*
 * The ticket of the CPU being started (x86_regs.h): head.S takes it by
 * compare-and-swap if it carries the taking CPU's APIC ID; the CPU then
 * acknowledges in ap_started.
 */
u64 x86_ap_ticket = X86_AP_NO_TICKET;
static u32 ap_started;
static u64 lapic_base = LAPIC_BASE_DEFAULT;
static bool lapic_mapped;
/* entry.S's wake-up interrupt handler writes its EOI here. */
u64 x86_lapic_eoi_reg = LAPIC_BASE_DEFAULT + LAPIC_EOI;

u32 x86_lapic_read(u32 reg)
{
	return *(volatile u32 *)(uintptr_t)(lapic_base + reg);
}

void x86_lapic_write(u32 reg, u32 v)
{
	*(volatile u32 *)(uintptr_t)(lapic_base + reg) = v;
}

static void madt_cpus(struct boot_info *bi, const u8 *madt)
{
	u32 len = x86_acpi_len(madt);

	if (len < MADT_ENTRIES) {
		hyp_log("hyp: ACPI MADT: %u bytes, too short\n", len);
		return;
	}
	lapic_base = *(const u32 *)(madt + ACPI_SDT_HEADER);
	for (u32 off = MADT_ENTRIES; off + 2 <= len;) {
		u8 type = madt[off], elen = madt[off + 1];

		if (elen < 2 || elen > len - off) {
			hyp_log("hyp: ACPI MADT: entry at +%u has length %u\n", off, elen);
			return;
		}
		if (type == MADT_LAPIC && elen >= 8 &&
		    (*(const u32 *)(madt + off + 4) & (MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE_CAP))) {
			if (bi->nr_cpus == HYP_MAX_CPUS) {
				hyp_log("hyp: ACPI MADT: more than %u cpus\n", HYP_MAX_CPUS);
				return;
			}
			bi->cpus[bi->nr_cpus++] = madt[off + 3];
		}
		off += elen;
	}
}

/* Low memory at @pa, through a pointer the compiler cannot see is a constant. */
static const u8 *low_mem(u64 pa)
{
	const u8 *p = (const u8 *)(uintptr_t)pa;

	__asm__("" : "+r"(p));
	return p;
}

static u16 bda_u16(u64 pa)
{
	u16 v;

	memcpy(&v, low_mem(pa), sizeof(v));
	return v;
}

/* A floating pointer in [@base, @base + @len), all of it below 1 MiB. */
static const u8 *mp_fps_scan(u64 base, u64 len)
{
	u32 off;

	if (!base || base + len > BIOS_ROM_END)
		return NULL;
	off = mp_fps_find(low_mem(base), (u32)len);
	return off == MP_NOT_FOUND ? NULL : low_mem(base + off);
}

/* The EBDA's first KiB, base memory's last KiB, then the BIOS ROM (MP spec 1.4, 4). */
static const u8 *mp_fps_locate(void)
{
	u64 ebda = (u64)bda_u16(BDA_EBDA_SEG) << 4, base_end = (u64)bda_u16(BDA_BASE_KIB) * 1024;
	const u8 *fps = NULL;

	if (ebda + MP_SCAN_LEN <= BASE_MEM_END)
		fps = mp_fps_scan(ebda, MP_SCAN_LEN);
	if (!fps && base_end >= MP_SCAN_LEN && base_end <= BASE_MEM_END)
		fps = mp_fps_scan(base_end - MP_SCAN_LEN, MP_SCAN_LEN);
	return fps ? fps : mp_fps_scan(BIOS_ROM_BASE, BIOS_ROM_END - BIOS_ROM_BASE);
}

/* The configuration table at @pa into @c, if it lies inside the early map. */
static const char *mp_table_read(u64 pa, struct mp_cpus *c)
{
	u32 len;

	if (!pa || pa + MP_TABLE_HDR_LEN > MP_TABLE_MEM_END)
		return "configuration table address outside the first 4 GiB";
	len = mp_table_len(low_mem(pa));
	if (!len)
		return "no configuration table header there";
	if (pa + len > MP_TABLE_MEM_END)
		return "configuration table past 4 GiB";
	return mp_table_cpus(low_mem(pa), len, c);
}

/* The CPUs of the MP table, where there is no MADT; one line either way. */
static void mp_cpus(struct boot_info *bi)
{
	struct mp_cpus c = { .ids = bi->cpus, .max = HYP_MAX_CPUS };
	const u8 *fps = mp_fps_locate();
	const char *bad;
	u32 pa;
	u8 dflt;

	if (!fps) {
		hyp_log("hyp: no ACPI MADT, no MP table: the boot cpu only\n");
		return;
	}
	mp_fps_parse(fps, &pa, &dflt);
	bad = dflt ? mp_default_cpus(dflt, &c) : mp_table_read(pa, &c);
	if (bad) {
		hyp_log("hyp: MP table at 0x%llx (table 0x%x): %s: the boot cpu only\n",
			(unsigned long long)(uintptr_t)fps, pa, bad);
		return;
	}
	bi->nr_cpus = c.nr;
	if (c.lapic_base)
		lapic_base = c.lapic_base;
	hyp_log("hyp: cpus from the MP table at 0x%llx (table 0x%x): %u (%u disabled, "
		"%u duplicate APIC ids, %u past %u ignored)\n", (unsigned long long)(uintptr_t)fps,
		pa, c.nr, c.disabled, c.duplicates, c.dropped, HYP_MAX_CPUS);
}

static bool lapic_present(void)
{
	u32 r[4];

	cpuid(1, 0, r);
	return r[3] & CPUID1_EDX_APIC;
}

void x86_smp_init(struct boot_info *bi, const struct boot_range *rsdp)
{
	const u8 *madt = rsdp->size ? x86_acpi_find(rsdp, "APIC") : NULL;

	if (madt)
		madt_cpus(bi, madt);
	else
		mp_cpus(bi);
	if (!bi->nr_cpus)
		bi->cpus[bi->nr_cpus++] = arch_cpu_hwid();
	lapic_base &= APIC_BASE_ADDR_MASK;
	x86_lapic_eoi_reg = lapic_base + LAPIC_EOI;
	/* The local APIC starts the other CPUs, wakes them and bounds every wait (idle.c). */
	if (lapic_present() && bi->nr_devices < BOOT_MAX_DEVICES) {
		bi->devices[bi->nr_devices++] = (struct boot_range){ lapic_base, LAPIC_SIZE };
		lapic_mapped = true;
	} else
		bi->nr_cpus = 1;
	memcpy((void *)(uintptr_t)X86_TRAMPOLINE, x86_trampoline,
	       (size_t)(x86_trampoline_end - x86_trampoline));
}

/* The boot CPU's local APIC, once the stage 1 maps it as a device (arch_mm_enable). */
void x86_lapic_boot_init(void)
{
	if (!lapic_mapped)
		return;
	x86_lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VEC);
	x86_idle_init(0);
}

static void udelay(u64 us)
{
	u64 end = arch_time_us() + us;

	while (arch_time_us() < end)
		cpu_relax();
}

#define LAPIC_ICR_NMI		0x4400	/* NMI delivery, level assert (SDM Vol. 3A 11.6.1) */
#define LAPIC_ICR_FIXED		0x4000	/* fixed delivery, level assert, vector in 7:0 */

bool x86_lapic_mapped(void)
{
	return lapic_mapped;
}

void x86_lapic_eoi(void)
{
	x86_lapic_write(LAPIC_EOI, 0);
}

static void lapic_ipi(u64 apic_id, u32 icr);

/* The ICR is per CPU; each CPU sends its own IPIs. */
void x86_lapic_send_nmi(u32 apic_id)
{
	lapic_ipi(apic_id, LAPIC_ICR_NMI);
}

void x86_lapic_send_fixed(u32 apic_id, u8 vector)
{
	lapic_ipi(apic_id, LAPIC_ICR_FIXED | vector);
}

static void lapic_ipi(u64 apic_id, u32 icr)
{
	x86_lapic_write(LAPIC_ICR_HI, (u32)apic_id << LAPIC_DEST_SHIFT);
	x86_lapic_write(LAPIC_ICR_LO, icr);
	for (u32 i = 0; i < 100000 && (x86_lapic_read(LAPIC_ICR_LO) & LAPIC_ICR_BUSY); i++)
		cpu_relax();
}

/*
 * No answer in time: withdraw the ticket. If it is gone, the CPU took it
 * just now and is on its way up: wait for it without a deadline, as it
 * holds that stack. A CPU that wakes later finds no ticket and parks.
 */
static int ap_start_late(u32 cpu, u64 hwid)
{
	u64 ticket = hwid << X86_AP_TICKET_ID_SHIFT | cpu;

	if (__atomic_compare_exchange_n(&x86_ap_ticket, &ticket, X86_AP_NO_TICKET, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	while (!__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE))
		cpu_relax();
	return 0;
}

/*
 * The 10 ms after INIT that the SDM's example waits: P6-family Intel and
 * K8-or-later AMD processors do not need it (Linux skips it on them too,
 * smp_quirk_init_udelay()), and wait only briefly after each SIPI.
 */
static u32 cpu_family(void)
{
	u32 r[4], family;

	cpuid(1, 0, r);
	family = r[0] >> CPUID1_FAMILY_SHIFT & 0xf;
	if (family == CPUID1_FAMILY_EXTENDED)
		family += r[0] >> CPUID1_EXT_FAMILY_SHIFT & 0xff;
	return family;
}

static bool ap_start_modern(void)
{
	u32 v[4];

	cpuid(0, 0, v);
	if (v[1] == CPUID_INTEL_EBX)
		return cpu_family() >= FAMILY_INTEL_P6;
	return v[1] == CPUID_AMD_EBX && cpu_family() >= FAMILY_AMD_K8;
}

int arch_cpu_start(u32 cpu, u64 hwid)
{
	bool modern = ap_start_modern();
	u64 deadline;

	x86_lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VEC);
	__atomic_store_n(&ap_started, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&x86_ap_ticket, hwid << X86_AP_TICKET_ID_SHIFT | cpu, __ATOMIC_RELEASE);
	lapic_ipi(hwid, LAPIC_ICR_INIT);
	udelay(modern ? 0 : INIT_DELAY_US);
	for (u32 i = 0; i < 2 && !__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE); i++) {
		lapic_ipi(hwid, LAPIC_ICR_SIPI | (X86_TRAMPOLINE >> 12));
		udelay(modern ? SIPI_DELAY_MODERN_US : SIPI_DELAY_US);
	}
	deadline = arch_time_us() + AP_ACK_TIMEOUT_US;
	while (!__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE) && arch_time_us() < deadline)
		cpu_relax();
	return __atomic_load_n(&ap_started, __ATOMIC_ACQUIRE) ? 0 : ap_start_late(cpu, hwid);
}

/* From head.S on an application processor: its stack and the stage 1 on. */
void __attribute__((noreturn)) x86_ap_main(u32 cpu);
void x86_ap_main(u32 cpu)
{
	x86_cpu_tables_init(cpu);
	x86_lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VEC);
	x86_idle_init(cpu);
	__atomic_store_n(&ap_started, 1, __ATOMIC_RELEASE);
	hyp_secondary_main(cpu);
}
