// SPDX-License-Identifier: MIT
/* The x86 primitives of the guest library (lib.h, guest_arch.h). */
#include "lib.h"

#define GUEST_EXIT_PORT		0xf4	/* a write powers the VM off (docs/x86_64.md) */
#define GUEST_RESET_PORT	0xcf9	/* Reset Control Register */
#define RESET_CPU		0x06	/* SYS_RST | RST_CPU: a hard reset */
#define MAX_VCPUS		256

void mmio_write32(u64 addr, u32 val)
{
	*(volatile u32 *)addr = val;
}

void uart_putc(char c)
{
	while (!(port_in8(UART_PORT + UART_LSR) & UART_LSR_THRE))
		;
	port_out8(UART_PORT + UART_THR, (unsigned char)c);
}

int uart_getc(void)
{
	if (!(port_in8(UART_PORT + UART_LSR) & UART_LSR_DR))
		return -1;
	return port_in8(UART_PORT + UART_THR);
}

/* The neutral vCPU interface (hyp/guest_abi.h HC_VCPU_*): x86 has no convention of its own. */
static s64 vcpu_state(u32 index)
{
	return (s64)hypercall(HC_VCPU_STATE, index, 0, 0);
}

u32 vcpu_count(void)
{
	u32 n = 1;

	while (n < MAX_VCPUS && vcpu_state(n) >= 0)
		n++;
	return n;
}

u32 vcpu_self(void)
{
	return (u32)hypercall(HC_VCPU_ID, 0, 0, 0);
}

s64 vcpu_start(u32 index)
{
	return (s64)hypercall(HC_VCPU_ON, index, (u64)guest_secondary_entry, index);
}

int vcpu_start_says_on(s64 ret)
{
	return ret == HC_ERR_ALREADY_ON || ret == HC_ERR_ON_PENDING;
}

int vcpu_is_off(u32 index)
{
	return vcpu_state(index) == HC_VCPU_STATE_OFF;
}

int vcpu_interface_ok(u64 ram_base, u32 nr_vcpus)
{
	s64 none = (s64)hypercall(HC_VCPU_ON, nr_vcpus, (u64)guest_secondary_entry, 0);
	s64 bad_entry = nr_vcpus > 1 ? (s64)hypercall(HC_VCPU_ON, 1, ram_base - PAGE_SIZE, 0)
				     : HC_ERR_INVALID;

	return vcpu_state(0) == HC_VCPU_STATE_ON && vcpu_state(nr_vcpus) == HC_ERR_INVALID &&
	       none == HC_ERR_INVALID && bad_entry == HC_ERR_INVALID;
}

void system_off(void)
{
	port_out8(GUEST_EXIT_PORT, 0);
}

void vcpu_stop(void)
{
	hypercall(HC_VCPU_OFF, 0, 0, 0);
	uart_puts("guest: CPU_OFF returned\n");
	for (;;)
		cpu_idle();
}

void system_reset(void)
{
	port_out8(GUEST_RESET_PORT, RESET_CPU);
}

u64 counter_ticks(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	(void)hi;
	return lo;
}

/*
 * In Bochs (clock: sync=none) the TSC advances one tick per instruction
 * the CPU runs (per CPU, not summed over them): the bench reports ticks,
 * as instructions (docs/x86_64.md). Elsewhere its rate is unknown here.
 */
u64 ticks_to_ns(u64 ticks)
{
	return ticks;
}

/*
 * The multiboot information (Multiboot Specification 0.6.96, 3.3) the
 * hypervisor hands over in EBX (start.S saved it): RAM is the map's RAM
 * entry holding this image; the rest is kept for guest_boot_info_line().
 */
#define MB_BOOT_MAGIC		0x2badb002u
#define MB_F_MEM		(1u << 0)
#define MB_F_CMDLINE		(1u << 2)
#define MB_F_MMAP		(1u << 6)
#define MB_F_LOADER_NAME	(1u << 9)
#define MB_MMAP_RAM		1
#define MB_CMDLINE_MAX		128

extern u64 guest_ram_base, guest_ram_size, guest_boot_magic, guest_boot_info;
extern char _start[];
void guest_boot(void);

struct mb_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4], mmap_length, mmap_addr, drives_length, drives_addr, config_table;
	u32 boot_loader_name;
};

struct mb_mmap {
	u32 size, base_lo, base_hi, len_lo, len_hi, type;
};

static struct mb_info mb;
static u32 mb_map_entries;
static char mb_cmdline[MB_CMDLINE_MAX], mb_loader[16];

static void mb_copy(char *dst, u32 size, u32 src)
{
	const char *s = (const char *)src;
	u32 i;

	for (i = 0; src && s[i] && i < size - 1; i++)
		dst[i] = s[i];
	dst[i] = '\0';
}

static void mb_map(void)
{
	u32 at = mb.mmap_addr, end = mb.mmap_addr + mb.mmap_length, self = (u32)_start;

	while (at + sizeof(struct mb_mmap) <= end) {
		const struct mb_mmap *e = (const struct mb_mmap *)at;

		mb_map_entries++;
		if (e->type == MB_MMAP_RAM && !e->base_hi && !e->len_hi && self >= e->base_lo &&
		    self - e->base_lo < e->len_lo) {
			guest_ram_base = e->base_lo;
			guest_ram_size = e->len_lo;
		}
		at += e->size + 4;
	}
}

void guest_boot(void)
{
	if (guest_boot_magic != MB_BOOT_MAGIC || !guest_boot_info)
		return;
	mb = *(const struct mb_info *)guest_boot_info;
	if (mb.flags & MB_F_MMAP)
		mb_map();
	if (mb.flags & MB_F_CMDLINE)
		mb_copy(mb_cmdline, sizeof(mb_cmdline), mb.cmdline);
	if (mb.flags & MB_F_LOADER_NAME)
		mb_copy(mb_loader, sizeof(mb_loader), mb.boot_loader_name);
}

void guest_boot_info_line(void)
{
	if (guest_boot_magic != MB_BOOT_MAGIC || !guest_boot_info) {
		uart_puts("multiboot: no information\n");
		return;
	}
	uart_puts("multiboot: flags ");
	uart_put_hex(mb.flags, 1);
	uart_puts(", mem_lower ");
	uart_put_u64(mb.flags & MB_F_MEM ? mb.mem_lower : 0);
	uart_puts(", mem_upper ");
	uart_put_u64(mb.flags & MB_F_MEM ? mb.mem_upper : 0);
	uart_puts(", map entries ");
	uart_put_u64(mb_map_entries);
	uart_puts(", RAM ");
	uart_put_hex(guest_ram_base, 1);
	uart_puts(" - ");
	uart_put_hex(guest_ram_base + guest_ram_size, 1);
	uart_puts(", loader ");
	uart_puts(mb_loader);
	uart_puts(", cmdline \"");
	uart_puts(mb_cmdline);
	uart_puts("\"\n");
}
