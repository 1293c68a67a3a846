// SPDX-License-Identifier: MIT
/*
 * The x86-64 side of hyp/arch/cpu.h and irq.h, the descriptor tables and
 * the boot CPU's way into hyp_main(). Application processors: smp.c.
 */
#include "arch/cpu.h"
#include "arch/mm.h"
#include "boot.h"
#include "bootargs.h"
#include "console.h"
#include "hyp.h"
#include "multiboot2.h"
#include "ns16550_port.h"
#include "x86.h"
#include "x86_cpu.h"
#include "lib/string.h"

#define BOCHS_SHUTDOWN_PORT	0x8900	/* "Shutdown" written here powers Bochs off */
#define QEMU_DEBUG_EXIT_PORT	0xf4	/* -device isa-debug-exit,iobase=0xf4 */
#define PIT_CH2			0x42	/* Intel 8254, channel 2 */
#define PIT_CMD			0x43
#define PIT_CMD_CH2_MODE0	0xb0	/* channel 2, lobyte/hibyte, mode 0, binary */
#define PIT_CMD_CH2_LATCH	0x80	/* channel 2, counter latch */
#define PIT_START		0xffff	/* mode 0 counts down from it: 55 ms */
#define PIT_PORT_B		0x61	/* the PC's port B: channel 2 gate and output */
#define PIT_PORT_B_GATE		0x01
#define PIT_PORT_B_SPEAKER	0x02
#define PIT_PORT_B_OUT		0x20
#define PIT_HZ			1193182
/* At least 298 PIT counts (250 us): to 0.5% or better, ample for timeouts and waits */
#define PIT_CAL_COUNTS		298
#define PIT_CAL_SPINS		100000000
#define TSC_DEFAULT_KHZ		1000000	/* if the PIT never answers */
#define IDT_GATE_INTR64		0x8e	/* P, DPL 0, 64-bit interrupt gate (SDM Vol. 3A 6.14.1) */
#define TSS_DESC_AVAIL		0x89	/* P, DPL 0, 64-bit TSS available (SDM Vol. 3A 8.2.3) */
#define X86_VEC_NMI		2	/* SDM Vol. 3A Table 6-1 */
#define CPUID_APIC_ID_SHIFT	24	/* CPUID.1:EBX[31:24] initial APIC id */
#define PIC1_DATA		0x21	/* 8259A interrupt mask registers */
#define PIC2_DATA		0xa1
#define PIC_MASK_ALL		0xff

struct idt_gate {
	u16 off_lo, sel;
	u8 ist, type;
	u16 off_mid;
	u32 off_hi, zero;
} __attribute__((packed));

extern const u64 x86_exc_stubs[32];
extern const char x86_nmi_ignore[], x86_wake_intr[], x86_spurious_intr[];
extern u64 x86_gdt[];
extern const u8 x86_gdt_desc[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct x86_percpu percpu[HYP_MAX_CPUS];
static u64 tsc_khz = TSC_DEFAULT_KHZ;	/* kHz: a 1 ms window counts in whole ticks */

const char *arch_boot_level(void)
{
	return "VMX root";
}

unsigned int hyp_this_cpu(void)
{
	return x86_this_cpu();
}

struct x86_percpu *x86_percpu_of(u32 cpu)
{
	return &percpu[cpu];
}

u64 arch_cpu_hwid(void)
{
	u32 r[4];

	cpuid(1, 0, r);
	return r[1] >> CPUID_APIC_ID_SHIFT;
}

static void idt_set(u32 v, u64 a)
{
	idt[v] = (struct idt_gate){ .off_lo = (u16)a, .sel = GDT_CODE64, .type = IDT_GATE_INTR64,
				    .off_mid = (u16)(a >> 16), .off_hi = (u32)(a >> 32) };
}

/*
 * The exceptions, the NMI kick, the wake-up vector; any other vector is
 * not present (#NP). The boot CPU fills the one IDT, the others only load
 * it: a 16-byte gate rewritten while another CPU takes that vector can
 * be read half written there, a #GP (seen: a wake-up on CPU 1 while CPU
 * 7 came up).
 */
static void idt_init(u32 cpu)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) d = {
		sizeof(idt) - 1, (u64)(uintptr_t)idt };

	if (cpu == 0) {
		for (u32 v = 0; v < 32; v++)
			idt_set(v, x86_exc_stubs[v]);
		idt_set(X86_VEC_NMI, (u64)(uintptr_t)x86_nmi_ignore);
		idt_set(X86_VEC_WAKE, (u64)(uintptr_t)x86_wake_intr);
		idt_set(X86_VEC_SPURIOUS, (u64)(uintptr_t)x86_spurious_intr);
	}
	__asm__ volatile("lidt %0" :: "m"(d));
}

