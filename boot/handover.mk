# `make run GUEST=path/to/Image` (GUEST naming a file): a kernel of your own,
# handed over at boot by tools/handover.py (docs/guests.md) with INITRD=,
# GUEST_DTB=, BOOTARGS=, VCPUS=, MEM= (then the VM's RAM) and SMP=;
# `CONFIG=FILE` (a file) hands over the VMs it describes. Shared by the
# arches' boot/<arch>/hyp.mk, which use it as
#   RUN_CMD_<arch> = $(if $(RUN_HANDOVER),$(call run_handover_cmd,<arch>),...)
ifndef run_handover_cmd

run_file = $(if $(1),$(shell test -f '$(1)' && echo '$(1)'))
RUN_HANDOVER_VM = --kernel '$(GUEST)' $(if $(INITRD),--initrd '$(INITRD)') \
	$(if $(GUEST_DTB),--dtb '$(GUEST_DTB)') $(if $(BOOTARGS),--bootargs '$(BOOTARGS)') \
	$(if $(VCPUS),--vcpus $(VCPUS)) $(if $(MEM),--memory $(MEM))
# Empty unless GUEST or CONFIG names an existing file.
RUN_HANDOVER = $(if $(call run_file,$(GUEST)),$(RUN_HANDOVER_VM),$(if \
	$(call run_file,$(CONFIG)),--config '$(CONFIG)' $(if $(MEM),--mem $(MEM))))
# $(1): arch
run_handover_cmd = $(PYTHON) tools/handover.py --arch $(1) --run \
	--hyp $(O)/$(1)/hyp.bin --out $(O)/$(1)/run $(if $(SMP),--smp $(SMP)) $(RUN_HANDOVER)

endif
