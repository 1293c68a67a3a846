/* SPDX-License-Identifier: MIT */
/*
 * The host's GICv3 (Arm GIC Architecture Specification, IHI 0069): the
 * register layout the driver (gicv3.c) and the vGIC (arch/arm64/vgic*.c)
 * share, and the driver's interface. Section numbers are IHI 0069 H's.
 */
#ifndef DRIVERS_GICV3_H
#define DRIVERS_GICV3_H

#include "types.h"

#define GICV3_COMPAT		"arm,gic-v3"

/* Interrupt ids (2.2 "INTIDs"): SGIs 0-15, PPIs 16-31, SPIs 32-1019. */
#define GIC_NR_SGIS		16
#define GIC_NR_PRIVATE		32
#define GIC_INTID_SPURIOUS	1020	/* 1020-1023: special, nothing to acknowledge */
#define GIC_PPI_MAINT		25	/* GIC virtual CPU interface maintenance (SBSA) */
#define GIC_PPI_HYP_TIMER	26	/* EL2 physical timer (SBSA; QEMU virt) */
#define GIC_PPI_VTIMER		27	/* EL1 virtual timer */
#define GIC_PPI_PTIMER		30	/* EL1 non-secure physical timer (SBSA; QEMU virt) */
#define GIC_SGI_WAKE		0	/* the hypervisor's SGIs: wake up, look again; */
#define GIC_SGI_ACTIVE		1	/* a vCPU's active state is asked for (vgic_active.c) */

/* Distributor, 12.9: offsets from GICD_base. */
#define GICD_CTLR		0x0000
#define GICD_CTLR_ENABLE_G1	BIT(0)	/* DS=0 NS view: EnableGrp1; DS=1: EnableGrp0 */
#define GICD_CTLR_ENABLE_G1A	BIT(1)	/* DS=0 NS view: EnableGrp1A; DS=1: EnableGrp1 */
#define GICD_CTLR_ARE		BIT(4)	/* affinity routing (ARE_NS in the NS view) */
#define GICD_CTLR_DS		BIT(6)	/* one security state */
#define GICD_CTLR_RWP		BIT(31)	/* register write pending */
#define GICD_TYPER		0x0004
#define GICD_TYPER_ITLINES_MASK	0x1fu	/* [4:0]: 32 * (N + 1) INTIDs */
#define GICD_TYPER_IDBITS_SHIFT	19	/* [23:19]: INTID bits - 1 */
#define GICD_IIDR		0x0008
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_IROUTER		0x6000	/* 8 bytes per INTID, SPIs only */
#define GICD_PIDR2		0xffe8
#define GIC_PIDR2_ARCH_V3	(0x3u << 4)	/* ArchRev [7:4] = 3: GICv3 */
#define GICD_SIZE		0x10000

/* Redistributor, 12.11: RD_base frame, then SGI_base frame at +64 KiB. */
#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		BIT(3)
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008	/* 64-bit */
#define GICR_TYPER_LAST		BIT(4)	/* the last redistributor of the region */
#define GICR_TYPER_PROCNUM_SHIFT 8	/* Processor_Number [23:8] */
#define GICR_TYPER_AFF_SHIFT	32	/* Affinity_Value [63:32]: Aff3.Aff2.Aff1.Aff0 */
#define GICR_WAKER		0x0014
#define GICR_WAKER_PSLEEP	BIT(1)	/* ProcessorSleep */
#define GICR_WAKER_CASLEEP	BIT(2)	/* ChildrenAsleep */
#define GICR_PIDR2		0xffe8
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080	/* SGI_base offsets from here */
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
#define GICR_IPRIORITYR		0x0400	/* 0x0400-0x041f: a byte per SGI/PPI */
#define GICR_ICFGR0		0x0c00
#define GICR_ICFGR1		0x0c04
#define GICR_IGRPMODR0		0x0d00
#define GICR_STRIDE		0x20000	/* RD_base + SGI_base, no VLPI frames */

