// SPDX-License-Identifier: MIT
/*
 * The arch contract (hyp/arch/{cpu,irq,mm,tlb,vcpu}.h) on the host. A CPU is a thread; what
 * never returns longjmps back to fake_run() with a record of how it
 * ended; waiting is a condition variable; stage 2 is the arm64 format;
 * each CPU has a TLB of the translations it looked up, which
 * arch_tlb_s2_inval() empties of the range on every CPU. The contract's
 * preconditions that can be seen from here are checked: a breach aborts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arch/cpu.h"
#include "arch/guest.h"
#include "arch/irq.h"
#include "arch/mm.h"
#include "arch/tlb.h"
#include "arch/vm_irq.h"
#include "arch/vcpu.h"
#include "fake_arch.h"
#include "fdt_write.h"
#include "page_alloc.h"
#include "pt_alloc.h"
#include "pt_fmt_arm64.h"
#include "vm_config.h"

#define FAKE_CONSOLE_SIZE	(1u << 20)
#define FAKE_S2_IPA_BITS	40
#define FAKE_S2_START_LEVEL	1
#define FAKE_S1_IA_BITS		48
#define NSEC_PER_USEC		1000ull
#define NSEC_PER_SEC		1000000000ull

/* tests/unit/plat_host.c: the walker's idea of this thread's CPU. */
extern _Thread_local unsigned int pt_host_cpu;

struct fake_tlb_entry {
	bool valid;
	u32 vmid;
	u64 page;		/* guest-physical */
	u8 *va;			/* the host page it translates to */
};

struct fake_cpu {
	jmp_buf *jb;		/* where fake_run() began */
	struct fake_exit exit;
	u32 waits_left;
	pthread_mutex_t tlb_lock;
	u32 tlb_next;
	struct fake_tlb_entry tlb[FAKE_TLB_SLOTS];
};

struct arch_vcpu {
	struct vcpu *vcpu;
	u32 nr_entered;
};

struct arch_vm {
	struct vm *vm;
	struct arch_vcpu vcpus[VM_MAX_VCPUS];
};

struct fake_counts fake_counts;
char _erodata[8];	/* _start, _etext and _end are the test program's own */

static struct fake_cpu fake_cpus[HYP_MAX_CPUS];
static struct arch_vm fake_vms[HYP_MAX_VMS];
static pthread_mutex_t event_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t event_cond;
static u64 event_count;
static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static char console_buf[FAKE_CONSOLE_SIZE];
static size_t console_len;

static void __attribute__((noreturn, format(printf, 1, 2))) fake_breach(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fake arch: contract breached on cpu %u: ", pt_host_cpu);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static struct fake_cpu *this_cpu(void)
{
	return &fake_cpus[pt_host_cpu];
}

void fake_arch_init(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&event_cond, &attr);
	pthread_condattr_destroy(&attr);
	for (u32 i = 0; i < HYP_MAX_CPUS; i++)
		pthread_mutex_init(&fake_cpus[i].tlb_lock, NULL);
}

void fake_cpu_set(u32 cpu)
{
	if (cpu >= HYP_MAX_CPUS)
		fake_breach("no CPU %u", cpu);
	pt_host_cpu = cpu;
}

/* A CPU leaves whatever it was doing: it must hold no walk epoch then. */
static void check_quiescent(void)
{
	for (u32 i = 0; i < HYP_MAX_VMS; i++) {
		const struct vm *vm = fake_vms[i].vm;

		if (vm && vm->mem.pool && vm->mem.pool->cpu[pt_host_cpu].epoch_depth)
			fake_breach("left the CPU inside a walk epoch");
	}
}

static void __attribute__((noreturn)) fake_leave(struct fake_exit exit)
{
	struct fake_cpu *c = this_cpu();

	check_quiescent();
	if (!c->jb)
		fake_breach("left a CPU that fake_run() did not enter");
	c->exit = exit;
	longjmp(*c->jb, 1);
}

struct fake_exit fake_run(u32 cpu, fake_fn *fn, void *arg)
{
	struct fake_cpu *c = &fake_cpus[cpu];
	jmp_buf jb;

	fake_cpu_set(cpu);
	c->exit = (struct fake_exit){ .kind = FAKE_RETURNED };
	c->waits_left = FAKE_WAITS_FOREVER;
	c->jb = &jb;
	if (!setjmp(jb))
		fn(arg);
	c->jb = NULL;
	return c->exit;
}

