// SPDX-License-Identifier: MIT
/*
 * Running a vCPU under VMX and turning its exits into calls of the core:
 * EPT violations in RAM (demand paging), VMCALL (hypercalls), I/O
 * instructions (the port bus: the emulated 16550, the guest's power
 * ports), HLT, CPUID (VMX hidden, the hypervisor bit set), MSR accesses
 * the MSR bitmap does not pass through (msr.c), and the instructions KVM
 * also intercepts by default: MONITOR/MWAIT (#UD, CPUID hides them), RDPMC
 * (#GP: no PMU), WBINVD (a no-op: no device of a VM does DMA). Whatever else
 * stops the VM with one line.
 */
#include "arch/vcpu.h"
#include "console.h"
#include "hypercall.h"
#include "power.h"
#include "vdev.h"
#include "vm.h"
#include "vmx.h"
#include "x86.h"
#include "x86_cpu.h"

/*
 * The guest's power ports: a write to the debug-exit port powers its VM
 * off (as QEMU's isa-debug-exit ends QEMU), a reset request to the PCI
 * reset control register restarts it.
 */
#define GUEST_EXIT_PORT		0xf4
#define GUEST_RESET_PORT	0xcf9	/* Reset Control Register, Intel PCH datasheets */
#define GUEST_RESET_CPU		0x04	/* RST_CPU: do the reset */
/* SDM Vol. 3C 25.4.1: a segment's access rights, DPL in bits 6:5; the CPL is SS.DPL. */
#define SEG_AR_DPL_SHIFT	5
#define SEG_AR_DPL_MASK		0x3u
#define X86_EXC_UD		6
#define CPUID_LEAF_MWAIT	0x5	/* SDM Vol. 2A CPUID: MONITOR/MWAIT leaf */
#define CPUID_LEAF_PMU		0xa	/* architectural performance monitoring leaf */

static struct vcpu *cur_vcpu[HYP_MAX_CPUS];

struct vcpu *x86_cur_vcpu(void)
{
	return cur_vcpu[x86_this_cpu()];
}

static void skip_insn(void)
{
	vmwrite(VMCS_GUEST_RIP, vmread(VMCS_GUEST_RIP) + vmread(VMCS_EXIT_INSN_LEN));
}

static u64 guest_rip(void)
{
	return vmread(VMCS_GUEST_RIP);
}

/*
 * The VM stops (vm_stop() does not return). noipa: GCC must not learn
 * that, so that the exit's calls of it are tail calls and vmx_exit() needs
 * no stack frame (a call of a noreturn function is never a tail call).
 */
static void __attribute__((noipa, cold)) exit_ept_outside(struct vm *vm, u64 gpa)
{
	vm_stop(vm, "access at 0x%llx outside its memory (RIP 0x%llx, qualification 0x%llx)",
		(unsigned long long)gpa, (unsigned long long)guest_rip(),
		(unsigned long long)vmread(VMCS_EXIT_QUALIFICATION));
}

/* vcpu_trap_enter() (hyp/vm.h) on its slow path, noipa as above. */
static void __attribute__((noipa, cold)) exit_stopped(struct vcpu *vcpu)
{
	vcpu_trap_enter(vcpu);
}

static void exit_ept_violation(struct x86_gregs *g)
{
	struct vm *vm = g->vm;
	u64 gpa = vmread(VMCS_GUEST_PHYS_ADDR);

	/*
	 * vm_ipa_in_ram(vm, gpa, 1) in one compare: below the base wraps
	 * around to past the size, as RAM never ends past 2^64 (hyp/image.c
	 * refuses it); s2_mem_fault() checks the range again anyway.
	 */
	if (gpa - vm->ram_base >= vm->ram_size)
		exit_ept_outside(vm, gpa);
	else
		vm_guest_fault(vm, gpa);	/* mapped, or being mapped: the guest retries */
}

