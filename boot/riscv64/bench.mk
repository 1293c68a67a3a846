# `make bench-riscv64`: deterministic instruction counts of the riscv64
# hypervisor under QEMU -icount (tools/bench.py prints BENCH lines, from
# the riscv64 row of tests/boot/platforms.py). No handover figure yet: guests
# are not handed over on riscv64. Included by boot/riscv64/hyp.mk. The top
# Makefile's bench recipe runs $(BENCH_HYP_$(ARCH)) after the host bench.

BENCH_HYP_riscv64 := bench-riscv64

.PHONY: bench-riscv64
bench-riscv64: $(O)/riscv64/hyp.bin
	@$(PYTHON) tools/bench.py riscv64 $(O)/riscv64/hyp.bin
