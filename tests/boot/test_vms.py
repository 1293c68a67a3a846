# SPDX-License-Identifier: MIT
"""Several VMs at once, from the build-time configurations of
guest-images/<arch>/configs (tools/vmconfig.py), picked with "config=NAME":
each VM on its own physical CPUs with its own stage 2, VMID and console
("[vm0] ", "[vm1] "); the machine powers off once every VM has stopped.
A hostile VM (unknown hypercall, write to an empty device address, read
past its memory) costs only itself: its neighbour finishes its work.
Lines of one VM come in order; lines of two VMs interleave freely."""
import re

import pytest


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


def check_honest_vm1(console, platform):
    console.expect_in_order(console.lines("[vm1] ", "hyp: vm1"), [
        r"\[vm1\] honest: rounds [1-9]\d*, all ok",
        rf"hyp: vm1: {platform.vm_off}",
    ])


def check_end(console):
    """The hypervisor's last lines (an emulator may print its own after: Bochs)."""
    out = console.output()
    out = out[:out.rfind("hyp: power off") + len("hyp: power off")]
    last = [l for l in out.split("\n") if l][-2:]
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
    # arm64: "data abort injected: ...", riscv64: "store access fault injected: ..."
    injected = len(re.findall(r"^hyp: vm0: .* injected: (write to|read from) ", out, re.M))
    if injected != platform.hostile_injected or out.count("stopped:") != 1:
        console.fail(f"expected {platform.hostile_injected} injected faults and one stop line, "
                     f"saw {injected}")
    hyp_lines = [l for l in out.split("\n") if l.startswith("hyp: vm0")]
    if platform.hostile_hyp_lines_max and len(hyp_lines) > platform.hostile_hyp_lines_max:
        console.fail(f"{len(hyp_lines)} hypervisor lines about vm0, at most "
                     f"{platform.hostile_hyp_lines_max}")


@pytest.mark.needs("hostile_lines")
def test_hostile_vm(platform, boot):
    console = boot_to_end(boot, "config=hostile", smp=2)  # vm0 on CPU 0, vm1 on CPU 1
    check_hostile_vm0(console, platform)
    check_honest_vm1(console, platform)
    check_end(console)


@pytest.mark.needs("hostile_lines")
def test_hostile_alone_smp1(platform, boot):
    """The hostile guest alone on one CPU: the same answers, then power off."""
    console = boot_to_end(boot, "guest=hostile", smp=1)
    check_hostile_vm0(console, platform)
    check_end(console)


# The hypervisor's lines about the storm VM: one per kind of attack, then
# one "not logged" line per kind, the stop and the VM's summary.
STORM_HYP_LINES = 13


@pytest.mark.needs("storm_lines")
def test_storm_vm(platform, boot):
    """Power-call misuse and storms of refused calls (PSCI, or SBI on
    riscv64), idle instructions (WFE, WFI) and injected aborts or access
    faults beside an honest VM (guest-images/common/storm.c): each answered,
    the log bounded, the neighbour intact."""
    console = boot_to_end(boot, "config=storm")
    console.expect_in_order(console.lines("[vm0] ", "hyp: vm0"), platform.storm_lines)
    hyp_lines = [l for l in console.output().split("\n") if l.startswith("hyp: vm0")]
    if len(hyp_lines) > STORM_HYP_LINES:
        console.fail(f"{len(hyp_lines)} hypervisor lines about vm0, at most {STORM_HYP_LINES}")
    check_honest_vm1(console, platform)
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



def test_two_vms_use_memory_above_the_firmware_table(platform, boot):
    """With 4 GiB, guest memory is every free RAM range: the largest lies
    above the device tree QEMU places 128 MiB into RAM, and the VMs' RAM
    is carved from it."""
    console = boot(4, "config=two", 4096)
    m = console.expect_line(r"hyp: firmware table 0x([0-9a-f]+) - 0x([0-9a-f]+)",
                            "hyp: firmware table A - B")
    fw_end = int(m.group(2), 16)
    hosts = []
    for vm in ("vm0", "vm1"):
        m = console.expect_line(rf"hyp: {vm}: RAM 0x[0-9a-f]+ - 0x[0-9a-f]+ at host 0x([0-9a-f]+),"
                                r"[^\n]*", f"hyp: {vm}: RAM ... at host H")
        hosts.append(int(m.group(1), 16))
    if min(hosts) < fw_end:
        console.fail(f"VM RAM at host {[hex(h) for h in hosts]}, not above the firmware "
                     f"table's end {fw_end:#x}")
    console.expect_power_off()
    check_memtouch_vm1(console, platform)
    check_end(console)


DRAIN_RUNS = 10


@pytest.mark.needs("drain")
@pytest.mark.parametrize("run", range(DRAIN_RUNS))
def test_drain_attack(platform, boot, run):
    """A 2-vCPU VM allocates and retires stage-2 tables as fast as it can
    (fill a 2 MiB range, release a page, release the rest) for 6 s of its
    time, while an honest VM writes, releases and checks its memory: the
    honest VM finishes with everything right, every time."""
    console = boot_to_end(boot, "config=drain")
    check_honest_vm1(console, platform)
    console.expect_in_order(console.lines("[vm0] ", "hyp: vm0"), [
        r"\[vm0\] drain: done, rounds [1-9]\d*",
        rf"hyp: vm0: {platform.vm_off}",
    ])
    console.refuse("stopped:")
    check_end(console)


@pytest.mark.needs("irqstorm_lines")
def test_irqstorm_vm(platform, boot):
    """Interrupt storms beside an honest VM (guest-images/<arch>/irqstorm.c):
    a timer firing at the shortest interval, SGIs in a tight loop to its
    other vCPU and to vCPUs it lacks, every vGIC offset written at every
    width; it reports its counts and powers off, nothing about it is logged
    but its power-off, and the neighbour finishes intact."""
    console = boot_to_end(boot, "config=irqstorm")
    console.expect_in_order(console.lines("[vm0] ", "hyp: vm0"), platform.irqstorm_lines)
    # Its console, its RAM, its power-off and its memory summary: nothing else.
    quiet = re.compile(rf"hyp: (console input: vm0 |vm0: RAM |vm0: {platform.vm_off}$|"
                       r"vm0: \d+ pages filled on demand)")
    noisy = [l for l in console.output().split("\n")
             if "vm0" in l and not l.startswith("[vm0] ") and not quiet.match(l.rstrip("\r"))]
    if noisy:
        console.fail(f"hypervisor lines about vm0: {noisy[:5]} ({len(noisy)} in all)")
    check_honest_vm1(console, platform)
    check_end(console)
