// SPDX-License-Identifier: MIT
/*
 * The G-stage shootdown across harts: HFENCE.GVMA (Privileged
 * Architecture 8.3.2) acts on the executing hart only. The requester
 * posts (VMID, GPA range or the whole VMID) in its own slot of each
 * target hart's mailbox, sends an SBI IPI (asynchronous in OpenSBI: the
 * S-mode IPI event has no sync step, it only sets the target's MSIP) and
 * waits in WFI for every ack, serving its own mailbox meanwhile (two harts
 * may shoot each other). A target takes the supervisor software
 * interrupt (in its guest: a trap to HS; waiting: arch_wait_event),
 * fences, acks and IPIs the requester back. Waiting instead of spinning
 * matters under QEMU -icount, where the harts take turns on one clock:
 * a hart spinning in OpenSBI's RFENCE holds the turn until QEMU's kick.
 *
 * A hart spinning in HS-mode serves its mailbox at each step
 * (riscv_gvma_relax). A target that has not answered after GVMA_ANSWER_US
 * (busy in HS-mode with interrupts off that long, or descheduled by
 * QEMU's host) is fenced through SBI RFENCE remote_hfence_gvma_vmid
 * instead, which OpenSBI carries out in M-mode whatever S-mode does, and
 * returns once done there; one log line. Its late answer then fences
 * once more, which is harmless.
 *
 * A slot is a sequence lock: odd while the requester writes it, so a
 * target never acts on half of a request (possible only after a fallback,
 * when the requester may post again before the late answer).
 */
#include "arch/cpu.h"
#include "console.h"
#include "csr.h"
#include "riscv64.h"
#include "sbi.h"
#include "vm.h"

#define GVMA_ANSWER_US		50000	/* generous: QEMU without -icount on a loaded host */
#define GVMA_TICK_US		1000	/* the wait's own tick: GVMA_ANSWER_US is checked at least this often */
#define TIMER_NEVER		(~0ull)

struct gvma_req {
	u64 gpa, size;		/* size 0: the whole VMID */
	u32 vmid;
	u32 seq;		/* odd while written; even: posted */
};

/* A target hart's mailbox: one slot and one ack per requesting hart. */
struct gvma_box {
	struct gvma_req req[HYP_MAX_CPUS];
	u32 ack[HYP_MAX_CPUS];	/* the last seq done, written by the target */
} __attribute__((aligned(64)));

static struct gvma_box boxes[HYP_MAX_CPUS];

static void ipi_hart(u32 cpu)
{
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, 1, riscv_hartids[cpu], 0, 0, 0);
}

/* Slot @r of this hart's mailbox: a posted request not yet done, copied to @out. */
static bool req_take(struct gvma_box *box, u32 r, struct gvma_req *out)
{
	struct gvma_req *req = &box->req[r];
	u32 seq = __atomic_load_n(&req->seq, __ATOMIC_ACQUIRE);

	if ((seq & 1) || seq == __atomic_load_n(&box->ack[r], __ATOMIC_RELAXED))
		return false;	/* odd: being written; its writer IPIs once it is posted */
	out->gpa = __atomic_load_n(&req->gpa, __ATOMIC_RELAXED);
	out->size = __atomic_load_n(&req->size, __ATOMIC_RELAXED);
	out->vmid = __atomic_load_n(&req->vmid, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	out->seq = seq;
	return __atomic_load_n(&req->seq, __ATOMIC_RELAXED) == seq;
}

void riscv_gvma_serve(void)
{
	u32 self = riscv_this_cpu(), n = hyp_cpu_count();
	struct gvma_box *box = &boxes[self];
	struct gvma_req req;

	for (u32 r = 0; r < n && r < HYP_MAX_CPUS; r++) {
		if (r == self || !req_take(box, r, &req))
			continue;
		riscv_hfence_gvma_local(req.vmid, req.gpa, req.size);
		__atomic_store_n(&box->ack[r], req.seq, __ATOMIC_RELEASE);
		ipi_hart(r);
	}
}

/*
 * A step of a spin-wait in HS-mode (pt_cpu_relax: the walker's retries,
 * s2_mem's waits, spin locks), where interrupts are off: the hart spun on
 * may be waiting for this one's answer (a release waiting for pages that
 * another release is unmapping, one shootdown a page), so a pending
 * request is served here. SSIP stays set: it may be another wake-up.
 */
void riscv_gvma_relax(void)
{
	if (csr_read(sip) & SIE_SSIE)
		riscv_gvma_serve();
}

/* Post @gpa/@size of @vmid for hart @cpu; the seq it is acked with. */
static u32 req_post(u32 cpu, u32 vmid, u64 gpa, u64 size)
{
	struct gvma_req *req = &boxes[cpu].req[riscv_this_cpu()];
	u32 seq = __atomic_load_n(&req->seq, __ATOMIC_RELAXED);

	__atomic_store_n(&req->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&req->gpa, gpa, __ATOMIC_RELAXED);
	__atomic_store_n(&req->size, size, __ATOMIC_RELAXED);
	__atomic_store_n(&req->vmid, vmid, __ATOMIC_RELAXED);
	__atomic_store_n(&req->seq, seq + 2, __ATOMIC_RELEASE);
	ipi_hart(cpu);
	return seq + 2;
}

static bool req_done(u32 cpu, u32 seq)
{
	return __atomic_load_n(&boxes[cpu].ack[riscv_this_cpu()], __ATOMIC_ACQUIRE) == seq;
}

/* Not answered in time: OpenSBI fences it from M-mode (SBI "RFENCE Extension"). */
static void req_fallback(u32 cpu, u32 vmid, u64 gpa, u64 size)
{
	static u32 logged;

	if (!__atomic_exchange_n(&logged, 1, __ATOMIC_RELAXED))
		hyp_log("hyp: cpu %u: cpu %u did not answer a G-stage shootdown in %u us: "
			"SBI RFENCE instead (logged once)\n", riscv_this_cpu(), cpu,
			GVMA_ANSWER_US);
	if (!size) {
		gpa = 0;
		size = SBI_RFENCE_ALL;
	}
	sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_GVMA_VMID, 1, riscv_hartids[cpu], gpa, size,
		 vmid);
}

