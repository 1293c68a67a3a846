/* SPDX-License-Identifier: MIT */
/*
 * The arch contract, VMs and vCPUs. Per-arch state lives in struct
 * arch_vm and struct arch_vcpu, which only arch/<arch> defines: the core
 * holds pointers to them.
 */
#ifndef HYP_ARCH_VCPU_H
#define HYP_ARCH_VCPU_H

#include "pt_fmt.h"

struct vm;
struct vcpu;
struct arch_vm;
struct arch_vcpu;

/* The stage-2 format for a VM's guest-physical space: 0 or -errno. */
int arch_vm_s2_fmt(const struct vm *vm, struct pt_fmt *fmt);
/*
 * Give @vm (its stage-2 root is built: vm->s2.root_pa) and each of its
 * vm->nr_vcpus vCPUs their arch state: vm->arch, vcpu->arch. 0 or -errno.
 */
int arch_vm_init(struct vm *vm);
/*
 * @vm restarts from its image (a system reset: vCPU 0 only, the others
 * off): reset what the arch keeps per VM (its interrupt controller).
 */
void arch_vm_reset(struct vm *vm);
/*
 * Enter @vcpu from its start state (vcpu->entry, ->arg0, ->arg1, the
 * rest reset) on this CPU, which it is pinned to; never returns. Its
 * traps go to the arch's handlers, which call vcpu_trap_enter() first on
 * every trap (hyp/vm.h) and the core for the rest: vm_guest_fault() for a
 * stage-2 translation fault in RAM, hyp/vdev.h, hypercall(), hyp/power.h.
 */
void __attribute__((noreturn)) arch_vcpu_run(struct vcpu *vcpu);

#endif
