// SPDX-License-Identifier: MIT
/*
 * The host GICv3 (IHI 0069): the distributor with affinity routing and
 * group 1 on, each CPU's redistributor woken, the system-register CPU
 * interface at EL2 with EOImode = 1 (priority drop on EOIR, deactivation
 * on DIR: a virtual interrupt linked to a physical one is deactivated by
 * the guest's EOI), and the PPIs the hypervisor uses enabled: the
 * maintenance interrupt, the EL2 timer, the EL1 virtual timer and the
 * wake-up and active-state SGIs (the EL1 physical timer is emulated). Every hypervisor interrupt is group 1, priority 0xa0.
 */
#include "arm64.h"
#include "console.h"
#include "fdt.h"
#include "gicv3.h"
#include "sysreg.h"

#define GIC_PRIO_HYP		0xa0u
#define GIC_RWP_SPINS		1000000u
#define GIC_HYP_PPIS		(BIT(GIC_SGI_WAKE) | BIT(GIC_SGI_ACTIVE) | BIT(GIC_PPI_MAINT) | \
				 BIT(GIC_PPI_HYP_TIMER) | BIT(GIC_PPI_VTIMER))

static struct gicv3_desc gic;
static volatile u8 *gicr_cpu[HYP_MAX_CPUS];	/* each CPU's RD_base */
static u64 cpu_mpidr[HYP_MAX_CPUS];
static bool gic_on;

static u32 rd32(volatile u8 *base, u32 off)
{
	return *(volatile u32 *)(base + off);
}

static void wr32(volatile u8 *base, u32 off, u32 val)
{
	*(volatile u32 *)(base + off) = val;
}

static u64 rd64(volatile u8 *base, u32 off)
{
	return *(volatile u64 *)(base + off);
}

static volatile u8 *gicd(void)
{
	return (volatile u8 *)(uintptr_t)gic.gicd;
}

int gicv3_probe(const struct fdt *fdt, struct gicv3_desc *out)
{
	struct fdt_range d, r;
	int node = fdt_find_compatible(fdt, -1, GICV3_COMPAT);

	if (node < 0)
		return -ENOENT;
	if (fdt_reg(fdt, node, 0, &d) || fdt_reg(fdt, node, 1, &r) ||
	    d.size < GICD_SIZE || r.size < GICR_STRIDE) {
		hyp_log("hyp: %s node: reg needs the GICD and GICR ranges\n", GICV3_COMPAT);
		return -EINVAL;
	}
	*out = (struct gicv3_desc){ .gicd = d.base, .gicr = r.base, .gicr_size = r.size };
	return 0;
}

static bool wait_rwp(volatile u8 *base, u32 off, u32 bit)
{
	for (u32 i = 0; i < GIC_RWP_SPINS; i++)
		if (!(rd32(base, off) & bit))
			return true;
	return false;
}

int gicv3_init(const struct gicv3_desc *d)
{
	gic = *d;
	wr32(gicd(), GICD_CTLR, 0);
	if (!wait_rwp(gicd(), GICD_CTLR, GICD_CTLR_RWP))
		return -EBUSY;
	wr32(gicd(), GICD_CTLR, GICD_CTLR_ARE);
	if (!wait_rwp(gicd(), GICD_CTLR, GICD_CTLR_RWP))
		return -EBUSY;
	wr32(gicd(), GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G1A);
	wait_rwp(gicd(), GICD_CTLR, GICD_CTLR_RWP);
	return gicv3_cpu_init();
}

/* GICR_TYPER.Affinity_Value of this CPU: Aff3.Aff2.Aff1.Aff0 (12.11.35). */
static u64 this_affinity(void)
{
	u64 mpidr = read_sysreg(mpidr_el1);

	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
}

