/* SPDX-License-Identifier: MIT */
/* The hypercalls of hyp/guest_abi.h, one dispatch for every arch. */
#ifndef HYP_HYPERCALL_H
#define HYP_HYPERCALL_H

#include "types.h"

struct vcpu;

/*
 * Call @nr (HC_*) with @a0-@a2 for @vcpu: the result for the guest, an
 * HC_ERR_* code on failure (HC_ERR_NOT_SUPPORTED for an unknown @nr).
 * HC_VM_STOP does not return.
 */
s64 hypercall(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1, u64 a2);

#endif
