/* SPDX-License-Identifier: MIT */
/*
 * Virtual machines: guest-physical RAM filled on demand through stage-2
 * faults, up to one vCPU per physical CPU (each pinned to its own CPU, no
 * CPU shared between VMs), emulated devices on a bus, a line-buffered
 * console per vCPU. arch/<arch> enters the guest and decodes its traps
 * into calls of this core (hyp/arch/ declares what it provides in turn).
 */
#ifndef HYP_VM_H
#define HYP_VM_H

#include "atomic.h"
#include "hyp.h"
#include "pt.h"
#include "pt_alloc.h"
#include "s2_mem.h"
#include "vdev.h"

#define HYP_MAX_VMS		4
#define VM_LINE_MAX		128
#define VM_MAX_VCPUS		HYP_MAX_CPUS

struct vm;
struct arch_vm;
struct arch_vcpu;

struct vcpu {
	struct vm *vm;
	struct arch_vcpu *arch;
	u32 id;			/* index in its VM */
	u32 cpu;		/* the physical CPU it is pinned to */
	u32 state;		/* hyp/vcpu.c's state machine, changed atomically */
	u64 entry;		/* where it starts, with these as its first two arguments */
	u64 arg0, arg1;
	u64 entry_info;		/* vCPU 0 at boot: vm->entry_info; 0 for a power call's start */
	struct pt_spinlock line_lock;
	u32 line_len;
	bool line_raw;		/* the line holds raw bytes: its VM held console input */
	char line[VM_LINE_MAX];	/* console output up to the next newline */
} __attribute__((aligned(64)));

/*
 * What a VM is made of: its guest-physical RAM, what RAM initially holds
 * (kernel, initrd, device tree; zeros elsewhere), where vCPU 0 starts.
 */
struct vm_desc {
	const char *name;
	u64 ram_base, ram_size;	/* guest-physical */
	struct s2_mem_seg segs[S2_MEM_MAX_SEGS];
	u32 nr_segs;
	u64 entry, arg0, arg1;	/* vCPU 0's start: address and first two arguments */
	/*
	 * Guest-physical address of the boot information the arch's entry
	 * state names besides them (x86: the multiboot information, EBX;
	 * hyp/vm_mbi.h); 0: none.
	 */
	u64 entry_info;
	u32 console_kind;	/* VM_CONSOLE_* (hyp/vm_config.h) */
	u64 console_base;
	u32 nr_vcpus;		/* at most the number of physical CPUs */
	u8 cpus[VM_MAX_VCPUS];	/* vCPU i runs on physical CPU cpus[i] only */
};

struct vm {
	const char *name;
	u32 id;				/* index: 0 .. HYP_MAX_VMS - 1 */
	u32 vmid;			/* id + 1: the tag of its TLB entries */
	u64 ram_base, ram_size;
	u64 entry, arg0, arg1;		/* vCPU 0's start, at boot and at every reset */
	u64 entry_info;			/* and its boot information (struct vm_desc) */
	struct pt_fmt s2_fmt;
	struct pt s2;			/* stage 2: IPA -> host PA, starts empty */
	struct pt_pool *pool;		/* its stage-2 tables: a reserve of its own */
	u64 s2_reserve_pages;
	struct s2_mem mem;		/* RAM: filled on demand, collapsed to blocks */
	u64 s2_faults;			/* stage-2 translation faults in its RAM */
	u32 nr_injected;		/* exceptions injected into it */
	u32 nr_refused;			/* calls it made that were refused */
	u32 nr_resets;			/* resets it asked for (vm_reset()) */
	u32 s2_short_logged;
	u32 stopped;
	struct vdev_bus mmio;		/* emulated devices, guest-physical */
	struct vdev_bus port;		/* emulated devices, I/O ports (x86) */
	u32 nr_vcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
	struct arch_vm *arch;
};

/*
 * hyp/vm_boot.c: create the VMs of a configuration (hyp/vm_config.h) and
 * run them; returns only if they could not be started. The command line
 * (may be NULL) may pick it, "config=NAME", change its first VM's guest,
 * "guest=NAME", and cap that VM's vCPUs, "vcpus=N".
 */
void hyp_run_guests(const struct boot_info *bi);

/*
 * hyp/vm_handover.c: create the VMs the boot loader handed over (bi->vms)
 * into @vms; a VM that cannot be made is skipped with one line. How many.
 */
u32 vm_create_handed_over(const struct boot_info *bi, struct vm **vms);
/* The guest page allocator, once, first. */
int vm_system_init(const struct boot_info *bi);
/* hyp/vm_s2.c: @vm's stage 2, empty, in the arch's format, on a reserve of its own. */
int vm_s2_init(struct vm *vm);
/* Pages of the reserve of a VM with RAM [@base, @base + @size) and @nr_vcpus. */
u64 vm_s2_reserve_pages(const struct pt_fmt *fmt, u64 base, u64 size, u32 nr_vcpus);
/* A VM from @d, its vCPUs all off; none runs before vm_start(). */
int vm_create(const struct vm_desc *d, struct vm **out);
/* Turn vCPU 0 of @vm on. Every VM is created before the first starts. */
void vm_start(struct vm *vm);
/* The physical CPUs of the machine, online or still coming up (hyp/main.c). */
u32 hyp_cpu_count(void);
/* Whether CPU @cpu is online: it may run a vCPU and answers cross-CPU requests. */
bool hyp_cpu_online(u32 cpu);
/* @cpu not online HYP_CPU_ON_TIMEOUT_US after the boot started it (one line says so). */
bool hyp_cpu_lost(u32 cpu);
/* From an idle or waiting CPU while one is coming: the deadline above. */
void hyp_cpus_check_late(void);
/* Before the power-off: until every CPU is online or the deadline passed. */
void hyp_cpus_wait(void);

