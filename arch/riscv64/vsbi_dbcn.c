// SPDX-License-Identifier: MIT
/*
 * The SBI debug console for the guests (SBI v2.0 chapter 12): bytes go to
 * the VM's console line, as its UART's do, and come from its UART's
 * receive FIFO. A buffer is guest-physical, [base_addr_lo, + num_bytes):
 * it must lie in the VM's RAM with base_addr_hi 0 (RAM is below 2^64),
 * else SBI_ERR_INVALID_PARAM (12.1, 12.2 and their requirements, 3.2),
 * logged as a refused call; it is then reached through the VM's stage 2
 * (vm_ipa_to_va), a page at a time, never past what was checked. Write and
 * read are non-blocking and may do part of the work: DBCN_MAX bytes a call.
 */
#include "arch/mm.h"
#include "page_alloc.h"
#include "console.h"
#include "vdev/vns16550.h"
#include "vsbi.h"

#define DBCN_MAX		4096

static long dbcn_check(struct vcpu *vcpu, const char *what, u64 num, u64 lo, u64 hi)
{
	if (!hi && vm_ipa_in_ram(vcpu->vm, lo, num))
		return SBI_SUCCESS;
	vm_log_refused(vcpu->vm, "SBI DBCN %s (%llu bytes at 0x%llx, hi 0x%llx) refused: %d", what,
		       (unsigned long long)num, (unsigned long long)lo, (unsigned long long)hi,
		       SBI_ERR_INVALID_PARAM);
	return SBI_ERR_INVALID_PARAM;
}

static struct sbiret dbcn_write(struct vcpu *vcpu, u64 gpa, u64 len)
{
	u64 done;

	len = MIN(len, DBCN_MAX);
	done = vm_console_write(vcpu, gpa, len);
	return done || !len ? sbi_ok((long)done) : sbi_err(SBI_ERR_FAILED);
}

/* Data only, so no arch_guest_page_written(): the guest reads it as data. */
static struct sbiret dbcn_read(struct vcpu *vcpu, u64 gpa, u64 len)
{
	u64 done = 0;

	len = MIN(len, DBCN_MAX);
	while (done < len) {
		char *p = vm_ipa_to_va(vcpu->vm, gpa + done);
		int c;

		if (!p)
			return done ? sbi_ok((long)done) : sbi_err(SBI_ERR_FAILED);
		c = vns16550_getc(vcpu);
		if (c < 0)
			break;
		*p = (char)c;
		done++;
	}
	return sbi_ok((long)done);
}

struct sbiret vsbi_dbcn(struct vcpu *vcpu, u64 fid, const struct riscv_regs *regs)
{
	u64 num = regs->x[VSBI_REG_A0], lo = regs->x[VSBI_REG_A1], hi = regs->x[VSBI_REG_A2];

	switch (fid) {
	case SBI_DBCN_WRITE:
		if (dbcn_check(vcpu, "console_write", num, lo, hi))
			return sbi_err(SBI_ERR_INVALID_PARAM);
		return dbcn_write(vcpu, lo, num);
	case SBI_DBCN_READ:
		if (dbcn_check(vcpu, "console_read", num, lo, hi))
			return sbi_err(SBI_ERR_INVALID_PARAM);
		return dbcn_read(vcpu, lo, num);
	case SBI_DBCN_WRITE_BYTE:	/* 12.3: the low 8 bits of a0 */
		vm_console_putc(vcpu, (char)(num & 0xff));
		return sbi_ok(0);
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}
