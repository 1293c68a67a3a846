/* SPDX-License-Identifier: MIT */
/* Calling the SBI below the hypervisor (OpenSBI); the ids are sbi_abi.h's. */
#ifndef ARCH_RISCV64_SBI_H
#define ARCH_RISCV64_SBI_H

#include "sbi_abi.h"
#include "types.h"

struct sbiret {
	long error;
	long value;
};

/* ECALL to the SBI below us (OpenSBI): a7 = @ext, a6 = @fid, a0-a4. */
struct sbiret sbi_call(u64 ext, u64 fid, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4);

#endif
