// SPDX-License-Identifier: MIT
/*
 * The "storm" guest, the second half of the hostile suite (the first is
 * <arch>/hostile.c), on 2 vCPUs beside an honest VM: it misuses the power
 * interface (a vCPU it does not have, an entry outside its RAM), then
 * storms: bad releases, unknown hypercalls, the arch's own bad firmware
 * calls, idle instructions (WFE, WFI), writes to an empty device window
 * (each an injected abort or access fault, resumed past); then one more
 * bad power call. Last it makes an MMIO access the hypervisor cannot
 * decode, which stops its VM. Each kind must cost only itself, and the
 * hypervisor's log must stay a few lines however long the storm. What
 * differs between arches is in <arch>/storm_arch.h.
 */
#include "lib.h"
#include "storm_arch.h"

#define STORM_CALLS	20000
#define STORM_IDLE	20000
#define STORM_ABORTS	2000

static u32 aborts, others;

static void power_misuse(void)
{
	put_line_u64("storm: " STORM_POWER_ON " of a vCPU it does not have: ",
		     (u64)-vcpu_start(vcpu_count()), " (negated)");
	put_line_u64("storm: " STORM_POWER_ON " with an entry outside its RAM: ",
		     (u64)-storm_vcpu_start_at(1, OUTSIDE_ADDR), " (negated)");
}

static void storms(u64 ram_base)
{
	u64 bad = hyp_unknown_call() != HC_ERR_NOT_SUPPORTED;

	for (u32 i = 0; i < STORM_CALLS; i++)
		bad += hyp_mem_release(ram_base + 8, PAGE_SIZE) == 0;
	put_line_u64("storm: bad releases that succeeded (or calls not refused): ", bad, "");
	bad = 0;
	for (u32 i = 0; i < STORM_CALLS; i++)
		bad += hyp_unknown_call() != HC_ERR_NOT_SUPPORTED;
	put_line_u64("storm: unknown hypercalls not answered -1: ", bad, "");
	storm_arch_calls(STORM_CALLS);
	storm_idle_begin();
	for (u32 i = 0; i < STORM_IDLE; i++)
		storm_idle();
	storm_idle_end();
	put_line_u64("storm: still running after ", STORM_IDLE, " " STORM_IDLE_INSN "s");
	for (u32 i = 0; i < STORM_ABORTS; i++)
		mmio_write32(NO_DEVICE_ADDR, i);
	put_line_u64("storm: " STORM_ABORT_NAME " taken ", aborts, "");
	put_line_u64("storm: other exceptions ", others, "");
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_size;
	power_misuse();
	storms(ram_base);
	storm_arch_last(ram_base);
	uart_puts("storm: " STORM_UNDECODABLE_LINE "\n");
	storm_undecodable();
	uart_puts("storm: still running, the " STORM_UNDECODABLE " was NOT caught\n");
}

/* Each injected abort or access fault: counted and resumed past the store. */
void guest_exception(u64 cause, u64 pc, u64 addr)
{
	(void)addr;
	if (storm_is_abort(cause))
		aborts++;
	else
		others++;
	storm_skip(pc);
}
