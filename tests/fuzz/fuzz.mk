# libFuzzer harnesses (clang from Debian) for everything that parses input.
# `make test` runs each for FUZZ_RUNS inputs from its seed corpus
# (tests/fuzz/seeds/NAME; .dts seeds are compiled with dtc); `make fuzz`
# runs each for FUZZ_SECONDS. The working corpus is build/fuzz/corpus/NAME.
FUZZ_CC := clang
FUZZ_CFLAGS := $(CSTD) -Wall -Wextra -Werror -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -D_GNU_SOURCE -Ihyp -Immu -Immu/plat/host
FUZZ_RUNS ?= 20000
FUZZ_SECONDS ?= 300
FUZZ_O := $(O)/fuzz

FUZZ_SRCS_fdt := hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c hyp/boot_fdt.c hyp/boot_dom0less.c hyp/boot_vms.c
FUZZ_SRCS_bootargs := hyp/bootargs.c
FUZZ_SRCS_image := hyp/image.c
FUZZ_SRCS_modules := hyp/boot_modules.c hyp/boot_vms.c hyp/printf.c
FUZZ_SRCS_vm_dt := hyp/vm_dt.c hyp/fdt_write.c hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c hyp/printf.c arch/arm64/guest_dt.c
FUZZ_SRCS_mmio_arm64 :=
FUZZ_INC_mmio_arm64 := -Iarch/arm64
FUZZ_INC_vm_dt := -Iarch/arm64 -Idrivers
FUZZ_SRCS_mptable := arch/x86_64/mptable.c arch/x86_64/acpi_parse.c
FUZZ_INC_mptable := -Iarch/x86_64
FUZZERS := fdt bootargs mmio_arm64 calls image vm_dt modules mptable

# $(1): fuzzer name
define fuzzer
$(FUZZ_O)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1)) $(wildcard hyp/*.h arch/arm64/*.h arch/x86_64/*.h)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_INC_$(1)) -o $$@ tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1))
endef
$(foreach f,fdt bootargs mmio_arm64 image vm_dt modules mptable,$(eval $(call fuzzer,$(f))))

# Hypercalls and PSCI on the fake arch: the core and the walker built as in
# tests/tests.mk (each with its own platform header), instrumented for libFuzzer.
FUZZ_CALLS_SRCS := tests/fuzz/fuzz_calls.c arch/arm64/vpsci.c $(FAKE_HYP_SRCS) $(HOST_LIB_SRCS)
FUZZ_OBJ_CFLAGS := $(CSTD) -Wall -Wextra -Werror -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -D_GNU_SOURCE
$(FUZZ_O)/obj/%.o: %.c $(FAKE_HYP_HDRS) $(wildcard arch/arm64/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_OBJ_CFLAGS) $(if $(filter mmu/% arch/%/pt_fmt_%.c tests/unit/plat_host.c,$<),\
		$(HOST_INC),$(FAKE_HYP_INC) -Iarch/arm64) -c -o $@ $<
$(FUZZ_O)/fuzz_calls: $(patsubst %.c,$(FUZZ_O)/obj/%.o,$(FUZZ_CALLS_SRCS))
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ -lcmocka -lpthread

FUZZ_BINS := $(foreach f,$(FUZZERS),$(FUZZ_O)/fuzz_$(f))
FUZZ_RUN := tools/run_fuzz.sh $(FUZZ_O) $(FUZZERS)

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) $(FUZZ_RUN)

# make test runs them too (tests/tests.mk, included first, names the suite).
test: $(FUZZ_BINS)
