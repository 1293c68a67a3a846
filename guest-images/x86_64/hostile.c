// SPDX-License-Identifier: MIT
/*
 * The "hostile" guest, x86: misbehaves in ways that must cost only itself
 * (the arm64 hostile and storm guests' ideas, ported). It sets up its own
 * GDT and IDT, so that a #GP comes to its handler, which counts it and
 * resumes past the RDMSR or WRMSR. Then: CPUID (VMX hidden, hypervisor
 * bit set); MSRs the hypervisor emulates, passes through, or does not
 * offer (#GP); a write to EFER it may not make (#GP); bad hypercalls
 * (unknown, a bad release, a console write outside its RAM); HC_VCPU_ON
 * of a vCPU it does not have; I/O to ports nothing emulates; storms of
 * unknown MSRs, unknown hypercalls, CPUID and port I/O exits, HLT with
 * interrupts off (nothing will wake it: the hypervisor's wait is
 * bounded); a VMCALL and a VMREAD from ring 3, which must get #UD (no
 * hypercalls for the guest's user space, no VMX: a hart without it gives
 * #UD), not its VM stopped; MONITOR and MWAIT (#UD, CPUID hides them),
 * RDPMC (#GP: no PMU) and WBINVD (an exit, as long as a CPUID's: the CPU's
 * caches are not the guest's to flush); EBX, EBP, ESI and EDI kept across
 * exits of each hot kind, CPUID's EBX seen; last a read outside its RAM,
 * which stops its VM.
 */
#include "lib.h"

#define STORM		2000
#define HLT_STORM	20	/* interrupts off: each returns after ARCH_WAIT_MAX_US at most */
#define NO_SUCH_MSR	0x12345678u
#define MSR_APIC_BASE	0x1bu		/* SDM Vol. 4 Table 2-2 */
#define MSR_FEATURE_CTL	0x3au
#define MSR_SYSENTER_EIP 0x176u
#define MSR_EFER	0xc0000080u
#define EFER_LME	(1u << 8)
#define CPUID1_MONITOR	(1u << 3)
#define CPUID1_VMX	(1u << 5)
#define CPUID1_HYPERVISOR (1u << 31)
#define CPUID1_OSXSAVE	(1u << 27)	/* this guest's CR4.OSXSAVE, which it leaves clear */
#define NO_DEVICE_PORT	0x80		/* the POST port: nothing emulated there */
#define NO_DEVICE_PORT_IN 0x60		/* the keyboard controller's data port: likewise */
#define EXC_UD		6
#define EXC_GP		13
#define NR_VECTORS	32
#define GATE_INTR32	0x8e00u		/* present, DPL 0, 32-bit interrupt gate */
#define CODE_SEL	0x08
#define DATA_SEL	0x10
#define TSS_SEL		0x28		/* after ring 3's code (0x18) and data (0x20) */
#define TSS_SIZE	104		/* a 32-bit TSS, SDM Vol. 3A 8.2.1: ESP0 at 4, SS0 at 8 */
#define TSS_DESC_TYPE	0x89ull		/* present, DPL 0, 32-bit TSS (available) */
#define INSN_RDMSR	0x320f		/* 0F 32, little endian */
#define INSN_WRMSR	0x300f		/* 0F 30 */
#define INSN_RDPMC	0x330f		/* 0F 33 */
#define INSN_0F01	0x010f		/* 0F 01 C8: MONITOR, 0F 01 C9: MWAIT */
#define MODRM_MONITOR	0xc8
#define MODRM_MWAIT	0xc9
#define INSN_0F01_LEN	3

struct gate {
	unsigned short off_lo, sel, flags, off_hi;
};

struct dtr {
	unsigned short limit;
	u32 base;
} __attribute__((packed));

static unsigned long long gdt[6] __attribute__((aligned(8))) = {
	0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull,	/* flat 32-bit code, data */
	0x00cffb000000ffffull, 0x00cff3000000ffffull,		/* the same at DPL 3 */
	0,							/* the TSS: tables_init() */
};
/* The TSS (ESP0, SS0: where #UD from ring 3 lands) and ring 3's stack; for ring3_vmcall(). */
u32 tss[TSS_SIZE / 4] __attribute__((aligned(8)));
u32 ring0_stack[256] __attribute__((aligned(16)));
u32 ring3_stack[256] __attribute__((aligned(16)));
u32 ring3_saved_esp;
volatile u32 ring3_vmcall_answered, ring3_ud_taken, ring3_result, ring3_vmread;
static struct gate idt[NR_VECTORS] __attribute__((aligned(8)));
static volatile u32 gp_taken, ud0_taken;

