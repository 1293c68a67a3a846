// SPDX-License-Identifier: MIT
/*
 * The vGIC's shared peripheral interrupts: level-sensitive lines that a
 * VM's emulated devices drive (hyp/arch/vm_irq.h; the PL011's SPI 1). A
 * line that is high and enabled in the distributor is made pending at the
 * vCPU its GICD_IROUTER names (IHI 0069 12.9.22: Aff0 = the vCPU index,
 * Aff3-Aff1 zero; Interrupt_Routing_Mode 1, or a vCPU the VM lacks: vCPU
 * 0). Its list register asks for a maintenance interrupt on EOI
 * (ICH_LR_EOI, 12.4.6): the line is sampled again then, so an interrupt
 * whose device still asserts it is taken again, as on hardware. A
 * GICD_ISPENDR1 write latches an SPI pending whatever its line (12.9.20),
 * until it goes into a list register (taken) or GICD_ICPENDR1 clears the
 * latch; ISPENDR1/ICPENDR1 read line | latch | listed pending. A line
 * that falls while its SPI waits in a list register of the vCPU on this
 * CPU (the device's vCPU is the target, as with the PL011) leaves the LR
 * (pending -> gone, active + pending -> active); in another CPU's LR it
 * stays pending until taken.
 */
#include "arch/vm_irq.h"
#include "arm64.h"
#include "gicv3.h"
#include "vgic.h"
#include "vm.h"

#define IROUTER_IRM		BIT(31)		/* any PE: here, vCPU 0 */
#define IROUTER_AFF0_MASK	0xffull
#define IROUTER_AFF321_MASK	0xff00ff0000ull	/* Aff3 [39:32], Aff2 [23:16] */
#define IROUTER_AFF1_MASK	0xff00ull

struct vcpu *vgic_spi_target(struct vm *vm, u32 intid)
{
	u64 r = __atomic_load_n(&vm->arch->vgic.irouter[intid], __ATOMIC_RELAXED);
	u64 aff0 = r & IROUTER_AFF0_MASK;

	if ((r & (IROUTER_IRM | IROUTER_AFF321_MASK | IROUTER_AFF1_MASK)) || aff0 >= vm->nr_vcpus)
		return &vm->vcpus[0];
	return &vm->vcpus[aff0];
}

void vgic_spi_deliver(struct vm *vm, u32 intid)
{
	struct vgic_dist *d = &vm->arch->vgic;
	u32 bit = BIT(intid - VGIC_SPI_BASE);
	struct vcpu *t;

	if (!(vgic_spi_pending(d) & __atomic_load_n(&d->enabled[1], __ATOMIC_ACQUIRE) & bit))
		return;
	t = vgic_spi_target(vm, intid);
	virq_raise(&t->arch->vgic.pending, intid);
	vgic_kick(t);
}

void vgic_spi_enabled(struct vm *vm, u32 bits)
{
	for (; bits; bits &= bits - 1)
		vgic_spi_deliver(vm, VGIC_SPI_BASE + (u32)__builtin_ctz(bits));
}

u64 vgic_spi_lr(const struct vgic_dist *d, u32 intid)
{
	u64 lr = intid | (u64)d->prio[intid] << ICH_LR_PRIO_SHIFT | ICH_LR_PENDING | ICH_LR_EOI;

	if (d->group[1] & BIT(intid - VGIC_SPI_BASE))
		lr |= ICH_LR_GROUP1;
	return lr;
}

void vgic_spi_eoi(struct vm *vm, u32 intid)
{
	if (intid >= VGIC_SPI_BASE && intid < VGIC_NR_IRQS)
		vgic_spi_deliver(vm, intid);
}

void arch_vm_irq_level(struct vm *vm, u32 spi, bool level)
{
	struct vgic_dist *d;

	if (!vm->arch || spi >= VGIC_NR_SPIS || !gicv3_ready())
		return;		/* no vGIC: the line goes nowhere */
	d = &vm->arch->vgic;
	if (!level) {
		struct vcpu *t = vgic_spi_target(vm, VGIC_SPI_BASE + spi);

		__atomic_fetch_and(&d->spi_level, ~BIT(spi), __ATOMIC_RELEASE);
		if (t == vgic_this_vcpu())	/* its LRs are here: no longer pending */
			vgic_lr_lower(VGIC_SPI_BASE + spi);
		return;
	}
	__atomic_fetch_or(&d->spi_level, BIT(spi), __ATOMIC_RELEASE);
	vgic_spi_deliver(vm, VGIC_SPI_BASE + spi);
}
