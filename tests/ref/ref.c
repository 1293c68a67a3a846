// SPDX-License-Identifier: MIT
/*
 * Reference translators: common entry point. See ref.h for the contract and
 * ref_x86.c, ref_arm64.c and ref_riscv.c for the per-format walks.
 *
 * On any fault other than REF_FAULT_NO_ACCESS only fault and fault_depth are
 * meaningful; every other field of the result is left zero.
 */
#include <string.h>

#include "ref_internal.h"

enum ref_fault ref_translate(const struct ref_cfg *cfg, ref_read64_fn rd, void *ctx,
			     uint64_t ia, struct ref_result *out)
{
	struct ref_walk w = {
		.cfg = cfg, .rd = rd, .ctx = ctx, .ia = ia, .out = out,
	};

	memset(out, 0, sizeof(*out));

	switch (cfg->format) {
	case REF_X86_64_S1:
		return ref_x86_s1_walk(&w);
	case REF_X86_EPT:
		return ref_x86_ept_walk(&w);
	case REF_ARM64_S1_EL2:
		return ref_arm64_s1_walk(&w);
	case REF_ARM64_S2:
		return ref_arm64_s2_walk(&w);
	case REF_RISCV_SV39:
	case REF_RISCV_SV48:
	case REF_RISCV_SV39X4:
	case REF_RISCV_SV48X4:
		return ref_riscv_walk(&w);
	}
	/* Unknown format: treat as an unusable configuration. */
	return ref_fail(&w, REF_FAULT_RESERVED, 0);
}
