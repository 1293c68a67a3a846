.SECONDEXPANSION:
# Host unit tests: the walker built as an ordinary library, under sanitizers.
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer, every test
#   tsan: ThreadSanitizer, the parallel tests
#   bench: optimised, for `make bench`
HOST_INC := -Immu -Immu/plat/host -Itests/unit -Itests/ref $(addprefix -Iarch/,$(ARCHES))
HOST_CFLAGS_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS_tsan := -O1 -g -fsanitize=thread
# No vectorisation: the hypervisor has no SIMD, and neither does the baseline.
HOST_CFLAGS_bench := -O2 -g -fno-tree-vectorize -fno-tree-loop-distribute-patterns
HOST_VARIANTS := asan tsan bench

HOST_LIB_SRCS := $(MMU_SRCS) $(FMT_SRCS) tests/unit/plat_host.c
REF_SRCS = $(sort $(wildcard tests/ref/*.c))
REF_LIB_SRCS = $(filter-out %_selftest.c,$(REF_SRCS))
HARNESS_SRCS := tests/unit/harness.c

UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
TSAN_TESTS := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_parallel*.c)))

# $(1): variant, $(2): test name
define host_test
$(O)/host-$(1)/$(2): tests/unit/$(2).c $(HOST_LIB_SRCS) $(HARNESS_SRCS) $$(REF_LIB_SRCS) $(MMU_HDRS) $(wildcard tests/unit/*.h tests/ref/*.h)
	@mkdir -p $$(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_$(1)) $(HOST_INC) -o $$@ \
		tests/unit/$(2).c $(HOST_LIB_SRCS) $(HARNESS_SRCS) $$(REF_LIB_SRCS) -lcmocka -lpthread
endef

$(foreach t,$(UNIT_TESTS),$(eval $(call host_test,asan,$(t))))
$(foreach t,$(TSAN_TESTS),$(eval $(call host_test,tsan,$(t))))

REF_SELFTEST := $(O)/host-asan/ref_selftest
$(REF_SELFTEST): $$(REF_SRCS) tests/ref/ref.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) $(HOST_CFLAGS_asan) -Itests/ref -o $@ $(REF_SRCS) -lcmocka

BENCH_BIN := $(O)/host-bench/bench_mmu
$(BENCH_BIN): tests/bench/bench_mmu.c $(HOST_LIB_SRCS) $(MMU_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_bench) $(HOST_INC) -o $@ \
		tests/bench/bench_mmu.c $(HOST_LIB_SRCS) -lpthread

# hyp/ built as host C: the FDT parser against QEMU's own DTBs, printf.
HYP_HOST_INC := -Ihyp -Immu
$(O)/host-asan/hyp/test_fdt: tests/unit/hyp/test_fdt.c tests/unit/hyp/fdt_builder.c tests/unit/hyp/fdt_builder.h hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c hyp/fdt.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -o $@ \
		tests/unit/hyp/test_fdt.c tests/unit/hyp/fdt_builder.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c -lcmocka
$(O)/host-asan/hyp/test_printf: tests/unit/hyp/test_printf.c hyp/printf.c hyp/printf.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -o $@ \
		tests/unit/hyp/test_printf.c hyp/printf.c -lcmocka
# hyp_log() into a buffer, for the tests below that link hyp/ without its console.
LOG_CAPTURE := tests/unit/hyp/log_capture.c tests/unit/hyp/log_capture.h
$(O)/host-asan/hyp/test_boot: tests/unit/hyp/test_boot.c $(LOG_CAPTURE) tests/unit/hyp/fdt_builder.c tests/unit/hyp/fdt_builder.h hyp/boot_fdt.c hyp/boot_dom0less.c hyp/boot_vms.c hyp/page_alloc.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c hyp/fdt.h hyp/boot.h hyp/page_alloc.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Immu/plat/host -o $@ \
		tests/unit/hyp/test_boot.c tests/unit/hyp/log_capture.c tests/unit/hyp/fdt_builder.c hyp/boot_fdt.c hyp/boot_dom0less.c hyp/boot_vms.c hyp/page_alloc.c \
		hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c -lcmocka
HYP_UNIT_BINS := $(O)/host-asan/hyp/test_fdt $(O)/host-asan/hyp/test_printf $(O)/host-asan/hyp/test_boot
# arch/riscv64's instruction decoding, host C like the core.
$(O)/host-asan/hyp/test_riscv_mmio_decode: tests/unit/arch/test_riscv_mmio_decode.c \
		arch/riscv64/mmio_decode.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Iarch/riscv64 -o $@ \
		tests/unit/arch/test_riscv_mmio_decode.c -lcmocka
HYP_UNIT_BINS += $(O)/host-asan/hyp/test_riscv_mmio_decode
# arch/x86_64's ACPI S5 parsing (FADT, the DSDT's \_S5), host C like the core.
$(O)/host-asan/hyp/test_x86_acpi: tests/unit/arch/test_x86_acpi.c arch/x86_64/acpi_parse.c \
		arch/x86_64/acpi_parse.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Iarch/x86_64 -o $@ \
		tests/unit/arch/test_x86_acpi.c arch/x86_64/acpi_parse.c -lcmocka
HYP_UNIT_BINS += $(O)/host-asan/hyp/test_x86_acpi
# arch/x86_64's MP table parsing (mptable.c, with acpi_parse.c's loads and checksum), host C.
$(O)/host-asan/hyp/test_x86_mptable: tests/unit/arch/test_x86_mptable.c arch/x86_64/mptable.c \
		arch/x86_64/mptable.h arch/x86_64/acpi_parse.c arch/x86_64/acpi_parse.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Iarch/x86_64 -o $@ \
		tests/unit/arch/test_x86_mptable.c arch/x86_64/mptable.c arch/x86_64/acpi_parse.c -lcmocka
HYP_UNIT_BINS += $(O)/host-asan/hyp/test_x86_mptable
# The handed-over VMs of /chosen (dom0less trees compiled with dtc at run time) and kernel images.
$(O)/host-asan/hyp/test_dom0less: tests/unit/hyp/test_dom0less.c $(LOG_CAPTURE) hyp/boot_fdt.c hyp/boot_dom0less.c hyp/boot_vms.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c hyp/fdt.h hyp/boot.h hyp/boot_vms.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Immu/plat/host -o $@ \
		tests/unit/hyp/test_dom0less.c tests/unit/hyp/log_capture.c hyp/boot_fdt.c hyp/boot_dom0less.c hyp/boot_vms.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c -lcmocka
$(O)/host-asan/hyp/test_image: tests/unit/hyp/test_image.c hyp/image.c hyp/image.h hyp/arch/guest.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -o $@ \
		tests/unit/hyp/test_image.c hyp/image.c -lcmocka
# VMs from boot modules' words (GRUB module2 lines).
$(O)/host-asan/hyp/test_boot_modules: tests/unit/hyp/test_boot_modules.c $(LOG_CAPTURE) hyp/boot_modules.c hyp/boot_vms.c hyp/printf.c hyp/boot.h hyp/boot_vms.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Immu/plat/host -o $@ \
		tests/unit/hyp/test_boot_modules.c tests/unit/hyp/log_capture.c hyp/boot_modules.c hyp/boot_vms.c hyp/printf.c -lcmocka
HYP_UNIT_BINS += $(O)/host-asan/hyp/test_dom0less $(O)/host-asan/hyp/test_image $(O)/host-asan/hyp/test_boot_modules
# A VM's device tree with the arm64 nodes, and with the riscv64 ones, read
# back by the parser and by dtc (tests/unit/hyp/dt_check.c).
VM_DT_TEST_SRCS := hyp/vm_dt.c hyp/fdt_write.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c hyp/printf.c \
	tests/unit/hyp/dt_check.c tests/unit/hyp/log_capture.c
VM_DT_TEST_DEPS := $(VM_DT_TEST_SRCS) $(LOG_CAPTURE) tests/unit/hyp/dt_check.h $(wildcard hyp/*.h hyp/arch/*.h)
$(O)/host-asan/hyp/test_vm_dt: tests/unit/hyp/test_vm_dt.c tests/unit/hyp/fdt_builder.c arch/arm64/guest_dt.c $(VM_DT_TEST_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Immu/plat/host \
		-Iarch/arm64 -Idrivers -Itests/unit/hyp -o $@ tests/unit/hyp/test_vm_dt.c \
		tests/unit/hyp/fdt_builder.c arch/arm64/guest_dt.c $(VM_DT_TEST_SRCS) -lcmocka
$(O)/host-asan/hyp/test_vm_dt_riscv: tests/unit/hyp/test_vm_dt_riscv.c arch/riscv64/guest_dt.c \
		arch/riscv64/riscv64.h $(VM_DT_TEST_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -Immu/plat/host \
		-Iarch/riscv64 -Idrivers -Itests/unit/hyp -o $@ tests/unit/hyp/test_vm_dt_riscv.c \
		arch/riscv64/guest_dt.c $(VM_DT_TEST_SRCS) -lcmocka
$(O)/host-asan/hyp/test_fdt_write: tests/unit/hyp/test_fdt_write.c tests/unit/hyp/fdt_builder.c tests/unit/hyp/fdt_builder.h hyp/fdt_write.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_write.h hyp/fdt.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_asan) $(HYP_HOST_INC) -o $@ \
		tests/unit/hyp/test_fdt_write.c tests/unit/hyp/fdt_builder.c hyp/fdt_write.c hyp/fdt.c hyp/fdt_index.c -lcmocka
HYP_UNIT_BINS += $(O)/host-asan/hyp/test_vm_dt $(O)/host-asan/hyp/test_vm_dt_riscv \
	$(O)/host-asan/hyp/test_fdt_write

# hyp/'s core on the fake arch (tests/unit/hyp/fake_arch.c): built with its
# own platform header, linked with the walker built as the host library.
FAKE_HYP_SRCS := hyp/vm.c hyp/vm_s2.c hyp/vcpu.c hyp/hypercall.c hyp/vdev.c hyp/vdev/vpl011.c hyp/vdev/vns16550.c \
	hyp/console.c hyp/printf.c hyp/page_alloc.c hyp/vm_handover.c hyp/vm_mbi.c hyp/image.c hyp/vm_dt.c \
	hyp/fdt_write.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c \
	tests/unit/hyp/fake_arch.c tests/unit/hyp/fake_machine.c
FAKE_HYP_INC := -Ihyp -Immu -Immu/plat/hyp -Itests/unit/hyp -Iarch/arm64
FAKE_HYP_HDRS := $(wildcard hyp/*.h hyp/arch/*.h hyp/vdev/*.h tests/unit/hyp/fake_arch.h) $(MMU_HDRS)
FAKE_TESTS := $(patsubst tests/unit/hyp/%.c,%,$(filter-out %/test_fdt.c %/test_printf.c %/test_boot.c %/test_vm_dt.c %/test_vm_dt_riscv.c %/test_fdt_write.c,\
	$(sort $(wildcard tests/unit/hyp/test_*.c))))
FAKE_TESTS := $(filter-out test_dom0less test_image test_boot_modules,$(FAKE_TESTS))
FAKE_TSAN_TESTS := test_power test_console test_console_tx

# $(1): variant
define fake_hyp_objs
$(O)/host-$(1)/fake/%.o: %.c $(FAKE_HYP_HDRS)
	@mkdir -p $$(@D)
	$(HOST_CC) $(CSTD) $(WARN) -D_GNU_SOURCE $(HOST_CFLAGS_$(1)) \
		$$(if $$(filter hyp/% tests/unit/hyp/%,$$<),$(FAKE_HYP_INC),$(HOST_INC)) -c -o $$@ $$<
endef
# $(1): variant, $(2): test name
define fake_hyp_test
$(O)/host-$(1)/hyp/$(2): $(patsubst %.c,$(O)/host-$(1)/fake/%.o,tests/unit/hyp/$(2).c $(FAKE_HYP_SRCS) $(HOST_LIB_SRCS))
	@mkdir -p $$(@D)
	$(HOST_CC) $(HOST_CFLAGS_$(1)) -o $$@ $$^ -lcmocka -lpthread
endef
$(foreach v,asan tsan,$(eval $(call fake_hyp_objs,$(v))))
$(foreach t,$(FAKE_TESTS),$(eval $(call fake_hyp_test,asan,$(t))))
$(foreach t,$(FAKE_TSAN_TESTS),$(eval $(call fake_hyp_test,tsan,$(t))))
HYP_UNIT_BINS += $(addprefix $(O)/host-asan/hyp/,$(FAKE_TESTS)) \
	$(addprefix $(O)/host-tsan/hyp/,$(FAKE_TSAN_TESTS))

UNIT_BINS := $(addprefix $(O)/host-asan/,$(UNIT_TESTS)) $(addprefix $(O)/host-tsan/,$(TSAN_TESTS))
host-libs: $(UNIT_BINS) $(REF_SELFTEST) $(HYP_UNIT_BINS)

# What `make test` runs, in order, as NAME=COMMAND; tests/runner.py prints the summary.
# The boot tests (tests/boot/platforms.py) run for every arch that has an
# image (boot/<arch>/hyp.mk), or only for ARCH when it is given (make test
# ARCH=riscv64); the arm64 suite keeps the name "boot".
BOOT_ARCHES := $(if $(filter file,$(origin ARCH)),$(patsubst boot/%/hyp.mk,%,$(wildcard \
	boot/*/hyp.mk)),$(if $(wildcard boot/$(ARCH)/hyp.mk),$(ARCH)))
TEST_SUITES = "ref-selftest=$(REF_SELFTEST)" \
	$(foreach b,$(UNIT_BINS) $(HYP_UNIT_BINS),"$(subst /,-,$(patsubst $(O)/host-%,%,$(b)))=$(b)") \
	"freestanding=$(FREESTANDING_CHECK)" \
	"freestanding-core=$(CORE_CHECK)" \
	"tools=$(PYTHON) -m pytest -q -p no:cacheprovider tests/tools" \
	"fuzz=FUZZ_RUNS=$(FUZZ_RUNS) $(FUZZ_RUN)" \
	$(foreach a,$(BOOT_ARCHES),"boot$(if $(filter arm64,$(a)),,-$(a))=O=$(O) ARCH=$(a) $(PYTHON) -m pytest -q -p no:cacheprovider tests/boot")
test: $(UNIT_BINS) $(REF_SELFTEST) $(HYP_UNIT_BINS) $(FREESTANDING_LIBS)