/*
 * WFI until an IPI (an ack, a request) or the tick at @tick (0: none yet),
 * which stays armed from one wait to the next (one SBI set_timer a tick,
 * not two a wake-up as in arch_wait_event). The tick now armed.
 */
static u64 wait_ack(u64 tick)
{
	u64 now = csr_read(time);

	if (now >= tick) {
		tick = now + riscv_timebase_hz / (1000000 / GVMA_TICK_US);
		riscv_timer_program(tick);
	}
	csr_set(sie, SIE_SSIE | SIE_STIE);
	__asm__ volatile("wfi" ::: "memory");
	csr_clear(sip, SIE_SSIE);
	return tick;
}

/* The targets in @left still unanswered after one look; @left updated. */
static u32 reqs_left(u32 left, const u32 *seq)
{
	for (u32 cpu = 0; cpu < HYP_MAX_CPUS; cpu++)
		if ((left & BIT(cpu)) && req_done(cpu, seq[cpu]))
			left &= ~(u32)BIT(cpu);
	return left;
}

/*
 * Every hart of @vm's other vCPUs (pinned: those alone may hold its
 * VMID) fenced @gpa/@size (0: the whole VMID) before this returns.
 */
void riscv_gvma_shootdown(const struct vm *vm, u64 gpa, u64 size)
{
	u32 self = riscv_this_cpu(), seq[HYP_MAX_CPUS], left = 0;
	u64 start = arch_time_us(), tick = 0;

	__asm__ volatile("fence rw, rw" ::: "memory");	/* the frozen entries first */
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		u32 cpu = vm->vcpus[i].cpu;

		if (cpu == self || cpu >= HYP_MAX_CPUS || (left & BIT(cpu)) ||
		    !hyp_cpu_online(cpu))
			continue;
		seq[cpu] = req_post(cpu, vm->vmid, gpa, size);
		left |= (u32)BIT(cpu);
	}
	for (;;) {
		riscv_gvma_serve();
		left = reqs_left(left, seq);
		if (!left)
			break;
		if (arch_time_us() - start >= GVMA_ANSWER_US) {
			for (u32 cpu = 0; cpu < HYP_MAX_CPUS; cpu++)
				if (left & BIT(cpu))
					req_fallback(cpu, vm->vmid, gpa, size);
			break;
		}
		tick = wait_ack(tick);
	}
	if (!tick)
		return;
	riscv_timer_program(TIMER_NEVER);	/* the vCPU's deadline stays (vtimer.c) */
	riscv_vtimer_check();
	/* Its SSIP may have been another hart's wake-up: left pending for the usual paths. */
	csr_set(sip, SIE_SSIE);
}
