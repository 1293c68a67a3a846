# SPDX-License-Identifier: MIT
"""The registers a guest trap leaves in place (Platform.sregs_guest,
riscv64: guest-images/riscv64/sregs.c): arch/riscv64/trap.S saves neither
gp nor s0-s11, and the whole-frame return loads them back after a handler
wrote one, injected an exception, or its read of the trapping instruction
faulted. vCPU 0 sets all thirteen, traps every way (emulated UART loads
and a store from s2, rdcycle, an SBI call, a store to no device, WFI) and
compares them, first in VS-mode, then in VU-mode, where csrr sscratch must
trap into the guest's kernel every time; vCPU 1 releases the page holding
the probe's code meanwhile, so the hypervisor's instruction reads
sometimes fault. The counts of those races vary from run to run: their
line is matched loosely."""
import pytest

ITERS = 4000  # VS_ITERS and VU_ITERS of the guest


@pytest.mark.needs("sregs_guest")
def test_sregs(platform, boot):
    console = boot(2, f"guest={platform.sregs_guest}")
    console.expect_exact("[vm0] sregs: vCPU 1 releases the probe's code page")
    console.expect_exact(f"[vm0] sregs: {ITERS} iterations in VS-mode, 0 registers wrong, "
                         f"{2 * ITERS} exceptions taken")
    console.expect_exact(f"[vm0] sregs: {ITERS} iterations in VU-mode, 0 registers wrong, "
                         f"{2 * ITERS} csrr sscratch taken in VS-mode")
    console.expect_line(r"\[vm0\] sregs: \(timing\) code page released [1-9]\d* times, "
                        r"stage-2 faults [1-9]\d*", "the (timing) line")
    console.expect_exact(f"hyp: vm0: {platform.vm_off}")
    console.expect_power_off()
    console.refuse("sregs: wrong", "sregs: unexpected", "phase ran in VS-mode", "stopped:",
                   "panic")
