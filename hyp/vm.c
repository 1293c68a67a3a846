// SPDX-License-Identifier: MIT
/*
 * VMs, arch-neutral: stage 2 starts empty and every page of guest RAM is
 * filled on its first stage-2 fault, zeroed or copied from the guest
 * image, and mapped through the walker's lock-free fault path (s2_mem).
 */
#include <stdarg.h>

#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/mm.h"
#include "arch/tlb.h"
#include "arch/vcpu.h"
#include "console.h"
#include "lib/string.h"
#include "page_alloc.h"
#include "printf.h"
#include "pt_fault.h"
#include "vm.h"

#define VM_LOOKUP_TRIES		4
#define VM_RAM_ALIGN		(1ull << S2_BLOCK_SHIFT)

static struct vm vms[HYP_MAX_VMS] HYP_NOT_CLEARED;	/* vm_create() clears each */
static u32 nr_vms, nr_stopped;

static void vm_page_filled(struct s2_mem *m, void *va, bool copied)
{
	(void)m;
	if (copied)
		arch_guest_page_written(va);
	else
		arch_guest_page_zeroed(va);
}

int vm_fault_in(struct vm *vm, u64 ipa)
{
	return s2_mem_fault(&vm->mem, ipa);
}

/*
 * Its own reserve ran short (tables waiting for their grace period): the
 * VM waits, taking back what it retired, and its guest retries the access.
 */
static void vm_s2_short(struct vm *vm, u64 ipa)
{
	pt_pool_reclaim(vm->pool);
	if (!__atomic_exchange_n(&vm->s2_short_logged, 1, __ATOMIC_RELAXED))
		hyp_log("hyp: %s: its stage-2 reserve ran short at IPA 0x%llx: it waits\n",
			vm->name, (unsigned long long)ipa);
}

void vm_guest_fault_failed(struct vm *vm, u64 ipa, int ret)
{
	if (ret == -ENOMEM)
		vm_s2_short(vm, ipa);
	else
		vm_stop(vm, "stage-2 map of IPA 0x%llx failed (%d)", (unsigned long long)ipa, ret);
}

void vm_guest_fault(struct vm *vm, u64 ipa)
{
	vm_guest_fault_inline(vm, ipa);
}

void *vm_ipa_to_va(struct vm *vm, u64 ipa)
{
	struct pt_lookup l;

	for (u32 i = 0; i < VM_LOOKUP_TRIES; i++) {
		int ret;

		/* Every walk in an epoch: a collapse may retire the table we read. */
		pt_epoch_enter(vm->pool);
		ret = pt_lookup(&vm->s2, ipa, &l);
		pt_epoch_exit(vm->pool);
		if (!ret)
			return (void *)(uintptr_t)l.oa;
		if (vm_fault_in(vm, ipa) == -ENOMEM)
			break;
	}
	return NULL;
}

/* A balloon: all or nothing, safe against the VM's own faults in the range (s2_mem.h). */
int vm_release(struct vm *vm, u64 ipa, u64 size)
{
	int ret = s2_mem_release(&vm->mem, ipa, size);

	pt_pool_reclaim(vm->pool);
	return ret;
}

static void vm_line_flush(struct vcpu *vcpu)
{
	if (!vcpu->line_len)
		return;
	if (vcpu->line_raw) {
		hyp_console_write_raw(vcpu, vcpu->vm->name, vcpu->line, vcpu->line_len);
	} else {
		vcpu->line[vcpu->line_len] = '\0';
		hyp_log("[%s] %s\n", vcpu->vm->name, vcpu->line);
	}
	vcpu->line_len = 0;
}

/* @n bytes onto the line, which is printed first if they would not fit. */
static void vm_line_put(struct vcpu *vcpu, const char *s, u32 n)
{
	if (vcpu->line_len + n > VM_LINE_MAX - 1)
		vm_line_flush(vcpu);
	memcpy(vcpu->line + vcpu->line_len, s, n);
	vcpu->line_len += n;
}

/*
 * Control characters and escape sequences would let a guest forge the
 * hypervisor's lines or drive the terminal: they are shown as \xNN, and
 * a backslash as \\, so what is shown says what was sent.
 */
static void vm_line_put_escaped(struct vcpu *vcpu, char c)
{
	static const char hex[] = "0123456789abcdef";
	u8 b = (u8)c;
	char esc[4] = { '\\', 'x', hex[b >> 4], hex[b & 0xf] };

	if (c == '\n')
		vm_line_flush(vcpu);
	else if (c == '\\')
		vm_line_put(vcpu, "\\\\", 2);
	else if ((b >= 0x20 && b < 0x7f) || c == '\t')
		vm_line_put(vcpu, &c, 1);
	else if (c != '\r')
		vm_line_put(vcpu, esc, sizeof(esc));
}

