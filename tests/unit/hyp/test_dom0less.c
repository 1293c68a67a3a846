// SPDX-License-Identifier: MIT
/*
 * The VMs the boot loader hands over in /chosen (hyp/boot_dom0less.c,
 * Xen's dom0less binding), through boot_from_fdt() as at boot: trees
 * written as DTS and compiled with dtc at run time. Each bad VM node must
 * give exactly its one line and leave the good VM beside it alone.
 * Addresses are only compared, never dereferenced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "console.h"
#include "fdt.h"

#define MIB		(1ull << 20)
#define IMAGE_BASE	0x40200000ull	/* the hypervisor, 4 MiB */

static char log_buf[8192];
static size_t log_len;

void hyp_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_len += (size_t)vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
	va_end(ap);
}

/* 1 GiB of RAM at 0x40000000, four CPUs, and @chosen as /chosen's body. */
static const char board_dts[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>;\n"
	"	#size-cells = <2>;\n"
	"	memory@40000000 {\n"
	"		device_type = \"memory\";\n"
	"		reg = <0 0x40000000 0 0x40000000>;\n"
	"	};\n"
	"	cpus {\n"
	"		#address-cells = <1>;\n"
	"		#size-cells = <0>;\n"
	"		cpu@0 { device_type = \"cpu\"; reg = <0>; };\n"
	"		cpu@1 { device_type = \"cpu\"; reg = <1>; };\n"
	"		cpu@2 { device_type = \"cpu\"; reg = <2>; };\n"
	"		cpu@3 { device_type = \"cpu\"; reg = <3>; };\n"
	"	};\n"
	"	chosen {\n"
	"		#address-cells = <2>;\n"
	"		#size-cells = <2>;\n"
	"%s\n"
	"	};\n"
	"};\n";

static struct boot_info bi;
static uint8_t *dtb;
static struct fdt fdt;

/* The DTS through dtc, into a malloc'ed blob. */
static uint8_t *compile_dts(const char *dts, size_t *len)
{
	char out[] = "/tmp/test_dom0less-XXXXXX", cmd[128];
	int fd = mkstemp(out);
	uint8_t *blob;
	FILE *f;
	long n;

	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s -", out);
	f = popen(cmd, "w");
	assert_non_null(f);
	fputs(dts, f);
	assert_int_equal(pclose(f), 0);
	f = fopen(out, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	blob = malloc((size_t)n);
	assert_non_null(blob);
	assert_int_equal(fread(blob, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(out);
	*len = (size_t)n;
	return blob;
}

/* The board with @chosen, read as at boot; the blob lives until the next call. */
static void boot(const char *chosen)
{
	char *dts;
	size_t len;

	free(dtb);
	assert_true(asprintf(&dts, board_dts, chosen) > 0);
	dtb = compile_dts(dts, &len);
	free(dts);
	memset(&bi, 0, sizeof(bi));
	bi.image = (struct boot_range){ IMAGE_BASE, 4 * MIB };
	log_len = 0;
	log_buf[0] = '\0';
	assert_int_equal(fdt_init(&fdt, dtb, len), 0);
	assert_int_equal(boot_from_fdt(&bi, &fdt), 0);
}

static void reparse(void)
{
	log_len = 0;
	log_buf[0] = '\0';
	assert_int_equal(boot_fdt_vms(&bi, &fdt), 0);
}

static bool has_range(const struct boot_range *r, uint32_t nr, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < nr; i++)
		if (r[i].base == base && r[i].size == size)
			return true;
	return false;
}

static void expect_log(const char *lines)
{
	if (strcmp(log_buf, lines))
		fail_msg("log:\n%s\nexpected:\n%s", log_buf, lines);
}

#define DOMAIN(name, props)							\
	"		" name " {\n"						\
	"			compatible = \"xen,domain\";\n"			\
	"			#address-cells = <2>;\n"			\
	"			#size-cells = <2>;\n"				\
	"			" props "\n"					\
	"		};\n"
#define MODULE(kind, addr, size, props)						\
	"module@" addr " { compatible = \"multiboot," kind "\", \"multiboot,module\"; " \
	"reg = <0 0x" addr " 0 " size ">; " props " };"
#define KERNEL(addr)	MODULE("kernel", addr, "0x100000", "")
/* The VM beside each bad one: it must be kept. */
#define GOOD		DOMAIN("good", "memory = <0 0x10000>; cpus = <1>; " KERNEL("50000000"))

/* ImageBuilder's shape (uboot-script-gen's fdt commands), and our own properties. */
static const char imagebuilder[] =
	"		domU0 {\n"
	"			compatible = \"xen,domain\";\n"
	"			#address-cells = <0x2>;\n"
	"			#size-cells = <0x2>;\n"
	"			memory = <0 0x20001>;\n"
	"			cpus = <2>;\n"
	"			vpl011;\n"
	"			module@48000000 {\n"
	"				compatible = \"multiboot,kernel\", \"multiboot,module\";\n"
	"				reg = <0 0x48000000 0 0x1000000>;\n"
	"				bootargs = \"console=ttyAMA0 root=/dev/ram0\";\n"
	"			};\n"
	"			module@49000000 {\n"
	"				compatible = \"multiboot,ramdisk\", \"multiboot,module\";\n"
	"				reg = <0 0x49000000 0 0x800000>;\n"
	"			};\n"
	"			module@49800000 {\n"
	"				compatible = \"multiboot,device-tree\", \"multiboot,module\";\n"
	"				reg = <0 0x49800000 0 0x2000>;\n"
	"			};\n"
	"		};\n"
	"		a-domain-name-longer-than-its-field@1 {\n"
	"			compatible = \"xen,domain\";\n"
	"			#address-cells = <1>;\n"
	"			#size-cells = <1>;\n"
	"			memory = <1000>;\n"
	"			cpus = <1>;\n"
	"			hyp,cpus = <0>;\n"
	"			hyp,ram-base = <0 0x80000000>;\n"
	"			module@4a000000 {\n"
	"				compatible = \"multiboot,kernel\", \"multiboot,module\";\n"
	"				reg = <0x4a000000 0x100000>;\n"
	"				hyp,load-address = <0x80000000>;\n"
	"			};\n"
	"			module@4a200000 {\n"
	"				compatible = \"multiboot,device-tree\", \"multiboot,module\";\n"
	"				reg = <0x4a200000 0x1000>;\n"
	"				hyp,full-device-tree;\n"
	"			};\n"
	"		};\n";

static void test_imagebuilder(void **state)
{
	const struct boot_vm *a = &bi.vms[0], *b = &bi.vms[1];

	(void)state;
	boot(imagebuilder);
	expect_log("");
	assert_int_equal(bi.nr_vms, 2);
	assert_string_equal(a->name, "domU0");
	assert_int_equal(a->mem_size, 130 * MIB);	/* 128 MiB + 1 KiB, rounded up to 2 MiB */
	assert_int_equal(a->nr_vcpus, 2);
	assert_int_equal(a->cpu_mask, 0x6);		/* the second VM asked for CPU 0 */
	assert_true(a->vpl011);
	assert_int_equal(a->ram_base, 0);
	assert_int_equal(a->load_addr, 0);
	assert_int_equal(a->kernel.base, 0x48000000);
	assert_int_equal(a->kernel.size, 16 * MIB);
	assert_int_equal(a->ramdisk.base, 0x49000000);
	assert_int_equal(a->ramdisk.size, 8 * MIB);
	assert_int_equal(a->dtb.base, 0x49800000);
	assert_int_equal(a->dtb.size, 0x2000);
	assert_false(a->dtb_full);
	assert_string_equal(a->bootargs, "console=ttyAMA0 root=/dev/ram0");

	assert_string_equal(b->name, "a-domain-name-longer-th");
	assert_int_equal(b->mem_size, 2 * MIB);
	assert_int_equal(b->nr_vcpus, 1);
	assert_int_equal(b->cpu_mask, 0x1);
	assert_false(b->vpl011);
	assert_int_equal(b->ram_base, 0x80000000);
	assert_int_equal(b->load_addr, 0x80000000);
	assert_int_equal(b->kernel.base, 0x4a000000);	/* in the node's own 1-cell reg */
	assert_int_equal(b->kernel.size, 1 * MIB);
	assert_int_equal(b->ramdisk.size, 0);
	assert_int_equal(b->dtb.base, 0x4a200000);
	assert_true(b->dtb_full);
	assert_null(b->bootargs);

	/* Every module is kept from the page allocator. */
	assert_int_equal(bi.nr_modules, 5);
	assert_true(has_range(bi.modules, bi.nr_modules, 0x48000000, 16 * MIB));
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x48000000, 16 * MIB));
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x49000000, 8 * MIB));
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x49800000, 0x2000));
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x4a000000, 1 * MIB));
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x4a200000, 0x1000));
}

