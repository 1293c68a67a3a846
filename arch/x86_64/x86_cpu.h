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
	u32 wake_ok;		/* its local APIC takes the wake-up vector (idle.c) */
	/* Before the next entry, each if set (vmx_entry.S tests both at once): */
	u32 ept_flush;		/* INVEPT (ipi.c) */
	u32 console_kick;	/* the console's drain timer armed (vmx.c) */
	struct x86_percpu *self;	/* x86_percpu(): one GS-relative load */
	struct x86_tss tss;
} __attribute__((aligned(64)));

/* This CPU's block (GS points to it once x86_cpu_tables_init() ran on it). */
static inline struct x86_percpu *x86_percpu(void)
{
	struct x86_percpu *p;

	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(p)
			 : "i"(__builtin_offsetof(struct x86_percpu, self)));
	return p;
}
struct x86_percpu *x86_percpu_of(u32 cpu);
/* The interrupt vector of wake-ups and of the wait's APIC timer (idle.c). */
#define X86_VEC_WAKE		0xf0
#define X86_VEC_SPURIOUS	0xff	/* the local APIC's spurious-interrupt vector */

/* smp.c: the local APIC (mapped when CPUID says there is one). */
bool x86_lapic_mapped(void);
void x86_lapic_eoi(void);
u32 x86_lapic_read(u32 reg);
void x86_lapic_write(u32 reg, u32 v);
void x86_lapic_send_fixed(u32 apic_id, u8 vector);
void x86_lapic_boot_init(void);
/* idle.c: this CPU's APIC timer for waits (the boot CPU, @cpu 0, calibrates it first). */
void x86_idle_init(u32 cpu);
/* idle.c: a guest's HLT on this CPU. */
void x86_vcpu_hlt(struct vcpu *vcpu);
/*
 * The kick that makes another CPU's guest exit: an NMI (NMI exiting). Not
 * a fixed interrupt: Bochs 2.7 takes the external-interrupt exit only
 * while the guest has RFLAGS.IF set (its VM entry sets the interrupt mask
 * from the guest's IF before it counts the CPU as in its guest), and
 * multiboot guests start with it clear. An NMI that finds the CPU in the hypervisor is dropped (entry.S);
 * what it asked for is seen before the next entry.
 */
void x86_lapic_send_nmi(u32 apic_id);
/* entry.S: an IRET to the next instruction, ending NMI blocking. */
void x86_nmi_unblock(void);
/* cpu.c: the TSC's rate in kHz, calibrated at boot. */
u64 x86_tsc_khz(void);
/*
 * vmx.c: the loaded VMCS's VMX-preemption timer on (@on) or off: while
 * the console has bytes queued, the guest exits every so often for them.
 */
void vmx_console_timer(bool on);
/* ipi.c: around each VM entry on this CPU, and a kick of another CPU out of its guest. */
void x86_guest_entering(struct vcpu *vcpu);

/*
 * Out of the guest: no kick needed (ipi.c). A plain store: a sender that
 * still sees 1 kicks or waits for nothing worse than this CPU's next
 * entry, whose XCHG and checks decide (as a load of stopped moved before
 * this store would).
 */
static inline void x86_guest_exited(void)
{
	__asm__ volatile("movl $0, %%gs:%c0" :: "i"(__builtin_offsetof(struct x86_percpu, in_guest))
			 : "memory");
}
void x86_ept_flush_others(struct vm *vm);

/*
 * ept.c: INVEPT on this CPU (counted); VPID: probed with the allowed-1
 * half of the secondary controls' MSR (the control bit to add, or 0), a
 * VM's VPID (0: off), INVVPID of it on this CPU; the counts at power-off.
 */
void x86_invept(u64 type, u64 eptp);
u32 x86_vpid_probe(u64 proc2_cap);
u16 x86_vpid(const struct vm *vm);
void x86_invvpid(const struct vm *vm);
void x86_tlb_report(void);

/*
 * acpi.c: a table of the RSDP copy @rsdp by signature (checked: length,
 * checksum, below 4 GiB), its length; S5 from the FADT and DSDT at boot,
 * and the power-off through it (returns if the machine is still on).
 */
struct boot_range;
const u8 *x86_acpi_find(const struct boot_range *rsdp, const char *sig);
u32 x86_acpi_len(const u8 *table);
void x86_acpi_s5_init(const struct boot_range *rsdp);
void x86_acpi_power_off(void);

/* This CPU's TSS, GS base, GDT, TR and IDT. */
void x86_cpu_tables_init(u32 cpu);
/* smp.c: the CPUs of the ACPI MADT into @bi (the boot CPU alone without one), the
 * local APIC among its devices, the trampoline in place. */
struct boot_info;
void x86_smp_init(struct boot_info *bi, const struct boot_range *rsdp);
/* head.S: drop this CPU's stack and enter vcpu_idle(@cpu). */
void __attribute__((noreturn)) x86_idle_reset(u32 cpu);
/* vmx.c: 0 if this CPU can run guests as the hypervisor needs, else what is missing. */
int x86_vmx_check(void);
const char *x86_vmx_missing(void);
void __attribute__((noreturn)) hyp_halt_no_vmx(void);

#endif

/*
 * The guest's general registers while the hypervisor runs (vmx_entry.S's
 * layout). The first entry loads them all; an exit saves and the re-entry
 * loads only RAX, RBX, RCX, RDX, RSI, RDI and R8-R11: RBP and R12-R15 stay
 * in their registers, which vmx_exit() preserves as the C ABI does, so
 * their fields keep the first entry's values (no exit handler reads or
 * writes them; CPUID writes RBX).
 */
struct x86_gregs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 launched;		/* 0: VMLAUNCH next, else VMRESUME */
	struct vcpu *vcpu;	/* whose registers: vmx_exit()'s vCPU without a lookup */
	const u32 *stopped;	/* &vcpu->vm->stopped, for vmx_entry.S's check before VMRESUME */
	struct vm *vm;		/* vcpu->vm, for the EPT violation's one load */
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
/* fpu.c: this CPU's FXRSTOR and SSE allowed, XCR0 x87 only (once); x87/SSE at reset. */
void x86_fpu_cpu_enable(void);
void x86_fpu_reset(void);
/* vmx.c: the VMCS of @vcpu on this CPU, loaded and filled for its start state. */
int vmx_vmcs_setup(struct vcpu *vcpu);
/*
 * exit.c: a VM exit of @g's vCPU on this CPU; returns to re-enter.
 * vmx_entry.S then does what x86_guest_entering() does first (in_guest set,
 * ept_flush and the VM's stopped flag read) and calls it if either is set.
 */
void vmx_exit(struct x86_gregs *g);
/* The vCPU this CPU runs. */
struct vcpu *x86_cur_vcpu(void);
