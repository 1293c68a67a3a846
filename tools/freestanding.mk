# mmu/ built freestanding for each target with Debian's cross compilers: the
# same sources as the host library, with mmu/plat/hyp/pt_plat.h instead.
FS_CFLAGS := $(CSTD) $(WARN) -O2 -g -ffreestanding -nostdlib -fno-common \
	-fno-stack-protector -fno-pic -Immu -Immu/plat/hyp
FS_CFLAGS_arm64 := -march=armv8-a -mgeneral-regs-only -mno-outline-atomics -mstrict-align
FS_CFLAGS_riscv64 := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
FS_CFLAGS_x86_64 := -mno-sse -mno-mmx -mno-80387 -mno-red-zone -fno-pie

# $(1): arch
define fs_lib
FS_OBJS_$(1) := $$(patsubst %.c,$(O)/$(1)/%.o,$(MMU_SRCS) $(FMT_SRCS_$(1)))
$(O)/$(1)/%.o: %.c $(MMU_HDRS)
	@mkdir -p $$(@D)
	$(CROSS_$(1))gcc $(FS_CFLAGS) $(FS_CFLAGS_$(1)) -c -o $$@ $$<
$(O)/$(1)/libmmu.a: $$(FS_OBJS_$(1))
	$(CROSS_$(1))ar rcs $$@ $$^
endef
$(foreach a,$(ARCHES),$(eval $(call fs_lib,$(a))))

FREESTANDING_LIBS := $(foreach a,$(ARCHES),$(O)/$(a)/libmmu.a)
FREESTANDING_CHECK := tools/check_freestanding.sh $(foreach a,$(ARCHES),$(a):$(CROSS_$(a)):$(O)/$(a)/libmmu.a)

# hyp/, the arch-neutral core, built freestanding for each arch the same way:
# it may need only the arch contract (hyp/arch/*.h), the linker script's
# section symbols, the generated tables and the walker (tools/check_core.sh).
HYP_CORE_SRCS := $(sort $(wildcard hyp/*.c hyp/lib/*.c hyp/vdev/*.c))
HYP_CORE_HDRS := $(wildcard hyp/*.h hyp/*/*.h) $(MMU_HDRS)

# $(1): arch
define fs_core
FS_CORE_OBJS_$(1) := $$(patsubst %.c,$(O)/$(1)/core/%.o,$(HYP_CORE_SRCS))
$(O)/$(1)/core/%.o: %.c $(HYP_CORE_HDRS)
	@mkdir -p $$(@D)
	$(CROSS_$(1))gcc $(FS_CFLAGS) $(FS_CFLAGS_$(1)) -fno-tree-loop-distribute-patterns \
		-Ihyp -c -o $$@ $$<
$(O)/$(1)/libhyp.a: $$(FS_CORE_OBJS_$(1))
	$(CROSS_$(1))ar rcs $$@ $$^
endef
$(foreach a,$(ARCHES),$(eval $(call fs_core,$(a))))

FREESTANDING_LIBS += $(foreach a,$(ARCHES),$(O)/$(a)/libhyp.a)
# After the +=: a rule's prerequisites are expanded when it is read.
freestanding: $(FREESTANDING_LIBS)
CORE_CHECK := tools/check_core.sh $(foreach a,$(ARCHES),$(a):$(CROSS_$(a)):$(O)/$(a)/libhyp.a:$(O)/$(a)/libmmu.a)