static void test_no_vms(void **state)
{
	(void)state;
	boot("		" KERNEL("48000000") "\n");
	expect_log("");
	assert_int_equal(bi.nr_vms, 0);
	assert_int_equal(bi.nr_modules, 1);
}

struct bad_case {
	const char *chosen;	/* /chosen's body besides the good VM */
	const char *line;	/* after "hyp: device tree: /chosen/" */
	bool good_pinned;	/* the good VM asks for CPU 2 */
};

#define BAD(props)	DOMAIN("bad", props)

static const struct bad_case bad_cases[] = {
	{ BAD("cpus = <1>; " KERNEL("51000000")), "bad: no \"memory\"", false },
	{ BAD("memory = <0 0>; cpus = <1>; " KERNEL("51000000")), "bad: \"memory\" is 0", false },
	{ BAD("memory = <0 0 1>; cpus = <1>; " KERNEL("51000000")),
	  "bad: \"memory\" is not 1 or 2 cells", false },
	{ BAD("memory = <0x10000>; " KERNEL("51000000")), "bad: no \"cpus\"", false },
	{ BAD("memory = <0x10000>; cpus = <0>; " KERNEL("51000000")), "bad: \"cpus\" is 0", false },
	{ BAD("memory = <0x10000>; cpus = <5>; " KERNEL("51000000")),
	  "bad: \"cpus\" is 5 but the machine has 4 CPUs", false },
	{ BAD("memory = <0x10000>; cpus = <1>; " MODULE("ramdisk", "51000000", "0x1000", "")),
	  "bad: no \"multiboot,kernel\" module", false },
	{ BAD("memory = <0x10000>; cpus = <1>; " KERNEL("51000000") KERNEL("52000000")),
	  "bad: two \"multiboot,kernel\" modules", false },
	{ BAD("memory = <0x10000>; cpus = <1>; module@51000000 { compatible = \"multiboot,kernel\"; "
	      "reg = <0 0x51000000 0 0x1000>; };"),
	  "bad: module@51000000: \"multiboot,kernel\" without \"multiboot,module\"", false },
	{ BAD("memory = <0x10000>; cpus = <1>; " MODULE("kernel", "7ff00000", "0x200000", "")),
	  "bad: module@7ff00000: 0x7ff00000 - 0x80100000 is not inside RAM", false },
	{ BAD("memory = <0x10000>; cpus = <1>; " MODULE("kernel", "51000000", "0", "")),
	  "bad: module@51000000: size 0", false },
	{ BAD("memory = <0x10000>; cpus = <1>; module@51000000 { compatible = \"multiboot,kernel\", "
	      "\"multiboot,module\"; reg = <0 0x51000000 0>; };"),
	  "bad: module@51000000: bad \"reg\"", false },
	{ "		bad { compatible = \"xen,domain\"; #address-cells = <3>; #size-cells = <1>; "
	  "memory = <0x10000>; cpus = <1>; module@51000000 { compatible = \"multiboot,kernel\", "
	  "\"multiboot,module\"; reg = <0 0 0x51000000 0x1000>; }; };\n",
	  "bad: module@51000000: bad \"reg\"", false },
	{ BAD("memory = <0x10000>; cpus = <1>; " MODULE("kernel", "40300000", "0x1000", "")),
	  "bad: module@40300000: overlaps the hypervisor image", false },
	{ BAD("memory = <0x10000>; cpus = <1>; " KERNEL("51000000")
	      MODULE("ramdisk", "51080000", "0x1000", "")),
	  "bad: module@51000000: overlaps /chosen/bad/module@51080000", false },
	{ "		" KERNEL("52000000") "\n"
	  BAD("memory = <0x10000>; cpus = <1>; " KERNEL("52080000")),
	  "bad: module@52080000: overlaps /chosen/module@52000000", false },
	{ BAD("memory = <0x10000>; cpus = <1>; hyp,cpus = <4>; " KERNEL("51000000")),
	  "bad: \"hyp,cpus\" names CPU 4 but the machine has 4 CPUs", false },
	{ BAD("memory = <0x10000>; cpus = <1>; hyp,cpus = <1 2>; " KERNEL("51000000")),
	  "bad: \"hyp,cpus\" names 2 CPUs for 1 vCPUs", false },
	{ BAD("memory = <0x10000>; cpus = <2>; hyp,cpus = <1 1>; " KERNEL("51000000")),
	  "bad: \"hyp,cpus\" names CPU 1 twice", false },
	{ BAD("memory = <0x10000>; cpus = <1>; hyp,cpus = [01]; " KERNEL("51000000")),
	  "bad: \"hyp,cpus\" is not a list of cells", false },
	{ BAD("memory = <0x10000>; cpus = <2>; hyp,cpus = <3 2>; " KERNEL("51000000")),
	  "bad: CPU 2 is already good's", true },
	{ BAD("memory = <0x10000>; cpus = <4>; " KERNEL("51000000")),
	  "bad: 4 vCPUs but only 3 free CPUs", false },
	{ BAD("memory = <0x10000>; cpus = <1>; hyp,ram-base = <0 0x80001000>; " KERNEL("51000000")),
	  "bad: \"hyp,ram-base\" 0x80001000 is not 2 MiB aligned", false },
	{ BAD("memory = <0x10000>; cpus = <1>; hyp,ram-base = <0x80000000>; " KERNEL("51000000")),
	  "bad: \"hyp,ram-base\" is not 2 cells", false },
	{ BAD("memory = <0x10000>; cpus = <1>; hyp,ram-base = <0xffffffff 0xffe00000>; "
	      KERNEL("51000000")),
	  "bad: \"hyp,ram-base\" + \"memory\" is past the end of the address space", false },
	{ BAD("memory = <0x10000>; cpus = <1>; "
	      MODULE("kernel", "51000000", "0x1000", "hyp,load-address = <0 0 1>;")),
	  "bad: module@51000000: \"hyp,load-address\" is not 1 or 2 cells", false },
	{ BAD("memory = <0x10000>; cpus = <1>; "
	      MODULE("kernel", "51000000", "0x1000", "bootargs = [00 41];")),
	  "bad: module@51000000: \"bootargs\" is not a string", false },
};