void hostile_gp(u32 *frame);
void hostile_other(void);
void hostile_ud0(u32 *frame);
void gp_entry(void);
void ud0_entry(void);
void other_entry(void);
void ud_entry(void);
void ring3_vmcall(void);

/* The #GP frame, after PUSHA: 8 registers, the error code, EIP, CS, EFLAGS. */
__asm__(".text\n"
	"gp_entry:\n"
	"	pusha\n"
	"	push %esp\n"
	"	call hostile_gp\n"
	"	add $4, %esp\n"
	"	popa\n"
	"	add $4, %esp\n"		/* the error code */
	"	iret\n"
	/* #UD at ring 0 (insn_probe()): no error code, EIP after the 8 registers. */
	"ud0_entry:\n"
	"	pusha\n"
	"	push %esp\n"
	"	call hostile_ud0\n"
	"	add $4, %esp\n"
	"	popa\n"
	"	iret\n"
	"other_entry:\n"
	"	call hostile_other\n"
	"1:	hlt\n"
	"	jmp 1b\n"
	/* To ring 3 (IRET), HC_FAULT_STATS by VMCALL there, then UD2 back to ring 0. */
	"ring3_vmcall:\n"
	"	pusha\n"
	"	mov %esp, ring3_saved_esp\n"
	"	movl $ring0_stack + 1024, tss + 4\n"
	"	push $0x23\n"			/* SS: ring 3's data | RPL 3 */
	"	push $ring3_stack + 1024\n"
	"	pushf\n"
	"	push $0x1b\n"			/* CS: ring 3's code | RPL 3 */
	"	push $2f\n"
	"	iret\n"
	"2:	mov $0x23, %ax\n"
	"	mov %ax, %ds\n"
	"	mov %ax, %es\n"
	"	cmpl $0, ring3_vmread\n"
	"	je 3f\n"
	"	xor %eax, %eax\n"
	"	vmread %eax, %ebx\n"		/* VMX, which it does not have */
	"	movl $1, ring3_vmcall_answered\n"
	"	ud2\n"
	"3:	mov $3, %eax\n"		/* HC_FAULT_STATS */
	"	xor %edi, %edi\n"
	"	vmcall\n"
	"	mov %eax, ring3_result\n"
	"	movl $1, ring3_vmcall_answered\n"
	"	ud2\n"
	/* #UD, from ring 3 (the VMCALL's, or UD2 after it): back to ring3_vmcall()'s caller. */
	"ud_entry:\n"
	"	mov $0x10, %ax\n"
	"	mov %ax, %ds\n"
	"	mov %ax, %es\n"
	"	incl ring3_ud_taken\n"
	"	mov ring3_saved_esp, %esp\n"
	"	popa\n"
	"	ret\n");

/*
 * exits_keep_regs(page): EBX, EBP, ESI and EDI set to patterns, then exits
 * of every hot kind (an EPT violation on the fresh @page, an unknown
 * VMCALL, an OUT, a HLT), then CPUID leaf 0; the four registers after it
 * into regs_after[]. The hypervisor keeps EBP, ESI and EDI, and EBX until
 * the CPUID, which writes it ("Genu").
 */
u32 regs_after[4];
u32 exits_keep_regs(u32 page);
__asm__(".text\n"
	"exits_keep_regs:\n"
	"	push %ebp\n"
	"	push %ebx\n"
	"	push %esi\n"
	"	push %edi\n"
	"	mov 20(%esp), %ecx\n"
	"	mov $0x11111111, %ebx\n"
	"	mov $0x22222222, %ebp\n"
	"	mov $0x33333333, %esi\n"
	"	mov $0x44444444, %edi\n"
	"	movl $1, (%ecx)\n"		/* an EPT violation */
	"	mov $0xffff, %eax\n"		/* an unknown hypercall: -1 */
	"	vmcall\n"
	"	out %al, $0x80\n"
	"	hlt\n"
	"	cmp $0x11111111, %ebx\n"
	"	jne 1f\n"
	"	xor %eax, %eax\n"
	"	cpuid\n"
	"1:	mov %ebx, regs_after\n"
	"	mov %ebp, regs_after + 4\n"
	"	mov %esi, regs_after + 8\n"
	"	mov %edi, regs_after + 12\n"
	"	pop %edi\n"
	"	pop %esi\n"
	"	pop %ebx\n"
	"	pop %ebp\n"
	"	ret\n");

#define CPUID0_EBX_GENU	0x756e6547u	/* "Genu" of GenuineIntel */
#define REGS_PROBE_OFFSET 0x800000u	/* a page of its RAM nothing touched yet */

