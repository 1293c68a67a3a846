// SPDX-License-Identifier: MIT
/*
 * VMX on this CPU: the capability check at boot (one line naming what is
 * missing), VMXON (SDM Vol. 3C 24.7), and one VMCS per vCPU with every
 * control checked against its allowed-0/allowed-1 settings (Vol. 3D A.3-
 * A.5, the TRUE_* MSRs when IA32_VMX_BASIC[55] says they exist). Guests
 * start in 32-bit protected mode with paging off (unrestricted guest),
 * with the multiboot (version 1) register state.
 */
#include "console.h"
#include "hyp.h"
#include "lib/string.h"
#include "vm.h"
#include "vmx.h"
#include "x86.h"
#include "x86_cpu.h"

#define VMX_PAGE		4096
#define MB1_BOOT_MAGIC		0x2badb002	/* Multiboot 0.6.96, 3.2: EAX at entry */
#define GUEST_CR0_ET		BIT(4)
#define GUEST_RFLAGS_FIXED	BIT(1)
#define GUEST_DR7_INIT		0x400
#define GUEST_TR_LIMIT		0xff
#define GUEST_SEG_LIMIT		0xffffffffu
#define GUEST_CODE_SEL		0x08
#define GUEST_DATA_SEL		0x10
#define CONSOLE_TIMER_US	1000	/* a 16-byte FIFO at 115200 baud empties in 1.4 ms */

static u8 vmxon_region[HYP_MAX_CPUS][VMX_PAGE] __attribute__((aligned(VMX_PAGE)));
static u8 vmcs_region[HYP_MAX_CPUS][VMX_PAGE] __attribute__((aligned(VMX_PAGE)));
static bool vmx_on[HYP_MAX_CPUS];
static const char *vmx_missing = "VMX";

/* What the CPU needs, its MSR, whether it must be there. */
struct vmx_ctl {
	const char *name;
	u32 msr, true_msr;
	u32 want;
};

static const struct vmx_ctl vmx_ctls[] = {
	{ "pin-based", MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
	  PIN_EXT_INTR_EXIT | PIN_NMI_EXIT },
	{ "processor-based", MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
	  PROC_HLT_EXIT | PROC_MWAIT_EXIT | PROC_RDPMC_EXIT | PROC_UNCOND_IO_EXIT |
	  PROC_USE_MSR_BITMAPS | PROC_MONITOR_EXIT | PROC_SECONDARY },
	{ "secondary", MSR_IA32_VMX_PROCBASED_CTLS2, MSR_IA32_VMX_PROCBASED_CTLS2,
	  PROC2_EPT | PROC2_WBINVD_EXIT | PROC2_UNRESTRICTED },
	{ "VM-exit", MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
	  EXIT_HOST_ADDR_64 | EXIT_ACK_INTR | EXIT_SAVE_EFER | EXIT_LOAD_EFER },
	{ "VM-entry", MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS, ENTRY_LOAD_EFER },
};
enum { CTL_PIN, CTL_PROC, CTL_PROC2, CTL_EXIT, CTL_ENTRY, CTL_NR };
static u32 vmx_ctl_value[CTL_NR];
static u32 vmx_timer_ticks;	/* the console's drain timer; 0: none */

static u64 vmx_ctl_cap(const struct vmx_ctl *c)
{
	bool true_ctls = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;

	return rdmsr(true_ctls ? c->true_msr : c->msr);
}

/* The control word: allowed-0 bits (low half) forced on; -1 if a wanted bit is not allowed. */
static int vmx_ctl_adjust(const struct vmx_ctl *c, u32 *out)
{
	u64 cap = vmx_ctl_cap(c);
	u32 must = (u32)cap, may = (u32)(cap >> 32);

	if ((c->want & may) != c->want)
		return -1;
	*out = c->want | must;
	return (*out & ~may) ? -1 : 0;
}

/*
 * The console's drain timer (SDM Vol. 3C 26.5.1): the VMX-preemption
 * timer, saved at each exit so that it runs out after CONSOLE_TIMER_US of
 * the guest's time however often the guest exits meanwhile.
 */
static void vmx_timer_probe(void)
{
	u32 shift = (u32)rdmsr(MSR_IA32_VMX_MISC) & VMX_MISC_TIMER_SHIFT_MASK;
	u64 ticks = (x86_tsc_khz() * CONSOLE_TIMER_US / 1000) >> shift;

	if (!(vmx_ctl_cap(&vmx_ctls[CTL_PIN]) >> 32 & PIN_PREEMPT_TIMER) ||
	    !(vmx_ctl_cap(&vmx_ctls[CTL_EXIT]) >> 32 & EXIT_SAVE_PREEMPT_TIMER)) {
		hyp_log("hyp: no VMX-preemption timer: queued console output waits for the "
			"next console line or idle CPU\n");
		return;
	}
	vmx_timer_ticks = (u32)MIN(MAX(ticks, 1), 0xffffffffull);
}

