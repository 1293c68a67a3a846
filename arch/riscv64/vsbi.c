// SPDX-License-Identifier: MIT
/*
 * The SBI of the guests (RISC-V SBI specification v2.0), an ECALL from
 * VS-mode: a7 = EID, a6 = FID, a0-a5 the arguments; a0 = the error, a1 =
 * the value (3, "Binary Encoding"). Implemented: Base, Timer (vtimer.c:
 * vstimecmp with Sstc, else the hart's SBI timer and hvip), IPI (VSSIP
 * through hvip on the target's own hart), RFENCE (vsbi_rfence.c), HSM
 * (start, stop, status, suspend), SRST (of the VM only), DBCN
 * (vsbi_dbcn.c), the legacy putchar, getchar, set_timer and shutdown,
 * and this hypervisor's own calls (SBI_EXT_HYP, FID = the HC_*
 * number, docs/hypercalls.md). Everything else answers
 * SBI_ERR_NOT_SUPPORTED. Section numbers are those of SBI v2.0.
 */
#include "console.h"
#include "csr.h"
#include "guest_abi.h"
#include "hypercall.h"
#include "power.h"
#include "vdev/vns16550.h"
#include "vsbi.h"

#define REG_A0			VSBI_REG_A0
#define REG_A1			VSBI_REG_A1
#define REG_A2			VSBI_REG_A2
#define REG_A6			16
#define REG_A7			17
#define SRST_REASON_VENDOR	0xf0000000u	/* "System Reset Extension": 0xF0000000 and up */
#define SRST_REASON_FAILURE	1

static bool ext_implemented(u64 eid)
{
	switch (eid) {
	case SBI_EXT_BASE:
	case SBI_EXT_TIME:
	case SBI_EXT_HSM:
	case SBI_EXT_SRST:
	case SBI_EXT_IPI:
	case SBI_EXT_RFENCE:
	case SBI_EXT_DBCN:
	case SBI_EXT_HYP:
	case SBI_LEGACY_SET_TIMER:
	case SBI_LEGACY_PUTCHAR:
	case SBI_LEGACY_GETCHAR:
	case SBI_LEGACY_SHUTDOWN:
		return true;
	default:
		return false;
	}
}

static struct sbiret vsbi_base(u64 fid, u64 a0)
{
	switch (fid) {
	case SBI_BASE_SPEC_VERSION:
		return sbi_ok(SBI_SPEC_VERSION_2_0);
	case SBI_BASE_IMPL_ID:
		return sbi_ok(SBI_IMPL_ID_HYP);
	case SBI_BASE_IMPL_VERSION:
		return sbi_ok(SBI_IMPL_VERSION_HYP);
	case SBI_BASE_PROBE_EXT:
		return sbi_ok(ext_implemented(a0));
	case SBI_BASE_MVENDORID:	/* 0: not implemented (the guest sees no vendor) */
	case SBI_BASE_MARCHID:
	case SBI_BASE_MIMPID:
		return sbi_ok(0);
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}

/* The guest's timer (vtimer.c), compared with time + htimedelta (0). */
static struct sbiret vsbi_set_timer(u64 stime)
{
	riscv_vtimer_set(stime);
	return sbi_ok(0);
}

static long hsm_start_error(enum power_ret r)
{
	switch (r) {
	case POWER_OK:
		return SBI_SUCCESS;
	case POWER_BAD_ENTRY:
		return SBI_ERR_INVALID_ADDRESS;
	case POWER_ALREADY_ON:
	case POWER_ON_PENDING:
		return SBI_ERR_ALREADY_AVAILABLE;
	case POWER_NO_CPU:
		return SBI_ERR_FAILED;
	default:
		return SBI_ERR_INVALID_PARAM;
	}
}

/*
 * 9.4: the default retentive type returns once an interrupt the guest
 * enabled is pending (as WFI would); the default non-retentive type then
 * enters @resume with vsatp 0, vsstatus.SIE 0, a0 = the hart id and a1 =
 * opaque (table "HSM Hart Resume Register State"); every other type is
 * reserved or platform-specific and not implemented: SBI_ERR_INVALID_PARAM.
 */
static struct sbiret vsbi_hsm_suspend(struct vcpu *vcpu, struct riscv_regs *regs)
{
	u64 type = regs->x[REG_A0], resume = regs->x[REG_A1], opaque = regs->x[REG_A2];