/* The input holder's byte, as it is; a full line goes out at once, a part one when it waits. */
static void vm_line_put_raw(struct vcpu *vcpu, char c)
{
	vm_line_put(vcpu, &c, 1);
	if (c == '\n' || vcpu->line_len == VM_LINE_MAX - 1)
		vm_line_flush(vcpu);
}

/*
 * The holder is read under the line's lock: a switch flushes the old
 * holder's lines under the same lock after moving input, so no raw byte
 * of the old holder follows the switch line.
 */
void vm_console_putc(struct vcpu *vcpu, char c)
{
	bool raw;

	pt_spin_lock(&vcpu->line_lock);
	raw = hyp_console_input_owner() == vcpu->vm;
	/* Input moved since the line began: what it holds goes out as it was taken. */
	if (vcpu->line_raw != raw)
		vm_line_flush(vcpu);
	vcpu->line_raw = raw;
	if (raw)
		vm_line_put_raw(vcpu, c);
	else
		vm_line_put_escaped(vcpu, c);
	pt_spin_unlock(&vcpu->line_lock);
}

void vm_console_input_wait(struct vcpu *vcpu)
{
	pt_spin_lock(&vcpu->line_lock);
	if (vcpu->line_raw)
		vm_line_flush(vcpu);
	pt_spin_unlock(&vcpu->line_lock);
}

u64 vm_console_write(struct vcpu *vcpu, u64 gpa, u64 len)
{
	u64 done = 0;

	while (done < len) {
		u64 chunk = MIN(len - done, HYP_PAGE_SIZE - ((gpa + done) & (HYP_PAGE_SIZE - 1)));
		const char *p = vm_ipa_to_va(vcpu->vm, gpa + done);

		if (!p)
			break;
		arch_guest_mem_sync(p, chunk);
		for (u64 i = 0; i < chunk; i++)
			vm_console_putc(vcpu, p[i]);
		done += chunk;
	}
	return done;
}

void vm_console_flush(struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		pt_spin_lock(&vm->vcpus[i].line_lock);
		vm_line_flush(&vm->vcpus[i]);
		pt_spin_unlock(&vm->vcpus[i].line_lock);
	}
}

/* A CPU still coming up is waited for: its line (or that it did not come) first. */
static void __attribute__((noreturn)) vm_all_stopped(void)
{
	hyp_cpus_wait();
	hyp_log("hyp: all VMs stopped\n");
	hyp_log("hyp: power off\n");
	hyp_console_flush();
	arch_power_off();
}

static void vm_report(struct vm *vm, const char *fmt, va_list ap)
{
	char why[160];

	vm_console_flush(vm);
	hyp_log("hyp: %s: %llu pages filled on demand, %llu 2 MiB ranges collapsed\n", vm->name,
		(unsigned long long)__atomic_load_n(&vm->mem.nr_faults, __ATOMIC_RELAXED),
		(unsigned long long)__atomic_load_n(&vm->mem.nr_collapses, __ATOMIC_RELAXED));
	if (fmt) {
		hyp_vsnprintf(why, sizeof(why), fmt, ap);
		hyp_log("hyp: %s stopped: %s\n", vm->name, why);
	}
}

/* One line about @vm, the first VM_LOG_MAX of each @kind only: a guest must not flood the console. */
static void vm_log_limited(struct vm *vm, u32 *count, const char *kind, const char *fmt,
			   va_list ap)
{
	u32 n = __atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
	char what[120];

	if (n > VM_LOG_MAX)
		return;
	hyp_vsnprintf(what, sizeof(what), fmt, ap);
	hyp_log("hyp: %s: %s\n", vm->name, what);
	if (n == VM_LOG_MAX)
		hyp_log("hyp: %s: further %s are not logged\n", vm->name, kind);
}

void vm_log_injected(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_log_limited(vm, &vm->nr_injected, "injected exceptions", fmt, ap);
	va_end(ap);
}

void vm_log_refused(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_log_limited(vm, &vm->nr_refused, "refused calls", fmt, ap);
	va_end(ap);
}

void vm_log_reset(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_log_limited(vm, &vm->nr_resets, "resets", fmt, ap);
	va_end(ap);
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
		for (u32 i = 0; i < vm->nr_vcpus; i++)	/* its other vCPUs trap and park */
			arch_wake_cpu(vm->vcpus[i].cpu);
		if (__atomic_add_fetch(&nr_stopped, 1, __ATOMIC_ACQ_REL) == nr_vms)
			vm_all_stopped();
	}
	arch_cpu_idle_reset();
}

