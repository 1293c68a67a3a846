// SPDX-License-Identifier: MIT
/*
 * The "handover" guest, arch-neutral part: reads the device tree it was
 * handed with the hypervisor's own FDT reader (hyp/fdt.c, fdt_query.c,
 * compiled into this guest) and prints, one line each,
 *   handover: first instruction at count N, time T ns
 *   handover: entry 0x..., device tree 0x..., N bytes
 *   handover: memory BASE SIZE          (per /memory range)
 *   handover: cpus N
 *   handover: bootargs TEXT             ("none" without /chosen/bootargs)
 *   handover: initrd START END crc32 0x........   (or "initrd none")
 *   handover: uart 0x...                (the stdout-path UART)
 *   handover: top of RAM 0x... ok
 *   handover: ok                        (or "handover: FAILED: why")
 * then powers its VM off. The arch part may check more of the tree (its
 * check_tree); a problem it finds is the FAILED line's why. The boot tests (tests/boot/test_handover.py)
 * compare each line with what they handed over.
 */
#include "fdt.h"
#include "handover.h"

#define HANDOVER_DTB_MAX	(2ul << 20)	/* the arm64 Linux limit; RISC-V's is larger */
#define HANDOVER_MAX_RAM	8
#define CRC32_POLY		0xedb88320u	/* IEEE 802.3, reflected (zlib's crc32) */

static u32 crc_table[256];
static const char *failed;

static void fail(const char *why)
{
	if (!failed)
		failed = why;
}

