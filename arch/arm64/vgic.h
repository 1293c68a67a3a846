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

#define VGIC_MAX_LRS		16	/* ICH_LR<n>_EL2: n < 16 (ICH_MAX_LRS) */
#define VGIC_MAX_APRS		4	/* ICH_AP0R<n>/AP1R<n>_EL2: n < 4 with 7 priority bits */

/*
 * What a vCPU leaves in its CPU's hardware: saved when it leaves
 * (vgic_vcpu_put()), loaded when it is entered (vgic_vcpu_restore()),
 * zero for a vCPU entered afresh. The emulated physical timer lives in
 * struct vgic_cpu throughout.
 */
struct vgic_hw_ctx {
	u64 lr[VGIC_MAX_LRS];
	u64 cntv_cval;
	u32 vmcr;			/* ICH_VMCR_EL2, the APRs, CNTV_CTL_EL0: 32 bits */
	u32 ap0r[VGIC_MAX_APRS], ap1r[VGIC_MAX_APRS];
	u32 cntv_ctl;
};

/*
 * A request for a vCPU's active state (GICR/GICD_ISACTIVER, ICACTIVER),
 * which only its list registers hold: served on its CPU (vgic_active.c).
 */
struct vgic_lr_change {
	u32 set_active, clear_active, clear_pending;
};

struct vgic_active_req {
	u32 lock;			/* one requester at a time */
	u32 posted;			/* 1: the fields below wait for the target's CPU */
	u32 word;			/* 0: SGIs/PPIs, 1: SPIs 32-63 */
	struct vgic_lr_change change;	/* made first */
	u32 active, pending;		/* the LRs' bits after that */
};

/* A vCPU's redistributor and its CPU interface state. */
struct vgic_cpu {
	struct virq_set pending;	/* raised, not yet in a list register */
	u32 enabled;			/* ISENABLER0: SGIs and PPIs */
	u32 group;			/* IGROUPR0 */
	u32 icfgr1;			/* PPI edge/level, as written */
	u32 waker;			/* GICR_WAKER.ProcessorSleep */
	u8 prio[32];			/* IPRIORITYR */
	u32 timer_held;			/* PPI 27 active, PPI 30's line high: not yet in an LR */
	u64 nr_vtimer, nr_sgi;		/* delivered: for the figures */
	/* The emulated EL1 physical timer (vptimer.c): CNTP_CVAL_EL0, CNTP_CTL_EL0. */
	u64 ptimer_cval;
	u32 ptimer_ctl;			/* ENABLE | IMASK as written */
	bool ptimer_level;		/* PPI 30's line */
	struct vgic_hw_ctx ctx;
	struct vgic_active_req areq;
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
/* @vcpu is entered from its reset state: its saved state and redistributor reset. */
void vgic_vcpu_reset(struct vcpu *vcpu);
/* @vcpu is entered on this CPU: its saved CPU interface and timer state loaded. */
void vgic_vcpu_restore(struct vcpu *vcpu);
/* @vcpu leaves this CPU (off, stopped, reset): its state saved, the hardware quiet. */
void vgic_vcpu_put(struct vcpu *vcpu);
/* The vCPU this CPU runs (or ran last), NULL if none or its VM stopped. */
struct vcpu *vgic_this_vcpu(void);
/* The same, stopped or not. */
struct vcpu *vgic_loaded_vcpu(void);
/* Whether @vcpu's state is in its CPU's hardware now. */
bool vgic_vcpu_loaded(const struct vcpu *vcpu);
/* Hand @vcpu's pending interrupts to the list registers (@vcpu runs on this CPU). */
void vgic_flush(struct vcpu *vcpu);
/* Something changed @vcpu's interrupts: flush here, or wake its CPU to. */
void vgic_kick(struct vcpu *vcpu);
/* The EL1 virtual timer's PPI 27 fired on this CPU (acknowledged, priority dropped). */
void vgic_timer_fired(u32 ppi);
/* The maintenance PPI fired on this CPU. */
void vgic_maintenance(void);
/* An interrupt is pending for @vcpu (on this CPU): its WFI ends. */
bool vgic_vcpu_pending(struct vcpu *vcpu);
/* A trapped ICC_SGI1R_EL1 write of @val by @vcpu. */
void vgic_sgi1r(struct vcpu *vcpu, u64 val);
/* This CPU's list registers: how many, and each. */
u32 vgic_nr_lrs(void);
u64 vgic_lr_read(u32 n);
void vgic_lr_write(u32 n, u64 val);
/* A level line @intid fell: its list register loses the pending state (this CPU's vCPU). */
void vgic_lr_lower(u32 intid);
/* vgic_active.c */
/*
 * @target's list registers, word @word (0: INTIDs 0-31, 1: 32-63), as
 * @self (on this CPU) sees them after @change: their active bits, and
 * in *@pending (if not NULL) their pending ones.
 */
u32 vgic_lr_access(struct vcpu *self, struct vcpu *target, u32 word,
		   const struct vgic_lr_change *change, u32 *pending);
/* Every vCPU's SPIs: the OR of their bits, @set_active at the SPIs' targets. */
u32 vgic_spi_lr_access(struct vcpu *self, const struct vgic_lr_change *change, u32 *pending);
/* A request for this CPU's vCPU's active state is posted: answer it. */
void vgic_active_serve(void);
/* vptimer.c */
/* A trapped CNTP_TVAL_EL0 (@op2 0), CNTP_CTL_EL0 (1) or CNTP_CVAL_EL0 (2) access. */
void vptimer_access(struct vcpu *vcpu, u32 op2, bool read, u64 *val);
/* The EL2 physical timer's PPI 26 fired on this CPU. */
void vptimer_hyp_timer_fired(void);
/* PPI 30 was EOIed out of a list register: listed again while its line is high. */
void vptimer_eoi(struct vcpu *vcpu);
/* This CPU waits for an IRQ, at most @ticks of the counter (the EL2 timer bounds it). */
void vptimer_wait(u64 ticks);
/* @vcpu's timer deadline to this CPU's EL2 timer (restore), or off it (put). */
void vptimer_load(struct vcpu *vcpu);
void vptimer_put(void);
/* vgic_spi.c */
#define VGIC_SPI_BASE		32	/* INTID of SPI 0 */
/* The vCPU SPI @intid's GICD_IROUTER names (vCPU 0 for any other value). */
struct vcpu *vgic_spi_target(struct vm *vm, u32 intid);
/* SPI @intid's line is high and it is enabled: pending at the vCPU its IROUTER names. */
void vgic_spi_deliver(struct vm *vm, u32 intid);
/* Guest-enabled SPIs (@bits of INTIDs 32-63): those whose line is high are delivered. */
void vgic_spi_enabled(struct vm *vm, u32 bits);
/* The list register value for SPI @intid: maintenance on its EOI (resampled then). */
u64 vgic_spi_lr(const struct vgic_dist *d, u32 intid);
/* SPI @intid was EOIed out of a list register: delivered again if its line is still high. */
void vgic_spi_eoi(struct vm *vm, u32 intid);

#endif
