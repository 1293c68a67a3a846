/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 side of the storm guest (guest-images/common/storm.c): the
 * power interface is SBI HSM; the arch's own storm is bad SBI calls, each
 * checked against the error SBI v2.0 gives; the idle storm is WFI with a
 * software interrupt pending and enabled but masked (sstatus.SIE 0), so
 * that each WFI traps (hstatus.VTW) and returns at once; an AMO to the
 * UART is the access the hypervisor cannot emulate.
 */
#ifndef GUEST_STORM_ARCH_H
#define GUEST_STORM_ARCH_H

#define STORM_POWER_ON		"hart_start"
#define STORM_IDLE_INSN		"WFI"
#define STORM_ABORT_NAME	"access faults"
#define STORM_UNDECODABLE	"atomic add"	/* no load or store: not emulated */
#define STORM_UNDECODABLE_LINE	"an atomic add to the UART"
#define NO_DEVICE_ADDR		0x10001000ul	/* QEMU virt's first virtio-mmio slot: none emulated */
#define EXC_STORE_ACCESS	7		/* Privileged Architecture 4.1.9, table 4.2 */
#define STORM_SIP_SSIP		(1ul << 1)	/* 4.1.3: supervisor software interrupt */
#define STORM_EXT_NONE		0x0b000000ul	/* nobody's extension id */
#define STORM_BAD_KINDS		8

static inline s64 storm_vcpu_start_at(u32 index, u64 entry)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, index, entry, 0).error;
}

/* Bad call @i % STORM_BAD_KINDS: 1 if its answer is not the one SBI v2.0 gives. */
static inline int storm_sbi_wrong(u32 i)
{
	switch (i % STORM_BAD_KINDS) {
	case 0:	/* 3: an unknown extension */
		return sbi_call(STORM_EXT_NONE, 0, 0, 0, 0).error != SBI_ERR_NOT_SUPPORTED;
	case 1:	/* 3.1: an IPI to a hart it lacks */
		return sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, 1, 7, 0).error != SBI_ERR_INVALID_PARAM;
	case 2:	/* 9.1: a hart it lacks */
		return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 7, 0, 0).error !=
		       SBI_ERR_INVALID_PARAM;
	case 3:	/* 12.1: a buffer outside its RAM */
		return sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE, 64, OUTSIDE_ADDR, 0).error !=
		       SBI_ERR_INVALID_PARAM;
	case 4:	/* 8.2: a range past 2^64 */
		return sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, 0, ~0ul).error !=
		       SBI_ERR_INVALID_ADDRESS;
	case 5:	/* 9.4: a reserved suspend type */
		return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 1, 0, 0).error !=
		       SBI_ERR_INVALID_PARAM;
	case 6:	/* 10.1: a reserved reset type */
		return sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, 3, 0, 0).error !=
		       SBI_ERR_INVALID_PARAM;
	default: /* 8.5: a hypervisor's fence, which a guest cannot have */
		return sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_GVMA, 1, 0, 0).error !=
		       SBI_ERR_NOT_SUPPORTED;
	}
}

static inline void storm_arch_calls(u32 n)
{
	u64 bad = 0;

	for (u32 i = 0; i < n; i++)
		bad += storm_sbi_wrong(i);
	put_line_u64("storm: bad SBI calls not answered as SBI v2.0 says: ", bad, "");
}

/* An IPI to itself, enabled but masked: pending through the whole storm. */
static inline void storm_idle_begin(void)
{
	__asm__ volatile("csrs sie, %0" :: "r"(STORM_SIP_SSIP));
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, 1, 0, 0);
}

static inline void storm_idle(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void storm_idle_end(void)
{
	__asm__ volatile("csrc sie, %0" :: "r"(STORM_SIP_SSIP));
	__asm__ volatile("csrc sip, %0" :: "r"(STORM_SIP_SSIP));
}

/* A non-retentive suspend resuming outside its RAM: refused, nothing suspended. */
static inline void storm_arch_last(u64 ram_base)
{
	(void)ram_base;
	put_line_u64("storm: hart_suspend resuming outside its RAM: ",
		     (u64)-sbi_call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND,
				    SBI_HSM_SUSPEND_NON_RETENTIVE, OUTSIDE_ADDR, 0).error,
		     " (negated)");
}

static inline void storm_undecodable(void)
{
	u32 old;

	__asm__ volatile("amoadd.w %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(UART_BASE)
			 : "memory");
	(void)old;
}

static inline int storm_is_abort(u64 scause)
{
	return scause == EXC_STORE_ACCESS;
}

/* Past the store: 2 or 4 bytes (a compressed one has its low bits not 11). */
static inline void storm_skip(u64 sepc)
{
	u32 insn = *(volatile unsigned short *)sepc;

	__asm__ volatile("csrw sepc, %0" :: "r"(sepc + ((insn & 3) == 3 ? 4 : 2)));
}

#endif
