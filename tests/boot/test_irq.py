# SPDX-License-Identifier: MIT
"""Interrupts through the vGIC (docs/arm64.md, "Interrupts"): the vtimer
guest (guest-images/arm64/vtimer.c) reads the distributor's and its
redistributor's identity, writes and reads every vGIC offset at every
width and sends SGIs to vCPUs it lacks (it must be able to go on), takes
its virtual timer's interrupt 20 times at
200 Hz with the vCPU in WFI between them (a WFI that did not wait for the
interrupt would show as too many WFIs), takes 6 SGIs raised at once
(more than the 4 list registers: the underflow maintenance interrupt
brings the rest), and with a second vCPU sends 10
SGIs each answered by an SGI back. Every vm0 line is checked exactly."""
import pytest


@pytest.mark.needs("irq_lines")
@pytest.mark.parametrize("smp", [1, 2])
def test_vtimer_guest(platform, boot, smp):
    console = boot(smp, "guest=vtimer")
    console.expect_power_off()
    got = [l.rstrip("\r") for l in console.lines("[vm0] ") if not l.startswith("[vm0] BENCH")]
    want = list(platform.irq_lines[smp])
    if got != want:
        console.fail("vm0's lines differ:\n  got:  " + "\n        ".join(got) +
                     "\n  want: " + "\n        ".join(want))
    console.refuse("panic", "stopped:", "unexpected exception")