void vmx_console_timer(bool on)
{
	u32 pin = vmx_ctl_value[CTL_PIN], exit = vmx_ctl_value[CTL_EXIT];

	if (!vmx_timer_ticks)
		return;
	if (on) {
		pin |= PIN_PREEMPT_TIMER;
		exit |= EXIT_SAVE_PREEMPT_TIMER;
		vmwrite(VMCS_PREEMPT_TIMER_VALUE, vmx_timer_ticks);
	}
	vmwrite(VMCS_PIN_CTLS, pin);
	vmwrite(VMCS_EXIT_CTLS, exit);
}

int x86_vmx_check(void)
{
	u32 r[4];
	u64 ept;

	cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_VMX)) {
		vmx_missing = "no VMX (CPUID.1:ECX[5] is 0)";
		return -ENODEV;
	}
	for (u32 i = 0; i < CTL_NR; i++) {
		if (vmx_ctl_adjust(&vmx_ctls[i], &vmx_ctl_value[i])) {
			hyp_log("hyp: VMX %s controls 0x%x not allowed\n", vmx_ctls[i].name,
				vmx_ctls[i].want);
			vmx_missing = "VMX lacks a control the hypervisor needs";
			return -ENODEV;
		}
	}
	vmx_ctl_value[CTL_PROC2] |= x86_vpid_probe(rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2));
	vmx_timer_probe();
	ept = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if ((ept & (EPT_CAP_WALK_4 | EPT_CAP_WB | EPT_CAP_INVEPT)) !=
	    (EPT_CAP_WALK_4 | EPT_CAP_WB | EPT_CAP_INVEPT) ||
	    !(ept & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
		vmx_missing = "EPT without 4-level write-back tables or INVEPT";
		return -ENODEV;
	}
	return 0;
}

const char *x86_vmx_missing(void)
{
	return vmx_missing;
}

/* CR0/CR4 as VMX operation needs them (Vol. 3D A.7, A.8). */
static u64 vmx_fixed(u64 v, u32 fixed0, u32 fixed1)
{
	return (v | rdmsr(fixed0)) & rdmsr(fixed1);
}

int vmx_cpu_enable(void)
{
	u32 cpu = x86_this_cpu();
	u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	u64 pa = (u64)(uintptr_t)vmxon_region[cpu];

	if (vmx_on[cpu])
		return 0;
	/* Bochs resets it to 0; firmware may lock it with VMX off (then VMXON faults). */
	if (!(fc & FEATURE_CONTROL_LOCK))
		wrmsr(MSR_IA32_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	else if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		hyp_log("hyp: cpu %u: IA32_FEATURE_CONTROL is locked with VMX off\n", cpu);
		return -EPERM;
	}
	write_cr(0, vmx_fixed(read_cr(0), MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1));
	write_cr(4, vmx_fixed(read_cr(4) | X86_CR4_VMXE, MSR_IA32_VMX_CR4_FIXED0,
			      MSR_IA32_VMX_CR4_FIXED1));
	x86_fpu_cpu_enable();
	*(u32 *)vmxon_region[cpu] = (u32)(rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_REVISION_MASK);
	if (VMX_OP("vmxon", pa)) {
		hyp_log("hyp: cpu %u: VMXON failed\n", cpu);
		return -EFAULT;
	}
	vmx_on[cpu] = true;
	return 0;
}

static void vmcs_host_state(void)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) gdt, idt;
	struct x86_percpu *p = x86_percpu();

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	vmwrite(VMCS_HOST_CR0, read_cr(0));
	vmwrite(VMCS_HOST_CR3, read_cr(3));
	vmwrite(VMCS_HOST_CR4, read_cr(4));
	vmwrite(VMCS_HOST_CS_SEL, GDT_CODE64);
	vmwrite(VMCS_HOST_SS_SEL, GDT_DATA);
	vmwrite(VMCS_HOST_DS_SEL, GDT_DATA);
	vmwrite(VMCS_HOST_ES_SEL, GDT_DATA);
	vmwrite(VMCS_HOST_FS_SEL, 0);
	vmwrite(VMCS_HOST_GS_SEL, 0);
	vmwrite(VMCS_HOST_TR_SEL, GDT_TSS_SEL(x86_this_cpu()));
	vmwrite(VMCS_HOST_FS_BASE, 0);
	vmwrite(VMCS_HOST_GS_BASE, (u64)(uintptr_t)p);
	vmwrite(VMCS_HOST_TR_BASE, (u64)(uintptr_t)&p->tss);
	vmwrite(VMCS_HOST_GDTR_BASE, gdt.base);
	vmwrite(VMCS_HOST_IDTR_BASE, idt.base);
	vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
	vmwrite(VMCS_HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
}