	if (type != SBI_HSM_SUSPEND_RETENTIVE && type != SBI_HSM_SUSPEND_NON_RETENTIVE)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (type == SBI_HSM_SUSPEND_NON_RETENTIVE && !vm_ipa_in_ram(vcpu->vm, resume, 1)) {
		vm_log_refused(vcpu->vm, "SBI hart_suspend (0x%llx, 0x%llx) refused: %d",
			       (unsigned long long)type, (unsigned long long)resume,
			       SBI_ERR_INVALID_ADDRESS);
		return sbi_err(SBI_ERR_INVALID_ADDRESS);
	}
	__atomic_store_n(&vcpu->arch->suspended, 1, __ATOMIC_RELEASE);
	riscv_vcpu_suspend(vcpu);
	__atomic_store_n(&vcpu->arch->suspended, 0, __ATOMIC_RELEASE);
	if (type == SBI_HSM_SUSPEND_RETENTIVE)
		return sbi_ok(0);
	csr_write(vsatp, 0);
	csr_clear(vsstatus, SSTATUS_SIE);
	regs->sepc = resume;
	return (struct sbiret){ .error = (long)vcpu->id, .value = (long)opaque };	/* a0, a1 */
}

static struct sbiret vsbi_hart_status(struct vm *vm, u64 hartid)
{
	enum vcpu_power state;

	if (hartid > ~0u || vcpu_power_state(vm, (u32)hartid, &state))
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (state == VCPU_POWER_ON &&
	    __atomic_load_n(&vm->vcpus[hartid].arch->suspended, __ATOMIC_ACQUIRE))
		return sbi_ok(SBI_HSM_SUSPENDED);
	return sbi_ok(state == VCPU_POWER_ON ? SBI_HSM_STARTED :
		      state == VCPU_POWER_OFF ? SBI_HSM_STOPPED : SBI_HSM_START_PENDING);
}

/* Virtual hart ids are the vCPU indexes. */
static struct sbiret vsbi_hsm(struct vcpu *vcpu, u64 fid, struct riscv_regs *regs)
{
	u64 hartid = regs->x[REG_A0];
	long err;

	switch (fid) {
	case SBI_HSM_HART_START:
		err = hartid >= vcpu->vm->nr_vcpus ? SBI_ERR_INVALID_PARAM :
		      hsm_start_error(vcpu_power_on(vcpu->vm, (u32)hartid, regs->x[REG_A1],
						    hartid, regs->x[REG_A2]));
		if (err == SBI_ERR_INVALID_PARAM || err == SBI_ERR_INVALID_ADDRESS)
			vm_log_refused(vcpu->vm, "SBI hart_start (%llu, 0x%llx) refused: %ld",
				       (unsigned long long)hartid,
				       (unsigned long long)regs->x[REG_A1], err);
		return sbi_err(err);
	case SBI_HSM_HART_STOP:
		vcpu_power_off(vcpu);
	case SBI_HSM_HART_STATUS:
		return vsbi_hart_status(vcpu->vm, hartid);
	case SBI_HSM_HART_SUSPEND:
		return vsbi_hsm_suspend(vcpu, regs);
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}

static struct sbiret vsbi_ipi(struct vcpu *vcpu, u64 fid, u64 mask, u64 base)
{
	struct vm *vm = vcpu->vm;
	long err;

	if (fid != SBI_IPI_SEND)
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	err = vsbi_hart_list_valid(vm, mask, base);
	if (err)
		return sbi_err(err);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (vsbi_hart_in_list(i, mask, base))
			riscv_vcpu_raise(&vm->vcpus[i], IRQ_VS_SOFT);
	return sbi_ok(0);
}

/* System reset of the VM only: shutdown powers it off, a reboot restarts it. */
static struct sbiret vsbi_srst(struct vcpu *vcpu, u64 fid, u64 type, u64 reason)
{
	if (fid != SBI_SRST_RESET)
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	if (type > SBI_SRST_WARM_REBOOT || (reason > SRST_REASON_FAILURE &&
					    reason < SRST_REASON_VENDOR) || reason > ~0u)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (type == SBI_SRST_SHUTDOWN) {
		hyp_log("hyp: %s: SBI SRST shutdown\n", vcpu->vm->name);
		vm_power_off(vcpu);
	}
	vm_reset(vcpu, "SBI SRST reboot");
}

/* The project's calls: the HC_* error codes in a1, translated to SBI's in a0. */
static struct sbiret vsbi_hyp(struct vcpu *vcpu, u64 fid, const struct riscv_regs *regs)
{
	s64 r = hypercall(vcpu, fid, regs->x[REG_A0], regs->x[REG_A1], regs->x[REG_A2]);

