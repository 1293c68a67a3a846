/* SPDX-License-Identifier: MIT */
/*
 * The arch contract, a VM's wired interrupt lines: what an emulated device
 * drives. A line is level-sensitive; the device sets its level whenever
 * its interrupt condition may have changed (setting the level it already
 * has is allowed and cheap). arm64: shared peripheral interrupt @spi of
 * the vGIC's distributor, INTID 32 + @spi (GIC architecture spec, 2.2
 * "INTIDs"); without a vGIC the level is kept and goes nowhere.
 */
#ifndef HYP_ARCH_VM_IRQ_H
#define HYP_ARCH_VM_IRQ_H

#include "types.h"

struct vm;

/* Drive @vm's line @spi to @level; may be called from any CPU, under a device's lock. */
void arch_vm_irq_level(struct vm *vm, u32 spi, bool level);

#endif
