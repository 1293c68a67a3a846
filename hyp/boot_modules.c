// SPDX-License-Identifier: MIT
/*
 * The VMs of boot modules named by their own command lines (GRUB's
 * `module2 FILE WORDS...` hands over WORDS as the module's string;
 * docs/guests.md). A module whose first word is "vm" is a VM's kernel:
 *
 *   vm [name=NAME] mem=SIZE [cpus=N] [pcpus=A,B,..] [ram-base=ADDR]
 *      [load=ADDR] [console] [-- BOOTARGS...]
 *
 * with the meaning of Xen's dom0less properties (hyp/boot_dom0less.c):
 * mem is "memory" (K, M, G suffixes; rounded up to 2 MiB), cpus is
 * "cpus" (default 1), pcpus "hyp,cpus", ram-base "hyp,ram-base", load
 * "hyp,load-address" of a raw kernel, console "vpl011" (the arch's
 * emulated UART), and what follows "--" the kernel's "bootargs". A
 * module whose first word is "ramdisk" is the initrd of the VM module
 * just before it. A bad VM is skipped with one line naming it and the
 * problem; the others are kept.
 */
#include "boot.h"
#include "boot_vms.h"
#include "lib/string.h"
#include "printf.h"

#define MOD_WORD_MAX		32
#define VM_MEM_ALIGN		(2ull << 20)	/* VM RAM comes in 2 MiB blocks */
#define KIB			1024ull

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static u32 word_len(const char *s)
{
	u32 n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	return n;
}

static int digit_of(char c, u32 base)
{
	int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

	return d < (int)base ? d : -1;
}

