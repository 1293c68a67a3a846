// SPDX-License-Identifier: MIT
/*
 * The "hostile" guest, riscv64: misbehaves in ways that must cost only
 * itself. It asks the SBI what every RISC-V OS asks (spec version,
 * implementation id, probes) and calls extensions and functions that do
 * not exist (SBI_ERR_NOT_SUPPORTED, and it goes on); sends an IPI to a hart
 * it lacks and one to itself (taken as a software interrupt); starts a hart
 * it does not have; releases a bad range; storms WFI; calls a hypercall that does
 * not exist; writes to a device address where no device is emulated (the
 * hypervisor injects a store access fault, its handler below prints where
 * and skips the store); reads the cycle counter, which it is not given
 * (an illegal instruction for it, as on a hart without the counter, not
 * its VM stopped: its user space could do the same); makes a misaligned
 * AMO (its own store-misaligned exception, likewise); then reads past all
 * of its RAM and devices, which stops its VM.
 */
#include "lib.h"

#define NO_DEVICE_GPA	0x10001000ul	/* QEMU virt's first virtio-mmio slot: none emulated */
#define BEYOND_GPA	0x200000000ul	/* 8 GiB: neither RAM nor a device */
#define WFI_STORM	200	/* each traps and waits at most 10 ms in HS-mode */
#define EXC_ILLEGAL_INSN 2	/* Privileged Architecture 4.1.9, table 4.2 */
#define EXC_LOAD_MISALIGNED 4	/* an AMO may give either (QEMU, OpenSBI) */
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define SBI_EXT_NONE	0x0b000000ul	/* nobody's extension id */
#define SBI_FID_NONE	0x7ffffffful

#define SCAUSE_INTR	(1ul << 63)
#define LOAD_PROBE_VALUE 0x5a	/* written to the UART's scratch, loaded back into s1-s11 */
#define LOAD_PROBE_REGS	11
#define SIP_SSIP	(1ul << 1)	/* supervisor software interrupt: sie, sip */
#define SSTATUS_SIE	(1ul << 1)

static u32 faults;
static volatile u32 illegal, misaligned;
static volatile u32 amo_words[4];
static volatile u32 ipis;

/* An IPI to itself through the SBI: taken once interrupts are on. */
static void ipi_probe(void)
{
	long bad = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, 1, 7, 0).error;
	long ok;

	__asm__ volatile("csrs sie, %0" :: "r"(SIP_SSIP));
	ok = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, 1, vcpu_self(), 0).error;
	__asm__ volatile("csrs sstatus, %0" :: "r"(SSTATUS_SIE));
	for (u32 i = 0; i < 1000 && !ipis; i++)
		cpu_wait_event();
	__asm__ volatile("csrc sstatus, %0" :: "r"(SSTATUS_SIE));
	uart_puts("hostile: ipi to a hart it lacks ");
	uart_put_s64(bad);
	uart_puts(", to itself ");
	uart_put_s64(ok);
	put_line_u64(", taken ", ipis, "");
}

static void sbi_probe(void)
{
	put_line_u64("hostile: sbi spec version ",
		     (u64)sbi_call(SBI_EXT_BASE, SBI_BASE_SPEC_VERSION, 0, 0, 0).value, "");
	put_line_u64("hostile: sbi impl id ",
		     (u64)sbi_call(SBI_EXT_BASE, SBI_BASE_IMPL_ID, 0, 0, 0).value, "");
	uart_puts("hostile: probe HSM ");
	uart_put_s64(sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_HSM, 0, 0).value);
	uart_puts(", probe none ");
	uart_put_s64(sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_NONE, 0, 0).value);
	uart_puts(", unknown extension ");
	uart_put_s64(sbi_call(SBI_EXT_NONE, 0, 0, 0, 0).error);
	uart_puts(", unknown function ");
	uart_put_s64(sbi_call(SBI_EXT_BASE, SBI_FID_NONE, 0, 0, 0).error);
	uart_puts("\n");
	put_line_u64("hostile: hart_start of a hart it does not have returned ",
		     (u64)-vcpu_start(7), " (negated)");
}

/*
 * Emulated loads into s1-s11, which HS-mode's C code preserves: the
 * hypervisor must load them back from the frame after it wrote them
 * (s0 left out: it may be the frame pointer).
 */
static void load_probe(void)
{
	u64 got[LOAD_PROBE_REGS];
	u32 right = 0;

	uart_idle_write(LOAD_PROBE_VALUE);
	__asm__ volatile("li s1, 0\n\tli s2, 0\n\tli s3, 0\n\tli s4, 0\n\tli s5, 0\n\t"
			 "li s6, 0\n\tli s7, 0\n\tli s8, 0\n\tli s9, 0\n\tli s10, 0\n\t"
			 "li s11, 0\n\t"
			 "lbu s1, 0(%1)\n\tlbu s2, 0(%1)\n\tlbu s3, 0(%1)\n\tlbu s4, 0(%1)\n\t"
			 "lbu s5, 0(%1)\n\tlbu s6, 0(%1)\n\tlbu s7, 0(%1)\n\tlbu s8, 0(%1)\n\t"
			 "lbu s9, 0(%1)\n\tlbu s10, 0(%1)\n\tlbu s11, 0(%1)\n\t"
			 "sd s1, 0(%0)\n\tsd s2, 8(%0)\n\tsd s3, 16(%0)\n\tsd s4, 24(%0)\n\t"
			 "sd s5, 32(%0)\n\tsd s6, 40(%0)\n\tsd s7, 48(%0)\n\tsd s8, 56(%0)\n\t"
			 "sd s9, 64(%0)\n\tsd s10, 72(%0)\n\tsd s11, 80(%0)"
			 :: "r"(got), "r"(UART_BASE + UART_SCR)
			 : "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
			   "memory");
	for (u32 i = 0; i < LOAD_PROBE_REGS; i++)
		right += got[i] == LOAD_PROBE_VALUE;
	put_line_u64("hostile: emulated loads into s1-s11 right: ", right, "");
}

