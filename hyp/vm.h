/* SPDX-License-Identifier: MIT */
/*
 * Virtual machines: guest-physical RAM filled on demand through stage-2
 * faults, up to one vCPU per physical CPU (each pinned to its own CPU, no
 * CPU shared between VMs), a line-buffered console per vCPU. The arch-neutral half; arch/<arch>
 * enters the guest and decodes its traps.
 */
#ifndef HYP_VM_H
#define HYP_VM_H

#include "atomic.h"
#include "hyp.h"
#include "pt.h"
#include "s2_mem.h"

#define HYP_MAX_VMS		4
#define VM_MAX_RAM		(256ull << 20)
#define VM_BITMAP_WORDS		(2 * (VM_MAX_RAM >> S2_PAGE_SHIFT) / 64)
#define VM_LINE_MAX		128
#define VM_MAX_VCPUS		HYP_MAX_CPUS

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

struct vm;

/* A vCPU's power state, as PSCI AFFINITY_INFO reports it. */
enum vcpu_state {
	VCPU_OFF,
	VCPU_STARTING,		/* a CPU_ON is writing its entry point: "on pending" */
	VCPU_ON_PENDING,	/* CPU_ON accepted, its CPU has not entered it yet */
	VCPU_ON,
};

struct vcpu {
	struct vm *vm;
	u32 id;			/* index in its VM = its virtual MPIDR affinity */
	u32 cpu;		/* the physical CPU it is pinned to */
	u32 state;		/* enum vcpu_state, changed atomically */
	u64 entry;		/* where it starts, with these in x0 and x1 */
	u64 arg0, arg1;
	struct pt_spinlock line_lock;
	u32 line_len;
	char line[VM_LINE_MAX];	/* console output up to the next newline */
} __attribute__((aligned(64)));

/* What a VM is made of: its guest-physical RAM and the image at its base. */
struct vm_desc {
	const char *name;
	u64 ram_base, ram_size;	/* guest-physical */
	const u8 *image;
	u64 image_size;
	u64 uart_base;		/* the emulated PL011 */
	u32 nr_vcpus;		/* at most the number of physical CPUs */
	u8 cpus[VM_MAX_VCPUS];	/* vCPU i runs on physical CPU cpus[i] only */
};

struct vm {
	const char *name;
	u32 vmid;
	u64 ram_base, ram_size;
	const u8 *image;
	u64 image_size;
	struct pt_fmt s2_fmt;
	struct pt s2;			/* stage 2: IPA -> host PA, starts empty */
	struct s2_mem mem;		/* RAM: filled on demand, collapsed to blocks */
	u64 mem_bitmaps[VM_BITMAP_WORDS];
	u64 uart_base;			/* the emulated PL011's page */
	u64 s2_faults;			/* stage-2 translation faults in its RAM */
	u32 nr_injected;		/* aborts injected into it (arch/<arch>) */
	u32 stopped;
	u32 nr_vcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
	u64 arch_vttbr, arch_vtcr;	/* arch/<arch>: stage-2 registers */
};

/*
 * hyp/vm_boot.c: create the VMs of a configuration (hyp/vm_config.h) and
 * run them; returns only if they could not be started. @bootargs
 * (/chosen/bootargs, may be NULL) may pick it, "config=NAME", change its
 * first VM's guest, "guest=NAME", and cap that VM's vCPUs, "vcpus=N".
 */
void hyp_run_guests(const struct hyp_mem *mem, const char *bootargs);

#define VM_LIST_MAX		128
/* "a, b, c": the name members of @nr structs @stride bytes apart from @first. */
void vm_name_list(char *buf, u32 size, const char *const *first, u32 stride, u32 nr);
/* The guest page allocator and the stage-2 table pool, once, first. */
int vm_system_init(const struct hyp_mem *mem);
/* A VM from @d, its vCPUs all off; none runs before vm_start(). */
int vm_create(const struct vm_desc *d, struct vm **out);
/* Turn vCPU 0 of @vm on. Every VM is created before the first starts. */
void vm_start(struct vm *vm);
/* The physical CPUs online (hyp/main.c). */
u32 hyp_cpu_count(void);

bool vm_ipa_in_ram(const struct vm *vm, u64 ipa, u64 size);
/* Map the page holding @ipa: 0 (or a racing CPU did), -EAGAIN, -ENOMEM. */
int vm_fault_in(struct vm *vm, u64 ipa);
/* Host address of @ipa, faulting its page in; NULL if that failed. */
void *vm_ipa_to_va(struct vm *vm, u64 ipa);
/* Unmap page-aligned [ipa, ipa + size) of RAM, refilled on the next touch; -EINVAL if not RAM. */
int vm_release(struct vm *vm, u64 ipa, u64 size);
void vm_console_putc(struct vcpu *vcpu, char c);
/*
 * Stop @vm, with one log line when @fmt is not NULL, unless it is stopped
 * already; then park this CPU. Does not return.
 */
void __attribute__((noreturn, format(printf, 2, 3)))
vm_stop(struct vm *vm, const char *fmt, ...);

/* hyp/vcpu.c: vCPUs pinned to physical CPUs, the PSCI state machine. */
/* @nr vCPUs, vCPU i pinned to physical CPU @cpus[i]; all off. */
void vcpus_init(struct vm *vm, u32 nr, const u8 *cpus);
/* Give each vCPU of @vm its CPU and turn vCPU 0 on. */
void vcpus_start(struct vm *vm);
/* This CPU's scheduler: run its vCPU whenever that is turned on. */
void __attribute__((noreturn)) vcpu_idle(u32 cpu);
/* PSCI CPU_ON of vCPU @id: a PSCI return code (hyp/hvc_abi.h). */
int vcpu_on(struct vm *vm, u32 id, u64 entry, u64 context);
/* PSCI CPU_OFF: the calling vCPU stops, its CPU goes idle. */
void __attribute__((noreturn)) vcpu_off(struct vcpu *vcpu);
/* PSCI AFFINITY_INFO of vCPU @id: 0 on, 1 off, 2 on pending. */
int vcpu_affinity_info(struct vm *vm, u32 id);

/* An empty stage-2 root for vm->s2_fmt, from the stage-2 pool. */
int vm_s2_table_init(struct vm *vm);

/* arch/<arch> */
/* Set vm->s2_fmt, call vm_s2_table_init(), set the stage-2 registers. */
int arch_vm_init(struct vm *vm);
void arch_s2_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why);
/* A guest page the hypervisor wrote: make it visible to the guest. */
void arch_guest_page_written(void *va);
/* Guest memory the hypervisor is about to read. */
void arch_guest_mem_sync(const void *va, u64 size);
/* The built-in guest image called @name: -ENOENT (reported) if none, -EINVAL if bad. */
int arch_guest_image(const char *name, const u8 **image, u64 *size);
void __attribute__((noreturn)) arch_vcpu_run(struct vcpu *vcpu);
/* Reset this CPU's stack and enter vcpu_idle(): after a vCPU stopped. */
void __attribute__((noreturn)) arch_cpu_idle_reset(void);
void arch_image_bounds(u64 *start, u64 *end);

#endif
