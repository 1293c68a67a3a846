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
 * bounded); last a read outside its RAM, which stops its VM.
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
#define CPUID1_VMX	(1u << 5)
#define CPUID1_HYPERVISOR (1u << 31)
#define NO_DEVICE_PORT	0x80		/* the POST port: nothing emulated there */
#define NO_DEVICE_PORT_IN 0x60		/* the keyboard controller's data port: likewise */
#define EXC_GP		13
#define NR_VECTORS	32
#define GATE_INTR32	0x8e00u		/* present, DPL 0, 32-bit interrupt gate */
#define CODE_SEL	0x08
#define DATA_SEL	0x10
#define INSN_RDMSR	0x320f		/* 0F 32, little endian */
#define INSN_WRMSR	0x300f		/* 0F 30 */

struct gate {
	unsigned short off_lo, sel, flags, off_hi;
};

struct dtr {
	unsigned short limit;
	u32 base;
} __attribute__((packed));

static const unsigned long long gdt[3] __attribute__((aligned(8))) = {
	0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull,	/* flat 32-bit code, data */
};
static struct gate idt[NR_VECTORS] __attribute__((aligned(8)));
static volatile u32 gp_taken;

void hostile_gp(u32 *frame);
void hostile_other(void);
void gp_entry(void);
void other_entry(void);

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
	"other_entry:\n"
	"	call hostile_other\n"
	"1:	hlt\n"
	"	jmp 1b\n");

/* A #GP: from RDMSR or WRMSR, resumed past it; from anything else, the end. */
void hostile_gp(u32 *frame)
{
	u32 eip = frame[9];
	unsigned short insn = *(volatile unsigned short *)eip;

	if (insn != INSN_RDMSR && insn != INSN_WRMSR) {
		uart_puts("hostile: #GP NOT from an MSR access\n");
		system_off();
	}
	gp_taken++;
	frame[9] = eip + 2;
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

	for (u32 v = 0; v < NR_VECTORS; v++)
		set_gate(v, v == EXC_GP ? gp_entry : other_entry);
	__asm__ volatile("lgdt %0\n"
			 "ljmp %1, $1f\n"
			 "1: mov %2, %%ax\n"
			 "mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%ss\n"
			 "mov %%ax, %%fs\n mov %%ax, %%gs\n"
			 "lidt %3"
			 :: "m"(g), "i"(CODE_SEL), "i"(DATA_SEL), "m"(i) : "eax", "memory");
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

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_size;
	tables_init();
	msr_probe();
	calls_probe(ram_base);
	storm();
	uart_puts("hostile: reading beyond my memory\n");
	(void)*(volatile u32 *)OUTSIDE_ADDR;
	uart_puts("hostile: still running, the read was NOT caught\n");
}
