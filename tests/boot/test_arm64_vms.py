# SPDX-License-Identifier: MIT
"""Several VMs at once, from the build-time configurations of
guest-images/arm64/configs (tools/vmconfig.py), picked with "config=NAME":
each VM on its own physical CPUs with its own stage 2, VMID and console
("[vm0] ", "[vm1] "); the machine powers off once every VM has stopped.
A hostile VM (unknown hypercall, write to an empty device address, read
past its memory) costs only itself: its neighbour finishes its work.
Lines of one VM come in order; lines of two VMs interleave freely."""
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from test_arm64_boot import qemu_argv

SCRIPT = os.path.join(ROOT, "tools", "vmconfig.py")
LINE = r"\r*\n"


def boot(qemu, image, args, smp=4):
    console = qemu(qemu_argv(smp, 512) + ["-kernel", image, "-append", args])
    console.expect_exact("hyp: all VMs stopped")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
    return console


def lines_of(console, prefix):
    """The console lines starting with @prefix, in order."""
    return [l for l in console.output().split("\n") if l.startswith(prefix)]


def expect_in_order(console, lines, patterns):
    """Each regex of @patterns matches one of @lines, in this order."""
    i = 0
    for pat in patterns:
        while i < len(lines) and not re.fullmatch(pat, lines[i]):
            i += 1
        if i == len(lines):
            console.fail(f"no line matching {pat!r} in order among:\n" + "\n".join(lines))
        i += 1


def check_memtouch_vm1(console):
    expect_in_order(console, lines_of(console, "[vm1] ") + lines_of(console, "hyp: vm1"), [
        r"\[vm1\] memtouch: vcpus 3",
        r"\[vm1\] memtouch: virtual time \d+ ns",
        r"\[vm1\] memtouch: 8 MiB ok, stage-2 faults \d+",
        r"hyp: vm1: PSCI SYSTEM_OFF",
        r"hyp: vm1: \d+ pages filled on demand, \d+ 2 MiB ranges collapsed",
    ])


def check_end(console):
    out = console.output()
    last = [l for l in out.split("\n") if l][-2:]
    if last != ["hyp: all VMs stopped", "hyp: power off"]:
        console.fail(f"the last lines are {last}")
    for bad in ("panic", "MISMATCH", "WRONG", "NOT caught", "unexpected exception"):
        if bad in out:
            console.fail(f"the console shows {bad!r}")


def test_two_vms(hyp_arm64_image, qemu):
    console = boot(qemu, hyp_arm64_image, "config=two")
    out = console.output()
    for want in ("hyp: config two: 2 VMs",
                 "hyp: vm0: RAM 0x80000000 - 0x81000000",
                 "hyp: vm1: RAM 0x80000000 - 0x81000000"):
        if want not in out:
            console.fail(f"no {want!r}")
    expect_in_order(console, lines_of(console, "[vm0] ") + lines_of(console, "hyp: vm0"), [
        r"\[vm0\] hello from guest",
        r"\[vm0\] hello via hvc",
        r"\[vm0\] touched 1024 pages: pattern ok",
        r"\[vm0\] released 16 pages: zero after refault",
        r"\[vm0\] unknown hvc: -1",
        r"\[vm0\] vcpu 0, stage-2 faults: \d+",
        r"hyp: vm0: PSCI SYSTEM_OFF",
    ])
    check_memtouch_vm1(console)
    if "stopped:" in out:
        console.fail("a VM was stopped")
    check_end(console)


HOSTILE_LINES = [
        r"\[vm0\] hostile: unknown hvc returned -1",
        r"\[vm0\] hostile: writing to a device that is not there",
        r"hyp: vm0: data abort injected: write to IPA 0x0a000000, no device there",
        r"\[vm0\] hostile: abort taken at FAR 0x0a000000, ESR ok",
        r"\[vm0\] hostile: still running after 1 abort",
        r"\[vm0\] hostile: reading beyond my memory",
        r"hyp: vm0 stopped: data abort at IPA 0x200000000 outside its memory "
        r"\(PC 0x8[0-9a-f]{7}\)",
]