static void __attribute__((noinline)) inject_ud(struct vcpu *vcpu, const char *what, u32 cpl)
{
	vm_log_injected(vcpu->vm, "#UD injected: %s at CPL %u (RIP 0x%llx)", what, cpl,
			(unsigned long long)guest_rip());
	vmwrite(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_INFO_HW_EXC | X86_EXC_UD);
}

/*
 * RDPMC of a counter the CPU lacks gives #GP(0) (SDM Vol. 2B RDPMC); the
 * guest has none (CPUID leaf 0AH reads zero). Its CPL > 0 with CR4.PCE
 * clear is the CPU's own #GP, before any exit (Vol. 3C 26.1.1).
 */
static void __attribute__((noinline)) inject_gp_rdpmc(struct vcpu *vcpu, u32 counter)
{
	vm_log_injected(vcpu->vm, "#GP injected: RDPMC of counter 0x%x (RIP 0x%llx)", counter,
			(unsigned long long)guest_rip());
	vmwrite(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_INFO_ERROR_CODE | INTR_INFO_HW_EXC |
		X86_EXC_GP);
	vmwrite(VMCS_ENTRY_EXC_ERROR, 0);
}

static u32 guest_cpl(void)
{
	return (u32)(vmread(VMCS_GUEST_ES_AR + 2 * SEG_SS) >> SEG_AR_DPL_SHIFT) & SEG_AR_DPL_MASK;
}

/*
 * VMCALL exits at any CPL (SDM Vol. 2B VMCALL): one from the guest's user
 * space gets #UD, as KVM and Xen refuse it too, never a hypercall.
 */
static bool vmcall_unprivileged(struct vcpu *vcpu)
{
	u32 cpl = guest_cpl();

	if (!cpl)
		return false;
	inject_ud(vcpu, "VMCALL", cpl);
	return true;
}

/*
 * The other VMX instructions also exit before their CPL check (SDM Vol.
 * 3C 26.1.2, Appendix C): the guest has no VMX (CPUID hides it), so each
 * gets #UD as on a CPU without it, from its kernel or its user space,
 * never its VM stopped.
 */
static bool exit_vmx_insn(u32 reason)
{
	return (reason >= EXIT_VMCLEAR && reason <= EXIT_VMXON) || reason == EXIT_INVEPT ||
	       reason == EXIT_INVVPID || reason == EXIT_VMFUNC;
}

static void __attribute__((noinline)) exit_vmcall(struct x86_gregs *g)
{
	struct vcpu *vcpu = g->vcpu;

	if (vmcall_unprivileged(vcpu))
		return;
	/* docs/hypercalls.md: EAX = nr, EDI, ESI, EDX = arguments (32-bit guests), EAX = result. */
	g->rax = (u64)hypercall(vcpu, (u32)g->rax, (u32)g->rdi, (u32)g->rsi, (u32)g->rdx);
	skip_insn();
}

static void exit_power_port(struct vcpu *vcpu, u16 port, u64 val)
{
	if (port == GUEST_EXIT_PORT) {
		hyp_log("hyp: %s: power off through port 0x%x\n", vcpu->vm->name, port);
		vm_power_off(vcpu);
	}
	if (val & GUEST_RESET_CPU) {
		vm_reset(vcpu, "reset through port 0xcf9");
	}
}

/* IN and OUT (not the string forms) on the VM's port bus; a port nothing owns reads all-ones. */
static void __attribute__((noinline)) exit_io(struct x86_gregs *g)
{
	struct vcpu *vcpu = g->vcpu;
	u64 q = vmread(VMCS_EXIT_QUALIFICATION), val = g->rax;
	u32 size = (u32)(q & IOQ_SIZE_MASK) + 1;
	u16 port = (u16)(q >> IOQ_PORT_SHIFT);
	bool in = q & IOQ_IN;
	const struct vdev *dev = vdev_find(&vcpu->vm->port, port);
	u64 mask = ~0ull >> (64 - 8 * size);

	if (q & IOQ_STRING)
		vm_stop(vcpu->vm, "string I/O at port 0x%x (RIP 0x%llx)", port,
			(unsigned long long)guest_rip());
	if (!in && (port == GUEST_EXIT_PORT || port == GUEST_RESET_PORT))
		exit_power_port(vcpu, port, val & mask);
	if (dev && vdev_access(vcpu, dev, port, size, !in, &val))
		vm_stop(vcpu->vm, "I/O at port 0x%x past its device (RIP 0x%llx)", port,
			(unsigned long long)guest_rip());
	if (in)
		g->rax = (g->rax & ~mask) | ((dev ? val : ~0ull) & mask);
	skip_insn();
}