static void test_bad_vm(void **state)
{
	char chosen[4096], line[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		snprintf(chosen, sizeof(chosen), "%s%s",
			 c->good_pinned ? DOMAIN("good", "memory = <0 0x10000>; cpus = <1>; "
						 "hyp,cpus = <2>; " KERNEL("50000000")) : GOOD,
			 c->chosen);
		boot(chosen);
		snprintf(line, sizeof(line), "hyp: device tree: /chosen/%s\n", c->line);
		if (strcmp(log_buf, line))
			fail_msg("case %zu: log:\n%s\nexpected:\n%s", i, log_buf, line);
		assert_int_equal(bi.nr_vms, 1);
		assert_string_equal(bi.vms[0].name, "good");
		assert_int_equal(bi.vms[0].cpu_mask, c->good_pinned ? 0x4 : 0x1);
		assert_int_equal(bi.vms[0].kernel.base, 0x50000000);
	}
}

/* Two VMs whose modules overlap: the later one is refused, the others kept. */
static void test_vms_overlap(void **state)
{
	(void)state;
	boot(DOMAIN("a", "memory = <0x10000>; cpus = <1>; " KERNEL("51000000"))
	     DOMAIN("b", "memory = <0x10000>; cpus = <1>; " KERNEL("510ff000"))
	     GOOD);
	expect_log("hyp: device tree: /chosen/b: module@510ff000: overlaps /chosen/a/module@51000000\n");
	assert_int_equal(bi.nr_vms, 2);
	assert_string_equal(bi.vms[0].name, "a");
	assert_string_equal(bi.vms[1].name, "good");
	assert_int_equal(bi.vms[1].cpu_mask, 0x2);
	assert_int_equal(bi.nr_vm_nodes, 3);
}

