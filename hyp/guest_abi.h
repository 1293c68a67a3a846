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
/*
 * The vCPU interface where the arch has no convention of its own (x86;
 * PSCI CPU_ON and SBI HSM map to the same core calls, hyp/power.h).
 */
#define HC_VCPU_ON		7	/* a0 = vCPU, a1 = entry, a2 = argument -> 0 */
#define HC_VCPU_OFF		8	/* the calling vCPU turns itself off, no return */
#define HC_VCPU_STATE		9	/* a0 = vCPU -> HC_VCPU_STATE_* */
#define HC_VCPU_STATE_OFF	0
#define HC_VCPU_STATE_ON	1
#define HC_VCPU_STATE_PENDING	2	/* turned on, not yet running */
#define HC_CONSOLE_MAX		4096	/* bytes per HC_CONSOLE_WRITE */

/* Results: >= 0 success, these on failure. */
#define HC_ERR_NOT_SUPPORTED	(-1)
#define HC_ERR_INVALID		(-2)
#define HC_ERR_NO_MEMORY	(-3)	/* the VM's own stage-2 reserve is short: nothing changed */
#define HC_ERR_ALREADY_ON	(-4)	/* HC_VCPU_ON of a vCPU that runs */
#define HC_ERR_ON_PENDING	(-5)	/* HC_VCPU_ON of a vCPU another call turned on */

/*
 * A built-in guest image starts with a 16-byte header: a jump to its
 * code, a word of zeros, then this magic ("HPGUEST1"). vCPU 0 enters at
 * the image's first byte = the base of its RAM.
 */
#define HYP_GUEST_MAGIC_LO	0x55475048		/* "HPGU" */
#define HYP_GUEST_MAGIC_HI	0x31545345		/* "EST1" */
#define HYP_GUEST_HDR_SIZE	16

#endif
