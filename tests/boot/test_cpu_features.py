# SPDX-License-Identifier: MIT
"""What the hypervisor takes from the CPU it boots on, with a feature and
without it.

Paging modes (Platform.paging_modes; riscv64: Sv48 and Sv48x4, else Sv39
and Sv39x4): the boot line naming them, then two VMs (config=two: hello,
and memtouch on three vCPUs, whose demand faults, releases and 2 MiB
collapses go through every level of the G-stage) finish right; on the
row's machine, and with the emulator's own device tree (dumped with
-machine dumpdtb, each /cpus/cpu@N edited with fdtput, given back with
-dtb) saying the harts have less, as a board whose harts have less says.

The guest's timer without the CPU's guest timer compare
(Platform.no_guest_timer_cmp; riscv64: -cpu rv64,sstc=off, so SBI
set_timer runs on the hart's own SBI timer and VSTIP comes through hvip):
the SBI conformance guest sets its timer and sleeps in a retentive
hart_suspend that only the injected timer interrupt ends (rows 6.1 and
9.4, and the check that it ended after the deadline); then the two VMs.
"""
import re
import subprocess

import pytest

from conftest import require_tool
from test_sbi import check_conformance
from test_vms import check_end, check_memtouch_vm1

SMP = 4
MEM_MIB = 512


def check_two_vms(platform, console):
    console.expect_power_off()
    console.expect_in_order(console.lines("[vm0] ", "hyp: vm0"), [
        r"\[vm0\] hello from guest",
        r"\[vm0\] touched 1024 pages: pattern ok",
        r"\[vm0\] released 16 pages: zero after refault",
        rf"hyp: vm0: {platform.vm_off}",
    ])
    check_memtouch_vm1(console, platform)
    check_end(console)


def bound_dtb(platform, tmp_path):
    """The machine's own device tree with every cpu node bounded lower."""
    require_tool("fdtput", "device-tree-compiler")
    dtb = str(tmp_path / "bound.dtb")
    argv = platform.argv(SMP, MEM_MIB, machine=(*platform.machine, "-machine",
                                                f"dumpdtb={dtb}"))
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    cpus = subprocess.run(["fdtget", "-l", dtb, "/cpus"], check=True, capture_output=True,
                          text=True).stdout.split()
    prop, value = platform.paging_modes.bound
    for cpu in (c for c in cpus if c.startswith("cpu@")):
        subprocess.run(["fdtput", "-t", "s", dtb, f"/cpus/{cpu}", prop, value], check=True)
    return dtb


@pytest.mark.needs("paging_modes")
@pytest.mark.parametrize("bound", [False, True], ids=["machine", "dt_bound"])
def test_paging_modes(platform, boot, tmp_path, bound):
    modes = platform.paging_modes
    machine = (*platform.machine, "-dtb", bound_dtb(platform, tmp_path)) if bound else None
    console = boot(SMP, "config=two", MEM_MIB, machine)
    line = modes.bound_line if bound else modes.line
    console.expect_line(re.escape(line), line)
    check_two_vms(platform, console)


@pytest.mark.needs("no_guest_timer_cmp")
@pytest.mark.needs("sbi_conformance")
def test_guest_timer_without_cmp(platform, boot):
    variant = platform.no_guest_timer_cmp
    console = boot(2, f"guest={platform.sbi_conformance}", machine=variant.machine)
    console.expect_exact(variant.line)
    check_conformance(platform, console)
    console = boot(SMP, "config=two", MEM_MIB, variant.machine)
    console.expect_exact(variant.line)
    check_two_vms(platform, console)
