# Tiny arm64 guests, built freestanding and linked at their guest-physical
# RAM base; each becomes a raw binary the hypervisor image embeds. Each
# guest NAME is start.S + lib.c + NAME.c. GUEST_ARM64_NAMES is the one list
# of them: tools/guest_images.py turns it into the .incbin assembly and the
# C table of hyp/guest_images.h. Included by boot/arm64/hyp.mk.

GUEST_ARM64_O := $(O)/arm64/guest
GUEST_ARM64_NAMES := hello fault smp memtouch bench hostile stop reset
GUEST_ARM64_CFLAGS := $(CSTD) $(WARN) -ffreestanding -nostdlib -fno-common \
	-fno-stack-protector -fno-pic -mgeneral-regs-only -mno-outline-atomics \
	-march=armv8-a -mstrict-align -O2 -g -MMD -MP -Ihyp
GUEST_ARM64_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-z,max-page-size=4096 -Wl,--fatal-warnings -T guest-images/arm64/guest.lds
GUEST_ARM64_BINS := $(foreach g,$(GUEST_ARM64_NAMES),$(GUEST_ARM64_O)/$(g).bin)
GUEST_ARM64_GEN := $(HYP_ARM64_O)/gen

$(GUEST_ARM64_O)/%.o: guest-images/arm64/%.c hyp/hvc_abi.h
	@mkdir -p $(@D)
	$(HYP_ARM64_CC) $(GUEST_ARM64_CFLAGS) -c -o $@ $<

$(GUEST_ARM64_O)/%.o: guest-images/arm64/%.S hyp/hvc_abi.h
	@mkdir -p $(@D)
	$(HYP_ARM64_CC) $(GUEST_ARM64_CFLAGS) -c -o $@ $<

$(GUEST_ARM64_O)/%.elf: $(GUEST_ARM64_O)/start.o $(GUEST_ARM64_O)/lib.o $(GUEST_ARM64_O)/%.o \
		guest-images/arm64/guest.lds
	$(HYP_ARM64_CC) $(GUEST_ARM64_LDFLAGS) -o $@ $(filter %.o,$^)

# The raw image must start with the guest header (hyp/hvc_abi.h).
$(GUEST_ARM64_O)/%.bin: $(GUEST_ARM64_O)/%.elf
	$(CROSS_arm64)objcopy -O binary $< $@
	@if ! od -An -tx4 -j8 -N8 $@ | grep -q '55475048 31545345'; then \
		echo "error: guest image $@ has no HPGUEST1 header (see hyp/hvc_abi.h)" >&2; \
		rm -f $@; exit 1; fi

.PRECIOUS: $(GUEST_ARM64_O)/%.elf $(GUEST_ARM64_O)/%.o

# The embedded images (a missing or empty one is an error naming it) and
# their table, both from GUEST_ARM64_NAMES.
$(GUEST_ARM64_GEN)/guest_images_bin.S: $(GUEST_ARM64_BINS) tools/guest_images.py \
		guest-images/arm64/guest.mk
	@mkdir -p $(@D)
	$(PYTHON) tools/guest_images.py --image-dir $(GUEST_ARM64_O) --asm $@ $(GUEST_ARM64_NAMES)

$(GUEST_ARM64_GEN)/guest_images.c: tools/guest_images.py guest-images/arm64/guest.mk
	@mkdir -p $(@D)
	$(PYTHON) tools/guest_images.py --image-dir $(GUEST_ARM64_O) --c $@ $(GUEST_ARM64_NAMES)

$(GUEST_ARM64_GEN)/guest_images_bin.o: $(GUEST_ARM64_GEN)/guest_images_bin.S $(GUEST_ARM64_BINS)
	$(HYP_ARM64_CC) $(HYP_ARM64_CFLAGS) -c -o $@ $<

$(GUEST_ARM64_GEN)/guest_images.o: $(GUEST_ARM64_GEN)/guest_images.c hyp/guest_images.h
	$(HYP_ARM64_CC) $(HYP_ARM64_CFLAGS) $(HYP_ARM64_INC) -c -o $@ $<

.PHONY: guest-arm64
guest-arm64: $(GUEST_ARM64_BINS)

-include $(wildcard $(GUEST_ARM64_O)/*.d)
