/* SPDX-License-Identifier: MIT */
/* Exceptions injected into a guest's VS-mode (arch/riscv64/inject.c). */
#ifndef ARCH_RISCV64_INJECT_H
#define ARCH_RISCV64_INJECT_H

#include "riscv64.h"
#include "vm.h"

/*
 * QEMU virt's peripheral window above the interrupt controllers (PLIC,
 * UART, virtio-mmio, fw_cfg), guest-physical: an access here that no
 * emulated device takes gets an access fault; anywhere else outside RAM
 * stops the VM.
 */
#define VFAULT_DEVICE_BASE	0x0c000000ull
#define VFAULT_DEVICE_SIZE	0x04200000ull

static inline bool vfault_device_gpa(u64 gpa)
{
	return gpa >= VFAULT_DEVICE_BASE && gpa - VFAULT_DEVICE_BASE < VFAULT_DEVICE_SIZE;
}

/*
 * A load or store access fault (scause 5 or 7) at @gpa into the vCPU whose
 * trap frame is @regs, with stval's guest-virtual address: sret then goes
 * to its vstvec. Logged.
 */
void vfault_inject_access(struct vcpu *vcpu, struct riscv_regs *regs, u64 gpa, bool write);

/*
 * An illegal-instruction exception (scause 2, stval the instruction) for
 * @insn at sepc: what a hart without the H extension, or without the
 * counter it reads, gives. Logged.
 */
void vinsn_inject_illegal(struct vcpu *vcpu, struct riscv_regs *regs, u32 insn);

#endif