static void vmcs_controls(const struct vm *vm)
{
	u32 cr0_fixed0 = (u32)rdmsr(MSR_IA32_VMX_CR0_FIXED0);

	vmwrite(VMCS_PIN_CTLS, vmx_ctl_value[CTL_PIN]);
	vmwrite(VMCS_PROC_CTLS, vmx_ctl_value[CTL_PROC]);
	vmwrite(VMCS_PROC_CTLS2, vmx_ctl_value[CTL_PROC2]);
	vmwrite(VMCS_EXIT_CTLS, vmx_ctl_value[CTL_EXIT]);
	vmwrite(VMCS_ENTRY_CTLS, vmx_ctl_value[CTL_ENTRY]);
	vmwrite(VMCS_EXCEPTION_BITMAP, 0);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_EPT_POINTER, vm->arch->eptp);
	vmwrite(VMCS_MSR_BITMAP, x86_msr_bitmap_pa());
	if (x86_vpid(vm))
		vmwrite(VMCS_VPID, x86_vpid(vm));
	vmwrite(VMCS_LINK_POINTER, ~0ull);
	/* The bits VMX forces (CR0.NE, CR4.VMXE) are the host's: the guest reads its shadow. */
	vmwrite(VMCS_CR0_MASK, cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG));
	vmwrite(VMCS_CR0_SHADOW, X86_CR0_PE | GUEST_CR0_ET);
	vmwrite(VMCS_CR4_MASK, rdmsr(MSR_IA32_VMX_CR4_FIXED0));
	vmwrite(VMCS_CR4_SHADOW, 0);
}

static void vmcs_guest_seg(enum vmx_seg s, u16 sel, u32 limit, u32 ar)
{
	vmwrite(VMCS_GUEST_ES_SEL + 2 * s, sel);
	vmwrite(VMCS_GUEST_ES_BASE + 2 * s, 0);
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * s, limit);
	vmwrite(VMCS_GUEST_ES_AR + 2 * s, ar);
}

/* Flat 32-bit protected mode, paging off; TR a busy 32-bit TSS as entry checks want. */
static void vmcs_guest_state(const struct vcpu *vcpu)
{
	u64 cr0 = X86_CR0_PE | GUEST_CR0_ET | rdmsr(MSR_IA32_VMX_CR0_FIXED0);

	cr0 &= ~(u64)X86_CR0_PG;	/* unrestricted guest: PE and PG are the guest's */
	vmwrite(VMCS_GUEST_CR0, cr0 & rdmsr(MSR_IA32_VMX_CR0_FIXED1));
	vmwrite(VMCS_GUEST_CR3, 0);
	vmwrite(VMCS_GUEST_CR4, vmx_fixed(0, MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1));
	for (enum vmx_seg s = SEG_ES; s <= SEG_GS; s++)
		vmcs_guest_seg(s, s == SEG_CS ? GUEST_CODE_SEL : GUEST_DATA_SEL, GUEST_SEG_LIMIT,
			       s == SEG_CS ? AR_CODE32 : AR_DATA32);
	vmcs_guest_seg(SEG_LDTR, 0, 0, AR_UNUSABLE);
	vmcs_guest_seg(SEG_TR, 0, GUEST_TR_LIMIT, AR_TSS32_BUSY);
	vmwrite(VMCS_GUEST_GDTR_BASE, 0);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, 0);
	vmwrite(VMCS_GUEST_IDTR_BASE, 0);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, 0);
	vmwrite(VMCS_GUEST_DR7, GUEST_DR7_INIT);
	vmwrite(VMCS_GUEST_RSP, 0);
	vmwrite(VMCS_GUEST_RIP, vcpu->entry);
	vmwrite(VMCS_GUEST_RFLAGS, GUEST_RFLAGS_FIXED);
	vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0);
	vmwrite(VMCS_GUEST_IA32_EFER, 0);
}

int vmx_vmcs_setup(struct vcpu *vcpu)
{
	u32 cpu = x86_this_cpu();
	u64 pa = (u64)(uintptr_t)vmcs_region[cpu];
	struct x86_gregs *g = &vcpu->arch->regs;

	memset(vmcs_region[cpu], 0, VMX_PAGE);
	*(u32 *)vmcs_region[cpu] = (u32)(rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_REVISION_MASK);
	if (VMX_OP("vmclear", pa) || VMX_OP("vmptrld", pa))
		return -EFAULT;
	vmcs_controls(vcpu->vm);
	vmcs_host_state();
	vmcs_guest_state(vcpu);
	x86_invvpid(vcpu->vm);	/* what this VPID translated before this start */
	memset(g, 0, sizeof(*g));
	x86_fpu_reset();	/* the x87/SSE registers too (fpu.c) */
	/* Multiboot's register state (EBX: hyp/vm_mbi.h); ESI/EDI: RAM base and size. */
	g->rax = MB1_BOOT_MAGIC;
	g->rbx = vcpu->entry_info;
	g->rsi = vcpu->arg0;
	g->rdi = vcpu->arg1;
	g->vcpu = vcpu;
	g->stopped = &vcpu->vm->stopped;
	g->vm = vcpu->vm;
	return 0;
}