void fake_idle_loop(void *max_waits)
{
	this_cpu()->waits_left = *(const u32 *)max_waits;
	vcpu_idle(hyp_this_cpu());
}

struct fake_exit fake_idle(u32 cpu, u32 max_waits)
{
	return fake_run(cpu, fake_idle_loop, &max_waits);
}

/* hyp/arch/cpu.h */

unsigned int hyp_this_cpu(void)
{
	return pt_host_cpu;
}

const char *arch_boot_level(void)
{
	return "fake";
}

u64 arch_cpu_hwid(void)
{
	return pt_host_cpu;
}

/* Recorded only: the tests start their CPUs themselves, as threads. */
int arch_cpu_start(u32 cpu, u64 hwid)
{
	if (cpu >= HYP_MAX_CPUS || hwid != cpu)
		return -EINVAL;
	__atomic_fetch_or(&fake_counts.cpus_started, 1u << cpu, __ATOMIC_RELAXED);
	return 0;
}

u64 arch_time_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000 + (u64)ts.tv_nsec / NSEC_PER_USEC;
}

void arch_power_off(void)
{
	fake_leave((struct fake_exit){ .kind = FAKE_POWER_OFF });
}

void arch_cpu_idle_reset(void)
{
	fake_leave((struct fake_exit){ .kind = FAKE_IDLE });
}

/* hyp/arch/irq.h */

static struct timespec wait_deadline(void)
{
	struct timespec ts;
	u64 ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (u64)ts.tv_nsec + ARCH_WAIT_MAX_US * NSEC_PER_USEC;
	ts.tv_sec += (time_t)(ns / NSEC_PER_SEC);
	ts.tv_nsec = (long)(ns % NSEC_PER_SEC);
	return ts;
}

