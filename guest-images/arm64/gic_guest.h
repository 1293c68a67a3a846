/* SPDX-License-Identifier: MIT */
/*
 * What the interrupt guests (vtimer.c, irqstorm.c) share: the VM's GICv3
 * at QEMU virt's addresses (docs/arm64.md, "Interrupts"), turning a
 * vCPU's redistributor and CPU interface on, sending SGIs, and writing
 * every offset of a GIC frame at every width.
 */
#ifndef GIC_GUEST_H
#define GIC_GUEST_H

#include "lib.h"

#define GICD_BASE		0x08000000ul	/* the VM's GICv3, QEMU virt's addresses */
#define GICD_SIZE		0x10000ul
#define GICR_BASE		0x080a0000ul
#define GICR_STRIDE		0x20000ul
#define GICR_SGI		0x10000ul
#define GICD_CTLR		0x0000
#define GICD_CTLR_GRP1		(1u << 1)	/* EnableGrp1 (DS = 1) */
#define GICD_PIDR2		0xffe8
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_WAKER_PSLEEP	(1u << 1)
#define GICR_WAKER_CASLEEP	(1u << 2)
#define GICR_ISENABLER0		0x0100
#define GICR_IPRIORITYR		0x0400
#define GIC_PRIO		0xa0u
#define PPI_VTIMER		27
#define CNTV_CTL_ENABLE		1ul
#define ICC_SGI1R_INTID_SHIFT	24
#define ICC_SGI1R_AFF1_SHIFT	16
#define INTID_SPURIOUS		1020	/* 1020 .. 1023: no interrupt (GICv3 spec 2.2.1) */

static inline u32 rd32(u64 addr)
{
	u32 v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void sgi_send(u32 sgi, u32 vcpu)
{
	/* ICC_SGI1R_EL1: INTID, TargetList (Aff1 0) */
	u64 v = (u64)sgi << ICC_SGI1R_INTID_SHIFT | 1ul << vcpu;

	__asm__ volatile("msr icc_sgi1r_el1, %0; isb" :: "r"(v) : "memory");
}

static inline u32 gic_ack(void)
{
	u64 iar;

	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar) :: "memory");
	return (u32)(iar & 0xffffff);
}

static inline void gic_eoi(u32 intid)
{
	__asm__ volatile("msr icc_eoir1_el1, %0; isb" :: "r"((u64)intid) : "memory");
}

/* This vCPU's redistributor awake, @mask of its SGIs/PPIs enabled, its CPU interface on. */
static inline void gic_cpu_on(u32 self, u32 mask)
{
	u64 rd = GICR_BASE + self * GICR_STRIDE;

	mmio_write32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_PSLEEP);
	while (rd32(rd + GICR_WAKER) & GICR_WAKER_CASLEEP)
		;
	for (u32 i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_SGI + GICR_IPRIORITYR + i, GIC_PRIO * 0x01010101u);
	mmio_write32(rd + GICR_SGI + GICR_ISENABLER0, mask);
	__asm__ volatile("msr icc_pmr_el1, %0; msr icc_igrpen1_el1, %1; isb; msr daifclr, #2"
			 :: "r"(0xfful), "r"(1ul) : "memory");
}

/* All-ones written to, then read from, each offset at each width. Each access
 * a single load or store with a register address: ISV = 1. */
static inline void gic_poke_all(u64 base, u64 size)
{
	for (u64 a = base; a < base + size; a++) {
		u64 v = ~0ul;

		__asm__ volatile("strb %w1, [%0]; ldrb %w1, [%0]" : "+r"(a), "+r"(v) :: "memory");
		v = ~0ul;
		if (!(a & 1))
			__asm__ volatile("strh %w1, [%0]; ldrh %w1, [%0]" : "+r"(a), "+r"(v) :: "memory");
		v = ~0ul;
		if (!(a & 3))
			__asm__ volatile("str %w1, [%0]; ldr %w1, [%0]" : "+r"(a), "+r"(v) :: "memory");
		v = ~0ul;
		if (!(a & 7))
			__asm__ volatile("str %1, [%0]; ldr %1, [%0]" : "+r"(a), "+r"(v) :: "memory");
	}
}

/* SGIs to vCPU 15 and to Aff1 = 1: vCPUs a small VM does not have. */
static inline void sgi_send_to_nobody(u32 sgi)
{
	sgi_send(sgi, 15);
	__asm__ volatile("msr icc_sgi1r_el1, %0; isb"
			 :: "r"(1ul << ICC_SGI1R_AFF1_SHIFT | (u64)sgi << ICC_SGI1R_INTID_SHIFT | 1ul)
			 : "memory");
}

#endif
