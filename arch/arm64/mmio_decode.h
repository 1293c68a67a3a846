/* SPDX-License-Identifier: MIT */
/*
 * A trapped load or store to an emulated device, from the Data Abort
 * syndrome alone ("ISS encoding for an exception from a Data Abort":
 * ISV, SAS, SSE, SRT, SF, WnR). Pure functions: the host fuzzes them.
 */
#ifndef ARCH_ARM64_MMIO_DECODE_H
#define ARCH_ARM64_MMIO_DECODE_H

#include "sysreg.h"

struct arm64_mmio {
	u32 size;		/* bytes: 1, 2, 4 or 8 */
	u32 reg;		/* Xt / Wt; 31 is XZR */
	bool write;
	bool sign_extend;	/* a load that sign-extends (LDRSB, LDRSH, LDRSW) */
	bool sixty_four;	/* the register is Xt, not Wt */
};

/* False when the syndrome does not describe the access (ISV = 0). */
static inline bool arm64_mmio_decode(u64 esr, struct arm64_mmio *m)
{
	m->size = 1u << ((esr >> ESR_ISS_SAS_SHIFT) & ESR_ISS_SAS_MASK);
	m->reg = (esr >> ESR_ISS_SRT_SHIFT) & ESR_ISS_SRT_MASK;
	m->write = esr & ESR_ISS_WNR;
	m->sign_extend = esr & ESR_ISS_SSE;
	m->sixty_four = esr & ESR_ISS_SF;
	return esr & ESR_ISS_ISV;
}

/* What a load of @val (its low m->size bytes) leaves in the register. */
static inline u64 arm64_mmio_load_value(const struct arm64_mmio *m, u64 val)
{
	if (m->sign_extend && m->size < 8 && (val & BIT(m->size * 8 - 1)))
		val |= ~(BIT(m->size * 8) - 1);
	if (!m->sixty_four)
		val &= 0xffffffffull;
	return val;
}

/*
 * The same from the syndrome alone, for a device's raw value (any bits
 * above the access size): shifted up and back down, arithmetically for
 * SSE. For an Xt in 64 bits; for a Wt in 32 (which leaves the upper half
 * zero), where the shift taken mod 32 is 0 for 4 and 8 bytes alike: the
 * low word as it is. A caller needs to keep only @esr.
 */
static inline u64 arm64_mmio_load_raw(u64 esr, u64 raw)
{
	/* 64 - 8 * size, taken mod 64 as the shifts do: 0 for 8 bytes. */
	u32 unused = (0u - (8u << ((esr >> ESR_ISS_SAS_SHIFT) & ESR_ISS_SAS_MASK))) & 63;
	bool sse = esr & ESR_ISS_SSE;
	u64 v = raw << unused;
	u32 w;

	if (esr & ESR_ISS_SF)
		return sse ? (u64)((s64)v >> unused) : v >> unused;
	unused &= 31;
	w = (u32)raw << unused;
	return sse ? (u32)((s32)w >> unused) : w >> unused;
}

#endif
