# SPDX-License-Identifier: MIT
"""Several VMs at once, from the build-time configurations of
guest-images/<arch>/configs (tools/vmconfig.py), picked with "config=NAME":
each VM on its own physical CPUs with its own stage 2, VMID and console
("[vm0] ", "[vm1] "); the machine powers off once every VM has stopped.
A hostile VM (unknown hypercall, write to an empty device address, read
past its memory) costs only itself: its neighbour finishes its work.
Lines of one VM come in order; lines of two VMs interleave freely."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT

SCRIPT = os.path.join(ROOT, "tools", "vmconfig.py")


def boot_to_end(boot, args, smp=4):
    console = boot(smp, args)
    console.expect_power_off()
    return console


def check_memtouch_vm1(console, platform):
    console.expect_in_order(console.lines("[vm1] ", "hyp: vm1"), [
        r"\[vm1\] memtouch: vcpus 3",
        r"\[vm1\] memtouch: virtual time \d+ ns",
        r"\[vm1\] memtouch: 8 MiB ok, stage-2 faults \d+",
        rf"hyp: vm1: {platform.vm_off}",
        r"hyp: vm1: \d+ pages filled on demand, \d+ 2 MiB ranges collapsed",
    ])


def check_end(console):
    last = [l for l in console.output().split("\n") if l][-2:]
    if last != ["hyp: all VMs stopped", "hyp: power off"]:
        console.fail(f"the last lines are {last}")
    console.refuse("panic", "MISMATCH", "WRONG", "NOT caught", "unexpected exception")


def test_two_vms(platform, boot):
    console = boot_to_end(boot, "config=two")
    out = console.output()
    for want in ("hyp: config two: 2 VMs",
                 f"hyp: vm0: RAM {platform.two_vm_ram}",
                 f"hyp: vm1: RAM {platform.two_vm_ram}"):
        if want not in out:
            console.fail(f"no {want!r}")
    console.expect_in_order(console.lines("[vm0] ", "hyp: vm0"), [
        r"\[vm0\] hello from guest",
        r"\[vm0\] hello via hvc",
        r"\[vm0\] touched 1024 pages: pattern ok",
        r"\[vm0\] released 16 pages: zero after refault",
        r"\[vm0\] unknown hvc: -1",
        r"\[vm0\] vcpu 0, stage-2 faults: \d+",
        rf"hyp: vm0: {platform.vm_off}",
    ])
    check_memtouch_vm1(console, platform)
    if "stopped:" in out:
        console.fail("a VM was stopped")
    check_end(console)


def check_hostile_vm0(console, platform):
    console.expect_in_order(console.lines("[vm0] ", "hyp: vm0"), platform.hostile_lines)
    out = console.output()
    if out.count("data abort injected") != 1 or out.count("stopped:") != 1:
        console.fail("expected one injected abort and one stop line")


@pytest.mark.needs("hostile_lines")
def test_hostile_vm(platform, boot):
    console = boot_to_end(boot, "config=hostile")
    check_hostile_vm0(console, platform)
    check_memtouch_vm1(console, platform)
    check_end(console)


@pytest.mark.needs("hostile_lines")
def test_hostile_alone_smp1(platform, boot):
    """The hostile guest alone on one CPU: the same answers, then power off."""
    console = boot_to_end(boot, "guest=hostile", smp=1)
    check_hostile_vm0(console, platform)
    check_end(console)


def test_unknown_config(platform, boot):
    console = boot(1, "config=nope")
    console.expect_exact(f'hyp: no VM configuration "nope" (there are: {platform.configs})')
    console.expect_exact("hyp: power off")
    console.expect_exit()


def test_config_needs_more_cpus(boot):
    console = boot(2, "config=two")
    console.expect_exact("hyp: vm1 needs cpu 2, the machine has 2")
    console.expect_exact("hyp: power off")
    console.expect_exit()


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
