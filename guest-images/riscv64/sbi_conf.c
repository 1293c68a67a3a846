// SPDX-License-Identifier: MIT
/*
 * The SBI conformance guest (riscv64, 2 vCPUs: "guest=sbi_conf" at -smp 2):
 * vCPU 0 calls every function of every extension the hypervisor implements
 * (docs/riscv64.md) with good and bad arguments, in the order of the table
 * below, and compares each answer with the row's. Each row names the
 * section of the SBI specification v2.0 its answer comes from. One line per
 * mismatch ("sbi_conf: MISMATCH ..."), then "sbi_conf: N calls, M
 * mismatches". The legacy putchar and DBCN write the line "+>>sbi_conf:
 * dbcn console_write ok" between them. Then it reads 4 bytes the test
 * types, 3 through DBCN console_read, 1 through the legacy getchar, and
 * says what it got (after 5 s without input: what it had). Then vCPU 0
 * returns and start.S shuts the VM down with SRST (10.1, the good
 * shutdown), which the boot test sees.
 *
 * vCPU 1 (started by a row) suspends itself non-retentively (9.4) until
 * vCPU 0's IPI, resumes at conf_resume_entry with a0 = its hart id and a1
 * = the opaque value, records them and stops itself (9.2).
 */
#include "lib.h"

#define ANY		0x7fffffffffffffffl	/* the value is not checked */
/* Arguments filled in at run time. */
#define T_MSG		0xa000000000000001ul	/* the DBCN message, in RAM */
#define T_BUF		0xa000000000000002ul	/* a 64-byte buffer in RAM */
#define T_RAM_END	0xa000000000000003ul	/* the first byte past RAM */
#define T_ENTRY		0xa000000000000004ul	/* guest_secondary_entry */
#define T_RESUME	0xa000000000000005ul	/* conf_resume_entry */
#define T_SOON		0xa000000000000006ul	/* the time CSR in 1 ms */
/* Not SBI calls: checks of what the calls above did, in the same form. */
#define P_RESUMED	0xfffffffff0000001ul	/* vCPU 1's a0 and a1 on resume */
#define P_RESUME_SIE	0xfffffffff0000002ul	/* its sstatus.SIE then (0) */
#define P_WOKE_LATE	0xfffffffff0000003ul	/* retentive suspend ended after the timer (0) */

#define STEP_CALL	0	/* compare error and value */
#define STEP_LEGACY	1	/* 5: the answer is a0 alone, in .err */
#define STEP_WAIT	2	/* repeat until it answers so (hart states change) */
#define WAIT_TRIES	1000000

#define OPAQUE		0x0123456789abcdeful
#define NOBODY		0x0b000000ul	/* an extension id nobody defines */
#define EXT_PMU		0x504d55ul	/* implemented by nobody here */
#define EXT_SUSP	0x53555350ul
#define HART_NONE	2		/* with 2 vCPUs: a hart the VM lacks */
#define MS_TICKS	(TIMEBASE_HZ / 1000)
#define SIP_SSIP	(1ul << 1)	/* Privileged Architecture 4.1.3 */
#define SIE_STIE	(1ul << 5)
#define SSTATUS_SIE	(1ul << 1)
#define DBCN_MSG	"sbi_conf: dbcn console_write ok\n"
#define MSG_LEN		(sizeof(DBCN_MSG) - 1)
#define TYPED_DBCN	3		/* bytes the test types: 3 for DBCN, 1 for getchar */
#define TYPED_WAIT	(5 * TIMEBASE_HZ)

struct row {
	const char *sec;	/* the section of SBI v2.0 */
	const char *what;
	u64 eid, fid, a[5];
	long err, val;
	u32 step;
};