static inline bool vm_ipa_in_ram(const struct vm *vm, u64 ipa, u64 size)
{
	return ipa >= vm->ram_base && size <= vm->ram_size &&
	       ipa - vm->ram_base <= vm->ram_size - size;
}

/* Map the page holding @ipa: 0 (or a racing CPU did), -EAGAIN, -ENOMEM. */
int vm_fault_in(struct vm *vm, u64 ipa);
/* vm_guest_fault()'s s2_mem_fault() failed with @ret (not -EAGAIN): out of line. */
void __attribute__((cold)) vm_guest_fault_failed(struct vm *vm, u64 ipa, int ret);
/*
 * A guest's stage-2 translation fault at @ipa in its RAM: counted
 * (HC_FAULT_STATS) and served; returns once the guest may retry the
 * access, or stops the VM with one line when its memory cannot be had.
 */
void vm_guest_fault(struct vm *vm, u64 ipa);
/*
 * The same inline, for a fault path that gains from one call level less
 * (riscv64's guest_ram_fault()); arm64's MMIO exits lost more to it than
 * its fault gained, so the others call vm_guest_fault().
 */
static inline void vm_guest_fault_inline(struct vm *vm, u64 ipa)
{
	int ret;

	__atomic_fetch_add(&vm->s2_faults, 1, __ATOMIC_RELAXED);
	ret = s2_mem_fault(&vm->mem, ipa);
	if (ret && ret != -EAGAIN)
		vm_guest_fault_failed(vm, ipa, ret);
}
/* Host address of @ipa, faulting its page in; NULL if that failed. */
void *vm_ipa_to_va(struct vm *vm, u64 ipa);
/*
 * Unmap page-aligned [ipa, ipa + size) of RAM, refilled on the next touch:
 * 0; -EINVAL if not page-aligned RAM, -ENOMEM if its reserve is short
 * (nothing changed).
 */
int vm_release(struct vm *vm, u64 ipa, u64 size);
/*
 * A byte of @vcpu's console output. The VM holding console input
 * (hyp/console.h) has its lines written raw, "[NAME] " first, and a part
 * line goes out once it waits for input (vm_console_input_wait()); the
 * others' are line-buffered with control characters shown escaped.
 */
void vm_console_putc(struct vcpu *vcpu, char c);
/* The bytes at guest-physical [gpa, gpa + len) to the vCPU's console line, up to the first page not in RAM: how many. */
u64 vm_console_write(struct vcpu *vcpu, u64 gpa, u64 len);
/* @vcpu waits for console input: the raw part line it has goes out now. */
void vm_console_input_wait(struct vcpu *vcpu);
/* Console input moved to or from @vm: its vCPUs' part lines go out now. */
void vm_console_flush(struct vm *vm);
#define VM_LOG_MAX	4	/* lines per VM and kind, then one "not logged" line */
/*
 * An exception the arch injected into @vm, described by @fmt after
 * "hyp: NAME: ": logged for the first VM_LOG_MAX of each VM only.
 */
void __attribute__((format(printf, 2, 3))) vm_log_injected(struct vm *vm, const char *fmt, ...);
/* A call of @vm's that was refused (a hypercall, a power call), logged likewise. */
void __attribute__((format(printf, 2, 3))) vm_log_refused(struct vm *vm, const char *fmt, ...);
/* A reset @vm asked for (vm_reset()), logged likewise. */
void __attribute__((format(printf, 2, 3))) vm_log_reset(struct vm *vm, const char *fmt, ...);
/*
 * Stop @vm, with one log line when @fmt is not NULL, unless it is stopped
 * already; then this CPU goes idle. Does not return.
 */
void __attribute__((noreturn, format(printf, 2, 3)))
vm_stop(struct vm *vm, const char *fmt, ...);
/* Every trap of @vcpu, first: a VM another vCPU stopped parks this CPU. */
static inline void vcpu_trap_enter(struct vcpu *vcpu)
{
	if (__atomic_load_n(&vcpu->vm->stopped, __ATOMIC_ACQUIRE))
		vm_stop(vcpu->vm, NULL);
}

/* hyp/vcpu.c: vCPUs pinned to physical CPUs; hyp/power.h turns them on and off. */
/* @nr vCPUs, vCPU i pinned to physical CPU @cpus[i]; all off. */
void vcpus_init(struct vm *vm, u32 nr, const u8 *cpus);
/* Give each vCPU of @vm its CPU and turn vCPU 0 on. */
void vcpus_start(struct vm *vm);
/* Set vCPU 0 to enter at the VM's entry with its entry arguments. */
void vcpu_boot_entry(struct vcpu *vcpu);
/* @vcpu's guest idles (WFI, HLT): this CPU gives back what it retired, then waits. */
void vcpu_wait(struct vcpu *vcpu);
/* This CPU's scheduler: run its vCPU whenever that is turned on. */
void __attribute__((noreturn)) vcpu_idle(u32 cpu);

#endif
