# `make bench-riscv64`: deterministic instruction counts of the riscv64
# hypervisor under QEMU -icount (tools/bench.py prints BENCH lines, from
# the riscv64 row of tests/boot/platforms.py), the last one with the handover
# guest handed over at boot (docs/guests.md). Included by boot/riscv64/hyp.mk.
# The top Makefile's bench recipe runs $(BENCH_HYP_$(ARCH)) after the host bench.

BENCH_HYP_riscv64 := bench-riscv64

.PHONY: bench-riscv64
bench-riscv64: $(O)/riscv64/hyp.bin $(HANDOVER_O_riscv64)/handover.img $(PROFILE_PLUGIN)
	@BENCH_PLUGIN=$(PROFILE_PLUGIN) $(PYTHON) tools/bench.py riscv64 $(O)/riscv64/hyp.bin $(HANDOVER_O_riscv64)/handover.img
