# The tiny test guests of one arch, from that arch's row
# (guest-images/<arch>/guest.mk), which sets
#   GUEST_NAMES_<arch>        the guests, in the order the hypervisor lists them
#   GUEST_ARCH_CFLAGS_<arch>  the arch's compiler flags
#   GUEST_HYP_CC_<arch>       how the hypervisor compiles (for the embedding)
# and then calls $(call guest_arch,<arch>). Guest NAME is
# guest-images/<arch>/NAME.c if there is one, else guest-images/common/NAME.c,
# linked with the arch's start.S and arch.c and the common lib.c at the
# arch's guest.lds into $(GUEST_O_<arch>)/NAME.bin, which must start with
# the guest header (hyp/guest_abi.h). tools/guest_images.py embeds the images in
# the hypervisor ($(GUEST_GEN_<arch>)/guest_images_bin.o) and lists them
# ($(GUEST_GEN_<arch>)/guest_images.o, hyp/guest_images.h).
# Included by each row; uses the top Makefile's O, CROSS_<arch>, CSTD,
# WARN and PYTHON.
ifndef guest_arch

GUEST_CFLAGS := $(CSTD) $(WARN) -ffreestanding -nostdlib -fno-common \
	-fno-stack-protector -fno-pic -O2 -g -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-z,max-page-size=4096 -Wl,--fatal-warnings

# $(1): arch, $(2): guest -> its object
guest_obj = $(patsubst guest-images/%.c,$(GUEST_O_$(1))/%.o,\
	$(firstword $(wildcard guest-images/$(1)/$(2).c) guest-images/common/$(2).c))

# $(1): arch
define guest_rules
GUEST_O_$(1) := $(O)/$(1)/guest
GUEST_GEN_$(1) := $(O)/$(1)/hyp/gen
GUEST_BINS_$(1) := $$(foreach g,$$(GUEST_NAMES_$(1)),$$(GUEST_O_$(1))/$$(g).bin)
GUEST_LIB_$(1) := $$(addprefix $$(GUEST_O_$(1))/,$(1)/start.o $(1)/arch.o common/lib.o)
GUEST_HDRS_$(1) := $$(wildcard guest-images/common/*.h guest-images/$(1)/*.h \
	arch/$(1)/hvc_abi.h hyp/guest_abi.h)
GUEST_CC_$(1) := $(CROSS_$(1))gcc $(GUEST_CFLAGS) $(GUEST_ARCH_CFLAGS_$(1)) \
	-Iguest-images/common -Iguest-images/$(1) -Iarch/$(1) -Ihyp

$$(GUEST_O_$(1))/%.o: guest-images/%.c $$(GUEST_HDRS_$(1))
	@mkdir -p $$(@D)
	$$(GUEST_CC_$(1)) -c -o $$@ $$<

$$(GUEST_O_$(1))/%.o: guest-images/%.S $$(GUEST_HDRS_$(1))
	@mkdir -p $$(@D)
	$$(GUEST_CC_$(1)) -c -o $$@ $$<

$$(GUEST_O_$(1))/%.elf: $$(GUEST_LIB_$(1)) guest-images/$(1)/guest.lds
	$(CROSS_$(1))gcc $(GUEST_LDFLAGS) -T guest-images/$(1)/guest.lds -o $$@ $$(filter %.o,$$^)

# The reset guest's arch part (lib.h: reset_state_*), linked into it alone.
$$(GUEST_O_$(1))/reset.elf: $$(GUEST_O_$(1))/$(1)/reset_state.o

$$(GUEST_O_$(1))/%.bin: $$(GUEST_O_$(1))/%.elf
	$(CROSS_$(1))objcopy -O binary $$< $$@
	@if ! od -An -tx4 -j8 -N8 $$@ | grep -q '55475048 31545345'; then \
		echo "error: guest image $$@ has no HPGUEST1 header (see hyp/guest_abi.h)" >&2; \
		rm -f $$@; exit 1; fi

.PRECIOUS: $$(GUEST_O_$(1))/%.elf $$(GUEST_O_$(1))/%.o

$$(GUEST_GEN_$(1))/guest_images_bin.S: $$(GUEST_BINS_$(1)) tools/guest_images.py \
		guest-images/$(1)/guest.mk
	@mkdir -p $$(@D)
	$(PYTHON) tools/guest_images.py --image-dir $$(GUEST_O_$(1)) --asm $$@ $$(GUEST_NAMES_$(1))

$$(GUEST_GEN_$(1))/guest_images.c: tools/guest_images.py guest-images/$(1)/guest.mk
	@mkdir -p $$(@D)
	$(PYTHON) tools/guest_images.py --image-dir $$(GUEST_O_$(1)) --c $$@ $$(GUEST_NAMES_$(1))

$$(GUEST_GEN_$(1))/guest_images_bin.o: $$(GUEST_GEN_$(1))/guest_images_bin.S $$(GUEST_BINS_$(1))
	$$(GUEST_HYP_CC_$(1)) -c -o $$@ $$<

$$(GUEST_GEN_$(1))/guest_images.o: $$(GUEST_GEN_$(1))/guest_images.c hyp/guest_images.h
	$$(GUEST_HYP_CC_$(1)) -c -o $$@ $$<

.PHONY: guest-$(1)
guest-$(1): $$(GUEST_BINS_$(1))

-include $$(wildcard $$(GUEST_O_$(1))/*/*.d)
endef

