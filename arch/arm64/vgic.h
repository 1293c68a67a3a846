/* SPDX-License-Identifier: MIT */
/*
 * The virtual GICv3 of a VM (docs/arm64.md, "Interrupts"): the distributor
 * and each vCPU's redistributor emulated as MMIO models (vgic_mmio.c), the
 * CPU interface through the hardware's list registers (vgic.c).
 */
#ifndef ARCH_ARM64_VGIC_H
#define ARCH_ARM64_VGIC_H

#include "config.h"
#include "types.h"
#include "virq.h"

/* Where a VM sees them: QEMU virt's addresses (docs/arm64.md). */
#define VGIC_GICD_BASE		0x08000000ull
#define VGIC_GICR_BASE		0x080a0000ull
#define VGIC_NR_SPIS		32	/* GICD_TYPER.ITLinesNumber 1: INTIDs 0-63 */
#define VGIC_NR_IRQS		(32 + VGIC_NR_SPIS)

struct vcpu;
struct vm;

/* A vCPU's redistributor and its CPU interface state. */
struct vgic_cpu {
	struct virq_set pending;	/* raised, not yet in a list register */
	u32 enabled;			/* ISENABLER0: SGIs and PPIs */
	u32 active;			/* ISACTIVER0 as written (not the LRs') */
	u32 group;			/* IGROUPR0 */
	u32 icfgr1;			/* PPI edge/level, as written */
	u32 waker;			/* GICR_WAKER.ProcessorSleep */
	u8 prio[32];			/* IPRIORITYR */
	u32 timer_held;			/* physical PPIs 27/30 active, not yet in an LR */
	u64 nr_vtimer, nr_sgi;		/* delivered: for the figures */
};

/*
 * The distributor. SPIs are level-sensitive lines a VM's devices drive
 * (hyp/arch/vm_irq.h, vgic_spi.c): spi_level is the lines' state, kept
 * across a reset of the distributor (the devices keep theirs).
 */
struct vgic_dist {
	u32 ctlr;
	u32 spi_level;			/* SPIs 32-63: bit n = INTID 32 + n */
	u32 spi_latch;			/* set by GICD_ISPENDR1, until taken or ICPENDR1 */
	u32 enabled[VGIC_NR_IRQS / 32], group[VGIC_NR_IRQS / 32];
	u32 icfgr[VGIC_NR_IRQS / 16];
	u8 prio[VGIC_NR_IRQS];
	u64 irouter[VGIC_NR_IRQS];
};

/* An SPI is pending while its line is high or a GICD_ISPENDR1 write latched it. */
static inline u32 vgic_spi_pending(const struct vgic_dist *d)
{
	return __atomic_load_n(&d->spi_level, __ATOMIC_ACQUIRE) |
	       __atomic_load_n(&d->spi_latch, __ATOMIC_ACQUIRE);
}

/* vgic_mmio.c */
/* Whether VMs get a vGIC (the host has a usable GICv3): their device tree says so. */
bool vgic_available(void);
int vgic_vm_init(struct vm *vm);
void vgic_dist_reset(struct vgic_dist *d);
void vgic_cpu_reset(struct vgic_cpu *c);
/* vgic.c */
/* @vcpu is entered from its reset state on this CPU: CPU interface and timer reset. */
void vgic_vcpu_load(struct vcpu *vcpu);
/* The vCPU this CPU runs (or ran last), NULL if none or its VM stopped. */
struct vcpu *vgic_this_vcpu(void);
/* The same, stopped or not. */
struct vcpu *vgic_loaded_vcpu(void);
/* Hand @vcpu's pending interrupts to the list registers (@vcpu runs on this CPU). */
void vgic_flush(struct vcpu *vcpu);
/* Something changed @vcpu's interrupts: flush here, or wake its CPU to. */
void vgic_kick(struct vcpu *vcpu);
/* EL1 timer PPI @ppi (27 or 30) fired on this CPU (acknowledged, priority dropped). */
void vgic_timer_fired(u32 ppi);
/* The maintenance PPI fired on this CPU. */
void vgic_maintenance(void);
/* An interrupt is pending for @vcpu (on this CPU): its WFI ends. */
bool vgic_vcpu_pending(struct vcpu *vcpu);
/* A trapped ICC_SGI1R_EL1 write of @val by @vcpu. */
void vgic_sgi1r(struct vcpu *vcpu, u64 val);
/* vgic_spi.c */
#define VGIC_SPI_BASE		32	/* INTID of SPI 0 */
/* SPI @intid's line is high and it is enabled: pending at the vCPU its IROUTER names. */
void vgic_spi_deliver(struct vm *vm, u32 intid);
/* Guest-enabled SPIs (@bits of INTIDs 32-63): those whose line is high are delivered. */
void vgic_spi_enabled(struct vm *vm, u32 bits);
/* The list register value for SPI @intid: maintenance on its EOI (resampled then). */
u64 vgic_spi_lr(const struct vgic_dist *d, u32 intid);
/* SPI @intid was EOIed out of a list register: delivered again if its line is still high. */
void vgic_spi_eoi(struct vm *vm, u32 intid);

#endif