/* The boot DTB and modules the tree does not name (the description's own). */
static void test_overlap_description(void **state)
{
	(void)state;
	boot(GOOD DOMAIN("bad", "memory = <0x10000>; cpus = <1>; " KERNEL("51000000")));
	expect_log("");
	assert_int_equal(bi.nr_vms, 2);
	bi.fw_table = (struct boot_range){ 0x510ff000, 0x2000 };
	reparse();
	expect_log("hyp: device tree: /chosen/bad: module@51000000: overlaps the boot device tree\n");
	assert_int_equal(bi.nr_vms, 1);
	assert_string_equal(bi.vms[0].name, "good");
	bi.fw_table = (struct boot_range){ 0x30000000, 0x2000 };
	bi.modules[bi.nr_modules++] = (struct boot_range){ 0x51000800, 0x100 };
	reparse();
	expect_log("hyp: device tree: /chosen/bad: module@51000000: overlaps the module at 0x51000800\n");
	assert_int_equal(bi.nr_vms, 1);
}

/* Pinned VMs get their CPUs first, wherever they are in the tree; the others the lowest free. */
static void test_cpu_order(void **state)
{
	(void)state;
	boot(DOMAIN("x", "memory = <0x10000>; cpus = <2>; " KERNEL("51000000"))
	     DOMAIN("y", "memory = <0x10000>; cpus = <1>; hyp,cpus = <1>; " KERNEL("52000000"))
	     DOMAIN("z", "memory = <0x10000>; cpus = <1>; " KERNEL("53000000")));
	expect_log("");
	assert_int_equal(bi.nr_vms, 3);
	assert_int_equal(bi.vms[0].cpu_mask, 0x5);
	assert_int_equal(bi.vms[1].cpu_mask, 0x2);
	assert_int_equal(bi.vms[2].cpu_mask, 0x8);
}

