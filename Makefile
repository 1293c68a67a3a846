# The hypervisor's build. `make run` boots it, `make test` runs every test,
# `make bench` prints measured figures, `make deps` installs what they need.
ARCH ?= arm64
PLATFORM ?= qemu-virt
O ?= build

ARCHES := arm64 riscv64 x86_64
ifeq ($(filter $(ARCH),$(ARCHES)),)
$(error ARCH=$(ARCH) is not one of: $(ARCHES))
endif

HOST_CC ?= gcc
PYTHON ?= /usr/bin/python3

CROSS_arm64 := aarch64-linux-gnu-
CROSS_riscv64 := riscv64-linux-gnu-
CROSS_x86_64 := x86_64-linux-gnu-

WARN := -Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD := -std=c11

# The walker and its formats: one set of sources, built hosted and freestanding.
MMU_SRCS := $(sort $(wildcard mmu/*.c))
FMT_SRCS_arm64 := arch/arm64/pt_fmt_arm64.c
FMT_SRCS_riscv64 := arch/riscv64/pt_fmt_riscv.c
FMT_SRCS_x86_64 := arch/x86_64/pt_fmt_x86.c
FMT_SRCS := $(foreach a,$(ARCHES),$(FMT_SRCS_$(a)))
MMU_HDRS := $(wildcard mmu/*.h mmu/plat/*/*.h arch/*/pte.h arch/*/pt_fmt_*.h)

include tools/freestanding.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk
# The profiler's TCG plugin (`make profile`, and the bench's reset_to_guest).
PROFILE_PLUGIN := $(O)/tools/insn_profile.so
# Per-arch hypervisor images: each defines hyp-<arch> and RUN_CMD_<arch>.
-include $(wildcard boot/*/hyp.mk)

.PHONY: all deps test bench run profile clean check-deps
all: host-libs freestanding

deps:
	@tools/deps.sh install

check-deps:
	@tools/deps.sh ensure

test: check-deps
	@$(PYTHON) tests/runner.py $(TEST_SUITES)

bench: $(BENCH_BIN)
	@$(BENCH_BIN)
	@$(if $(BENCH_HYP_$(ARCH)),$(MAKE) --no-print-directory $(BENCH_HYP_$(ARCH)))

run: check-deps
	@if [ -z "$(RUN_CMD_$(ARCH))" ]; then echo "make run: ARCH=$(ARCH) has no bootable image yet"; exit 1; fi
	$(MAKE) hyp-$(ARCH)
	$(RUN_CMD_$(ARCH))

# `make profile [ARCH=arm64|riscv64] [GUEST=bench] [SMP=1] [FROM=sym] [TO=sym]`:
# instructions per hypervisor function between two markers, under QEMU
# -icount with the project's TCG plugin (tools/profile.py, docs/profiling.md).
$(PROFILE_PLUGIN): tools/qemu-plugin/insn_profile.c
	@mkdir -p $(@D)
	$(HOST_CC) $(CSTD) $(WARN) -O2 -fPIC -shared -fvisibility=hidden -o $@ $<

profile: check-deps $(PROFILE_PLUGIN)
	@if [ "$(ARCH)" = x86_64 ]; then echo "make profile: ARCH=x86_64 runs in Bochs, which loads no plugins; profile the core on arm64 or riscv64"; exit 1; fi
	@$(MAKE) --no-print-directory hyp-$(ARCH)
	@$(PYTHON) tools/profile.py --arch $(ARCH) --image $(O)/$(ARCH)/hyp.bin \
		--plugin $(PROFILE_PLUGIN) --bootargs 'guest=$(or $(GUEST),bench)' \
		$(if $(SMP),--smp $(SMP)) $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO)) \
		$(if $(ANNOTATE),--annotate $(ANNOTATE))

clean:
	rm -rf $(O)