/* @len chars of @s as a number (0x: hex), a K, M or G suffix when @sized: 0 or -EINVAL. */
static int parse_num(const char *s, u32 len, bool sized, u64 *out)
{
	u32 base = 10, i = 0, shift = 0;
	u64 v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (sized && len > i + 1) {
		char c = s[len - 1];

		shift = c == 'K' || c == 'k' ? 10 : c == 'M' || c == 'm' ? 20 :
			c == 'G' || c == 'g' ? 30 : 0;
		len -= shift ? 1 : 0;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		int d = digit_of(s[i], base);

		if (d < 0 || v > (~0ull - (u64)d) / base)
			return -EINVAL;
		v = v * base + (u64)d;
	}
	if (shift && v > ~0ull >> shift)
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int vm_word_mem(struct vm_node *vn, const char *v)
{
	u64 size;

	if (parse_num(v, (u32)strlen(v), true, &size) || !size ||
	    size > ~0ull - (VM_MEM_ALIGN - 1)) {
		vm_bad(vn, "mem=%s is not a size (like 16M or 1G)", v);
		return -EINVAL;
	}
	vn->vm.mem_size = ALIGN_UP(size, VM_MEM_ALIGN);
	return 0;
}

static int vm_word_cpus(const struct boot_info *bi, struct vm_node *vn, const char *v)
{
	u64 n;

	if (parse_num(v, (u32)strlen(v), false, &n) || !n || n > machine_cpus(bi)) {
		vm_bad(vn, "cpus=%s is not 1 to the machine's %u CPUs", v, machine_cpus(bi));
		return -EINVAL;
	}
	vn->vm.nr_vcpus = (u32)n;
	return 0;
}

/* pcpus=A,B,..: the physical CPUs, one per vCPU, by index. */
static int vm_word_pcpus(const struct boot_info *bi, struct vm_node *vn, const char *v)
{
	u32 mask = 0, n = 0, len = (u32)strlen(v);

	for (u32 at = 0, end; at <= len; at = end + 1) {
		u64 cpu;

		for (end = at; end < len && v[end] != ','; end++)
			;
		if (parse_num(v + at, end - at, false, &cpu) || cpu >= machine_cpus(bi) ||
		    (mask & BIT(cpu))) {
			vm_bad(vn, "pcpus=%s: not CPUs of the machine's %u, each once", v,
			       machine_cpus(bi));
			return -EINVAL;
		}
		mask |= (u32)BIT(cpu);
		n++;
	}
	vn->vm.cpu_mask = mask;
	vn->pinned = true;
	return 0;
}

/* cpus= and pcpus= agree, in whichever order they came; cpus= defaults to pcpus='s count, or 1. */
static int vm_vcpus(struct vm_node *vn)
{
	u32 n = 0;

	for (u32 c = 0; c < HYP_MAX_CPUS; c++)
		n += (vn->vm.cpu_mask >> c) & 1;
	if (!vn->vm.nr_vcpus)
		vn->vm.nr_vcpus = vn->pinned ? n : 1;
	if (vn->pinned && n != vn->vm.nr_vcpus) {
		vm_bad(vn, "pcpus= names %u CPUs for %u vCPUs", n, vn->vm.nr_vcpus);
		return -EINVAL;
	}
	return 0;
}

static int vm_word_addr(struct vm_node *vn, const char *key, const char *v, u64 *out)
{
	if (parse_num(v, (u32)strlen(v), false, out) || !*out) {
		vm_bad(vn, "%s=%s is not an address", key, v);
		return -EINVAL;
	}
	return 0;
}

/* One word of a VM module, KEY=VALUE or FLAG: 0, or -EINVAL after its line. */
static int vm_word(const struct boot_info *bi, struct vm_node *vn, char *w)
{
	char *v = w;

	while (*v && *v != '=')
		v++;
	if (!strcmp(w, "console")) {
		vn->vm.vpl011 = true;
		return 0;
	}
	if (*v)
		*v++ = '\0';
	else
		v = NULL;
	if (v && !strcmp(w, "name"))
		return 0;	/* read first, by vm_name() */
	if (v && !strcmp(w, "mem"))
		return vm_word_mem(vn, v);
	if (v && !strcmp(w, "cpus"))
		return vm_word_cpus(bi, vn, v);
	if (v && !strcmp(w, "pcpus"))
		return vm_word_pcpus(bi, vn, v);
	if (v && !strcmp(w, "ram-base"))
		return vm_word_addr(vn, "ram-base", v, &vn->vm.ram_base);
	if (v && !strcmp(w, "load"))
		return vm_word_addr(vn, "load", v, &vn->vm.load_addr);
	vm_bad(vn, "unknown word \"%s%s\"", w, v ? "=..." : "");
	return -EINVAL;
}

/*
 * The next word of *@s into @w (at most MOD_WORD_MAX chars, a byte that is
 * not printable ASCII as '?': words go into log lines): its length, 0 at
 * the end.
 */
static u32 next_word(const char **s, char *w)
{
	const char *p = skip_spaces(*s);
	u32 len = word_len(p), n = MIN(len, (u32)MOD_WORD_MAX);

	for (u32 i = 0; i < n; i++)
		w[i] = p[i] > ' ' && p[i] < 0x7f ? p[i] : '?';
	w[n] = '\0';
	*s = p + len;
	return len;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* "name=NAME" wherever it is, else vmN: the name every later line uses. */
static int vm_name(struct vm_node *vn, const char *args, u32 index)
{
	char w[MOD_WORD_MAX + 1];
	const char *s = args;
	u32 len;

	vn->kind = "multiboot2: ";
	hyp_snprintf(vn->vm.name, sizeof(vn->vm.name), "vm%u", index);
	vn->node = vn->vm.name;
	while ((len = next_word(&s, w)) && strcmp(w, "--")) {
		u32 i = 5;

		if (memcmp(w, "name=", 5))
			continue;
		while (name_char(w[i]))
			i++;
		if (len < 6 || len - 5 >= BOOT_VM_NAME_MAX || w[i]) {
			vm_bad(vn, "name=: 1 to %u letters, digits, '-', '_' or '.'",
			       BOOT_VM_NAME_MAX - 1);
			return -EINVAL;
		}
		memcpy(vn->vm.name, w + 5, len - 5 + 1);
	}
	return 0;
}

/* The words after "vm" up to "--"; the rest is the bootargs. */
static int vm_words(const struct boot_info *bi, struct vm_node *vn, const char *args)
{
	char w[MOD_WORD_MAX + 1];
	const char *s = args;
	u32 len;

	while ((len = next_word(&s, w))) {
		if (!strcmp(w, "--")) {
			s = skip_spaces(s);
			vn->vm.bootargs = *s ? s : NULL;
			break;
		}
		if (len > MOD_WORD_MAX) {
			vm_bad(vn, "a word longer than %u characters", MOD_WORD_MAX);
			return -EINVAL;
		}
		if (vm_word(bi, vn, w))
			return -EINVAL;
	}
	if (!vn->vm.mem_size) {
		vm_bad(vn, "no mem=");
		return -EINVAL;
	}
	if (vn->vm.ram_base && (!IS_ALIGNED(vn->vm.ram_base, VM_MEM_ALIGN) ||
				vn->vm.mem_size > ~0ull - vn->vm.ram_base)) {
		vm_bad(vn, "ram-base=0x%llx is not 2 MiB aligned, or RAM ends past the address space",
		       (unsigned long long)vn->vm.ram_base);
		return -EINVAL;
	}
	return vm_vcpus(vn);
}

/* A module's range: inside RAM, apart from the hypervisor and the firmware's tables. */
static int vm_module_range(const struct boot_info *bi, struct vm_node *vn, const char *what,
			   const struct boot_range *r)
{
	if (!r->size || !range_in_ram(bi, r)) {
		vm_bad(vn, "%s: 0x%llx - 0x%llx is not inside RAM", what,
		       (unsigned long long)r->base, (unsigned long long)(r->base + r->size));
		return -EINVAL;
	}
	if (ranges_overlap(r, &bi->image) || ranges_overlap(r, &bi->fw_table)) {
		vm_bad(vn, "%s: overlaps the hypervisor or the firmware's tables", what);
		return -EINVAL;
	}
	return 0;
}

/* Module @i, a VM's kernel ("vm ..."), into @vn: 0, or -EINVAL after its line. */
static int vm_parse(const struct boot_info *bi, u32 i, u32 index, struct vm_node *vn)
{
	const char *args = skip_spaces(bi->module_args[i]) + 2;
	int ret;

	memset(vn, 0, sizeof(*vn));
	ret = vm_name(vn, args, index);
	if (!ret)
		ret = vm_words(bi, vn, args);
	if (!ret)
		ret = vm_module_range(bi, vn, "kernel", &bi->modules[i]);
	vn->vm.kernel = bi->modules[i];
	return ret;
}

/* Is module @i's first word @word? */
static bool module_is(const struct boot_info *bi, u32 i, const char *word)
{
	const char *s = bi->module_args[i] ? skip_spaces(bi->module_args[i]) : "";
	u32 len = (u32)strlen(word);

	return word_len(s) == len && !memcmp(s, word, len);
}

/* A "ramdisk" module: the initrd of the VM read just before it. */
static void vm_ramdisk(const struct boot_info *bi, u32 i, struct vm_node *vn, bool *keep)
{
	if (!vn || !*keep) {
		if (!vn)
			hyp_log("hyp: multiboot2: module %u: a ramdisk without a vm module before it\n",
				i);
		return;
	}
	if (vn->vm.ramdisk.size) {
		vm_bad(vn, "two ramdisk modules");
		*keep = false;
	} else if (vm_module_range(bi, vn, "ramdisk", &bi->modules[i])) {
		*keep = false;
	} else {
		vn->vm.ramdisk = bi->modules[i];
	}
}

int boot_module_vms(struct boot_info *bi)
{
	struct vm_node vns[BOOT_MAX_VMS];
	bool keep[BOOT_MAX_VMS];
	u32 n = 0;

	for (u32 i = 0; i < bi->nr_modules && i < BOOT_MAX_MODULES; i++) {
		if (module_is(bi, i, "ramdisk")) {
			vm_ramdisk(bi, i, n ? &vns[n - 1] : NULL, n ? &keep[n - 1] : NULL);
			continue;
		}
		if (!module_is(bi, i, "vm"))
			continue;
		if (n == BOOT_MAX_VMS) {
			hyp_log("hyp: multiboot2: module %u: more than %u VMs\n", i, BOOT_MAX_VMS);
			bi->nr_vm_nodes++;
			continue;
		}
		bi->nr_vm_nodes++;
		keep[n] = !vm_parse(bi, i, n, &vns[n]);
		n++;
	}
	boot_vms_keep(bi, vns, keep, n);
	return 0;
}
