/* SPDX-License-Identifier: MIT */
/*
 * Virtual machines: guest-physical RAM filled on demand through stage-2
 * faults, one vCPU each, a line-buffered console. The arch-neutral half;
 * arch/<arch> enters the guest and decodes its traps.
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

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

struct vm;

struct vcpu {
	struct vm *vm;
	u32 id;			/* index in its VM */
	u32 cpu;		/* the physical CPU it runs on */
};

/* What a VM is made of: its guest-physical RAM and the image at its base. */
struct vm_desc {
	const char *name;
	u64 ram_base, ram_size;	/* guest-physical */
	const u8 *image;
	u64 image_size;
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
	u64 s2_faults;			/* stage-2 translation faults in its RAM */
	u32 stopped;
	struct vcpu vcpu;
	struct pt_spinlock line_lock;
	u32 line_len;
	char line[VM_LINE_MAX];		/* console output up to the next newline */
	u64 arch_vttbr, arch_vtcr;	/* arch/<arch>: stage-2 registers */
};

/*
 * Create the VM and run it; returns only if it could not be started.
 * @bootargs (/chosen/bootargs, may be NULL) may name the guest: "guest=NAME".
 */
void hyp_run_guests(const struct hyp_mem *mem, const char *bootargs);

bool vm_ipa_in_ram(const struct vm *vm, u64 ipa, u64 size);
/* Map the page holding @ipa: 0 (or a racing CPU did), -EAGAIN, -ENOMEM. */
int vm_fault_in(struct vm *vm, u64 ipa);
/* Host address of @ipa, faulting its page in; NULL if that failed. */
void *vm_ipa_to_va(struct vm *vm, u64 ipa);
/* Unmap page-aligned [ipa, ipa + size) of RAM, refilled on the next touch; -EINVAL if not RAM. */
int vm_release(struct vm *vm, u64 ipa, u64 size);
void vm_console_putc(struct vm *vm, char c);
/* Stop @vm, with one log line when @fmt is not NULL. Does not return. */
void __attribute__((noreturn, format(printf, 2, 3)))
vm_stop(struct vm *vm, const char *fmt, ...);

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
/* The built-in guest called @name ("hello" when NULL). */
int arch_vm_default(struct vm_desc *desc, const char *name);
void __attribute__((noreturn)) arch_vcpu_run(struct vcpu *vcpu);
void arch_image_bounds(u64 *start, u64 *end);

#endif