static void regs_probe(u64 ram_base)
{
	exits_keep_regs((u32)ram_base + REGS_PROBE_OFFSET);
	put_line_u64("hostile: exits keep EBP, ESI, EDI: ", regs_after[1] == 0x22222222u &&
		     regs_after[2] == 0x33333333u && regs_after[3] == 0x44444444u, "");
	put_line_u64("hostile: CPUID leaf 0 EBX is Genu: ", regs_after[0] == CPUID0_EBX_GENU, "");
}

/* A #GP: from RDMSR, WRMSR or RDPMC, resumed past it; from anything else, the end. */
void hostile_gp(u32 *frame)
{
	u32 eip = frame[9];
	unsigned short insn = *(volatile unsigned short *)eip;

	if (insn != INSN_RDMSR && insn != INSN_WRMSR && insn != INSN_RDPMC) {
		uart_puts("hostile: #GP NOT from an MSR access\n");
		system_off();
	}
	gp_taken++;
	frame[9] = eip + 2;
}

/* A #UD at ring 0: from MONITOR or MWAIT, resumed past it; from anything else, the end. */
void hostile_ud0(u32 *frame)
{
	u32 eip = frame[8];
	volatile unsigned char *insn = (volatile unsigned char *)eip;

	if (*(volatile unsigned short *)eip != INSN_0F01 ||
	    (insn[2] != MODRM_MONITOR && insn[2] != MODRM_MWAIT)) {
		uart_puts("hostile: #UD NOT from MONITOR or MWAIT\n");
		system_off();
	}
	ud0_taken++;
	frame[8] = eip + INSN_0F01_LEN;
}

void hostile_other(void)
{
	uart_puts("guest: unexpected exception\n");
	system_off();
}

static void set_gate(u32 v, void (*fn)(void))
{
	u32 off = (u32)fn;

	idt[v] = (struct gate){ (unsigned short)off, CODE_SEL, GATE_INTR32,
				(unsigned short)(off >> 16) };
}

static void tables_init(void)
{
	struct dtr g = { sizeof(gdt) - 1, (u32)gdt }, i = { sizeof(idt) - 1, (u32)idt };

	u32 t = (u32)tss;

	gdt[TSS_SEL / 8] = (TSS_SIZE - 1) | (unsigned long long)(t & 0xffffff) << 16 |
			   TSS_DESC_TYPE << 40 | (unsigned long long)(t >> 24) << 56;
	tss[2] = DATA_SEL;			/* SS0 */
	tss[25] = (u32)TSS_SIZE << 16;		/* I/O map base past the end: no bitmap */
	for (u32 v = 0; v < NR_VECTORS; v++)
		set_gate(v, v == EXC_GP ? gp_entry : v == EXC_UD ? ud_entry : other_entry);
	__asm__ volatile("lgdt %0\n"
			 "ljmp %1, $1f\n"
			 "1: mov %2, %%ax\n"
			 "mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%ss\n"
			 "mov %%ax, %%fs\n mov %%ax, %%gs\n"
			 "lidt %3\n"
			 "ltr %w4"
			 :: "m"(g), "i"(CODE_SEL), "i"(DATA_SEL), "m"(i), "r"(TSS_SEL)
			 : "eax", "memory");
}

static unsigned long long rdmsr(u32 msr)
{
	u32 lo = 0, hi = 0;

	__asm__ volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	return (unsigned long long)hi << 32 | lo;
}

