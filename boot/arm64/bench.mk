# `make bench-arm64`: deterministic instruction counts of the arm64
# hypervisor under QEMU -icount (tools/bench.py prints BENCH lines, from
# the arm64 row of tests/boot/platforms.py), the last one with the handover
# guest handed over at boot (docs/guests.md). Included by boot/arm64/hyp.mk.
# The top Makefile's bench recipe runs $(BENCH_HYP_$(ARCH)) after the host
# bench when it is set.

BENCH_HYP_arm64 := bench-arm64

.PHONY: bench-arm64
bench-arm64: $(O)/arm64/hyp.bin $(HANDOVER_O_arm64)/handover.img $(PROFILE_PLUGIN)
	@BENCH_PLUGIN=$(PROFILE_PLUGIN) $(PYTHON) tools/bench.py arm64 $(O)/arm64/hyp.bin $(HANDOVER_O_arm64)/handover.img
