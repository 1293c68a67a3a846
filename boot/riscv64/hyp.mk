# The riscv64 hypervisor image: `make hyp-riscv64` builds $(O)/riscv64/hyp.elf
# and the raw Image $(O)/riscv64/hyp.bin (RISC-V Image header) that QEMU
# -kernel (after OpenSBI fw_dynamic) and U-Boot booti load, with the guests
# of guest-images/riscv64 embedded. `make run ARCH=riscv64` boots it under
# QEMU (4 harts) with two VMs, hello and memtouch (config=two); CONFIG=NAME,
# GUEST=NAME, VCPUS=N, SMP=N and MEM= as for arm64 (boot/arm64/hyp.mk);
# GUEST=path/to/Image or CONFIG=FILE naming a file hands your own kernels
# over at boot (boot/handover.mk, docs/guests.md).
# Included by the top Makefile, which defines O, CROSS_riscv64, CSTD, WARN,
# MMU_SRCS, FMT_SRCS_riscv64 and MMU_HDRS; the walker comes from
# tools/freestanding.mk's $(O)/riscv64/libmmu.a.

HYP_RISCV64_O := $(O)/riscv64/hyp
HYP_RISCV64_CC := $(CROSS_riscv64)gcc
HYP_RISCV64_CFLAGS := $(CSTD) $(WARN) -ffreestanding -nostdlib -fno-common \
	-fno-stack-protector -fno-pic -march=rv64imac_zicsr_zifencei -mabi=lp64 \
	-mcmodel=medany -mno-relax -O2 -g -MMD -MP
HYP_RISCV64_INC := -Ihyp -Idrivers -Iarch/riscv64 -Immu -Immu/plat/hyp
# Position-independent executable: head.S applies its own relocations.
HYP_RISCV64_LDFLAGS := -nostdlib -static -Wl,-pie -Wl,--no-dynamic-linker \
	-Wl,-z,notext -Wl,--build-id=none -Wl,-z,norelro -Wl,-z,max-page-size=4096 \
	-Wl,--no-relax -Wl,--fatal-warnings -T boot/riscv64/hyp.lds

HYP_RISCV64_SRCS := boot/riscv64/head.S arch/riscv64/trap.S \
	$(filter-out $(FMT_SRCS_riscv64),$(sort $(wildcard arch/riscv64/*.c))) \
	$(sort $(wildcard hyp/*.c hyp/lib/*.c hyp/vdev/*.c)) drivers/ns16550.c
HYP_RISCV64_OBJS := $(addprefix $(HYP_RISCV64_O)/,$(addsuffix .o,$(basename $(HYP_RISCV64_SRCS)))) \
	$(HYP_RISCV64_O)/gen/vm_configs.o $(HYP_RISCV64_O)/gen/guest_images.o \
	$(HYP_RISCV64_O)/gen/guest_images_bin.o

# The string functions must not be compiled into calls to themselves.
$(HYP_RISCV64_O)/hyp/lib/string.o: HYP_RISCV64_EXTRA := -fno-tree-loop-distribute-patterns
# The guest trap's C code keeps the guest's s0-s11 in the registers (arch/riscv64/trap.S).
$(HYP_RISCV64_O)/arch/riscv64/guest.o: HYP_RISCV64_EXTRA := $(foreach r,0 1 2 3 4 5 6 7 8 9 10 11,-ffixed-s$(r))

$(HYP_RISCV64_O)/%.o: %.c
	@mkdir -p $(@D)
	$(HYP_RISCV64_CC) $(HYP_RISCV64_CFLAGS) $(HYP_RISCV64_EXTRA) $(HYP_RISCV64_INC) -c -o $@ $<

$(HYP_RISCV64_O)/%.o: %.S
	@mkdir -p $(@D)
	$(HYP_RISCV64_CC) $(HYP_RISCV64_CFLAGS) $(HYP_RISCV64_INC) -c -o $@ $<

include guest-images/riscv64/guest.mk
include boot/riscv64/bench.mk

# The VM configurations (guest-images/riscv64/configs/NAME.vm, picked with the
# bootarg "config=NAME") as a C table: tools/vmconfig.py names the file and
# line of any error.
VM_CONFIGS_RISCV64 := $(sort $(wildcard guest-images/riscv64/configs/*.vm))
$(HYP_RISCV64_O)/gen/vm_configs.c: $(VM_CONFIGS_RISCV64) tools/vmconfig.py $(GUEST_RISCV64_BINS)
	@mkdir -p $(@D)
	$(PYTHON) tools/vmconfig.py --arch riscv64 --guests "$(GUEST_RISCV64_NAMES)" --image-dir $(GUEST_RISCV64_O) \
		-o $@ $(VM_CONFIGS_RISCV64)

$(HYP_RISCV64_O)/gen/vm_configs.o: $(HYP_RISCV64_O)/gen/vm_configs.c
	$(HYP_RISCV64_CC) $(HYP_RISCV64_CFLAGS) $(HYP_RISCV64_INC) -c -o $@ $<

$(O)/riscv64/hyp.elf: $(HYP_RISCV64_OBJS) $(O)/riscv64/libmmu.a boot/riscv64/hyp.lds
	$(HYP_RISCV64_CC) $(HYP_RISCV64_LDFLAGS) -o $@ $(HYP_RISCV64_OBJS) $(O)/riscv64/libmmu.a

$(O)/riscv64/hyp.bin: $(O)/riscv64/hyp.elf
	$(CROSS_riscv64)objcopy -O binary $< $@

.PHONY: hyp-riscv64
hyp-riscv64: $(O)/riscv64/hyp.bin $(O)/riscv64/hyp.elf

-include $(HYP_RISCV64_OBJS:.o=.d)

# Without GUEST, VCPUS or CONFIG: the two-VM configuration (two.vm).
RUN_CONFIG_riscv64 = $(or $(CONFIG),$(if $(GUEST)$(VCPUS),,two))
include boot/handover.mk
RUN_CMD_riscv64 = $(if $(RUN_HANDOVER),$(call run_handover_cmd,riscv64),$(RUN_BUILTIN_CMD_riscv64))
RUN_BUILTIN_CMD_riscv64 = qemu-system-riscv64 -M virt -cpu rv64 -smp $(or $(SMP),4) \
	-m $(or $(MEM),512M) -nographic -bios default -kernel $(O)/riscv64/hyp.bin \
	-append '$(strip $(if $(RUN_CONFIG_riscv64),config=$(RUN_CONFIG_riscv64)) \
		$(if $(GUEST),guest=$(GUEST)) $(if $(VCPUS),vcpus=$(VCPUS)))'
