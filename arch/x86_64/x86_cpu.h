/* SPDX-License-Identifier: MIT */
/* Per-CPU state of the x86-64 hypervisor and what arch/x86_64 files share. */
#ifndef ARCH_X86_64_X86_CPU_H
#define ARCH_X86_64_X86_CPU_H

#include "config.h"
#include "types.h"

struct vcpu;
struct vm;

/* The 64-bit TSS, SDM Vol. 3A 8.7, Figure 8-11. */
struct x86_tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

/* GS points here; x86_this_cpu() reads cpu at offset 0. */
struct x86_percpu {
	u32 cpu;
	u32 apic_id;
	u32 in_guest;		/* between the last check of ept_flush and the next exit */
	u32 ept_flush;		/* INVEPT before the next entry (ipi.c) */
	struct x86_tss tss;
} __attribute__((aligned(64)));

struct x86_percpu *x86_percpu(void);
struct x86_percpu *x86_percpu_of(u32 cpu);
/* smp.c: the local APIC (mapped when there is more than one CPU). */
bool x86_lapic_mapped(void);
void x86_lapic_eoi(void);
/*
 * The kick that makes another CPU's guest exit: an NMI (NMI exiting). Not
 * a fixed interrupt: Bochs 2.7 takes the external-interrupt exit only
 * while the guest has RFLAGS.IF set, and multiboot guests start with it
 * clear. An NMI that finds the CPU in the hypervisor is dropped (entry.S);
 * what it asked for is seen before the next entry.
 */
void x86_lapic_send_nmi(u32 apic_id);
/* entry.S: an IRET to the next instruction, ending NMI blocking. */
void x86_nmi_unblock(void);
/* ipi.c: around each VM entry on this CPU, and a kick of another CPU out of its guest. */
void x86_guest_entering(void);
void x86_guest_exited(void);
void x86_ept_flush_others(struct vm *vm);

/* This CPU's TSS, GS base, GDT, TR and IDT. */
void x86_cpu_tables_init(u32 cpu);
/* smp.c: the CPUs of the ACPI MADT into @bi (the boot CPU alone without one), the
 * local APIC among its devices, the trampoline in place. */
struct boot_info;
void x86_smp_init(struct boot_info *bi);
/* head.S: drop this CPU's stack and enter vcpu_idle(@cpu). */
void __attribute__((noreturn)) x86_idle_reset(u32 cpu);
/* vmx.c: 0 if this CPU can run guests as the hypervisor needs, else what is missing. */
int x86_vmx_check(void);
const char *x86_vmx_missing(void);
void __attribute__((noreturn)) hyp_halt_no_vmx(void);

#endif

/* The guest's general registers while the hypervisor runs (vmx_entry.S's layout). */
struct x86_gregs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 launched;		/* 0: VMLAUNCH next, else VMRESUME */
};

struct arch_vcpu {
	struct x86_gregs regs;
};

struct arch_vm {
	u64 eptp;
	struct arch_vcpu vcpus[HYP_MAX_CPUS];
};

/* msr.c: the MSR bitmap every VMCS uses; an RDMSR or WRMSR exit of @vcpu. */
u64 x86_msr_bitmap_pa(void);
void x86_msr_exit(struct vcpu *vcpu, struct x86_gregs *g, bool write);
/* vmx_entry.S: enter the guest with @g until an entry fails; returns the failure. */
void vmx_run(struct x86_gregs *g);
/* vmx.c: VMXON on this CPU, once. 0 or -errno (logged). */
int vmx_cpu_enable(void);
/* vmx.c: the VMCS of @vcpu on this CPU, loaded and filled for its start state. */
int vmx_vmcs_setup(struct vcpu *vcpu);
/* exit.c: a VM exit of @g's vCPU on this CPU; returns to re-enter. */
void vmx_exit(struct x86_gregs *g);
/* The vCPU this CPU runs. */
struct vcpu *x86_cur_vcpu(void);
