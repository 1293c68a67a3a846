# SPDX-License-Identifier: MIT
"""Console input (config=console: two echo guests, docs/security.md).
The first VM with a UART holds input at boot; what is typed reaches only
the holder's emulated UART, and its output passes raw (an escape sequence
arrives as the byte ESC) while any other VM's is shown escaped ("\\x1b").
Ctrl-A three times moves input to the next VM, then to none, then back,
each move announced by a line of the hypervisor's.

QEMU -nographic takes Ctrl-A as its own escape: Ctrl-A Ctrl-A passes one
Ctrl-A to the machine, so CTRL_A below is that pair."""
import re

import pytest

CTRL_A = "\x01\x01"
SWITCH = CTRL_A * 3
ESC = "\x1b"
READY = re.compile(r"\[(vm[01])\] echo: ready ([^\r\n]*)\(a line, or off\)")


def switch_line(holder):
    return f"hyp: console input: {holder} (Ctrl-A three times to switch)"


def expect_ready(console):
    """Both ready lines, in either order: {VM: what stood before "(a line, or off)"}."""
    seen = {}
    while len(seen) < 2:
        m = console.expect(READY.pattern, "an echo guest's ready line")
        seen[m.group(1)] = m.group(2)
    return seen


@pytest.mark.needs("multi_vm")
def test_console_input(platform, boot):
    console = boot(2, "config=console")
    console.expect_exact(switch_line("vm0"))
    ready = expect_ready(console)
    if ready != {"vm0": f"{ESC}[0m", "vm1": r"\x1b[0m"}:
        console.fail(f"ready lines {ready!r}: vm0's escape sequence should arrive raw, "
                     "vm1's escaped")
    send = console.child.send

    send("hello\r")
    console.expect_exact("[vm0] echo: hello")
    # One or two Ctrl-A are data for the holder.
    send(CTRL_A * 2 + "a\r")
    console.expect_exact("[vm0] echo: \x01\x01a")

    send(SWITCH)
    console.expect_exact(switch_line("vm1"))
    send(f"w{ESC}[0m\r")
    console.expect_exact(f"[vm1] echo: w{ESC}[0m")
    send("off\r")
    console.expect_exact(f"hyp: vm1: {platform.vm_off}")

    send(SWITCH)
    console.expect_exact("hyp: console input: none, dropped (Ctrl-A three times to switch)")
    send("lost\r")
    send(SWITCH)
    console.expect_exact(switch_line("vm0"))
    send("off\r")
    console.expect_exact("[vm0] echo: off")
    console.expect_power_off()

    out = console.output()
    for bad in ("[vm0] echo: w", "[vm1] echo: hello", "echo: lost"):
        if bad in out:
            console.fail(f"input reached the wrong VM: {bad!r}")
    if out.count("hyp: console input: ") != 4:
        console.fail("expected 4 console input lines (boot and 3 switches)")
