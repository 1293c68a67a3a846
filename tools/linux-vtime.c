// SPDX-License-Identifier: MIT
/*
 * A static arm64 Linux program with no libc, for the test initramfs
 * (tools/mkinitramfs-arm64.sh): prints "hyp-linux: virtual time N ns",
 * the virtual counter (CNTVCT_EL0, readable at EL0 under Linux) in ns.
 * Under QEMU -icount shift=0,sleep=off that is the instructions every
 * CPU ran since reset (and idle time skipped to the next timer), so
 * tools/bench.py compares a boot under the hypervisor with one on plain
 * QEMU by it.
 */
typedef unsigned long u64;

#define SYS_WRITE	64	/* arm64 Linux syscall numbers (asm-generic/unistd.h) */
#define SYS_EXIT	93
#define NS_PER_S	1000000000ul

static void sys_write(const char *buf, u64 len)
{
	register u64 x0 __asm__("x0") = 1;	/* stdout */
	register const char *x1 __asm__("x1") = buf;
	register u64 x2 __asm__("x2") = len;
	register u64 x8 __asm__("x8") = SYS_WRITE;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
}

static void __attribute__((noreturn)) sys_exit(void)
{
	register u64 x0 __asm__("x0") = 0;
	register u64 x8 __asm__("x8") = SYS_EXIT;

	__asm__ volatile("svc #0" : : "r"(x0), "r"(x8) : "memory");
	for (;;)
		;
}

void _start(void);
void _start(void)
{
	static const char prefix[] = "hyp-linux: virtual time ";
	char buf[32], *p = buf + sizeof(buf);
	u64 cnt, freq, ns;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(cnt));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	ns = freq ? cnt / freq * NS_PER_S + cnt % freq * NS_PER_S / freq : 0;
	*--p = '\n';
	*--p = 's';
	*--p = 'n';
	*--p = ' ';
	do {
		*--p = (char)('0' + ns % 10);
		ns /= 10;
	} while (ns);
	sys_write(prefix, sizeof(prefix) - 1);
	sys_write(p, (u64)(buf + sizeof(buf) - p));
	sys_exit();
}
