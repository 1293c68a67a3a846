// SPDX-License-Identifier: MIT
/*
 * VMs, arch-neutral: stage 2 starts empty and every page of guest RAM is
 * filled on its first stage-2 fault, zeroed or copied from the guest
 * image, and mapped through the walker's lock-free fault path (s2_mem).
 */
#include <stdarg.h>

#include "console.h"
#include "lib/string.h"
#include "page_alloc.h"
#include "printf.h"
#include "pt_fault.h"
#include "vm.h"

#define VM_S2_POOL_SIZE		(512u << 10)	/* stage-2 tables of every VM */
#define VM_LOOKUP_TRIES		4
#define VM_RAM_ALIGN		(1ull << S2_BLOCK_SHIFT)
/*
 * The pool aligns a multi-page root by page index from its base, so the
 * base must be aligned to the largest root: 16 concatenated tables.
 */
#define VM_S2_ROOT_ALIGN	(16 * HYP_PAGE_SIZE)

static u8 vm_s2_area[VM_S2_POOL_SIZE] __attribute__((aligned(VM_S2_ROOT_ALIGN)));
static struct pt_pool vm_s2_pool;
static struct vm vms[HYP_MAX_VMS];
static u32 nr_vms, nr_stopped;

bool vm_ipa_in_ram(const struct vm *vm, u64 ipa, u64 size)
{
	return ipa >= vm->ram_base && size <= vm->ram_size &&
	       ipa - vm->ram_base <= vm->ram_size - size;
}

static void vm_page_filled(struct s2_mem *m, void *va)
{
	(void)m;
	arch_guest_page_written(va);
}

int vm_fault_in(struct vm *vm, u64 ipa)
{
	return s2_mem_fault(&vm->mem, ipa);
}

void *vm_ipa_to_va(struct vm *vm, u64 ipa)
{
	struct pt_lookup l;

	for (u32 i = 0; i < VM_LOOKUP_TRIES; i++) {
		int ret;

		/* Every walk in an epoch: a collapse may retire the table we read. */
		pt_epoch_enter(&vm_s2_pool);
		ret = pt_lookup(&vm->s2, ipa, &l);
		pt_epoch_exit(&vm_s2_pool);
		if (!ret)
			return (void *)(uintptr_t)l.oa;
		if (vm_fault_in(vm, ipa) == -ENOMEM)
			break;
	}
	return NULL;
}

/* A balloon: the VM's vCPUs must leave the range alone meanwhile (s2_mem.h). */
int vm_release(struct vm *vm, u64 ipa, u64 size)
{
	int ret = s2_mem_release(&vm->mem, ipa, size);

	pt_pool_reclaim(&vm_s2_pool);
	return ret;
}

static void vm_line_flush(struct vcpu *vcpu)
{
	if (!vcpu->line_len)
		return;
	vcpu->line[vcpu->line_len] = '\0';
	hyp_log("[%s] %s\n", vcpu->vm->name, vcpu->line);
	vcpu->line_len = 0;
}

void vm_console_putc(struct vcpu *vcpu, char c)
{
	pt_spin_lock(&vcpu->line_lock);
	if (c == '\n' || vcpu->line_len == VM_LINE_MAX - 1) {
		vm_line_flush(vcpu);
		if (c == '\n')
			goto out;
	}
	if (c == '\r')
		goto out;
	/* Control characters would let a guest forge the hypervisor's lines. */
	vcpu->line[vcpu->line_len++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? c : '?';
out:
	pt_spin_unlock(&vcpu->line_lock);
}

static void __attribute__((noreturn)) vm_all_stopped(void)
{
	hyp_log("hyp: all VMs stopped\n");
	hyp_log("hyp: power off\n");
	arch_power_off();
}

static void vm_report(struct vm *vm, const char *fmt, va_list ap)
{
	char why[160];

	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		pt_spin_lock(&vm->vcpus[i].line_lock);
		vm_line_flush(&vm->vcpus[i]);
		pt_spin_unlock(&vm->vcpus[i].line_lock);
	}
	hyp_log("hyp: %s: %llu pages filled on demand, %llu 2 MiB ranges collapsed\n", vm->name,
		(unsigned long long)__atomic_load_n(&vm->mem.nr_faults, __ATOMIC_RELAXED),
		(unsigned long long)__atomic_load_n(&vm->mem.nr_collapses, __ATOMIC_RELAXED));
	if (fmt) {
		hyp_vsnprintf(why, sizeof(why), fmt, ap);
		hyp_log("hyp: %s stopped: %s\n", vm->name, why);
	}
}

