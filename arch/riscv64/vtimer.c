// SPDX-License-Identifier: MIT
/*
 * The guest's timer (SBI v2.0 chapter 6, set_timer). With Sstc the guest
 * has its own comparator, vstimecmp (henvcfg.STCE, Privileged
 * Architecture 8.2.6), which sets VSTIP by itself. Without it the hart has
 * one timer, its SBI set_timer below, which the hypervisor shares between
 * its own wait (arch_wait_event) and the vCPU pinned to the hart: it is
 * programmed for the earlier of the two, and once the vCPU's deadline has
 * passed VSTIP is raised through hvip (8.2.4) until the guest's next
 * set_timer, which clears it (6.1: "also clears the pending timer
 * interrupt bit").
 */
#include "console.h"
#include "csr.h"
#include "riscv64.h"
#include "sbi.h"

#define TIMER_NEVER		(~0ull)

static bool has_sstc;
/* By hart: the deadline of the vCPU pinned to it (no Sstc), if armed. */
struct vtimer {
	u64 deadline;
	bool armed;
};

static struct vtimer vtimers[HYP_MAX_CPUS];

bool riscv_has_sstc(void)
{
	return has_sstc;
}

/*
 * Sstc is there if vstimecmp reads without a trap (an illegal instruction
 * without Sstc, or while M-mode keeps menvcfg.STCE clear: 3.1.18) and
 * henvcfg.STCE sticks (8.2.6). Not STCE alone: QEMU 7.2 keeps it at
 * -cpu rv64,sstc=off too. On the boot hart, before any guest.
 */
void riscv_vtimer_init(void)
{
	u64 old = csr_read(henvcfg);
	struct riscv_fixup *f = riscv_fixup_begin();
	bool readable;

	(void)csr_read(CSR_VSTIMECMP);
	readable = !riscv_fixup_end(f);
	csr_write(henvcfg, old | HENVCFG_STCE);
	has_sstc = readable && (csr_read(henvcfg) & HENVCFG_STCE);
	csr_write(henvcfg, old);
	hyp_log("hyp: guest timer: %s\n", has_sstc ? "vstimecmp (Sstc)" :
		"SBI set_timer on the hart's timer (no Sstc)");
}

/* The hart's timer for @wait (the hypervisor's own) or its vCPU's deadline, the earlier. */
void riscv_timer_program(u64 wait)
{
	const struct vtimer *t = &vtimers[riscv_this_cpu()];

	sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, t->armed && t->deadline < wait ? t->deadline : wait,
		 0, 0, 0, 0);
}

/* The vCPU's deadline passed: VSTIP, which stays until its next set_timer. */
void riscv_vtimer_check(void)
{
	struct vtimer *t = &vtimers[riscv_this_cpu()];

	if (t->armed && csr_read(time) >= t->deadline) {
		t->armed = false;
		csr_set(hvip, HIP_VSTIP);
	}
}

/* A vCPU starts on this hart: no deadline, nothing pending. */
void riscv_vtimer_reset(void)
{
	vtimers[riscv_this_cpu()].armed = false;
	csr_clear(hvip, HIP_VSTIP);
	if (has_sstc)
		csr_write(CSR_VSTIMECMP, TIMER_NEVER);
}

/* SBI set_timer from the vCPU on this hart, at @stime of the time CSR (htimedelta 0). */
void riscv_vtimer_set(u64 stime)
{
	if (has_sstc) {
		csr_write(CSR_VSTIMECMP, stime);
		return;
	}
	csr_clear(hvip, HIP_VSTIP);
	vtimers[riscv_this_cpu()] = (struct vtimer){ .deadline = stime, .armed = true };
	riscv_vtimer_check();
	riscv_timer_program(TIMER_NEVER);
}

/* The hart's supervisor timer interrupt, taken while its vCPU ran. */
void riscv_vtimer_irq(void)
{
	riscv_vtimer_check();
	riscv_timer_program(TIMER_NEVER);
}