/* This CPU's TSS in the GDT (a VM exit needs a usable host TR), GS at its per-CPU block. */
void x86_cpu_tables_init(u32 cpu)
{
	struct x86_percpu *p = &percpu[cpu];
	u64 base = (u64)(uintptr_t)&p->tss, limit = sizeof(p->tss) - 1;

	p->cpu = cpu;
	p->self = p;
	p->apic_id = (u32)arch_cpu_hwid();
	p->tss.iomap_base = sizeof(p->tss);
	x86_gdt[GDT_TSS_SEL(cpu) / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			       (u64)TSS_DESC_AVAIL << 40 | ((limit >> 16) & 0xf) << 48 |
			       ((base >> 24) & 0xff) << 56;
	x86_gdt[GDT_TSS_SEL(cpu) / 8 + 1] = base >> 32;
	wrmsr(MSR_IA32_GS_BASE, (u64)(uintptr_t)p);
	__asm__ volatile("lgdt %0" :: "m"(*(const struct { u16 l; u64 b; } __attribute__((packed)) *)x86_gdt_desc));
	__asm__ volatile("ltr %w0" :: "r"((u16)GDT_TSS_SEL(cpu)));
	idt_init(cpu);
}

/*
 * The TSC's rate against PIT channel 2, measured across the boot: the
 * channel counts down from the entry on and is read when the rate is
 * first needed, waiting only if PIT_CAL_COUNTS have not passed by then.
 */
static u64 tsc_cal_start;
static u8 tsc_cal_port_b;

static void tsc_calibrate_start(void)
{
	tsc_cal_port_b = inb(PIT_PORT_B);
	outb(PIT_PORT_B, (tsc_cal_port_b & ~PIT_PORT_B_SPEAKER) | PIT_PORT_B_GATE);
	outb(PIT_CMD, PIT_CMD_CH2_MODE0);
	outb(PIT_CH2, (u8)PIT_START);
	outb(PIT_CH2, (u8)(PIT_START >> 8));
	tsc_cal_start = rdtsc();
}

/* PIT counts since tsc_calibrate_start(); -1 once it has run out. */
static s32 pit_elapsed(void)
{
	u32 lo, hi;

	outb(PIT_CMD, PIT_CMD_CH2_LATCH);
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	if (inb(PIT_PORT_B) & PIT_PORT_B_OUT)
		return -1;
	return (s32)(PIT_START - (hi << 8 | lo));
}

static void tsc_calibrate_finish(void)
{
	for (u32 i = 0; i < PIT_CAL_SPINS; i++) {
		u64 t = rdtsc();
		s32 n = pit_elapsed();

		if (n < 0) {
			tsc_calibrate_start();	/* 55 ms went by: again, from now */
		} else if (n >= PIT_CAL_COUNTS && t - tsc_cal_start >= PIT_CAL_COUNTS) {
			tsc_khz = (t - tsc_cal_start) * PIT_HZ / ((u64)n * 1000);
			break;
		}
	}
	outb(PIT_PORT_B, tsc_cal_port_b);
}

u64 arch_time_us(void)
{
	u64 t = rdtsc();

	return t / tsc_khz * 1000 + t % tsc_khz * 1000 / tsc_khz;
}

u64 x86_tsc_khz(void)
{
	return tsc_khz;
}

static void console_kick(void)
{
	__atomic_store_n(&x86_percpu()->console_kick, 1, __ATOMIC_RELAXED);
}

/* GS is this CPU's block (x86_cpu_tables_init()) before the first line: the kick may run. */
static void console_setup(void)
{
	static const struct hyp_console_tx com1 = {
		.room = ns16550_port_tx_room, .put = ns16550_port_tx_put,
		.idle = ns16550_port_tx_idle, .kick = console_kick,
	};

	ns16550_port_init(NS16550_COM1);
	hyp_console_set_output(ns16550_port_e9_putc);
	hyp_console_set_output_str(ns16550_port_e9_puts);
	hyp_console_set_output_queued(&com1);
	hyp_console_set_input(ns16550_port_getc);
	hyp_set_power_off(arch_power_off);
}

/*
 * The RSDP copy to read ACPI tables through; none with "acpi=off" (as
 * Linux has): the MP table lists the CPUs and the emulator's port powers
 * off (smp.c, arch_power_off()).
 */
static struct boot_range acpi_rsdp(const struct boot_info *bi)
{
	char v[BOOTARG_MAX];

	if (!bootarg_get(bi->cmdline, "acpi=", v) || strcmp(v, "off"))
		return bi->fw_table;
	hyp_log("hyp: acpi=off: no ACPI table is read (cpus: the MP table; power off: the "
		"emulator's port)\n");
	return (struct boot_range){ 0 };
}

/* From head.S in long mode on the early map, with a stack. */
void __attribute__((noreturn)) x86_main(u64 info, u64 magic);
void x86_main(u64 info, u64 magic)
{
	static struct boot_info bi;
	u64 entry_tsc = rdtsc();	/* the bench's hyp_entry_first_insn starts here */
	struct boot_range rsdp;
	int ret;

	x86_cpu_tables_init(0);
	/* The legacy PIC's interrupts would make every guest exit over and over. */
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
	console_setup();
	if (magic != MB2_BOOT_MAGIC)
		hyp_panic("not started by a multiboot2 loader (EAX 0x%llx)\n",
			  (unsigned long long)magic);
	tsc_calibrate_start();
	bi.image = (struct boot_range){ .base = (u64)(uintptr_t)_start,
					.size = (u64)(uintptr_t)(_end - _start) };
	ret = mb2_parse(&bi, info);
	if (ret)
		hyp_panic("cannot boot from the multiboot2 information at 0x%llx (%d)\n",
			  (unsigned long long)info, ret);
	rsdp = acpi_rsdp(&bi);
	x86_smp_init(&bi, &rsdp);
	x86_acpi_s5_init(&rsdp);
	boot_module_vms(&bi);	/* GRUB module2 lines naming VMs (docs/guests.md) */
	tsc_calibrate_finish();	/* nothing before needs the time */
	hyp_log("hyp: TSC %llu at entry, %llu per us\n", (unsigned long long)entry_tsc,
		(unsigned long long)((tsc_khz + 500) / 1000));
	if (x86_vmx_check())
		hyp_halt_no_vmx();
	hyp_main(&bi);
}

/* No VMX: one line, then the machine is powered off (or this CPU halts). */
void hyp_halt_no_vmx(void)
{
	hyp_log("hyp: error: %s; the hypervisor needs VT-x (Bochs: cpu: model=corei7_skylake_x); "
		"powering off\n", x86_vmx_missing());
	arch_power_off();
}

void arch_power_off(void)
{
	static const char bochs[] = "Shutdown";

	x86_tlb_report();
	hyp_console_flush();	/* its line too */
	x86_acpi_power_off();
	for (const char *p = bochs; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (u8)*p);
	outb(QEMU_DEBUG_EXIT_PORT, 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_cpu_idle_reset(void)
{
	x86_guest_exited();	/* a CPU parked from x86_guest_entering() is out of its guest */
	x86_idle_reset(x86_this_cpu());
}

struct x86_exc_frame {
	u64 r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vector, error, rip, cs, rflags, rsp, ss;
};

void x86_exception(const struct x86_exc_frame *f);
void x86_exception(const struct x86_exc_frame *f)
{
	hyp_panic("exception %llu (error 0x%llx) at RIP 0x%llx, RSP 0x%llx, CR2 0x%llx\n",
		  (unsigned long long)f->vector, (unsigned long long)f->error,
		  (unsigned long long)f->rip, (unsigned long long)f->rsp,
		  (unsigned long long)read_cr(2));
}
