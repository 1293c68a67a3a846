// SPDX-License-Identifier: MIT
/*
 * The "stop" guest: ends its VM with the HYP_VM_STOP hypercall and an exit
 * code. The hypervisor must stop the VM with one line naming the code;
 * the hypercall never returns.
 */
#include "lib.h"

#define STOP_CODE	7

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_base;
	(void)ram_size;
	put_line_u64("stop: asking to stop with code ", STOP_CODE, "");
	hyp_vm_stop(STOP_CODE);
	uart_puts("stop: HYP_VM_STOP RETURNED\n");
}
