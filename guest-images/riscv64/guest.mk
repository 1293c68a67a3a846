# The riscv64 row of the guest build (the rules: guest-images/guests.mk).
# GUEST_NAMES_riscv64 is the one list of the riscv64 guests: their images,
# the hypervisor's table of them and its "there are: ..." list follow it.
# Guests run in VS-mode with vsatp = 0 (bare): their accesses to RAM are
# ordinary cacheable ones. Included by boot/riscv64/hyp.mk.

GUEST_NAMES_riscv64 := hello fault smp memtouch bench hostile stop reset drain honest storm echo sbi_conf sregs
GUEST_ARCH_CFLAGS_riscv64 := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
GUEST_HYP_CC_riscv64 = $(HYP_RISCV64_CC) $(HYP_RISCV64_CFLAGS) $(HYP_RISCV64_INC)

include guest-images/guests.mk
$(call guest_arch,riscv64)

# The names boot/riscv64/hyp.mk uses.
GUEST_RISCV64_NAMES := $(GUEST_NAMES_riscv64)
GUEST_RISCV64_O := $(GUEST_O_riscv64)
GUEST_RISCV64_BINS := $(GUEST_BINS_riscv64)
