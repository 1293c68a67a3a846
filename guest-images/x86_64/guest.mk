# The x86_64 row of the guest build (the rules: guest-images/guests.mk).
# Guests are 32-bit protected-mode programs (-m32) entered with paging off
# at the base of their RAM (guest-physical 2 MiB), multiboot-style.
# Included by boot/x86_64/hyp.mk.

GUEST_NAMES_x86_64 := hello fault smp memtouch bench hostile stop reset drain honest txdrain
GUEST_ARCH_CFLAGS_x86_64 := -m32 -march=i686 -mno-sse -mno-mmx -mno-80387 -fno-pie \
	-fcf-protection=none
GUEST_HYP_CC_x86_64 = $(HYP_X86_64_CC) $(HYP_X86_64_CFLAGS) $(HYP_X86_64_INC)

include guest-images/guests.mk
$(call guest_arch,x86_64)
