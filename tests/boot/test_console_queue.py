# SPDX-License-Identifier: MIT
"""The hypervisor's queued UART (hyp/console.c; x86_64's COM1, whose
bytes Bochs paces at the baud rate): no CPU waits for the transmitter,
the bytes go out while guests run, and every one of them, in order,
before the machine is off."""
import os

import pytest

MIN_SLICES = 5   # of about 10: one a millisecond over the guest's 10 ms


@pytest.mark.needs("queued_console")
def test_queued_console_drains(platform, boot, hyp_image):
    """A guest that never exits is taken out about every millisecond while
    bytes are queued (the txdrain guest counts the gaps in its TSC), never
    once they are sent; at power-off the UART has had exactly what the
    console mirror had at once."""
    guest = platform.queued_console_guest
    bootargs = f"guest={guest}"
    uart = platform.queued_console(1, 512, hyp_image, bootargs)
    if os.path.exists(uart):
        os.remove(uart)
    console = boot(1, bootargs)
    m = console.expect_line(rf"\[vm0\] {guest}: slices while queued (\d+)", "slices while queued")
    if int(m.group(1)) < MIN_SLICES:
        console.fail(f"{m.group(1)} slices while bytes were queued, expected {MIN_SLICES} or more")
    m = console.expect_line(rf"\[vm0\] {guest}: slices once sent (\d+)", "slices once sent")
    if int(m.group(1)):
        console.fail(f"{m.group(1)} slices once every byte was sent, expected 0")
    console.expect_power_off()
    with open(uart, encoding="utf-8", errors="replace") as f:
        sent = f.read().replace("\r", "")
    mirror = console.output()
    start = mirror.find("hyp: ")
    end = mirror.rfind("\n", 0, mirror.find("=" * 20, start)) + 1
    if not sent or sent != mirror[start:end]:
        console.fail(f"the UART had {len(sent)} bytes, not the mirror's {end - start}:\n"
                     f"--- UART ---\n{sent}--- end of UART ---")