static void __attribute__((noinline)) exit_cpuid(struct x86_gregs *g)
{
	u32 r[4];

	cpuid((u32)g->rax, (u32)g->rcx, r);
	if ((u32)g->rax == 1) {
		r[2] &= ~(CPUID1_ECX_VMX | CPUID1_ECX_MONITOR | CPUID1_ECX_OSXSAVE);
		r[2] |= CPUID1_ECX_HYPERVISOR;
		/* The guest's CR4, not the hypervisor's (fpu.c sets its own OSXSAVE). */
		if (vmread(VMCS_GUEST_CR4) & X86_CR4_OSXSAVE)
			r[2] |= CPUID1_ECX_OSXSAVE;
	}
	/* The MONITOR/MWAIT leaf and the performance-monitoring leaf: neither is offered. */
	if ((u32)g->rax == CPUID_LEAF_MWAIT || (u32)g->rax == CPUID_LEAF_PMU)
		r[0] = r[1] = r[2] = r[3] = 0;
	g->rax = r[0];
	g->rbx = r[1];
	g->rcx = r[2];
	g->rdx = r[3];
	skip_insn();
}

static void __attribute__((cold, noreturn)) exit_other(struct vcpu *vcpu, u32 reason)
{
	if (reason == EXIT_TRIPLE_FAULT)
		vm_stop(vcpu->vm, "triple fault at RIP 0x%llx", (unsigned long long)guest_rip());
	if (reason == EXIT_ENTRY_BAD_GUEST)
		vm_stop(vcpu->vm, "VM entry failed: invalid guest state (qualification 0x%llx)",
			(unsigned long long)vmread(VMCS_EXIT_QUALIFICATION));
	vm_stop(vcpu->vm, "VM exit %u, qualification 0x%llx at RIP 0x%llx", reason,
		(unsigned long long)vmread(VMCS_EXIT_QUALIFICATION),
		(unsigned long long)guest_rip());
}

static void __attribute__((noinline)) exit_hlt(struct vcpu *vcpu)
{
	x86_vcpu_hlt(vcpu);
	skip_insn();
}

static void __attribute__((noinline)) exit_nmi(struct vcpu *vcpu, u32 reason)
{
	if ((vmread(VMCS_EXIT_INTR_INFO) & INTR_INFO_TYPE_MASK) != INTR_INFO_NMI)
		exit_other(vcpu, reason);
	x86_nmi_unblock();
	/* Guests never get NMIs (NMI exiting): none may stay blocked for the next kick. */
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, vmread(VMCS_GUEST_INTERRUPTIBILITY) & ~GUEST_BLOCK_NMI);
}

/* vmx_entry.S's offsets (G_*). */
_Static_assert(__builtin_offsetof(struct x86_gregs, launched) == 120 &&
	       __builtin_offsetof(struct x86_gregs, vcpu) == 128 &&
	       __builtin_offsetof(struct x86_gregs, stopped) == 136, "vmx_entry.S's G_ offsets");
_Static_assert(__builtin_offsetof(struct x86_percpu, in_guest) == 8 &&
	       __builtin_offsetof(struct x86_percpu, ept_flush) == 16 &&
	       __builtin_offsetof(struct x86_percpu, console_kick) == 20,
	       "vmx_entry.S's PC_ offsets");

