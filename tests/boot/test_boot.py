# SPDX-License-Identifier: MIT
"""The hypervisor boots at its level (EL2 on arm64) under the platform's
emulator, brings every CPU online, runs its built-in guest until that
powers its VM off, then powers the machine off: directly (the emulator
loads the image) and, where the platform has one, through a loader (U-Boot
booti on arm64). The guest's own behaviour is checked in detail by
test_guests.py."""
import os
import re
import subprocess

import pytest

from conftest import ROOT, require_file, require_tool


def check_boot(console, platform, smp, mem_mib):
    """The console markers, in order. The boot CPU runs the guest without
    waiting for the secondaries (hyp/main.c), so their lines come in any
    order among themselves and among the guest's; "all N cpus online" after
    every one of them, and all before the power-off (which waits for a CPU
    still coming up)."""
    m = console.expect(rf"hyp: {platform.level} boot, (\d+) cpus, "
                       r"RAM 0x([0-9a-f]+) - 0x([0-9a-f]+)\r*\n",
                       f"hyp: {platform.level} boot, N cpus, RAM ...")
    if int(m.group(1)) != smp:
        console.fail(f"the hypervisor found {m.group(1)} cpus, the machine has {smp}")
    ram = (int(m.group(2), 16), int(m.group(3), 16))
    base = platform.ram_base
    if ram != (base, base + mem_mib * 1024 * 1024 - platform.ram_unreported):
        console.fail(f"RAM 0x{ram[0]:x} - 0x{ram[1]:x} does not match -m {mem_mib}M")
    console.expect_exact("hyp: mmu on")
    console.expect_power_off()
    console.refuse("panic")
    lines = console.output().split("hyp: mmu on\n", 1)[1].split("\n")
    cpu_line = re.compile(r"hyp: cpu (\d+) online")
    online = [(i, int(m.group(1))) for i, m in enumerate(map(cpu_line.fullmatch, lines)) if m]
    if sorted(cpu for _, cpu in online) != list(range(1, smp)):
        console.fail(f"secondaries reported online: {[cpu for _, cpu in online]}, "
                     f"expected 1..{smp - 1}")
    all_online = f"hyp: all {smp} cpus online"
    if lines.count(all_online) != 1:
        console.fail(f"{all_online!r} {lines.count(all_online)} times, expected once")
    if online and lines.index(all_online) < online[-1][0]:
        console.fail(f"{all_online!r} before the last secondary's line")
    console.expect_in_order(lines, [re.escape(all_online), "hyp: all VMs stopped"])
    console.expect_in_order(lines, [r"\[vm0\] hello from guest", "hyp: all VMs stopped"])


@pytest.mark.parametrize("smp", [1, pytest.param(4, marks=pytest.mark.needs("smp"))])
def test_kernel_boot(platform, boot, smp):
    """The emulator loads the image itself and enters it at the hypervisor's level."""
    check_boot(boot(smp), platform, smp, 512)


ABSENT_CPU_ID = 7  # in neither QEMU virt's -smp 2 MPIDRs nor its hart ids


def absent_cpu_dtb(platform, smp, tmp_path):
    """The machine's own device tree with one more cpu node, for a CPU it lacks."""
    require_tool("fdtput", "device-tree-compiler")
    dtb = str(tmp_path / "absent-cpu.dtb")
    argv = platform.argv(smp, 512, machine=(*platform.machine, "-machine", f"dumpdtb={dtb}"))
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    node = f"/cpus/cpu@{ABSENT_CPU_ID:x}"
    subprocess.run(["fdtput", "-c", dtb, node], check=True)
    subprocess.run(["fdtput", "-t", "s", dtb, node, "device_type", "cpu"], check=True)
    subprocess.run(["fdtput", "-t", "x", dtb, node, "reg", f"{ABSENT_CPU_ID:x}"], check=True)
    return dtb


@pytest.mark.needs("smp")
@pytest.mark.needs("dt_cpus")
def test_cpu_never_online(platform, boot, tmp_path):
    """A CPU the device tree lists but the machine lacks: its start fails
    with a line, the guest runs without waiting for it, and one line names
    it HYP_CPU_ON_TIMEOUT_US (10 s) after the starts, at the latest before
    the power-off, which waits that long for it."""
    machine = (*platform.machine, "-dtb", absent_cpu_dtb(platform, 2, tmp_path))
    console = boot(2, machine=machine)
    console.expect_line(rf"hyp: {platform.level} boot, 3 cpus, [^\r\n]*", "hyp: ... boot, 3 cpus")
    m = console.expect_line(rf"hyp: cpu ([12]) \(id 0x{ABSENT_CPU_ID:x}\) did not start: -\d+",
                            "hyp: cpu N (id ...) did not start")
    cpu = int(m.group(1))  # its place in the tree: fdtput -c puts the node first
    console.expect_power_off()
    console.refuse("panic", "hyp: all 3 cpus online")
    late = (rf"hyp: cpu {cpu} \(id 0x{ABSENT_CPU_ID:x}\) did not come online in 10000 ms: "
            r"its vCPUs cannot run")
    lines = console.lines("hyp: ", "[vm0] ")
    if sum(1 for line in lines if re.fullmatch(late, line)) != 1:
        console.fail(f"not once: {late!r}")
    console.expect_in_order(lines, [rf"hyp: cpu {3 - cpu} online", late, "hyp: all VMs stopped"])
    console.expect_in_order(lines, [r"\[vm0\] hello from guest", late])


def make_disk(loader, image, disk):
    require_file(loader.firmware, loader.package)
    for tool, package in loader.tools.items():
        require_tool(tool, package)
    script = os.path.join(ROOT, "tools", loader.mkdisk)
    proc = subprocess.run([script, image, disk], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"tools/{loader.mkdisk} failed:\n{proc.stdout}")


@pytest.mark.needs("loader")
def test_loader_boot(platform, hyp_image, qemu, tmp_path):
    """The firmware boots the image from a disk (U-Boot: boot.scr, booti)."""
    loader = platform.loader
    disk = str(tmp_path / "disk.img")
    make_disk(loader, hyp_image, disk)
    console = qemu(platform.argv(2, 512) + ["-bios", loader.firmware] + loader.args(disk))
    console.expect_exact(loader.marker)
    check_boot(console, platform, 2, 512)


@pytest.mark.needs("lower_level")
def test_refuses_lower_level(platform, boot):
    """Entered without the virtualization extension (arm64: at EL1): an error, then a halt."""
    console = boot(1, machine=platform.lower_level.machine)
    console.expect(re.escape(platform.lower_level.error), "the wrong-level error")
    if "mmu on" in console.output():
        console.fail("the hypervisor went on at the lower level")
