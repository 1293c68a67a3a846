// SPDX-License-Identifier: MIT
/*
 * The "irqstorm" guest: interrupt storms beside an honest VM
 * (configs/irqstorm.vm, docs/security.md). With 2 vCPUs, for STORM_MS
 * of its virtual time vCPU 0 keeps its virtual timer firing at the
 * shortest interval (CVAL 0, re-armed in the handler) while both vCPUs
 * send SGIs to each other and to vCPUs the VM does not have in a tight
 * loop; then it writes all-ones to, and reads, every offset of its
 * distributor and redistributors at every width (the honest neighbour
 * has finished by then: a few seconds of traps under QEMU), says what it
 * counted and powers its VM off. Its counts vary; what matters is that it
 * ends, the hypervisor's log stays quiet and the neighbour is intact.
 */
#include "gic_guest.h"

#define SGI_STORM	1
#define STORM_MS	1000ul
#define NS_PER_MS	1000000ul
#define NR_VCPUS	2

static u64 deadline;
static u32 timer_irqs, bad_irqs, ready, done;
static volatile u32 sgis_taken[NR_VCPUS], sgis_sent[NR_VCPUS];

static int storm_over(void)
{
	return counter_ticks() >= *(volatile u64 *)&deadline;
}

/*
 * The timer re-armed in the past each time until the deadline, then off.
 * vCPU 0 may do nothing but take it meanwhile: it sends its SGIs from here.
 */
static void timer_irq(void)
{
	timer_irqs++;
	sgi_send(SGI_STORM, 1);
	sgi_send_to_nobody(SGI_STORM);
	sgis_sent[0]++;
	if (storm_over())
		__asm__ volatile("msr cntv_ctl_el0, xzr; isb" ::: "memory");
	else
		__asm__ volatile("msr cntv_cval_el0, xzr; isb" ::: "memory");
}

void guest_exception(u64 esr, u64 elr, u64 far)
{
	u32 intid = gic_ack();
	u32 self = vcpu_self();

	if (intid >= INTID_SPURIOUS) {
		put_line_u64("irqstorm: unexpected exception, ESR ", esr, "");
		put_line_u64("irqstorm: at ", elr, "");
		(void)far;
		system_off();
	}
	if (intid == PPI_VTIMER && self == 0)
		timer_irq();
	else if (intid == SGI_STORM && self < NR_VCPUS)
		sgis_taken[self]++;
	else
		bad_irqs++;
	gic_eoi(intid);
}

/* SGIs to the other vCPU and to vCPUs the VM lacks until the deadline. */
static void sgi_storm(u32 self)
{
	while (!storm_over()) {
		sgi_send(SGI_STORM, self ^ 1);
		sgi_send_to_nobody(SGI_STORM);
		sgis_sent[self]++;
	}
}

void guest_secondary_main(u64 index)
{
	gic_cpu_on((u32)index, 1u << SGI_STORM);
	atomic_inc(&ready);
	sgi_storm((u32)index);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	atomic_inc(&done);
}

static void storm(void)
{
	u64 freq;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	deadline = counter_ticks() + freq * STORM_MS / 1000;
	if (vcpu_start(1)) {
		uart_puts("irqstorm: CPU_ON failed\n");
		return;
	}
	wait_at_least(&ready, 1);
	__asm__ volatile("msr cntv_cval_el0, xzr; msr cntv_ctl_el0, %0; isb"
			 :: "r"(CNTV_CTL_ENABLE) : "memory");
	sgi_storm(0);
	wait_at_least(&done, 1);
	while (!vcpu_is_off(1))
		cpu_wait_event();
}

void guest_main(u64 ram_base, u64 ram_size)
{
	(void)ram_base;
	(void)ram_size;
	if (vcpu_count() != NR_VCPUS) {
		uart_puts("irqstorm: needs 2 vCPUs\n");
		return;
	}
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_GRP1);
	gic_cpu_on(0, 1u << PPI_VTIMER | 1u << SGI_STORM);
	storm();
	__asm__ volatile("msr daifset, #2" ::: "memory");
	gic_poke_all(GICD_BASE, GICD_SIZE);
	gic_poke_all(GICR_BASE, NR_VCPUS * GICR_STRIDE);
	uart_puts("irqstorm: every GICD and GICR offset written and read at every width\n");
	put_line_u64("irqstorm: timer interrupts ", timer_irqs, "");
	put_line_u64("irqstorm: SGIs sent by vCPU 0 ", sgis_sent[0], "");
	put_line_u64("irqstorm: SGIs sent by vCPU 1 ", sgis_sent[1], "");
	put_line_u64("irqstorm: SGIs taken by vCPU 0 ", sgis_taken[0], "");
	put_line_u64("irqstorm: SGIs taken by vCPU 1 ", sgis_taken[1], "");
	put_line_u64("irqstorm: unexpected interrupts ", bad_irqs, "");
	system_off();
}
