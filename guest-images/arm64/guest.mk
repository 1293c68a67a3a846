# The arm64 row of the guest build (the rules: guest-images/guests.mk).
# GUEST_NAMES_arm64 is the one list of the arm64 guests: their images, the
# hypervisor's table of them and its "there are: ..." list follow it.
# Guests run at EL1 with their MMU off: data accesses are Device accesses.
# Included by boot/arm64/hyp.mk.

GUEST_NAMES_arm64 := hello fault smp memtouch bench hostile stop reset drain honest storm echo vtimer irqstorm irqprio
GUEST_ARCH_CFLAGS_arm64 := -mgeneral-regs-only -mno-outline-atomics -march=armv8-a -mstrict-align
GUEST_HYP_CC_arm64 = $(HYP_ARM64_CC) $(HYP_ARM64_CFLAGS) $(HYP_ARM64_INC)

include guest-images/guests.mk
$(call guest_arch,arm64)

# The names boot/arm64/hyp.mk uses.
GUEST_ARM64_NAMES := $(GUEST_NAMES_arm64)
GUEST_ARM64_O := $(GUEST_O_arm64)
GUEST_ARM64_BINS := $(GUEST_BINS_arm64)