/*
 * Every case returns straight away into a handler out of line, so that
 * each ends in a tail call and this function needs no stack frame (the
 * EPT violation's goes straight to vm_guest_fault()); vmx_entry.S runs
 * the checks before re-entry.
 */
void vmx_exit(struct x86_gregs *g)
{
	u32 reason = (u32)vmread(VMCS_EXIT_REASON) & EXIT_REASON_MASK;
	struct vcpu *vcpu;

	x86_guest_exited();
	if (__atomic_load_n(g->stopped, __ATOMIC_ACQUIRE)) {	/* vcpu_trap_enter()'s test */
		exit_stopped(g->vcpu);
		return;
	}
	/*
	 * The hot reasons first, in this order, a compare each; they take @g
	 * alone: no vCPU load or register move here for them.
	 */
	if (reason == EXIT_EPT_VIOLATION) {
		exit_ept_violation(g);
		return;
	}
	if (reason == EXIT_VMCALL) {
		exit_vmcall(g);
		return;
	}
	if (reason == EXIT_IO) {
		exit_io(g);
		return;
	}
	vcpu = g->vcpu;
	switch (reason) {
	case EXIT_HLT:
		exit_hlt(vcpu);
		return;
	case EXIT_CPUID:
		exit_cpuid(g);
		return;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		x86_msr_exit(vcpu, g, reason == EXIT_WRMSR);	/* msr.c */
		return;
	case EXIT_MONITOR:	/* as on a CPU without them: CPUID.1:ECX.MONITOR is 0 */
	case EXIT_MWAIT:
		inject_ud(vcpu, reason == EXIT_MWAIT ? "MWAIT" : "MONITOR", guest_cpl());
		return;
	case EXIT_RDPMC:
		inject_gp_rdpmc(vcpu, (u32)g->rcx);
		return;
	case EXIT_WBINVD:	/* its caches hold nothing a device reads behind them */
		skip_insn();
		return;
	case EXIT_EXCEPTION_NMI:	/* no exception is intercepted: only NMIs come here */
		exit_nmi(vcpu, reason);
		return;			/* a kick (ipi.c, arch_wake_cpu): seen before re-entry */
	case EXIT_PREEMPT_TIMER:	/* the console's (vmx.c): queued bytes to send */
		vmx_console_timer(hyp_console_tx_push());
		return;
	case EXIT_EXTERNAL_INTR:	/* a wake-up (idle.c), acknowledged on exit */
		if ((vmread(VMCS_EXIT_INTR_INFO) & INTR_INFO_VECTOR_MASK) != X86_VEC_SPURIOUS)
			x86_lapic_eoi();
		return;
	default:
		if (!exit_vmx_insn(reason))
			exit_other(vcpu, reason);
		inject_ud(vcpu, "a VMX instruction", guest_cpl());
	}
}

void arch_vcpu_run(struct vcpu *vcpu)
{
	int ret = vmx_cpu_enable();

	cur_vcpu[x86_this_cpu()] = vcpu;
	if (!ret)
		ret = vmx_vmcs_setup(vcpu);
	if (ret)
		vm_stop(vcpu->vm, "cannot set up VMX on cpu %u (%d)", x86_this_cpu(), ret);
	/* A new VMCS: its console timer, if bytes are queued. */
	__atomic_store_n(&x86_percpu()->console_kick, 1, __ATOMIC_RELAXED);
	x86_guest_entering(vcpu);
	vmx_run(&vcpu->arch->regs);
	x86_guest_exited();
	if (vmread(VMCS_EXIT_REASON) & BIT(31))
		vm_stop(vcpu->vm, "VM entry failed: exit reason %llu, qualification 0x%llx",
			(unsigned long long)(vmread(VMCS_EXIT_REASON) & EXIT_REASON_MASK),
			(unsigned long long)vmread(VMCS_EXIT_QUALIFICATION));
	vm_stop(vcpu->vm, "VM entry failed: VM-instruction error %llu",
		(unsigned long long)vmread(VMCS_INSN_ERROR));
}