/*
 * Contiguous backing for all of RAM (full 2 MiB ranges collapse to
 * blocks), and the present bitmaps sized for it.
 */
static int vm_mem_init(struct vm *vm, const struct vm_desc *d)
{
	u64 bytes = s2_mem_bitmaps_size(vm->ram_size);
	void *backing = hyp_pages_carve(vm->ram_size, VM_RAM_ALIGN);
	u64 *bitmaps = hyp_pages_carve(ALIGN_UP(bytes, HYP_PAGE_SIZE), HYP_PAGE_SIZE);
	int ret;

	if (!backing || !bitmaps) {
		hyp_log("hyp: %s: no room for %llu MiB of RAM\n", vm->name,
			(unsigned long long)(vm->ram_size >> 20));
		return -ENOMEM;
	}
	memset(bitmaps, 0, bytes);
	ret = s2_mem_init(&vm->mem, vm->pool, &vm->s2, vm->ram_base, vm->ram_size,
			  (u64)(uintptr_t)backing, backing, bitmaps);
	if (ret)
		return ret;
	s2_mem_set_segs(&vm->mem, d->segs, d->nr_segs);
	vm->mem.page_filled = arch_guest_pages_coherent() ? NULL : vm_page_filled;
	return 0;
}

static bool vm_desc_in_ram(const struct vm_desc *d, u64 ipa, u64 size)
{
	return ipa >= d->ram_base && size <= d->ram_size &&
	       ipa - d->ram_base <= d->ram_size - size;
}

/* Each segment inside RAM, apart from the others, and vCPU 0's entry in RAM. */
static bool vm_desc_ok(const struct vm_desc *d)
{
	if (!d->nr_vcpus || d->nr_vcpus > VM_MAX_VCPUS || !d->ram_size ||
	    !IS_ALIGNED(d->ram_base | d->ram_size, VM_RAM_ALIGN) ||
	    d->nr_segs > S2_MEM_MAX_SEGS || !vm_desc_in_ram(d, d->entry, 1))
		return false;
	for (u32 i = 0; i < d->nr_segs; i++) {
		const struct s2_mem_seg *s = &d->segs[i];

		if (!vm_desc_in_ram(d, s->gpa, s->size))
			return false;
		for (u32 j = 0; j < i; j++)
			if (s->gpa < d->segs[j].gpa + d->segs[j].size &&
			    d->segs[j].gpa < s->gpa + s->size)
				return false;
	}
	return true;
}

int vm_create(const struct vm_desc *d, struct vm **out)
{
	struct vm *vm;
	int ret;

	if (nr_vms == HYP_MAX_VMS)
		return -ENOMEM;
	if (!vm_desc_ok(d))
		return -EINVAL;
	vm = &vms[nr_vms];
	memset(vm, 0, sizeof(*vm));
	vm->name = d->name;
	vm->id = nr_vms;
	vm->vmid = nr_vms + 1;
	vm->ram_base = d->ram_base;
	vm->ram_size = d->ram_size;
	vm->entry = d->entry;
	vm->arg0 = d->arg0;
	vm->arg1 = d->arg1;
	vm->entry_info = d->entry_info;
	vcpus_init(vm, d->nr_vcpus, d->cpus);
	ret = vm_s2_init(vm);
	if (!ret)	/* first on the bus: the console is the most used */
		ret = vdev_console_add(vm, d->console_kind, d->console_base);
	if (!ret)
		ret = arch_vm_init(vm);
	if (!ret)
		ret = vm_mem_init(vm, d);
	if (ret)
		return ret;
	nr_vms++;
	*out = vm;
	return 0;
}

/* Each VM starts once all exist, so none can be the last to stop too early. */
void vm_start(struct vm *vm)
{
	u64 bytes = 0;

	for (u32 i = 0; i < vm->mem.nr_segs; i++)
		bytes += vm->mem.segs[i].size;
	hyp_log("hyp: %s: RAM 0x%llx - 0x%llx at host 0x%llx, image %llu bytes, stage-2 "
		"reserve %llu KiB, %u vcpus, stage 2 empty\n", vm->name,
		(unsigned long long)vm->ram_base, (unsigned long long)(vm->ram_base + vm->ram_size),
		(unsigned long long)vm->mem.host_pa, (unsigned long long)bytes,
		(unsigned long long)(vm->s2_reserve_pages * HYP_PAGE_SIZE >> 10), vm->nr_vcpus);
	vcpus_start(vm);
}

int vm_system_init(const struct boot_info *bi)
{
	return hyp_pages_init(bi, (u64)(uintptr_t)_start, (u64)(uintptr_t)_end);
}
