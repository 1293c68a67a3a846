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
SGIs each answered by an SGI back. Every vm0 line is checked exactly.
The irqprio guest checks priorities, masking, edge and level, WFI wake-ups,
the active state and a clean reset, each with its exact line."""
import re

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


# The irqprio guest (guest-images/arm64/irqprio.c): priorities, masking,
# edge and level, WFI wake-ups, the active state, a clean reset.
IRQPRIO_LINES = (
    "irqprio: 0xa0's handler, 0x40 sent: LHl",
    "irqprio: running priority in the handler 0xa0, nested 0x40",
    "irqprio: 0x40's handler, 0xa0 sent: HhL",
    "irqprio: BPR1 minimum, 0x60's handler, 0x40 sent: MHm",
    "irqprio: BPR1 7, 0x60's handler, 0x40 sent: MmH",
    "irqprio: PMR 0xa0, priority 0xa0: taken 0, pending; PMR 0xff: taken",
    "irqprio: PMR 0x50: priority 0x40 taken 1, 0xa0 held",
    "irqprio: PMR 0xff: priority 0xa0 taken 1",
    "irqprio: edge SGI sent once: taken 1, not pending",
    "irqprio: level PPI 30 until the timer is masked: taken 3, not pending",
    "irqprio: masked timer: CNTP_CTL 7 (ISTATUS | IMASK | ENABLE)",
    "irqprio: level line lowered before taken: pending 1, then not, not taken",
    "irqprio: CNTP_TVAL 2^24: CVAL and TVAL right 1",
    "irqprio: level SPI 33 (PL011 TX) until the device clears it: taken 3, not pending",
    "irqprio: level SPI 33 cleared before taken: pending 1, then not, not taken",
    "irqprio: WFI, IRQs masked, physical timer in 3 ms: woke after it, pending, then taken: 1, "
    "within 0.25 ms",
    "irqprio: WFI, IRQs masked, physical timer in 0.2 ms: woke after it, pending, then taken: 1, "
    "within 0.25 ms",
    "irqprio: WFI, IRQs masked, virtual timer in 2 ms: woke after it, pending, then taken: 1, "
    "within 0.25 ms",
    "irqprio: SGI 5 active in its handler 1, not after its EOI",
    "irqprio: SGI 6 set active 1, sent: held",
    "irqprio: SGI 6 active cleared: taken 1",
    "irqprio: SPI 40 active in its handler (GICD_ISACTIVER1) 1, not after",
)
IRQPRIO_REMOTE = "irqprio: vCPU 1's SGI 7 active, read by vCPU 0 1, not after its EOI"
IRQPRIO_RESET = (
    "irqprio: unexpected interrupts 0",
    "irqprio: left active: SGI 9",
    "irqprio: left pending: SGI 8 and PPI 30: 2, asking for SYSTEM_RESET",
    "irqprio: after reset: PMR 0x0 RPR 0xff AP1R0 0x0 IGRPEN1 0x0 BPR1 reset "
    "CNTV_CTL 0x0 CNTP_CTL 0x0",
    "irqprio: after reset: ISPENDR0 | ISACTIVER0 | ISENABLER0 = 0",
    "irqprio: after reset, everything enabled: taken 0",
)


@pytest.mark.needs("irq_lines")
@pytest.mark.parametrize("smp", [1, 2])
def test_irqprio_guest(platform, boot, smp):
    """Priorities and preemption, PMR and BPR, edge against level (the
    emulated physical timer's line), WFI with IRQs masked woken by either
    timer, ISACTIVER/ICACTIVER (another vCPU's too at -smp 2), and a
    system reset that leaves no interrupt state behind."""
    # At -smp 1 under icount: "within 0.25 ms" is then of virtual time,
    # which is instructions. At -smp 2 (no icount: QEMU's round-robin would
    # hold the other vCPU's answer) the wake-up's lateness is the machine's
    # wall clock, so it is not compared.
    console = boot(smp, "guest=irqprio", icount=smp == 1)
    console.expect_exact(f"hyp: vm0: {platform.vm_reset}")
    console.expect_power_off()
    got = [l.rstrip("\r") for l in console.lines("[vm0] ")]
    want = ["[vm0] " + l for l in IRQPRIO_LINES + ((IRQPRIO_REMOTE,) if smp > 1 else ())
            + IRQPRIO_RESET]
    if smp > 1:
        got, want = ([re.sub(r", (within 0\.25 ms|LATE)$", "", l) for l in lines]
                     for lines in (got, want))
    if got != want:
        console.fail("vm0's lines differ:\n  got:  " + "\n        ".join(got) +
                     "\n  want: " + "\n        ".join(want))
    console.refuse("panic", "stopped:", "unexpected exception", "RETURNED")
