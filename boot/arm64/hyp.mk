# The arm64 hypervisor image: `make hyp-arm64` builds $(O)/arm64/hyp.elf and
# the raw Image $(O)/arm64/hyp.bin that QEMU -kernel and U-Boot booti load,
# with the guests of guest-images/arm64 embedded. `make run` boots it under
# QEMU (4 CPUs) with two VMs, hello and memtouch (config=two); `make run
# CONFIG=NAME` picks another configuration (guest-images/arm64/configs),
# `GUEST=smp` one VM with another guest (the hypervisor reads "guest=NAME"
# from /chosen/bootargs), `VCPUS=N` gives it fewer vCPUs than CPUs
# ("vcpus=N"), `SMP=N` sets QEMU's CPUs, `MEM=4G` its RAM (512M).
# `make run GUEST=path/to/Image` (GUEST naming a file) boots a kernel of
# your own instead, handed over at boot (boot/handover.mk); `CONFIG=FILE`
# (a file) hands over the VMs it describes. Nothing is recompiled for
# another guest (docs/guests.md).
# Included by the top Makefile, which defines O, CROSS_arm64, CSTD, WARN,
# MMU_SRCS, FMT_SRCS_arm64 and MMU_HDRS; the walker comes from
# tools/freestanding.mk's $(O)/arm64/libmmu.a.

HYP_ARM64_O := $(O)/arm64/hyp
HYP_ARM64_CC := $(CROSS_arm64)gcc
HYP_ARM64_CFLAGS := $(CSTD) $(WARN) -ffreestanding -nostdlib -fno-common \
	-fno-stack-protector -fno-pic -mgeneral-regs-only -mno-outline-atomics \
	-march=armv8-a -mstrict-align -O2 -g -MMD -MP
HYP_ARM64_INC := -Ihyp -Idrivers -Iarch/arm64 -Immu -Immu/plat/hyp
# Position-independent executable: head.S applies its own relocations.
HYP_ARM64_LDFLAGS := -nostdlib -static -Wl,-pie -Wl,--no-dynamic-linker \
	-Wl,-z,notext -Wl,--build-id=none -Wl,-z,norelro -Wl,-z,max-page-size=4096 \
	-Wl,--fatal-warnings -T boot/arm64/hyp.lds

HYP_ARM64_SRCS := boot/arm64/head.S arch/arm64/vectors.S \
	$(filter-out $(FMT_SRCS_arm64),$(sort $(wildcard arch/arm64/*.c))) \
	$(sort $(wildcard hyp/*.c hyp/lib/*.c hyp/vdev/*.c)) drivers/pl011.c drivers/gicv3.c
HYP_ARM64_OBJS := $(addprefix $(HYP_ARM64_O)/,$(addsuffix .o,$(basename $(HYP_ARM64_SRCS)))) \
	$(HYP_ARM64_O)/gen/vm_configs.o $(HYP_ARM64_O)/gen/guest_images.o \
	$(HYP_ARM64_O)/gen/guest_images_bin.o

# The string functions must not be compiled into calls to themselves.
$(HYP_ARM64_O)/hyp/lib/string.o: HYP_ARM64_EXTRA := -fno-tree-loop-distribute-patterns

$(HYP_ARM64_O)/%.o: %.c
	@mkdir -p $(@D)
	$(HYP_ARM64_CC) $(HYP_ARM64_CFLAGS) $(HYP_ARM64_EXTRA) $(HYP_ARM64_INC) -c -o $@ $<

$(HYP_ARM64_O)/%.o: %.S
	@mkdir -p $(@D)
	$(HYP_ARM64_CC) $(HYP_ARM64_CFLAGS) $(HYP_ARM64_INC) -c -o $@ $<

include guest-images/arm64/guest.mk
include boot/arm64/bench.mk

# The VM configurations (guest-images/arm64/configs/NAME.vm, picked with the
# bootarg "config=NAME") as a C table: tools/vmconfig.py names the file and
# line of any error.
VM_CONFIGS_ARM64 := $(sort $(wildcard guest-images/arm64/configs/*.vm))
$(HYP_ARM64_O)/gen/vm_configs.c: $(VM_CONFIGS_ARM64) tools/vmconfig.py $(GUEST_ARM64_BINS)
	@mkdir -p $(@D)
	$(PYTHON) tools/vmconfig.py --arch arm64 --guests "$(GUEST_ARM64_NAMES)" --image-dir $(GUEST_ARM64_O) \
		-o $@ $(VM_CONFIGS_ARM64)

$(HYP_ARM64_O)/gen/vm_configs.o: $(HYP_ARM64_O)/gen/vm_configs.c
	$(HYP_ARM64_CC) $(HYP_ARM64_CFLAGS) $(HYP_ARM64_INC) -c -o $@ $<

$(O)/arm64/hyp.elf: $(HYP_ARM64_OBJS) $(O)/arm64/libmmu.a boot/arm64/hyp.lds
	$(HYP_ARM64_CC) $(HYP_ARM64_LDFLAGS) -o $@ $(HYP_ARM64_OBJS) $(O)/arm64/libmmu.a

$(O)/arm64/hyp.bin: $(O)/arm64/hyp.elf
	$(CROSS_arm64)objcopy -O binary $< $@

.PHONY: hyp-arm64
hyp-arm64: $(O)/arm64/hyp.bin $(O)/arm64/hyp.elf

-include $(HYP_ARM64_OBJS:.o=.d)

# Without GUEST, VCPUS or CONFIG: the two-VM configuration (two.vm), hello
# on CPU 0 and memtouch on CPUs 1-3; GUEST or VCPUS alone use default.vm.
RUN_CONFIG_arm64 = $(or $(CONFIG),$(if $(GUEST)$(VCPUS),,two))
# GUEST or CONFIG naming an existing file: guests handed over at boot.
include boot/handover.mk
RUN_CMD_arm64 = $(if $(RUN_HANDOVER),$(call run_handover_cmd,arm64),$(RUN_BUILTIN_CMD_arm64))
RUN_BUILTIN_CMD_arm64 = qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
	-cpu max -smp $(or $(SMP),4) -m $(or $(MEM),512M) -nographic -kernel $(O)/arm64/hyp.bin \
	-append '$(strip $(if $(RUN_CONFIG_arm64),config=$(RUN_CONFIG_arm64)) \
		$(if $(GUEST),guest=$(GUEST)) $(if $(VCPUS),vcpus=$(VCPUS)))'

# `make run-linux`: Debian's cloud kernel, unmodified (tools/fetch-debian-kernel.sh),
# with a busybox shell as its init (tools/mkinitramfs-arm64.sh shell), 2 vCPUs
# and 256 MiB, handed over at boot; its console is yours (Ctrl-A three times
# switches input, six under QEMU -nographic). `poweroff -f` ends it.
LINUX_DIR_arm64 := $(O)/debian-arm64
.PHONY: run-linux
run-linux: check-deps
	tools/fetch-debian-kernel.sh $(LINUX_DIR_arm64) >/dev/null
	tools/mkinitramfs-arm64.sh $(LINUX_DIR_arm64) shell >/dev/null
	$(MAKE) --no-print-directory run ARCH=arm64 GUEST=$(LINUX_DIR_arm64)/Image \
		INITRD=$(LINUX_DIR_arm64)/initramfs-shell.cpio.gz BOOTARGS=console=ttyAMA0 \
		VCPUS=2 MEM=256M