void arch_wait_event(void)
{
	struct fake_cpu *c = this_cpu();
	struct timespec until;
	u64 seen;

	if (!c->waits_left)
		fake_leave((struct fake_exit){ .kind = FAKE_WAIT_LIMIT });
	if (c->waits_left != FAKE_WAITS_FOREVER)
		c->waits_left--;
	until = wait_deadline();
	pthread_mutex_lock(&event_lock);
	seen = event_count;
	while (event_count == seen &&
	       pthread_cond_timedwait(&event_cond, &event_lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&event_lock);
}

void arch_wake_cpu(u32 cpu)
{
	(void)cpu;
	arch_send_event();
}

void arch_send_event(void)
{
	__atomic_fetch_add(&fake_counts.events_sent, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&event_lock);
	event_count++;
	pthread_cond_broadcast(&event_cond);
	pthread_mutex_unlock(&event_lock);
}

/* hyp/arch/mm.h */

int arch_mm_s1_fmt(struct pt_fmt *fmt)
{
	return pt_fmt_arm64_s1_el2_init(fmt, FAKE_S1_IA_BITS);
}

int arch_mm_enable(const struct pt *s1)
{
	if (!s1 || !s1->root)
		return -EINVAL;
	__atomic_fetch_add(&fake_counts.mm_enabled, 1, __ATOMIC_RELAXED);
	return 0;
}

void arch_guest_page_written(void *va)
{
	if (!IS_ALIGNED((uintptr_t)va, HYP_PAGE_SIZE))
		fake_breach("guest page written at %p, not a page", va);
	__atomic_fetch_add(&fake_counts.pages_written, 1, __ATOMIC_RELAXED);
}

void arch_guest_page_zeroed(void *va)
{
	arch_guest_page_written(va);
}

bool arch_guest_pages_coherent(void)
{
	return false;
}

void arch_guest_mem_sync(const void *va, u64 size)
{
	(void)va;
	(void)size;
	__atomic_fetch_add(&fake_counts.mem_syncs, 1, __ATOMIC_RELAXED);
}

/* hyp/arch/tlb.h, and the TLB model behind it */

static struct fake_tlb_entry *tlb_find(struct fake_cpu *c, u32 vmid, u64 page)
{
	for (u32 i = 0; i < FAKE_TLB_SLOTS; i++)
		if (c->tlb[i].valid && c->tlb[i].vmid == vmid && c->tlb[i].page == page)
			return &c->tlb[i];
	return NULL;
}

/* The walk and the fill under the CPU's TLB lock: an invalidation comes before or after both. */
void *fake_tlb_translate(struct vm *vm, u64 ipa)
{
	struct fake_cpu *c = this_cpu();
	u64 page = ALIGN_DOWN(ipa, HYP_PAGE_SIZE);
	struct fake_tlb_entry *e;
	struct pt_lookup l;
	u8 *va = NULL;

	pthread_mutex_lock(&c->tlb_lock);
	e = tlb_find(c, vm->vmid, page);
	if (!e) {
		pt_epoch_enter(vm->mem.pool);
		if (!pt_lookup(&vm->s2, page, &l)) {
			e = &c->tlb[c->tlb_next++ % FAKE_TLB_SLOTS];
			*e = (struct fake_tlb_entry){ true, vm->vmid, page, (u8 *)(uintptr_t)l.oa };
		}
		pt_epoch_exit(vm->mem.pool);
	}
	if (e)
		va = e->va + (ipa - page);
	pthread_mutex_unlock(&c->tlb_lock);
	return va;
}

u32 fake_tlb_holders(const struct vm *vm, u64 ipa)
{
	u32 n = 0;

	for (u32 i = 0; i < HYP_MAX_CPUS; i++) {
		pthread_mutex_lock(&fake_cpus[i].tlb_lock);
		n += tlb_find(&fake_cpus[i], vm->vmid, ALIGN_DOWN(ipa, HYP_PAGE_SIZE)) != NULL;
		pthread_mutex_unlock(&fake_cpus[i].tlb_lock);
	}
	return n;
}

void arch_tlb_s2_inval(struct vm *vm, u64 ipa, u64 size, u32 why)
{
	(void)why;
	if (!vm->arch)
		fake_breach("stage-2 invalidation for VM %s before arch_vm_init()", vm->name);
	if (!size)
		fake_breach("empty stage-2 invalidation");
	__atomic_fetch_add(&fake_counts.s2_invals, 1, __ATOMIC_RELAXED);
	for (u32 i = 0; i < HYP_MAX_CPUS; i++) {
		struct fake_cpu *c = &fake_cpus[i];

		pthread_mutex_lock(&c->tlb_lock);
		for (u32 s = 0; s < FAKE_TLB_SLOTS; s++) {
			struct fake_tlb_entry *e = &c->tlb[s];

			if (e->valid && e->vmid == vm->vmid && e->page < ipa + size &&
			    e->page + HYP_PAGE_SIZE > ipa)
				e->valid = false;
		}
		pthread_mutex_unlock(&c->tlb_lock);
	}
}

void arch_tlb_s2_sync_new(struct vm *vm, u64 ipa, u64 size)
{
	(void)vm;
	(void)ipa;
	(void)size;
	__atomic_fetch_add(&fake_counts.s2_sync_new, 1, __ATOMIC_RELAXED);
}

void arch_tlb_s1_inval(u64 va, u64 size, u32 why)
{
	(void)va;
	(void)size;
	(void)why;
	__atomic_fetch_add(&fake_counts.s1_invals, 1, __ATOMIC_RELAXED);
}

/* hyp/arch/vcpu.h */

int arch_vm_s2_fmt(const struct vm *vm, struct pt_fmt *fmt)
{
	(void)vm;
	return pt_fmt_arm64_s2_init(fmt, FAKE_S2_IPA_BITS, FAKE_S2_START_LEVEL);
}

void arch_vm_reset(struct vm *vm)
{
	(void)vm;
}

int arch_vm_init(struct vm *vm)
{
	struct arch_vm *a;

	if (vm->id >= HYP_MAX_VMS || !vm->s2.root_pa)
		fake_breach("arch_vm_init() of VM %s without its stage-2 root", vm->name);
	a = &fake_vms[vm->id];
	memset(a, 0, sizeof(*a));
	a->vm = vm;
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		a->vcpus[i].vcpu = &vm->vcpus[i];
		vm->vcpus[i].arch = &a->vcpus[i];
	}
	vm->arch = a;
	return 0;
}

