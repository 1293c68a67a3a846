# SPDX-License-Identifier: MIT
"""The SBI conformance guest (Platform.sbi_conformance, riscv64:
guest-images/riscv64/sbi_conf.c) calls every function of every SBI
extension the hypervisor implements with good and bad arguments and
compares each answer with its committed table, whose rows cite the SBI
v2.0 sections: one line per mismatch, then a summary. It runs on two
vCPUs (HSM start, suspend, resume and stop of the second), then reads
what the test types through DBCN console_read and the legacy getchar, and
ends with the good SRST shutdown."""
import re

import pytest


@pytest.mark.needs("sbi_conformance")
def test_sbi_conformance(platform, boot):
    check_conformance(platform, boot(2, f"guest={platform.sbi_conformance}"))


def check_conformance(platform, console):
    """The conformance guest's run on @console, to the machine's power-off."""
    m = console.expect_line(r"\[vm0\] sbi_conf: (\d+) calls, (\d+) mismatches",
                            "[vm0] sbi_conf: N calls, 0 mismatches")
    console.expect_exact("[vm0] sbi_conf: type 4 bytes")
    console.child.send("abcd")
    console.expect_exact("[vm0] sbi_conf: dbcn console_read 'abc', legacy getchar 100")
    console.expect_exact(f"hyp: vm0: {platform.vm_off}")
    console.expect_power_off()
    out = console.output()
    mismatches = re.findall(r"sbi_conf: MISMATCH .*$", out, re.M)
    if int(m.group(2)) or mismatches or int(m.group(1)) < 90:
        console.fail(f"{m.group(2)} mismatches in {m.group(1)} calls: {mismatches}")
    # The three write "+", ">" and ">sbi_conf: ..." into one line; a line
    # the hypervisor logs about vm0 in between ends the part line first.
    vm0 = "".join(l[len("[vm0] "):] for l in console.lines("[vm0] "))
    if "+>>sbi_conf: dbcn console_write ok" not in vm0:
        console.fail("the legacy putchar, DBCN write_byte and console_write did not "
                     "make their line")
    console.refuse("panic", "stopped:", "unexpected exception")