/*
 * The first caller reports and counts the VM as stopped; its other vCPUs
 * park when they next trap (or the machine powers off first).
 */
void vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (!__atomic_exchange_n(&vm->stopped, 1, __ATOMIC_ACQ_REL)) {
		va_start(ap, fmt);
		vm_report(vm, fmt, ap);
		va_end(ap);
		if (__atomic_add_fetch(&nr_stopped, 1, __ATOMIC_ACQ_REL) == nr_vms)
			vm_all_stopped();
	}
	for (;;)
		arch_wait_event();
}

/* Contiguous backing for all of RAM: full 2 MiB ranges collapse to blocks. */
static int vm_mem_init(struct vm *vm)
{
	void *backing = hyp_pages_carve(vm->ram_size, VM_RAM_ALIGN);
	int ret;

	if (!backing)
		return -ENOMEM;
	ret = s2_mem_init(&vm->mem, &vm_s2_pool, &vm->s2, vm->ram_base, vm->ram_size,
			  (u64)(uintptr_t)backing, backing, vm->mem_bitmaps);
	if (ret)
		return ret;
	vm->mem.image = vm->image;
	vm->mem.image_gpa = vm->ram_base;
	vm->mem.image_size = vm->image_size;
	vm->mem.page_filled = vm_page_filled;
	return 0;
}

int vm_create(const struct vm_desc *d, struct vm **out)
{
	struct vm *vm;
	int ret;

	if (nr_vms == HYP_MAX_VMS)
		return -ENOMEM;
	if (!d->nr_vcpus || d->nr_vcpus > VM_MAX_VCPUS || !d->ram_size || !IS_ALIGNED(d->ram_base | d->ram_size, VM_RAM_ALIGN) ||
	    d->ram_size > VM_MAX_RAM || d->image_size > d->ram_size)
		return -EINVAL;
	vm = &vms[nr_vms];
	memset(vm, 0, sizeof(*vm));
	vm->name = d->name;
	vm->vmid = nr_vms + 1;
	vm->ram_base = d->ram_base;
	vm->ram_size = d->ram_size;
	vm->image = d->image;
	vm->image_size = d->image_size;
	vm->uart_base = d->uart_base;
	ret = arch_vm_init(vm);
	if (!ret)
		ret = vm_mem_init(vm);
	if (ret)
		return ret;
	vcpus_init(vm, d->nr_vcpus, d->cpus);
	nr_vms++;
	*out = vm;
	return 0;
}

static void vm_s2_tlb_inval(struct pt *pt, u64 ia, u64 size, u32 level, u32 why)
{
	struct vm *vm = pt->tlb_ctx;

	arch_s2_tlb_inval(&vm->s2, ia, size, level, why);
}

static const struct pt_tlb_ops vm_s2_tlb_ops = { .inval = vm_s2_tlb_inval };

int vm_s2_table_init(struct vm *vm)
{
	int ret = pt_pool_table_init(&vm_s2_pool, &vm->s2, &vm->s2_fmt);

	if (!ret)
		pt_set_tlb_ops(&vm->s2, &vm_s2_tlb_ops, vm);
	return ret;
}

/* Each VM starts once all exist, so none can be the last to stop too early. */
void vm_start(struct vm *vm)
{
	hyp_log("hyp: %s: RAM 0x%llx - 0x%llx, image %llu bytes, %u vcpus, stage 2 empty\n",
		vm->name, (unsigned long long)vm->ram_base,
		(unsigned long long)(vm->ram_base + vm->ram_size),
		(unsigned long long)vm->image_size, vm->nr_vcpus);
	vcpus_start(vm);
}

int vm_system_init(const struct hyp_mem *mem)
{
	u64 img_start, img_end;
	int ret;

	arch_image_bounds(&img_start, &img_end);
	ret = hyp_pages_init(mem, img_start, img_end);
	if (!ret)
		ret = pt_pool_init(&vm_s2_pool, vm_s2_area, (u64)(uintptr_t)vm_s2_area,
				   sizeof(vm_s2_area), HYP_MAX_CPUS);
	return ret;
}