/* A row without a step is a STEP_CALL. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct row rows[] = {
	/* Base (chapter 4) */
	{ "4.1", "get_spec_version: 2.0", SBI_EXT_BASE, 0, { 0 }, 0, 2l << 24 },
	{ "4.2", "get_impl_id: this hypervisor's", SBI_EXT_BASE, 1, { 0 }, 0, SBI_IMPL_ID_HYP },
	{ "4.3", "get_impl_version", SBI_EXT_BASE, 2, { 0 }, 0, SBI_IMPL_VERSION_HYP },
	{ "4.4", "probe_extension Base", SBI_EXT_BASE, 3, { SBI_EXT_BASE }, 0, 1 },
	{ "4.4", "probe_extension TIME", SBI_EXT_BASE, 3, { SBI_EXT_TIME }, 0, 1 },
	{ "4.4", "probe_extension IPI", SBI_EXT_BASE, 3, { SBI_EXT_IPI }, 0, 1 },
	{ "4.4", "probe_extension RFENCE", SBI_EXT_BASE, 3, { SBI_EXT_RFENCE }, 0, 1 },
	{ "4.4", "probe_extension HSM", SBI_EXT_BASE, 3, { SBI_EXT_HSM }, 0, 1 },
	{ "4.4", "probe_extension SRST", SBI_EXT_BASE, 3, { SBI_EXT_SRST }, 0, 1 },
	{ "4.4", "probe_extension DBCN", SBI_EXT_BASE, 3, { SBI_EXT_DBCN }, 0, 1 },
	{ "4.4", "probe_extension firmware (hypercalls)", SBI_EXT_BASE, 3, { SBI_EXT_HYP }, 0, 1 },
	{ "4.4", "probe_extension legacy putchar", SBI_EXT_BASE, 3, { SBI_LEGACY_PUTCHAR }, 0, 1 },
	{ "4.4", "probe_extension legacy clear_ipi: 0", SBI_EXT_BASE, 3, { 3 }, 0, 0 },
	{ "4.4", "probe_extension PMU: 0", SBI_EXT_BASE, 3, { EXT_PMU }, 0, 0 },
	{ "4.4", "probe_extension SUSP: 0", SBI_EXT_BASE, 3, { EXT_SUSP }, 0, 0 },
	{ "4.4", "probe_extension unknown: 0", SBI_EXT_BASE, 3, { NOBODY }, 0, 0 },
	{ "4.5", "get_mvendorid", SBI_EXT_BASE, 4, { 0 }, 0, 0 },
	{ "4.6", "get_marchid", SBI_EXT_BASE, 5, { 0 }, 0, 0 },
	{ "4.7", "get_mimpid", SBI_EXT_BASE, 6, { 0 }, 0, 0 },
	{ "3", "Base FID 7: unsupported", SBI_EXT_BASE, 7, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	/* Legacy (chapter 5): the answer in a0 */
	{ "5.1", "legacy set_timer (never)", SBI_LEGACY_SET_TIMER, 0, { ~0ul }, 0, ANY, STEP_LEGACY },
	{ "5.3", "legacy console_getchar: none waits", SBI_LEGACY_GETCHAR, 0, { 0 }, -1, ANY,
	  STEP_LEGACY },
	{ "5.2", "legacy console_putchar '+'", SBI_LEGACY_PUTCHAR, 0, { '+' }, 0, ANY, STEP_LEGACY },
	{ "5.4", "legacy clear_ipi: unsupported", 3, 0, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY,
	  STEP_LEGACY },
	{ "5.5", "legacy send_ipi: unsupported", 4, 0, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY,
	  STEP_LEGACY },
	{ "5.6", "legacy remote_fence_i: unsupported", 5, 0, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY,
	  STEP_LEGACY },
	{ "5.7", "legacy remote_sfence_vma: unsupported", 6, 0, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY,
	  STEP_LEGACY },
	{ "5.8", "legacy remote_sfence_vma_asid: unsupported", 7, 0, { 0 },
	  SBI_ERR_NOT_SUPPORTED, ANY, STEP_LEGACY },
	/* HSM (chapter 9), with vCPU 1's life: started, suspended, resumed, stopped */
	{ "9.3", "hart_get_status self: STARTED", SBI_EXT_HSM, 2, { 0 }, 0, SBI_HSM_STARTED },
	{ "9.3", "hart_get_status 1: STOPPED", SBI_EXT_HSM, 2, { 1 }, 0, SBI_HSM_STOPPED },
	{ "9.3", "hart_get_status of a hart it lacks", SBI_EXT_HSM, 2, { HART_NONE },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "9.3", "hart_get_status -1", SBI_EXT_HSM, 2, { ~0ul }, SBI_ERR_INVALID_PARAM, ANY },
	{ "9.1", "hart_start of a hart it lacks", SBI_EXT_HSM, 0, { HART_NONE, T_ENTRY },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "9.1", "hart_start at the end of RAM", SBI_EXT_HSM, 0, { 1, T_RAM_END },
	  SBI_ERR_INVALID_ADDRESS, ANY },
	{ "9.1", "hart_start at 0x1000 (no RAM)", SBI_EXT_HSM, 0, { 1, 0x1000 },
	  SBI_ERR_INVALID_ADDRESS, ANY },
	{ "9.1", "hart_start of itself", SBI_EXT_HSM, 0, { 0, T_ENTRY },
	  SBI_ERR_ALREADY_AVAILABLE, ANY },
	{ "9.1", "hart_start 1", SBI_EXT_HSM, 0, { 1, T_ENTRY, 1 }, 0, ANY },
	{ "9.1", "hart_start 1 again", SBI_EXT_HSM, 0, { 1, T_ENTRY, 1 },
	  SBI_ERR_ALREADY_AVAILABLE, ANY },
	{ "9.3", "hart_get_status 1: SUSPENDED (its hart_suspend)", SBI_EXT_HSM, 2, { 1 }, 0,
	  SBI_HSM_SUSPENDED, STEP_WAIT },
	{ "7.1", "send_ipi to hart 1: wakes it", SBI_EXT_IPI, 0, { 2, 0 }, 0, ANY },
	{ "9.2", "hart_get_status 1: STOPPED (its hart_stop)", SBI_EXT_HSM, 2, { 1 }, 0,
	  SBI_HSM_STOPPED, STEP_WAIT },
	{ "9.4", "non-retentive resume: a0 = hart id, a1 = opaque", P_RESUMED, 0, { 0 }, 1,
	  (long)OPAQUE },
	{ "9.4", "non-retentive resume: sstatus.SIE 0", P_RESUME_SIE, 0, { 0 }, 0, 0 },
	{ "9.4", "hart_suspend type 1: reserved", SBI_EXT_HSM, 3, { 1 }, SBI_ERR_INVALID_PARAM, ANY },
	{ "9.4", "hart_suspend type 0x0fffffff: reserved", SBI_EXT_HSM, 3, { 0x0fffffff },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "9.4", "hart_suspend type 0x10000000: platform, none", SBI_EXT_HSM, 3, { 0x10000000 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "9.4", "hart_suspend type 0x80000001: reserved", SBI_EXT_HSM, 3, { 0x80000001, T_RESUME },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "9.4", "hart_suspend type 0x90000000: platform, none", SBI_EXT_HSM, 3,
	  { 0x90000000, T_RESUME }, SBI_ERR_INVALID_PARAM, ANY },
	{ "9.4", "hart_suspend type 2^32: not 32 bits", SBI_EXT_HSM, 3, { 1ul << 32 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "9.4", "hart_suspend non-retentive, resume past RAM", SBI_EXT_HSM, 3,
	  { SBI_HSM_SUSPEND_NON_RETENTIVE, T_RAM_END }, SBI_ERR_INVALID_ADDRESS, ANY },
	/* Timer (chapter 6), and the retentive suspend it ends */
	{ "6.1", "set_timer in 1 ms", SBI_EXT_TIME, 0, { T_SOON }, 0, ANY },
	{ "9.4", "hart_suspend retentive: returns on the timer", SBI_EXT_HSM, 3,
	  { SBI_HSM_SUSPEND_RETENTIVE }, 0, ANY },
	{ "9.4", "retentive suspend ended after the timer's deadline", P_WOKE_LATE, 0, { 0 }, 0, 0 },
	{ "6.1", "set_timer never", SBI_EXT_TIME, 0, { ~0ul }, 0, ANY },
	{ "3", "TIME FID 1: unsupported", SBI_EXT_TIME, 1, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	{ "3", "HSM FID 4: unsupported", SBI_EXT_HSM, 4, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	/* IPI (chapter 7), hart lists (3.1) */
	{ "7.1", "send_ipi to itself", SBI_EXT_IPI, 0, { 1, 0 }, 0, ANY },
	{ "7.1", "send_ipi to nobody", SBI_EXT_IPI, 0, { 0, 0 }, 0, ANY },
	{ "7.1", "send_ipi to every hart (base -1)", SBI_EXT_IPI, 0, { 0, ~0ul }, 0, ANY },
	{ "3.1", "send_ipi to a hart it lacks", SBI_EXT_IPI, 0, { 1ul << HART_NONE, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "3.1", "send_ipi, base past its harts", SBI_EXT_IPI, 0, { 1, 0x7fffffff },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "3", "IPI FID 1: unsupported", SBI_EXT_IPI, 1, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	/* RFENCE (chapter 8) */
	{ "8.1", "remote_fence_i self", SBI_EXT_RFENCE, 0, { 1, 0 }, 0, ANY },
	{ "8.1", "remote_fence_i every hart", SBI_EXT_RFENCE, 0, { 0, ~0ul }, 0, ANY },
	{ "3.1", "remote_fence_i, a hart it lacks", SBI_EXT_RFENCE, 0, { 1ul << HART_NONE, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "8.2", "remote_sfence_vma all, every hart", SBI_EXT_RFENCE, 1, { 0, ~0ul, 0, 0 }, 0, ANY },
	{ "8.2", "remote_sfence_vma 2 pages, harts 0-1", SBI_EXT_RFENCE, 1,
	  { 3, 0, 0x80000000, 0x2000 }, 0, ANY },
	{ "8.2", "remote_sfence_vma size 2^XLEN-1", SBI_EXT_RFENCE, 1, { 1, 0, 0x1000, ~0ul },
	  0, ANY },
	{ "8.2", "remote_sfence_vma range past 2^XLEN", SBI_EXT_RFENCE, 1,
	  { 1, 0, ~0ul - 0xfff, 0x2000 }, SBI_ERR_INVALID_ADDRESS, ANY },
	{ "3.1", "remote_sfence_vma, a hart it lacks", SBI_EXT_RFENCE, 1,
	  { 1ul << HART_NONE, 0, 0, 0 }, SBI_ERR_INVALID_PARAM, ANY },
	{ "8.3", "remote_sfence_vma_asid all, every hart", SBI_EXT_RFENCE, 2,
	  { 0, ~0ul, 0, 0, 1 }, 0, ANY },
	{ "8.3", "remote_sfence_vma_asid a page, hart 1", SBI_EXT_RFENCE, 2,
	  { 1, 1, 0x80001000, 0x1000, 5 }, 0, ANY },
	{ "8.3", "remote_sfence_vma_asid range past 2^XLEN", SBI_EXT_RFENCE, 2,
	  { 1, 0, ~0ul, 2, 1 }, SBI_ERR_INVALID_ADDRESS, ANY },
	{ "8.4", "remote_hfence_gvma_vmid: no H in a guest", SBI_EXT_RFENCE, 3, { 1, 0, 0, 0, 1 },
	  SBI_ERR_NOT_SUPPORTED, ANY },
	{ "8.5", "remote_hfence_gvma: no H in a guest", SBI_EXT_RFENCE, 4, { 1, 0, 0, 0 },
	  SBI_ERR_NOT_SUPPORTED, ANY },
	{ "8.6", "remote_hfence_vvma_asid: no H in a guest", SBI_EXT_RFENCE, 5, { 1, 0, 0, 0, 1 },
	  SBI_ERR_NOT_SUPPORTED, ANY },
	{ "8.7", "remote_hfence_vvma: no H in a guest", SBI_EXT_RFENCE, 6, { 1, 0, 0, 0 },
	  SBI_ERR_NOT_SUPPORTED, ANY },
	{ "3", "RFENCE FID 7: unsupported", SBI_EXT_RFENCE, 7, { 1, 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	/* SRST (chapter 10): the bad calls; the good shutdown ends the run */
	{ "10.1", "system_reset type 3: reserved", SBI_EXT_SRST, 0, { 3, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "10.1", "system_reset type 0xf0000000: vendor, none", SBI_EXT_SRST, 0, { 0xf0000000, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "10.1", "system_reset reason 2: reserved", SBI_EXT_SRST, 0, { 0, 2 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "10.1", "system_reset reason 0xe0000000: SBI-specific, none", SBI_EXT_SRST, 0,
	  { 0, 0xe0000000 }, SBI_ERR_INVALID_PARAM, ANY },
	{ "3", "SRST FID 1: unsupported", SBI_EXT_SRST, 1, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	/* DBCN (chapter 12); buffers must be RAM (3.2) */
	{ "12.3", "console_write_byte '>'", SBI_EXT_DBCN, 2, { '>' }, 0, 0 },
	{ "12.3", "console_write_byte: a0's low 8 bits", SBI_EXT_DBCN, 2, { 0x100 | '>' }, 0, 0 },
	{ "12.1", "console_write of a message", SBI_EXT_DBCN, 0, { MSG_LEN, T_MSG, 0 }, 0, MSG_LEN },
	{ "12.1", "console_write of nothing", SBI_EXT_DBCN, 0, { 0, T_MSG, 0 }, 0, 0 },
	{ "12.1", "console_write across the end of RAM", SBI_EXT_DBCN, 0, { 16, T_RAM_END - 8, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "12.1", "console_write below RAM", SBI_EXT_DBCN, 0, { 1, 0x1000, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "12.1", "console_write of 2^64-1 bytes", SBI_EXT_DBCN, 0, { ~0ul, T_MSG, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "12.1", "console_write, base_addr_hi 1", SBI_EXT_DBCN, 0, { 1, T_MSG, 1 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "12.2", "console_read: nothing waits", SBI_EXT_DBCN, 1, { 64, T_BUF, 0 }, 0, 0 },
	{ "12.2", "console_read into no RAM", SBI_EXT_DBCN, 1, { 64, T_RAM_END, 0 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "12.2", "console_read, base_addr_hi 1", SBI_EXT_DBCN, 1, { 64, T_BUF, 1 },
	  SBI_ERR_INVALID_PARAM, ANY },
	{ "3", "DBCN FID 3: unsupported", SBI_EXT_DBCN, 3, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	/* The hypervisor's own calls (firmware range, 3; docs/hypercalls.md) */
	{ "3", "hypercall HC_VCPU_ID", SBI_EXT_HYP, HC_VCPU_ID, { 0 }, 0, 0 },
	{ "3", "hypercall 0xffff: unsupported", SBI_EXT_HYP, 0xffff, { 0 }, SBI_ERR_NOT_SUPPORTED,
	  HC_ERR_NOT_SUPPORTED },
	/* Extensions nobody here implements (3) */
	{ "3", "unknown extension", NOBODY, 0, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	{ "3", "PMU extension", EXT_PMU, 0, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
	{ "3", "SUSP extension", EXT_SUSP, 0, { 0 }, SBI_ERR_NOT_SUPPORTED, ANY },
};
#pragma GCC diagnostic pop

static u64 ram_base_, ram_size_, deadline, woke_at;
static volatile u64 resumed_a0 = ~0ul, resumed_a1, resumed_sie = ~0ul;
static char buf[64];
static const char msg[] = DBCN_MSG;

void conf_resume_entry(void);
void conf_resumed(u64 hartid, u64 opaque);
u64 conf_resume_stack[512] __attribute__((aligned(16)));

/* 9.4: a non-retentive resume has no stack: take one, then C. */
__asm__(".text\n"
	".balign 4\n"
	".globl conf_resume_entry\n"
	"conf_resume_entry:\n"
	"	mv	tp, a0\n"
	"	lla	sp, conf_resume_stack + 4096\n"
	"	call	conf_resumed\n"
	"1:	wfi\n"
	"	j	1b\n");

void conf_resumed(u64 hartid, u64 opaque)
{
	u64 sstatus;

	__asm__ volatile("csrr %0, sstatus" : "=r"(sstatus));
	resumed_sie = sstatus & SSTATUS_SIE;
	resumed_a1 = opaque;
	resumed_a0 = hartid;
	__asm__ volatile("csrc sip, %0" :: "r"(SIP_SSIP));
	vcpu_stop();
}

/* vCPU 1: suspend until vCPU 0's IPI, then resume at conf_resume_entry. */
void guest_secondary_main(u64 index)
{
	(void)index;
	__asm__ volatile("csrc sip, %0" :: "r"(SIP_SSIP));
	__asm__ volatile("csrs sie, %0" :: "r"(SIP_SSIP));
	sbi_call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, SBI_HSM_SUSPEND_NON_RETENTIVE,
		 (u64)conf_resume_entry, OPAQUE);
	uart_puts("sbi_conf: MISMATCH 9.4 non-retentive hart_suspend returned\n");
}

static u64 arg(u64 a)
{
	switch (a) {
	case T_MSG:
		return (u64)msg;
	case T_BUF:
		return (u64)buf;
	case T_RAM_END:
		return ram_base_ + ram_size_;
	case T_RAM_END - 8:
		return ram_base_ + ram_size_ - 8;
	case T_ENTRY:
		return (u64)guest_secondary_entry;
	case T_RESUME:
		return (u64)conf_resume_entry;
	case T_SOON:
		deadline = counter_ticks() + MS_TICKS;
		return deadline;
	default:
		return a;
	}
}

static struct sbi_ret ecall(u64 eid, u64 fid, const u64 *a)
{
	register u64 a0 __asm__("a0") = a[0];
	register u64 a1 __asm__("a1") = a[1];
	register u64 a2 __asm__("a2") = a[2];
	register u64 a3 __asm__("a3") = a[3];
	register u64 a4 __asm__("a4") = a[4];
	register u64 a6 __asm__("a6") = fid;
	register u64 a7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7) : "memory");
	return (struct sbi_ret){ (long)a0, (long)a1 };
}

static struct sbi_ret call(const struct row *r)
{
	u64 a[5];
	struct sbi_ret ret;

	switch (r->eid) {
	case P_RESUMED:
		return (struct sbi_ret){ (long)resumed_a0, (long)resumed_a1 };
	case P_RESUME_SIE:
		return (struct sbi_ret){ (long)resumed_sie, 0 };
	case P_WOKE_LATE:
		return (struct sbi_ret){ woke_at < deadline, 0 };
	}
	for (u32 i = 0; i < 5; i++)
		a[i] = arg(r->a[i]);
	ret = ecall(r->eid, r->fid, a);
	if (r->eid == SBI_EXT_HSM && r->fid == SBI_HSM_HART_SUSPEND)
		woke_at = counter_ticks();
	return ret;
}

static int matches(const struct row *r, struct sbi_ret got)
{
	if (r->step == STEP_LEGACY)
		return got.error == r->err;
	return got.error == r->err && (r->val == ANY || got.value == r->val);
}

static int check(const struct row *r)
{
	struct sbi_ret got = call(r);

	for (u32 i = 0; r->step == STEP_WAIT && !matches(r, got) && i < WAIT_TRIES; i++) {
		cpu_wait_event();
		got = call(r);
	}
	__asm__ volatile("csrc sip, %0" :: "r"(SIP_SSIP));	/* an IPI it sent itself */
	if (matches(r, got))
		return 1;
	uart_puts("sbi_conf: MISMATCH ");
	uart_puts(r->sec);
	uart_puts(" ");
	uart_puts(r->what);
	uart_puts(": error ");
	uart_put_s64(got.error);
	uart_puts(" value ");
	uart_put_s64(got.value);
	uart_puts(", want ");
	uart_put_s64(r->err);
	uart_puts(" value ");
	uart_put_s64(r->val);
	uart_puts("\n");
	return 0;
}

/*
 * 12.2 and 5.3 with input: the test types 4 bytes; DBCN console_read takes
 * the first 3 (in as many calls as it needs), the legacy getchar the 4th.
 */
static void read_typed(void)
{
	u64 end = counter_ticks() + TYPED_WAIT, none[5] = { 0 };
	u32 got = 0;
	long c = -1;

	uart_puts("sbi_conf: type 4 bytes\n");
	while (got < TYPED_DBCN && counter_ticks() < end) {
		u64 a[5] = { TYPED_DBCN - got, (u64)buf + got, 0, 0, 0 };
		struct sbi_ret r = ecall(SBI_EXT_DBCN, SBI_DBCN_READ, a);

		if (r.error || (u64)r.value > TYPED_DBCN - got)
			break;
		got += (u32)r.value;
	}
	while (c < 0 && counter_ticks() < end)
		c = ecall(SBI_LEGACY_GETCHAR, 0, none).error;
	buf[got] = '\0';
	uart_puts("sbi_conf: dbcn console_read '");
	uart_puts(buf);
	uart_puts("', legacy getchar ");
	uart_put_s64(c);
	uart_puts("\n");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	u32 n = sizeof(rows) / sizeof(rows[0]), bad = 0;

	ram_base_ = ram_base;
	ram_size_ = ram_size;
	if (vcpu_count() != 2)
		put_line_u64("sbi_conf: MISMATCH: needs 2 vCPUs, has ", vcpu_count(), "");
	/* Interrupts enabled but never taken (sstatus.SIE 0): they end a suspend. */
	__asm__ volatile("csrs sie, %0" :: "r"(SIP_SSIP | SIE_STIE));
	for (u32 i = 0; i < n; i++)
		bad += !check(&rows[i]);
	uart_puts("sbi_conf: ");
	uart_put_u64(n);
	uart_puts(" calls, ");
	uart_put_u64(bad);
	uart_puts(" mismatches\n");
	read_typed();
}