	if (r >= 0)
		return sbi_ok(r);
	return (struct sbiret){ .error = r == HC_ERR_NOT_SUPPORTED ? SBI_ERR_NOT_SUPPORTED :
					 r == HC_ERR_INVALID ? SBI_ERR_INVALID_PARAM :
					 SBI_ERR_FAILED,
				.value = r };
}

/* The legacy extensions (v0.1) answer in a0 alone. */
static bool vsbi_legacy(struct vcpu *vcpu, u64 eid, struct riscv_regs *regs)
{
	switch (eid) {
	case SBI_LEGACY_SET_TIMER:
		regs->x[REG_A0] = (u64)vsbi_set_timer(regs->x[REG_A0]).error;
		return true;
	case SBI_LEGACY_PUTCHAR:
		vm_console_putc(vcpu, (char)regs->x[REG_A0]);
		regs->x[REG_A0] = 0;
		return true;
	case SBI_LEGACY_GETCHAR:	/* 5.3: the byte, or -1 */
		regs->x[REG_A0] = (u64)(s64)vns16550_getc(vcpu);
		return true;
	case SBI_LEGACY_SHUTDOWN:
		hyp_log("hyp: %s: SBI SRST shutdown\n", vcpu->vm->name);
		vm_power_off(vcpu);
	default:
		return false;
	}
}

static struct sbiret vsbi_ext(struct vcpu *vcpu, u64 eid, u64 fid, struct riscv_regs *regs)
{
	switch (eid) {
	case SBI_EXT_BASE:
		return vsbi_base(fid, regs->x[REG_A0]);
	case SBI_EXT_TIME:
		return fid == SBI_TIME_SET_TIMER ? vsbi_set_timer(regs->x[REG_A0]) :
						   sbi_err(SBI_ERR_NOT_SUPPORTED);
	case SBI_EXT_HSM:
		return vsbi_hsm(vcpu, fid, regs);
	case SBI_EXT_IPI:
		return vsbi_ipi(vcpu, fid, regs->x[REG_A0], regs->x[REG_A1]);
	case SBI_EXT_RFENCE:
		return vsbi_rfence(vcpu, fid, regs);
	case SBI_EXT_DBCN:
		return vsbi_dbcn(vcpu, fid, regs);
	case SBI_EXT_SRST:
		return vsbi_srst(vcpu, fid, regs->x[REG_A0], regs->x[REG_A1]);
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}

/* Everything but the project's calls and the base extension. */
static void __attribute__((noinline))
vsbi_call_other(struct vcpu *vcpu, u64 eid, u64 fid, struct riscv_regs *regs)
{
	struct sbiret r;

	if (vsbi_legacy(vcpu, eid, regs))
		return;
	r = vsbi_ext(vcpu, eid, fid, regs);
	regs->x[REG_A0] = (u64)r.error;
	regs->x[REG_A1] = (u64)r.value;
}

/* The project's calls first, then the base extension: the hot paths (the bench's). */
void riscv_vsbi_call(struct vcpu *vcpu, struct riscv_regs *regs)
{
	u64 eid = regs->x[REG_A7], fid = regs->x[REG_A6];
	struct sbiret r;

	if (eid == SBI_EXT_HYP) {
		r = vsbi_hyp(vcpu, fid, regs);
	} else if (eid == SBI_EXT_BASE) {
		r = vsbi_base(fid, regs->x[REG_A0]);
	} else {
		vsbi_call_other(vcpu, eid, fid, regs);
		return;
	}
	regs->x[REG_A0] = (u64)r.error;
	regs->x[REG_A1] = (u64)r.value;
}
