/* SPDX-License-Identifier: MIT */
/*
 * What a guest sees of this hypervisor on every arch, shared with the
 * guests in guest-images/ (constants only, no C): the hypercall numbers
 * and results, and the header of a built-in guest image. How a hypercall
 * is made (which instruction, which registers) is each arch's: see
 * docs/hypercalls.md.
 */
#ifndef HYP_GUEST_ABI_H
#define HYP_GUEST_ABI_H

#define HC_CONSOLE_WRITE	1	/* a0 = guest-physical address, a1 = length -> bytes written */
#define HC_VCPU_ID		2	/* -> this vCPU's index */
#define HC_FAULT_STATS		3	/* -> stage-2 faults so far */
#define HC_MEM_RELEASE		4	/* a0 = address, a1 = size: unmap RAM, zero on next touch */
#define HC_YIELD		5	/* -> 0: give up the CPU for a while */
#define HC_VM_STOP		6	/* a0 = code: stop this VM, no return */
#define HC_CONSOLE_MAX		4096	/* bytes per HC_CONSOLE_WRITE */

/* Results: >= 0 success, these on failure. */
#define HC_ERR_NOT_SUPPORTED	(-1)
#define HC_ERR_INVALID		(-2)
#define HC_ERR_NO_MEMORY	(-3)	/* the VM's own stage-2 reserve is short: nothing changed */

/*
 * A built-in guest image starts with a 16-byte header: a jump to its
 * code, a word of zeros, then this magic ("HPGUEST1"). vCPU 0 enters at
 * the image's first byte = the base of its RAM.
 */
#define HYP_GUEST_MAGIC_LO	0x55475048		/* "HPGU" */
#define HYP_GUEST_MAGIC_HI	0x31545345		/* "EST1" */
#define HYP_GUEST_HDR_SIZE	16

#endif