/*
 * Emulated stores from s1-s11, which the hypervisor's trap entry may leave
 * in the registers rather than the frame: each written to the scratch
 * register (its own value) and loaded back through an a-register.
 */
static void store_probe(void)
{
	u64 got[LOAD_PROBE_REGS];
	u32 right = 0;

	__asm__ volatile("li s1, 0x41\n\tli s2, 0x42\n\tli s3, 0x43\n\tli s4, 0x44\n\t"
			 "li s5, 0x45\n\tli s6, 0x46\n\tli s7, 0x47\n\tli s8, 0x48\n\t"
			 "li s9, 0x49\n\tli s10, 0x4a\n\tli s11, 0x4b\n\t"
#define STORE_PROBE_ONE(r, off) \
			 "sb " r ", 0(%1)\n\tlbu a0, 0(%1)\n\tsd a0, " off "(%0)\n\t"
			 STORE_PROBE_ONE("s1", "0") STORE_PROBE_ONE("s2", "8")
			 STORE_PROBE_ONE("s3", "16") STORE_PROBE_ONE("s4", "24")
			 STORE_PROBE_ONE("s5", "32") STORE_PROBE_ONE("s6", "40")
			 STORE_PROBE_ONE("s7", "48") STORE_PROBE_ONE("s8", "56")
			 STORE_PROBE_ONE("s9", "64") STORE_PROBE_ONE("s10", "72")
			 STORE_PROBE_ONE("s11", "80")
#undef STORE_PROBE_ONE
			 :: "r"(got), "r"(UART_BASE + UART_SCR)
			 : "a0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
			   "memory");
	for (u32 i = 0; i < LOAD_PROBE_REGS; i++)
		right += got[i] == 0x41 + i;
	put_line_u64("hostile: emulated stores from s1-s11 right: ", right, "");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_size;
	sbi_probe();
	ipi_probe();
	load_probe();
	store_probe();
	put_line_u64("hostile: release of an unaligned range returned ",
		     (u64)-(s64)hyp_mem_release(ram_base + 8, PAGE_SIZE), " (negated)");
	for (u32 i = 0; i < WFI_STORM; i++)
		__asm__ volatile("wfi" ::: "memory");
	put_line_u64("hostile: still running after ", WFI_STORM, " WFIs");
	uart_puts("hostile: unknown hypercall returned ");
	uart_puts(hyp_unknown_call() == -1 ? "-1\n" : "WRONG\n");
	uart_puts("hostile: writing to a device that is not there\n");
	mmio_write32(NO_DEVICE_GPA, 0xdead);
	put_line_u64("hostile: still running after ", faults, " access fault");
	__asm__ volatile("rdcycle t0" ::: "t0", "memory");
	put_line_u64("hostile: rdcycle taken as an illegal instruction: ", illegal, "");
	__asm__ volatile("amoadd.w zero, zero, (%0)" :: "r"((u64)&amo_words[1] + 1) : "memory");
	put_line_u64("hostile: misaligned AMO taken by its own handler: ", misaligned, "");
	uart_puts("hostile: reading beyond my memory\n");
	(void)*(volatile u32 *)BEYOND_GPA;
	uart_puts("hostile: still running, the read was NOT caught\n");
}

/* The injected access fault: report it and resume past the store. */
void guest_exception(u64 scause, u64 sepc, u64 stval)
{
	u32 insn = *(volatile unsigned short *)sepc;

	if (scause == (SCAUSE_INTR | 1)) {
		ipis++;
		__asm__ volatile("csrc sip, %0" :: "r"(SIP_SSIP));
		return;
	}
	if ((scause == EXC_ILLEGAL_INSN && !illegal++) ||	/* the rdcycle, the AMO: skipped */
	    ((scause == EXC_LOAD_MISALIGNED || scause == EXC_STORE_MISALIGNED) && !misaligned++)) {
		__asm__ volatile("csrw sepc, %0" :: "r"(sepc + 4));
		return;
	}
	uart_puts("hostile: access fault taken at stval ");
	uart_put_hex(stval, 8);
	uart_puts(scause == EXC_STORE_ACCESS ? ", scause ok\n" : ", scause WRONG\n");
	if (faults++) {
		uart_puts("hostile: a second exception, stopping\n");
		system_off();
	}
	__asm__ volatile("csrw sepc, %0" :: "r"(sepc + ((insn & 3) == 3 ? 4 : 2)));
}
