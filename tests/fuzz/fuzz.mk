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

FUZZ_SRCS_fdt := hyp/fdt.c hyp/fdt_query.c hyp/boot_fdt.c
FUZZ_SRCS_bootargs := hyp/bootargs.c
FUZZ_SRCS_mmio_arm64 :=
FUZZ_INC_mmio_arm64 := -Iarch/arm64
FUZZERS := fdt bootargs mmio_arm64

# $(1): fuzzer name
define fuzzer
$(FUZZ_O)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1)) $(wildcard hyp/*.h arch/arm64/*.h)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_INC_$(1)) -o $$@ tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1))
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzzer,$(f))))

FUZZ_BINS := $(foreach f,$(FUZZERS),$(FUZZ_O)/fuzz_$(f))
FUZZ_RUN := tools/run_fuzz.sh $(FUZZ_O) $(FUZZERS)

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) $(FUZZ_RUN)