void arch_vcpu_run(struct vcpu *vcpu)
{
	if (vcpu->cpu != pt_host_cpu)
		fake_breach("vCPU %u of %s entered on CPU %u, pinned to %u", vcpu->id,
			    vcpu->vm->name, pt_host_cpu, vcpu->cpu);
	if (!vcpu->arch || vcpu->arch->vcpu != vcpu)
		fake_breach("vCPU %u of %s entered without its arch state", vcpu->id,
			    vcpu->vm->name);
	vcpu->arch->nr_entered++;
	fake_leave((struct fake_exit){ .kind = FAKE_RUN, .vcpu = vcpu, .entry = vcpu->entry,
				       .arg0 = vcpu->arg0, .arg1 = vcpu->arg1 });
}

/* hyp/arch/vm_irq.h */

struct fake_irq_lines fake_irq_lines[HYP_MAX_VMS];

void arch_vm_irq_level(struct vm *vm, u32 spi, bool level)
{
	struct fake_irq_lines *l;

	if (vm->id >= HYP_MAX_VMS || spi >= FAKE_IRQ_LINES)
		fake_breach("arch_vm_irq_level(%s, %u): no such line", vm->name, spi);
	l = &fake_irq_lines[vm->id];
	if (l->level[spi] == level)
		l->redundant++;
	__atomic_store_n(&l->level[spi], level, __ATOMIC_RELEASE);
	__atomic_fetch_add(&l->changes[spi], 1, __ATOMIC_RELAXED);
}

/* The console hook (hyp/console.c) */

void fake_console_putc(char c)
{
	pthread_mutex_lock(&console_lock);
	if (console_len == sizeof(console_buf) - 1)
		fake_breach("the fake console is full");
	console_buf[console_len++] = c;
	pthread_mutex_unlock(&console_lock);
}

static u32 console_count(const char *text, bool whole_line)
{
	size_t n = strlen(text);
	u32 count = 0;

	pthread_mutex_lock(&console_lock);
	for (size_t p = 0; p + n <= console_len; p++)
		if ((!p || console_buf[p - 1] == '\n') && !memcmp(console_buf + p, text, n) &&
		    (!whole_line || (p + n + 2 <= console_len &&
				     !memcmp(console_buf + p + n, "\r\n", 2))))
			count++;
	pthread_mutex_unlock(&console_lock);
	return count;
}

u32 fake_console_count(const char *line)
{
	return console_count(line, true);
}

u32 fake_console_count_prefix(const char *prefix)
{
	return console_count(prefix, false);
}

size_t fake_console_len(void)
{
	size_t n;

	pthread_mutex_lock(&console_lock);
	n = console_len;
	pthread_mutex_unlock(&console_lock);
	return n;
}

void fake_console_copy(char *buf, size_t size)
{
	pthread_mutex_lock(&console_lock);
	size = MIN(size - 1, console_len);
	memcpy(buf, console_buf, size);
	buf[size] = '\0';
	pthread_mutex_unlock(&console_lock);
}

/*
 * hyp/arch/guest.h: the arm64 layout; the device tree gets no nodes of the
 * arch's (the core's generated nodes are what the fake tests read back).
 */
#define FAKE_EM_AARCH64		183

static struct arch_guest_defaults fake_guest_defaults = {
	.ram_base = FAKE_RAM_BASE,
	.console_kind = VM_CONSOLE_PL011,
	.console_base = FAKE_UART_BASE,
	.elf_machine = FAKE_EM_AARCH64,
	.linux_image = ARCH_LINUX_IMAGE_ARM64,
};

const struct arch_guest_defaults *arch_guest_defaults(void)
{
	return &fake_guest_defaults;
}

void fake_guest_boot_info(u8 kind)
{
	fake_guest_defaults.boot_info = kind;
}

void fake_guest_dt_arg(u8 arg)
{
	fake_guest_defaults.dt_arg = arg;
}

int arch_vm_dt_cpus(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}

int arch_vm_dt_cpu(struct fdt_wr *w, const struct vm_desc *d, u32 vcpu)
{
	(void)d;
	(void)vcpu;
	return w->err;
}

int arch_vm_dt_nodes(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}

/* No interrupt controller on the fake arch. */
int arch_vm_dt_root_props(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}

int arch_vm_dt_uart_irq(struct fdt_wr *w, const struct vm_desc *d)
{
	(void)d;
	return w->err;
}