def check_hostile_vm0(console):
    vm0 = [l for l in console.output().split("\n")
           if l.startswith("[vm0] ") or l.startswith("hyp: vm0")]
    expect_in_order(console, vm0, HOSTILE_LINES)
    out = console.output()
    if out.count("data abort injected") != 1 or out.count("stopped:") != 1:
        console.fail("expected one injected abort and one stop line")


def test_hostile_vm(hyp_arm64_image, qemu):
    console = boot(qemu, hyp_arm64_image, "config=hostile")
    check_hostile_vm0(console)
    check_memtouch_vm1(console)
    check_end(console)


def test_hostile_alone_smp1(hyp_arm64_image, qemu):
    """The hostile guest alone on one CPU: the same answers, then power off."""
    console = boot(qemu, hyp_arm64_image, "guest=hostile", smp=1)
    check_hostile_vm0(console)
    check_end(console)


def test_unknown_config(hyp_arm64_image, qemu):
    console = qemu(qemu_argv(1, 512) + ["-kernel", hyp_arm64_image, "-append", "config=nope"])
    console.expect_exact('hyp: no VM configuration "nope" (there are: default, hostile, two)')
    console.expect_exact("hyp: power off")
    console.expect_exit(0)


def test_config_needs_more_cpus(hyp_arm64_image, qemu):
    console = qemu(qemu_argv(2, 512) + ["-kernel", hyp_arm64_image, "-append", "config=two"])
    console.expect_exact("hyp: vm1 needs cpu 2, the machine has 2")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)


BAD_CONFIGS = [
    ("vm a\nguest hello\nvm b\nguest nope\ncpus 1\n", 4, "guest image 'nope' is missing"),
    ("vm a\nguest hello\ncolour blue\n", 3, "unknown key 'colour'"),
    ("vm a\nguest hello\ncpus 0-1\nvm b\nguest hello\ncpus 1,2\n", 6, "CPU 1 is a's already"),
    ("vm a\nguest hello\nram_size 16Q\n", 3, "malformed number '16Q'"),
    ("vm a\nguest hello\nram_base 0x8000_0000\n", 3, "malformed number"),
    ("guest hello\n", 1, "before the first"),
    ("vm a\nram_size 16M\n", 1, "has no \"guest IMAGE\" line"),
    ("vm a\nguest hello\nvm b\nguest hello\ncpus 1\n", 1, "\"cpus all\" (the default) only"),
]


@pytest.mark.parametrize("text,line,message", BAD_CONFIGS)
def test_vmconfig_errors(tmp_path, text, line, message):
    """tools/vmconfig.py names the file and line of each error."""
    path = tmp_path / "default.vm"
    path.write_text(text)
    proc = subprocess.run([sys.executable, SCRIPT, "--guests", "hello memtouch",
                           "-o", str(tmp_path / "out.c"), str(path)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{path}:{line}: error: "), proc.stderr
    assert message in proc.stderr, proc.stderr
    assert not (tmp_path / "out.c").exists()


def test_vmconfig_table(tmp_path):
    """The shipped configurations turn into one table entry each."""
    configs = os.path.join(ROOT, "guest-images", "arm64", "configs")
    files = sorted(os.path.join(configs, f) for f in os.listdir(configs) if f.endswith(".vm"))
    out = tmp_path / "out.c"
    subprocess.run([sys.executable, SCRIPT, "--guests",
                    "hello fault smp memtouch bench hostile stop reset", "-o", str(out)] + files, check=True)
    text = out.read_text()
    assert '{ "two", 2u, ' in text and '{ "default", 1u, ' in text
    assert ".cpus = 0xeu, .nr_vcpus = 3u" in text
