# `make bench-x86_64`: deterministic figures of the x86_64 hypervisor in
# Bochs, whose TSC advances one tick per instruction of the CPU that reads
# it (clock: sync=none; docs/x86_64.md defines each figure). tools/bench.py
# prints the BENCH lines from the x86_64 row of tests/boot/platforms.py
# (icount empty: Bochs is deterministic as configured). Included by
# boot/x86_64/hyp.mk. The top Makefile's bench recipe runs
# $(BENCH_HYP_$(ARCH)) after the host bench.

BENCH_HYP_x86_64 := bench-x86_64

.PHONY: bench-x86_64
bench-x86_64: $(O)/x86_64/hyp.elf $(O)/x86_64/hyp.iso
	@$(PYTHON) tools/bench.py x86_64 $(O)/x86_64/hyp.elf