static volatile u8 *find_redist(void)
{
	u64 aff = this_affinity();

	for (u64 off = 0; off + GICR_STRIDE <= gic.gicr_size; off += GICR_STRIDE) {
		volatile u8 *rd = (volatile u8 *)(uintptr_t)(gic.gicr + off);
		u64 typer = rd64(rd, GICR_TYPER);

		if (typer >> GICR_TYPER_AFF_SHIFT == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return NULL;
}

static int redist_wake(volatile u8 *rd)
{
	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~(u32)GICR_WAKER_PSLEEP);
	for (u32 i = 0; i < GIC_RWP_SPINS; i++)
		if (!(rd32(rd, GICR_WAKER) & GICR_WAKER_CASLEEP))
			return 0;
	return -EBUSY;
}

/* SGIs and PPIs: all group 1, the hypervisor's at its priority, only those enabled. */
static void redist_ppis(volatile u8 *rd)
{
	volatile u8 *sgi = rd + GICR_SGI_BASE;

	wr32(sgi, GICR_ICENABLER0, ~0u);
	wait_rwp(rd, GICR_CTLR, GICR_CTLR_RWP);
	wr32(sgi, GICR_ICACTIVER0, ~0u);
	wr32(sgi, GICR_ICPENDR0, ~0u);
	wr32(sgi, GICR_IGROUPR0, ~0u);
	wr32(sgi, GICR_IGRPMODR0, 0);
	for (u32 i = 0; i < GIC_NR_PRIVATE; i += 4)
		wr32(sgi, GICR_IPRIORITYR + i, GIC_PRIO_HYP * 0x01010101u);
	wr32(sgi, GICR_ISENABLER0, (u32)GIC_HYP_PPIS);
	wait_rwp(rd, GICR_CTLR, GICR_CTLR_RWP);
}

static void cpu_interface_on(void)
{
	write_sysreg(icc_sre_el2, read_sysreg(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_ENABLE |
		     ICC_SRE_DFB | ICC_SRE_DIB);
	isb();
	write_sysreg(icc_pmr_el1, ICC_PMR_LOWEST);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

int gicv3_cpu_init(void)
{
	volatile u8 *rd = find_redist();
	u32 cpu = arm64_this_cpu();

	if (!rd || cpu >= HYP_MAX_CPUS) {
		hyp_log("hyp: cpu %u: no GICv3 redistributor for affinity 0x%llx\n", cpu,
			(unsigned long long)this_affinity());
		return -ENODEV;
	}
	if (redist_wake(rd))
		return -EBUSY;
	redist_ppis(rd);
	cpu_interface_on();
	gicr_cpu[cpu] = rd;
	cpu_mpidr[cpu] = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	__atomic_store_n(&gic_on, true, __ATOMIC_RELEASE);
	return 0;
}

bool gicv3_ready(void)
{
	return __atomic_load_n(&gic_on, __ATOMIC_ACQUIRE);
}

u32 gicv3_ack(void)
{
	u32 intid = (u32)read_sysreg(icc_iar1_el1) & ICC_IAR_INTID_MASK;

	if (intid < GIC_INTID_SPURIOUS)
		write_sysreg(icc_eoir1_el1, intid);
	return intid;
}

void gicv3_deactivate(u32 intid)
{
	write_sysreg(icc_dir_el1, intid);
	isb();
}

void gicv3_sgi_others(u32 sgi)
{
	dsb_ish();
	write_sysreg(icc_sgi1r_el1, ICC_SGI1R_IRM | (u64)sgi << ICC_SGI1R_INTID_SHIFT);
	isb();
}

void gicv3_sgi_cpu(u32 cpu, u32 sgi)
{
	u64 mpidr = cpu < HYP_MAX_CPUS ? cpu_mpidr[cpu] : 0;
	u64 aff0 = mpidr & 0xff, v;

	if (cpu >= HYP_MAX_CPUS || !gicr_cpu[cpu])
		return;
	v = (u64)sgi << ICC_SGI1R_INTID_SHIFT | BIT(aff0 & 0xf) |
		(aff0 >> 4) << ICC_SGI1R_RS_SHIFT |
		((mpidr >> 8) & ICC_SGI1R_AFF_MASK) << ICC_SGI1R_AFF1_SHIFT |
		((mpidr >> 16) & ICC_SGI1R_AFF_MASK) << ICC_SGI1R_AFF2_SHIFT |
		((mpidr >> 32) & ICC_SGI1R_AFF_MASK) << ICC_SGI1R_AFF3_SHIFT;

	dsb_ish();
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

void gicv3_ppi_clear_active(u32 intid)
{
	volatile u8 *rd = gicr_cpu[arm64_this_cpu()];

	if (rd && intid < GIC_NR_PRIVATE)
		wr32(rd + GICR_SGI_BASE, GICR_ICACTIVER0, 1u << intid);
}
