# Tiny arm64 guests, built freestanding and linked at their guest-physical
# RAM base; each becomes a raw binary the hypervisor image embeds
# (boot/arm64/guest_images.S). Each guest NAME is start.S + lib.c + NAME.c.
# Included by boot/arm64/hyp.mk.

GUEST_ARM64_O := $(O)/arm64/guest
GUEST_ARM64_NAMES := hello fault smp memtouch bench hostile stop reset
GUEST_ARM64_CFLAGS := $(CSTD) $(WARN) -ffreestanding -nostdlib -fno-common \
	-fno-stack-protector -fno-pic -mgeneral-regs-only -mno-outline-atomics \
	-march=armv8-a -mstrict-align -O2 -g -MMD -MP -Iarch/arm64 -Ihyp
GUEST_ARM64_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-z,max-page-size=4096 -Wl,--fatal-warnings -T guest-images/arm64/guest.lds
GUEST_ARM64_BINS := $(foreach g,$(GUEST_ARM64_NAMES),$(GUEST_ARM64_O)/$(g).bin)
# Their paths for boot/arm64/guest_images.S's .incbin.
GUEST_ARM64_DEFS := $(foreach g,$(GUEST_ARM64_NAMES),\
	-DGUEST_$(shell echo $(g) | tr a-z A-Z)_BIN='"$(GUEST_ARM64_O)/$(g).bin"')

$(GUEST_ARM64_O)/%.o: guest-images/arm64/%.c arch/arm64/hvc_abi.h hyp/guest_abi.h
	@mkdir -p $(@D)
	$(HYP_ARM64_CC) $(GUEST_ARM64_CFLAGS) -c -o $@ $<

$(GUEST_ARM64_O)/%.o: guest-images/arm64/%.S arch/arm64/hvc_abi.h hyp/guest_abi.h
	@mkdir -p $(@D)
	$(HYP_ARM64_CC) $(GUEST_ARM64_CFLAGS) -c -o $@ $<

$(GUEST_ARM64_O)/%.elf: $(GUEST_ARM64_O)/start.o $(GUEST_ARM64_O)/lib.o $(GUEST_ARM64_O)/%.o \
		guest-images/arm64/guest.lds
	$(HYP_ARM64_CC) $(GUEST_ARM64_LDFLAGS) -o $@ $(filter %.o,$^)

# The raw image must start with the guest header (hyp/guest_abi.h).
$(GUEST_ARM64_O)/%.bin: $(GUEST_ARM64_O)/%.elf
	$(CROSS_arm64)objcopy -O binary $< $@
	@if ! od -An -tx4 -j8 -N8 $@ | grep -q '55475048 31545345'; then \
		echo "error: guest image $@ has no HPGUEST1 header (see hyp/hvc_abi.h)" >&2; \
		rm -f $@; exit 1; fi

.PRECIOUS: $(GUEST_ARM64_O)/%.elf $(GUEST_ARM64_O)/%.o

.PHONY: guest-arm64
guest-arm64: $(GUEST_ARM64_BINS)

-include $(wildcard $(GUEST_ARM64_O)/*.d)