static void wrmsr(u32 msr, unsigned long long v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static void cpuid1(u32 *ecx)
{
	u32 a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	*ecx = c;
}

static void msr_probe(void)
{
	u32 before, ecx;

	cpuid1(&ecx);
	put_line_u64("hostile: cpuid vmx ", !!(ecx & CPUID1_VMX), "");
	put_line_u64("hostile: cpuid hypervisor ", !!(ecx & CPUID1_HYPERVISOR), "");
	put_line_u64("hostile: cpuid osxsave ", !!(ecx & CPUID1_OSXSAVE), "");
	put_line_u64("hostile: IA32_FEATURE_CONTROL ", (u64)rdmsr(MSR_FEATURE_CTL), "");
	wrmsr(MSR_SYSENTER_EIP, 0x1234000);
	put_line_u64("hostile: SYSENTER_EIP reads back ", (u64)rdmsr(MSR_SYSENTER_EIP), "");
	before = gp_taken;
	(void)rdmsr(NO_SUCH_MSR);
	wrmsr(MSR_APIC_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	put_line_u64("hostile: #GP taken for an unknown MSR, APIC_BASE, EFER.LME: ",
		     gp_taken - before, "");
	put_line_u64("hostile: EFER ", (u64)rdmsr(MSR_EFER), "");
}

static void calls_probe(u64 ram_base)
{
	put_line_u64("hostile: release of an unaligned range returned ",
		     (u64)-(s64)hyp_mem_release(ram_base + 8, PAGE_SIZE), " (negated)");
	put_line_u64("hostile: console write outside its RAM returned ",
		     (u64)-(s64)hypercall(HC_CONSOLE_WRITE, OUTSIDE_ADDR, 16, 0), " (negated)");
	uart_puts("hostile: unknown hypercall returned ");
	uart_puts(hyp_unknown_call() == -1 ? "-1\n" : "WRONG\n");
	put_line_u64("hostile: vCPU on of a vCPU it does not have returned ",
		     (u64)-vcpu_start(7), " (negated)");
	port_out8(NO_DEVICE_PORT, 0x55);
	put_line_u64("hostile: port 0x60 reads ", port_in8(NO_DEVICE_PORT_IN), ", port 0x80 written");
}

static void storm(void)
{
	u32 before = gp_taken, wrong = 0, ecx;

	for (u32 i = 0; i < STORM; i++)
		(void)rdmsr(NO_SUCH_MSR + i);
	for (u32 i = 0; i < STORM; i++)
		wrong += hyp_unknown_call() != -1;
	for (u32 i = 0; i < STORM; i++) {
		cpuid1(&ecx);
		wrong += !(ecx & CPUID1_HYPERVISOR);
	}
	for (u32 i = 0; i < STORM; i++) {
		port_out8(NO_DEVICE_PORT, (unsigned char)i);
		wrong += port_in8(NO_DEVICE_PORT_IN) != 0xff;
	}
	for (u32 i = 0; i < HLT_STORM; i++)
		cpu_idle();
	put_line_u64("hostile: storm: still running after HLTs: ", HLT_STORM, "");
	put_line_u64("hostile: storm: #GP taken ", gp_taken - before, "");
	put_line_u64("hostile: storm: wrong answers ", wrong, "");
}

/*
 * A VMCALL at CPL 3: #UD (what an unprivileged VMCALL gets), not a
 * hypercall answered; then a VMREAD there: #UD, not its VM stopped.
 */
static void ring3_probe(void)
{
	ring3_vmcall();
	if (ring3_vmcall_answered)
		put_line_u64("hostile: VMCALL from ring 3 answered: ", ring3_result, " (WRONG)");
	else
		put_line_u64("hostile: VMCALL from ring 3: #UD ", ring3_ud_taken, "");
	ring3_vmread = 1;
	ring3_vmcall();
	put_line_u64("hostile: VMREAD from ring 3: #UD ", ring3_ud_taken, "");
}

static u32 rdtsc32(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return lo;
}

/*
 * MONITOR and MWAIT: #UD, as on a CPU whose CPUID.1:ECX.MONITOR is 0
 * (MWAIT first: unarmed, it is a no-op on a CPU that runs it). RDPMC of
 * counter 0: #GP (no PMU). WBINVD: it must exit (the hypervisor's no-op),
 * seen by its cost: at least half a CPUID's, which always exits (Bochs's
 * TSC counts the instructions run, the hypervisor's too).
 */
static void insn_probe(void)
{
	u32 ecx, before = gp_taken, t0, t_cpuid, t_wbinvd;

	cpuid1(&ecx);
	put_line_u64("hostile: cpuid monitor ", !!(ecx & CPUID1_MONITOR), "");
	set_gate(EXC_UD, ud0_entry);
	__asm__ volatile("mwait" :: "a"(0), "c"(0) : "memory");
	__asm__ volatile("monitor" :: "a"(&ud0_taken), "c"(0), "d"(0) : "memory");
	put_line_u64("hostile: MWAIT, MONITOR: #UD ", ud0_taken, "");
	__asm__ volatile("rdpmc" :: "c"(0) : "eax", "edx", "memory");
	put_line_u64("hostile: RDPMC: #GP ", gp_taken - before, "");
	t0 = rdtsc32();
	cpuid1(&ecx);
	t_cpuid = rdtsc32() - t0;
	t0 = rdtsc32();
	__asm__ volatile("wbinvd" ::: "memory");
	t_wbinvd = rdtsc32() - t0;
	put_line_u64("hostile: WBINVD exits: ", t_wbinvd >= t_cpuid / 2, "");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_size;
	tables_init();
	msr_probe();
	calls_probe(ram_base);
	storm();
	regs_probe(ram_base);
	ring3_probe();
	insn_probe();
	uart_puts("hostile: reading beyond my memory\n");
	(void)*(volatile u32 *)OUTSIDE_ADDR;
	uart_puts("hostile: still running, the read was NOT caught\n");
}
