/* SPDX-License-Identifier: MIT */
/*
 * A fake arch for host tests of hyp/ (after Hafnium's src/arch/fake): the
 * contract of hyp/arch/{cpu,irq,mm,tlb,vcpu}.h where a "CPU" is a thread with pt_host_cpu set.
 * What never returns (entering a vCPU, going idle, powering off) records
 * how it ended and jumps back to where fake_run() began on that CPU.
 * fake_machine.c builds a machine of that: RAM, VMs, guest accesses
 * through a per-CPU TLB model, hypercalls, each test in its own process.
 */
#ifndef TESTS_FAKE_ARCH_H
#define TESTS_FAKE_ARCH_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>

#include "vm.h"

#define FAKE_RAM_BASE		0x40000000ull	/* every VM's guest-physical RAM */
#define FAKE_VM_RAM		(4ull << 20)
#define FAKE_UART_BASE		0x09000000ull	/* every VM's PL011 */
#define FAKE_HOST_RAM		(64ull << 20)
#define FAKE_TLB_SLOTS		64
#define FAKE_WAITS_FOREVER	(~0u)

enum fake_exit_kind {
	FAKE_RETURNED,		/* the function returned */
	FAKE_RUN,		/* arch_vcpu_run() */
	FAKE_IDLE,		/* arch_cpu_idle_reset() */
	FAKE_POWER_OFF,		/* arch_power_off() */
	FAKE_WAIT_LIMIT,	/* arch_wait_event() once more than fake_idle() allowed */
};

struct fake_exit {
	enum fake_exit_kind kind;
	struct vcpu *vcpu;	/* FAKE_RUN: what it entered, and how */
	u64 entry, arg0, arg1;
};

/* What the core asked of the arch, counted. */
struct fake_counts {
	u64 pages_written;	/* arch_guest_page_written, arch_guest_page_zeroed */
	u64 mem_syncs;		/* arch_guest_mem_sync */
	u64 s2_invals;		/* arch_tlb_s2_inval */
	u64 s2_sync_new;	/* arch_tlb_s2_sync_new */
	u64 s1_invals;		/* arch_tlb_s1_inval */
	u64 events_sent;	/* arch_send_event */
	u32 cpus_started;	/* arch_cpu_start: a bit per logical CPU */
	u32 mm_enabled;		/* arch_mm_enable */
};
extern struct fake_counts fake_counts;

/* A VM's wired lines (hyp/arch/vm_irq.h): the level each was last driven to. */
#define FAKE_IRQ_LINES		8
struct fake_irq_lines {
	bool level[FAKE_IRQ_LINES];
	u32 changes[FAKE_IRQ_LINES];	/* calls per line */
	u32 redundant;			/* calls that drove a line to the level it had */
};
extern struct fake_irq_lines fake_irq_lines[HYP_MAX_VMS];

typedef void fake_fn(void *arg);

/* fake_arch.c: the contract, and the CPUs it runs on. */
void fake_arch_init(void);
/* This thread is CPU @cpu from now on. */
void fake_cpu_set(u32 cpu);
/* @fn(@arg) on this thread as CPU @cpu, until it returns or the CPU leaves it. */
struct fake_exit fake_run(u32 cpu, fake_fn *fn, void *arg);
/* vcpu_idle(@cpu) until it enters a vCPU, or it waited @max_waits times. */
struct fake_exit fake_idle(u32 cpu, u32 max_waits);
/* The same as a fake_fn, for a thread: @max_waits points to a u32. */
void fake_idle_loop(void *max_waits);

/* The TLB of this CPU: host address of @ipa of @vm, walking stage 2 on a miss; NULL if unmapped. */
void *fake_tlb_translate(struct vm *vm, u64 ipa);
/* How many CPUs cache a translation of the page holding @ipa. */
u32 fake_tlb_holders(const struct vm *vm, u64 ipa);

/* Console output: every character the hypervisor printed, "\r\n" included. */
void fake_console_putc(char c);
/* How many whole lines read @line (without its "\r\n"). */
u32 fake_console_count(const char *line);
/* How many lines begin with @prefix. */
u32 fake_console_count_prefix(const char *prefix);
size_t fake_console_len(void);
/* A NUL-terminated copy of the output, at most @size - 1 characters. */
void fake_console_copy(char *buf, size_t size);

/* Handed-over VMs get their tree in entry argument @arg (arch/guest.h: 0 as on arm64, the default; 1 as on RISC-V). */
void fake_guest_dt_arg(u8 arg);

/* fake_machine.c: the machine the tests run. */
/* CPUs (a bit each) that never came online: hyp_cpu_lost() says so (all online: 0). */
extern u32 fake_cpus_lost;
/* Boot it: the arch, the console, guest memory (fake_run_tests() does it for each test). */
int fake_machine_boot(void);
/* Each test in a child process with a freshly booted machine; returns the failures. */
int fake_run_tests(const char *name, const struct CMUnitTest *tests, size_t n);
#define FAKE_RUN_TESTS(tests)	fake_run_tests(#tests, tests, ARRAY_SIZE(tests))

/* A VM at FAKE_RAM_BASE with a PL011 at FAKE_UART_BASE, vCPUs on CPUs no VM has. */
struct vm *fake_vm_create(const char *name, u32 nr_vcpus, const u8 *image, u64 image_size);
/* vm_start(): vCPU 0's CPU enters it. */
void fake_vm_start(struct vm *vm);
/* vCPU @id turned on at the RAM base with its index as argument; its CPU enters it. */
struct vcpu *fake_vcpu_up(struct vm *vm, u32 id);

/* A guest access by @vcpu on its CPU, through the CPU's TLB, faulting pages in. */
void fake_guest_write(struct vcpu *vcpu, u64 ipa, const void *buf, u64 len);
void fake_guest_read(struct vcpu *vcpu, u64 ipa, void *buf, u64 len);
/* What the fake arch hands its VMs from now on (ARCH_BOOT_INFO_*; a test's own process). */
void fake_guest_boot_info(u8 kind);
u8 fake_guest_byte(struct vcpu *vcpu, u64 ipa);

/* hypercall() from @vcpu on its CPU; *@ret is its result if it returned. */
struct fake_exit fake_hypercall(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1, s64 *ret);

/* A thread that is CPU @cpu running @fn(@arg). */
struct fake_thread {
	pthread_t thread;
	u32 cpu;
	fake_fn *fn;
	void *arg;
	struct fake_exit exit;
};
void fake_thread_start(struct fake_thread *t, u32 cpu, fake_fn *fn, void *arg);
struct fake_exit fake_thread_join(struct fake_thread *t);

/* Start @n threads together: each waits here until all have come. */
struct fake_barrier {
	u32 n, arrived;
};
void fake_barrier_wait(struct fake_barrier *b);

#endif
