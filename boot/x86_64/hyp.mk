# The x86-64 hypervisor image: `make hyp-x86_64` builds $(O)/x86_64/hyp.elf
# (multiboot2, loaded by GRUB) and the bootable ISO $(O)/x86_64/hyp.iso
# (grub-mkrescue: the image USB sticks, Bochs and QEMU boot), with the
# guests of guest-images/x86_64 embedded. `make run ARCH=x86_64` boots the
# ISO in Bochs (VT-x with EPT; QEMU's TCG has no VMX), CONFIG=NAME and
# GUEST=NAME as on arm64 (the GRUB command line); GUEST=FILE hands that
# kernel over as a GRUB module (docs/guests.md). Included by the top
# Makefile, which defines O, CROSS_x86_64, CSTD, WARN, MMU_SRCS,
# FMT_SRCS_x86_64 and MMU_HDRS; the walker comes from tools/freestanding.mk's
# $(O)/x86_64/libmmu.a.

HYP_X86_64_O := $(O)/x86_64/hyp
HYP_X86_64_CC := $(CROSS_x86_64)gcc
HYP_X86_64_CFLAGS := $(CSTD) $(WARN) -ffreestanding -nostdlib -fno-common \
	-fno-stack-protector -fno-pie -fno-pic -mno-sse -mno-mmx -mno-80387 -mno-red-zone \
	-mcmodel=small -fcf-protection=none -O2 -g -MMD -MP
HYP_X86_64_INC := -Ihyp -Idrivers -Iarch/x86_64 -Immu -Immu/plat/hyp
HYP_X86_64_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,--no-warn-rwx-segments -Wl,-z,noexecstack -Wl,--fatal-warnings -T boot/x86_64/hyp.lds

HYP_X86_64_SRCS := boot/x86_64/head.S arch/x86_64/entry.S arch/x86_64/vmx_entry.S \
	$(filter-out $(FMT_SRCS_x86_64),$(sort $(wildcard arch/x86_64/*.c))) \
	$(sort $(wildcard hyp/*.c hyp/lib/*.c hyp/vdev/*.c)) drivers/ns16550_port.c
HYP_X86_64_OBJS := $(addprefix $(HYP_X86_64_O)/,$(addsuffix .o,$(basename $(HYP_X86_64_SRCS)))) \
	$(HYP_X86_64_O)/gen/vm_configs.o $(HYP_X86_64_O)/gen/guest_images.o \
	$(HYP_X86_64_O)/gen/guest_images_bin.o

$(HYP_X86_64_O)/hyp/lib/string.o: HYP_X86_64_EXTRA := -fno-tree-loop-distribute-patterns

$(HYP_X86_64_O)/%.o: %.c
	@mkdir -p $(@D)
	$(HYP_X86_64_CC) $(HYP_X86_64_CFLAGS) $(HYP_X86_64_EXTRA) $(HYP_X86_64_INC) -c -o $@ $<

$(HYP_X86_64_O)/%.o: %.S
	@mkdir -p $(@D)
	$(HYP_X86_64_CC) $(HYP_X86_64_CFLAGS) $(HYP_X86_64_INC) -c -o $@ $<

include guest-images/x86_64/guest.mk

VM_CONFIGS_X86_64 := $(sort $(wildcard guest-images/x86_64/configs/*.vm))
$(HYP_X86_64_O)/gen/vm_configs.c: $(VM_CONFIGS_X86_64) tools/vmconfig.py $(GUEST_BINS_x86_64)
	@mkdir -p $(@D)
	$(PYTHON) tools/vmconfig.py --arch x86_64 --guests "$(GUEST_NAMES_x86_64)" \
		--image-dir $(GUEST_O_x86_64) -o $@ $(VM_CONFIGS_X86_64)

$(HYP_X86_64_O)/gen/vm_configs.o: $(HYP_X86_64_O)/gen/vm_configs.c
	$(HYP_X86_64_CC) $(HYP_X86_64_CFLAGS) $(HYP_X86_64_INC) -c -o $@ $<

$(O)/x86_64/hyp.elf: $(HYP_X86_64_OBJS) $(O)/x86_64/libmmu.a boot/x86_64/hyp.lds
	$(HYP_X86_64_CC) $(HYP_X86_64_LDFLAGS) -o $@ $(HYP_X86_64_OBJS) $(O)/x86_64/libmmu.a

# The ISO: GRUB (BIOS) with hyp.elf as the multiboot2 kernel; the command
# line of the first entry is empty, the test harness writes its own grub.cfg.
$(O)/x86_64/hyp.iso: $(O)/x86_64/hyp.elf boot/x86_64/grub.cfg
	@rm -rf $(O)/x86_64/iso && mkdir -p $(O)/x86_64/iso/boot/grub
	cp $(O)/x86_64/hyp.elf $(O)/x86_64/iso/boot/hyp.elf
	cp boot/x86_64/grub.cfg $(O)/x86_64/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(O)/x86_64/iso 2>$(O)/x86_64/grub-mkrescue.log || \
		{ cat $(O)/x86_64/grub-mkrescue.log; exit 1; }

.PHONY: hyp-x86_64
hyp-x86_64: $(O)/x86_64/hyp.elf $(O)/x86_64/hyp.iso

-include $(HYP_X86_64_OBJS:.o=.d)

include boot/x86_64/bench.mk

# GUEST naming a file: that kernel (a 32-bit ELF, multiboot) handed over as a
# GRUB module (docs/guests.md), MEM (16M), VCPUS (1), BOOTARGS, INITRD.
RUN_MODULES_x86_64 = --module '$(GUEST):vm name=vm1 mem=$(or $(MEM),16M) cpus=$(or \
	$(VCPUS),1) console$(if $(BOOTARGS), -- $(BOOTARGS))' $(if $(INITRD),--module \
	'$(INITRD):ramdisk') $(if $(SMP),,--smp $(or $(VCPUS),1))
# Without GUEST, VCPUS or CONFIG: the two-VM configuration (two.vm) on 4 CPUs,
# as on arm64: hello and memtouch side by side.
RUN_CONFIG_x86_64 = $(or $(CONFIG),$(if $(GUEST)$(VCPUS),,two))
RUN_CMD_x86_64 = $(PYTHON) tools/bochs.py --elf $(O)/x86_64/hyp.elf --out $(O)/x86_64/run \
	$(if $(SMP),--smp $(SMP),$(if $(RUN_CONFIG_x86_64),--smp 4)) \
	$(if $(call run_file,$(GUEST)),$(RUN_MODULES_x86_64),--cmdline '$(strip $(if \
	$(RUN_CONFIG_x86_64),config=$(RUN_CONFIG_x86_64)) $(if $(GUEST),guest=$(GUEST)))')