/* ICC_SRE_EL2, 12.2.18. */
#define ICC_SRE_SRE		BIT(0)	/* system-register interface at EL2 */
#define ICC_SRE_DFB		BIT(1)
#define ICC_SRE_DIB		BIT(2)
#define ICC_SRE_ENABLE		BIT(3)	/* EL1 may use ICC_SRE_EL1 */
/* ICC_CTLR_EL1, 12.2.6: EOImode [1]: EOIR drops priority only, DIR deactivates. */
#define ICC_CTLR_EOIMODE	BIT(1)
#define ICC_IAR_INTID_MASK	0xffffffu	/* ICC_IAR1_EL1 INTID [23:0] */
#define ICC_PMR_LOWEST		0xffu
/* ICC_SGI1R_EL1, 12.2.23. */
#define ICC_SGI1R_TARGETS_MASK	0xffffull	/* TargetList [15:0]: Aff0 0-15 */
#define ICC_SGI1R_AFF1_SHIFT	16
#define ICC_SGI1R_INTID_SHIFT	24	/* [27:24] */
#define ICC_SGI1R_INTID_MASK	0xfull
#define ICC_SGI1R_AFF2_SHIFT	32
#define ICC_SGI1R_IRM		(1ull << 40)	/* every PE but this one */
#define ICC_SGI1R_RS_SHIFT	44	/* [47:44]: TargetList covers Aff0 16 * RS + 0-15 */
#define ICC_SGI1R_AFF3_SHIFT	48
#define ICC_SGI1R_AFF_MASK	0xffull

/* ICH_HCR_EL2, 12.4.8. */
#define ICH_HCR_EN		BIT(0)	/* the virtual CPU interface */
#define ICH_HCR_UIE		BIT(1)	/* maintenance IRQ when at most one LR is valid */
/* ICH_MISR_EL2, 12.4.9: EOI [0], U [1] (underflow). */
#define ICH_MISR_EOI		BIT(0)
#define ICH_MISR_U		BIT(1)
/* ICH_VTR_EL2, 12.4.11: ListRegs [4:0] = number - 1. */
#define ICH_VTR_LISTREGS_MASK	0x1fu
/* ICH_LR<n>_EL2, 12.4.6. */
#define ICH_LR_VINTID_MASK	0xffffffffull
#define ICH_LR_PINTID_SHIFT	32	/* [44:32], with HW */
#define ICH_LR_EOI		(1ull << 41)	/* without HW: maintenance on EOI */
#define ICH_LR_PRIO_SHIFT	48	/* [55:48] */
#define ICH_LR_GROUP1		(1ull << 60)
#define ICH_LR_HW		(1ull << 61)	/* linked to physical pINTID */
#define ICH_LR_STATE_SHIFT	62
#define ICH_LR_STATE_MASK	(3ull << 62)
#define ICH_LR_PENDING		(1ull << 62)
#define ICH_LR_ACTIVE		(2ull << 62)
#define ICH_MAX_LRS		16

/* Physical GICv3: the distributor and redistributor region, from a boot description. */
struct gicv3_desc {
	u64 gicd, gicr, gicr_size;
};

/* The node compatible with "arm,gic-v3" of @fdt: 0, or -ENOENT / -EINVAL (logged). */
struct fdt;
int gicv3_probe(const struct fdt *fdt, struct gicv3_desc *out);
/* Distributor on (boot CPU, once), then this CPU's redistributor and CPU interface. */
int gicv3_init(const struct gicv3_desc *d);
int gicv3_cpu_init(void);
bool gicv3_ready(void);
/* The next pending interrupt: its INTID, >= GIC_INTID_SPURIOUS for none. Priority dropped. */
u32 gicv3_ack(void);
void gicv3_deactivate(u32 intid);
/* SGI @sgi to every other CPU. */
void gicv3_sgi_others(u32 sgi);
/* SGI @sgi to logical CPU @cpu (once its GIC is on; else nothing). */
void gicv3_sgi_cpu(u32 cpu, u32 sgi);
/* Clear the active state of this CPU's PPI @intid (a vCPU reset left it linked). */
void gicv3_ppi_clear_active(u32 intid);

#endif
