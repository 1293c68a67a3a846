/* SPDX-License-Identifier: MIT */
/* The arm64 side of the storm guest (guest-images/common/storm.c). */
#ifndef GUEST_STORM_ARCH_H
#define GUEST_STORM_ARCH_H

#define STORM_POWER_ON		"CPU_ON"
#define STORM_IDLE_INSN		"WFE"
#define STORM_ABORT_NAME	"aborts"
#define STORM_UNDECODABLE	"load pair"	/* no syndrome: not decodable */
#define STORM_UNDECODABLE_LINE	"a load pair from the UART"
#define NO_DEVICE_ADDR		0x0a000000ul	/* QEMU virt's virtio-mmio slot: none emulated */
#define INSN_SIZE		4
#define MISALIGNED		2	/* a PSCI entry point must be 4-byte aligned (DEN0022 5.6) */
#define ESR_EC_SHIFT		26
#define ESR_EC_DABT_CUR		0x25ul	/* Arm ARM D24.2.40: data abort, same EL */

static inline s64 storm_vcpu_start_at(u32 index, u64 entry)
{
	return (s64)hyp_call(HYP_PSCI_CPU_ON_64, index, entry, 0);
}

/* No firmware calls beyond PSCI, which power_misuse() covers. */
static inline void storm_arch_calls(u32 n)
{
	(void)n;
}

static inline void storm_idle_begin(void)
{
}

static inline void storm_idle(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

static inline void storm_idle_end(void)
{
}

/* After one call of each kind: the log holds the first 4 refusals, one of each. */
static inline void storm_arch_last(u64 ram_base)
{
	put_line_u64("storm: CPU_ON with a misaligned entry: ",
		     (u64)-storm_vcpu_start_at(1, ram_base + MISALIGNED), " (negated)");
}

static inline void storm_undecodable(void)
{
	u64 pair[2];

	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(pair[0]), "=r"(pair[1])
		: "r"(UART_BASE) : "memory");
}

static inline int storm_is_abort(u64 esr)
{
	return esr >> ESR_EC_SHIFT == ESR_EC_DABT_CUR;
}

static inline void storm_skip(u64 elr)
{
	__asm__ volatile("msr elr_el1, %0" :: "r"(elr + INSN_SIZE));
}

#endif
