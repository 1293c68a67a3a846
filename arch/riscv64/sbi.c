// SPDX-License-Identifier: MIT
/* Calls to the SBI implementation below the hypervisor ("Binary Encoding": ECALL, a7 = EID, a6 = FID). */
#include "sbi.h"

struct sbiret sbi_call(u64 ext, u64 fid, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	register u64 r0 __asm__("a0") = a0;
	register u64 r1 __asm__("a1") = a1;
	register u64 r2 __asm__("a2") = a2;
	register u64 r3 __asm__("a3") = a3;
	register u64 r4 __asm__("a4") = a4;
	register u64 r6 __asm__("a6") = fid;
	register u64 r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}