static void test_too_many_vms(void **state)
{
	(void)state;
	boot(DOMAIN("vm0", "memory = <0x10000>; cpus = <1>; " KERNEL("51000000"))
	     DOMAIN("vm1", "memory = <0x10000>; cpus = <1>; " KERNEL("52000000"))
	     DOMAIN("vm2", "memory = <0x10000>; cpus = <1>; " KERNEL("53000000"))
	     DOMAIN("vm3", "memory = <0x10000>; cpus = <1>; " KERNEL("54000000"))
	     DOMAIN("vm4", "memory = <0x10000>; cpus = <1>; " KERNEL("55000000")));
	expect_log("hyp: device tree: /chosen/vm4: more than 4 VMs\n");
	assert_int_equal(bi.nr_vms, BOOT_MAX_VMS);
	for (uint32_t i = 0; i < BOOT_MAX_VMS; i++)
		assert_int_equal(bi.vms[i].cpu_mask, 1u << i);
	/* Its module is still kept from the page allocator. */
	assert_true(has_range(bi.reserved, bi.nr_reserved, 0x55000000, 1 * MIB));
}

static int teardown(void **state)
{
	(void)state;
	free(dtb);
	dtb = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imagebuilder),
		cmocka_unit_test(test_no_vms),
		cmocka_unit_test(test_bad_vm),
		cmocka_unit_test(test_vms_overlap),
		cmocka_unit_test(test_overlap_description),
		cmocka_unit_test(test_cpu_order),
		cmocka_unit_test(test_too_many_vms),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