# The "handover" guest of an arch (guest-images/common/handover.h): a
# stand-in for a user's own kernel, handed over at boot (docs/guests.md),
# never embedded in the hypervisor and not in GUEST_NAMES_<arch>. Its
# arch part is guest-images/<arch>/handover_start.S, handover_arch.c and
# handover.lds; it reads its device tree with the hypervisor's FDT reader.
# `make handover-<arch>` builds $(O)/<arch>/handover/handover.elf and the
# raw Image handover.img (objcopy -O binary: the Linux header first).
# $(1): arch
define handover_rules
HANDOVER_O_$(1) := $(O)/$(1)/handover
HANDOVER_SRCS_$(1) := guest-images/$(1)/handover_start.S guest-images/$(1)/handover_arch.c \
	guest-images/common/handover.c guest-images/$(1)/arch.c guest-images/common/lib.c \
	hyp/fdt.c hyp/fdt_index.c hyp/fdt_query.c hyp/lib/string.c
HANDOVER_OBJS_$(1) := $$(patsubst %,$$(HANDOVER_O_$(1))/%.o,$$(basename $$(HANDOVER_SRCS_$(1))))
# The string functions must not be compiled into calls to themselves.
HANDOVER_CC_$(1) := $$(GUEST_CC_$(1)) -Immu -fno-tree-loop-distribute-patterns

$$(HANDOVER_O_$(1))/%.o: %.c
	@mkdir -p $$(@D)
	$$(HANDOVER_CC_$(1)) -c -o $$@ $$<

$$(HANDOVER_O_$(1))/%.o: %.S
	@mkdir -p $$(@D)
	$$(HANDOVER_CC_$(1)) -c -o $$@ $$<

$$(HANDOVER_O_$(1))/handover.elf: $$(HANDOVER_OBJS_$(1)) guest-images/$(1)/handover.lds
	$(CROSS_$(1))gcc $(GUEST_LDFLAGS) -T guest-images/$(1)/handover.lds -o $$@ $$(HANDOVER_OBJS_$(1))

$$(HANDOVER_O_$(1))/handover.img: $$(HANDOVER_O_$(1))/handover.elf
	$(CROSS_$(1))objcopy -O binary $$< $$@

.PHONY: handover-$(1)
handover-$(1): $$(HANDOVER_O_$(1))/handover.elf $$(HANDOVER_O_$(1))/handover.img

-include $$(HANDOVER_OBJS_$(1):.o=.d)
endef

# $(1): arch, $(2): guest
define guest_elf
$(GUEST_O_$(1))/$(2).elf: $(call guest_obj,$(1),$(2))
endef

guest_arch = $(eval $(call guest_rules,$(1)))$(eval $(call handover_rules,$(1)))$(foreach g,$(GUEST_NAMES_$(1)),\
	$(eval $(call guest_elf,$(1),$(g))))

endif