static void crc32_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (u32 k = 0; k < 8; k++)
			c = c & 1 ? CRC32_POLY ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static u32 crc32(u64 start, u64 end)
{
	u32 c = 0xffffffffu;

	for (u64 p = start; p < end; p++)
		c = crc_table[(c ^ *(const volatile unsigned char *)p) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void put_hex_pair(const char *prefix, u64 a, u64 b)
{
	uart_puts(prefix);
	uart_put_hex(a, 1);
	uart_puts(" ");
	uart_put_hex(b, 1);
}

static bool in_ram(const struct fdt_range *ram, u32 nr, u64 start, u64 end)
{
	for (u32 i = 0; i < nr; i++)
		if (start >= ram[i].base && end >= start && end - ram[i].base <= ram[i].size)
			return true;
	return false;
}

static u32 print_memory(const struct fdt *fdt, struct fdt_range *ram)
{
	u32 nr = 0;

	if (fdt_memory(fdt, ram, HANDOVER_MAX_RAM, &nr) || !nr)
		fail("no /memory node");
	for (u32 i = 0; i < nr; i++) {
		put_hex_pair("handover: memory ", ram[i].base, ram[i].size);
		uart_puts("\n");
	}
	return nr;
}

static void print_cpus(const struct fdt *fdt)
{
	u64 ids[64];
	u32 nr = 0;

	if (fdt_cpus(fdt, ids, 64, &nr) || !nr)
		fail("no /cpus/cpu node");
	put_line_u64("handover: cpus ", nr, "");
}

static void print_bootargs(const struct fdt *fdt, int chosen)
{
	const char *s;
	u32 len;

	uart_puts("handover: bootargs ");
	if (chosen >= 0 && !fdt_prop_string(fdt, chosen, "bootargs", &s, &len))
		uart_puts(s);
	else
		uart_puts("none");
	uart_puts("\n");
}

/* A 32- or 64-bit /chosen property (Linux reads either). */
static int chosen_addr(const struct fdt *fdt, int chosen, const char *name, u64 *val)
{
	const unsigned char *p;
	u32 len;
	int ret = fdt_prop(fdt, chosen, name, (const void **)&p, &len);

	if (ret)
		return ret;
	if (len != 4 && len != 8)
		return -EINVAL;
	*val = 0;
	for (u32 i = 0; i < len; i++)
		*val = *val << 8 | p[i];
	return 0;
}

static void print_initrd(const struct fdt *fdt, int chosen, const struct fdt_range *ram, u32 nr)
{
	u64 start, end;
	int a = chosen < 0 ? -ENOENT : chosen_addr(fdt, chosen, "linux,initrd-start", &start);
	int b = chosen < 0 ? -ENOENT : chosen_addr(fdt, chosen, "linux,initrd-end", &end);

	if (a == -ENOENT && b == -ENOENT) {
		uart_puts("handover: initrd none\n");
		return;
	}
	if (a || b || end < start || !in_ram(ram, nr, start, end)) {
		uart_puts("handover: initrd range unreadable or outside RAM\n");
		fail("bad linux,initrd-start/-end");
		return;
	}
	put_hex_pair("handover: initrd ", start, end);
	uart_puts(" crc32 ");
	uart_put_hex(crc32(start, end), 8);
	uart_puts("\n");
}

static void print_uart(const struct fdt *fdt)
{
	u64 base = 0;

	if (fdt_find_uart(fdt, NULL, &base) || fdt_stdout(fdt) < 0) {
		uart_puts("handover: no stdout-path UART\n");
		fail("no stdout-path");
		return;
	}
	uart_puts("handover: uart ");
	uart_put_hex(base, 8);
	uart_puts("\n");
	if (base != UART_BASE)
		fail("stdout-path is not the UART this guest prints on");
}

/* The last word of RAM takes a write and reads it back; then it is restored. */
static void check_top(const struct fdt_range *ram, u32 nr)
{
	const struct fdt_range *top = &ram[0];
	volatile u64 *p;
	u64 old;

	for (u32 i = 1; i < nr; i++)
		if (ram[i].base + ram[i].size > top->base + top->size)
			top = &ram[i];
	p = (volatile u64 *)(top->base + top->size - sizeof(u64));
	old = *p;
	*p = ~old;
	uart_puts("handover: top of RAM ");
	uart_put_hex((u64)p, 1);
	uart_puts(*p == ~old ? " ok\n" : " does not hold a write\n");
	if (*p != ~old)
		fail("top of RAM");
	*p = old;
}

static void print_tree(const struct fdt *fdt, const struct handover_entry *e)
{
	struct fdt_range ram[HANDOVER_MAX_RAM];
	int chosen = fdt_path(fdt, "/chosen", 7);
	u32 nr = print_memory(fdt, ram);
	const char *why;

	print_cpus(fdt);
	print_bootargs(fdt, chosen);
	print_initrd(fdt, chosen, ram, nr);
	print_uart(fdt);
	why = e->check_tree ? e->check_tree(fdt) : NULL;
	if (why)
		fail(why);
	if (!nr)
		return;
	if (!in_ram(ram, nr, e->self, e->self + PAGE_SIZE))
		fail("the image is outside the RAM of /memory");
	if (!in_ram(ram, nr, e->dtb, e->dtb + fdt->size))
		fail("the device tree is outside the RAM of /memory");
	check_top(ram, nr);
}

void handover_main(const struct handover_entry *e)
{
	struct fdt fdt;

	uart_puts("handover: first instruction at count ");
	uart_put_u64(e->count);
	put_line_u64(", time ", ticks_to_ns(e->count), " ns");
	crc32_init();
	if (e->bad)
		fail(e->bad);
	if ((e->dtb & 7) || fdt_init(&fdt, (const void *)e->dtb, HANDOVER_DTB_MAX)) {
		uart_puts("handover: no device tree at ");
		uart_put_hex(e->dtb, 1);
		uart_puts("\n");
		fail("no device tree");
	} else {
		uart_puts("handover: entry ");
		uart_put_hex(e->self, 1);
		uart_puts(", device tree ");
		uart_put_hex(e->dtb, 1);
		put_line_u64(", ", fdt.size, " bytes");
		print_tree(&fdt, e);
	}
	if (failed) {
		uart_puts("handover: FAILED: ");
		uart_puts(failed);
		uart_puts("\n");
	} else {
		uart_puts("handover: ok\n");
	}
	system_off();
}
