# SPDX-License-Identifier: MIT
"""The arm64 hypervisor boots at EL2 under QEMU, brings every CPU online,
runs its built-in guest until that powers its VM off, then powers the
machine off: directly (-kernel) and through U-Boot (booti). The guest's own
behaviour is checked in detail by test_arm64_guest.py."""
import os
import re
import subprocess

import pytest

from conftest import ROOT, require_file, require_tool

UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
MACHINE = "virt,virtualization=on,gic-version=3"
RAM_BASE = 0x40000000  # QEMU virt


def qemu_argv(smp, mem_mib, machine=MACHINE):
    return ["qemu-system-aarch64", "-M", machine, "-cpu", "max",
            "-smp", str(smp), "-m", f"{mem_mib}M", "-nographic"]


def check_boot(console, smp, mem_mib):
    """The console markers, in order; the secondaries in any order."""
    m = console.expect(r"hyp: EL2 boot, (\d+) cpus, RAM 0x([0-9a-f]+) - 0x([0-9a-f]+)\r*\n",
                       "hyp: EL2 boot, N cpus, RAM ...")
    if int(m.group(1)) != smp:
        console.fail(f"the hypervisor found {m.group(1)} cpus, QEMU has {smp}")
    ram = (int(m.group(2), 16), int(m.group(3), 16))
    if ram != (RAM_BASE, RAM_BASE + mem_mib * 1024 * 1024):
        console.fail(f"RAM 0x{ram[0]:x} - 0x{ram[1]:x} does not match -m {mem_mib}M")
    console.expect_exact("hyp: mmu on")
    online = []
    for _ in range(smp - 1):
        m = console.expect(r"hyp: cpu (\d+) online\r*\n", "hyp: cpu N online")
        online.append(int(m.group(1)))
    if sorted(online) != list(range(1, smp)):
        console.fail(f"secondaries reported online: {online}, expected 1..{smp - 1}")
    console.expect_exact(f"hyp: all {smp} cpus online")
    console.expect_exact("[vm0] hello from guest")
    console.expect_exact("hyp: all VMs stopped")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
    if "panic" in console.output():
        console.fail("the console shows a panic")


@pytest.mark.parametrize("smp", [1, 4])
def test_kernel_boot(hyp_arm64_image, qemu, smp):
    """QEMU loads the Image itself (-kernel) and enters it at EL2."""
    console = qemu(qemu_argv(smp, 512) + ["-kernel", hyp_arm64_image])
    check_boot(console, smp, 512)


def test_uboot_booti(hyp_arm64_image, qemu, tmp_path):
    """U-Boot's distro boot runs boot.scr from a FAT partition: booti."""
    require_file(UBOOT, "u-boot-qemu")
    for tool, package in (("sfdisk", "fdisk"), ("mformat", "mtools"),
                          ("mcopy", "mtools"), ("mkimage", "u-boot-tools")):
        require_tool(tool, package)
    disk = str(tmp_path / "disk.img")
    proc = subprocess.run([os.path.join(ROOT, "tools", "mkdisk-arm64.sh"),
                           hyp_arm64_image, disk], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"tools/mkdisk-arm64.sh failed:\n{proc.stdout}")
    console = qemu(qemu_argv(2, 512) + [
        "-nic", "none", "-bios", UBOOT,
        "-drive", f"if=none,file={disk},format=raw,id=d0",
        "-device", "virtio-blk-device,drive=d0"])
    console.expect_exact("Starting kernel")
    check_boot(console, 2, 512)


def test_refuses_el1(hyp_arm64_image, qemu):
    """Without virtualization=on QEMU enters at EL1: an error, then a halt."""
    console = qemu(qemu_argv(1, 512, "virt,gic-version=3") + ["-kernel", hyp_arm64_image])
    console.expect(re.escape("hyp: error: entered at EL1, the hypervisor needs EL2"),
                   "the wrong-EL error")
    if "mmu on" in console.output():
        console.fail("the hypervisor went on at EL1")
