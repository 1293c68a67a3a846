# SPDX-License-Identifier: MIT
"""An unmodified Debian kernel handed over at boot (Xen's dom0less binding
in the boot device tree's /chosen) boots to userspace beside another VM,
and a person can type into its shell.

tools/fetch-debian-kernel.sh fetches linux-image-cloud-arm64 and
tools/mkinitramfs-arm64.sh busybox-static with apt-get download (both
cached in $O/debian-arm64); a fetch that fails fails the test with the
script's reason, never skips it. The kernel runs with 2 vCPUs and 256 MiB,
its console on ttyAMA0 through Linux's PL011 driver (no earlycon): its
lines name our tree's model, PSCI 1.1, the vGIC's distributor and
redistributors, the virtual timer, the second CPU and the PL011 with its
interrupt; its init prints a marker and powers off (PSCI SYSTEM_OFF). The
handover test guest runs beside it on a third CPU and finishes.
"""
import os
import re
import subprocess

import pytest

from conftest import BUILD, ROOT, handover_tool
from test_handover import check_guest

pytestmark = [pytest.mark.needs("handover"), pytest.mark.needs("linux_kernel"),
              pytest.mark.needs("linux_initramfs")]

MiB = 1 << 20
VM = "linux"
VM_RAM_MIB = 256
VCPUS = 2
MARKER_ARG = "hyp_test_marker=42"
BOOTARGS = f"console=ttyAMA0 panic=-1 {MARKER_ARG}"
INIT_MARKER = "hyp-linux: userspace up"
FETCH_TIMEOUT = 300     # seconds: a first fetch downloads ~22 MB
TS = r"\[ *\d+\.\d+\] "  # the kernel's timestamp


def fetch(script, *args):
    """Run a fetch script of the platform's; its output's last line (a path)."""
    path = os.path.join(ROOT, script)
    try:
        proc = subprocess.run([path, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=FETCH_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{script} took more than {FETCH_TIMEOUT} s", pytrace=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines or not os.path.isfile(lines[-1]):
        pytest.fail(f"{script} failed ({proc.returncode}); it is needed, not optional:\n"
                    f"{proc.stderr[-3000:]}{proc.stdout[-1000:]}", pytrace=False)
    return lines[-1]


def debian_dir():
    return os.path.join(ROOT, BUILD, "debian-arm64")


@pytest.fixture(scope="session")
def linux_image(platform):
    return fetch(platform.linux_kernel, debian_dir())


@pytest.fixture(scope="session")
def initramfs(platform):
    return {v: fetch(platform.linux_initramfs, debian_dir(), v) for v in ("test", "shell")}


def linux_vm(image, initrd):
    return handover_tool.VM(VM, image, initrd=initrd, vcpus=VCPUS, memory=VM_RAM_MIB * MiB,
                            bootargs=BOOTARGS, cpus=list(range(VCPUS)))


def kernel_lines(platform, vm):
    """The kernel's lines (regexes, after "[linux] "), in order, to userspace and off."""
    base = platform.handover.guest_ram_base
    mem = rf"\[mem 0x{base:016x}-0x{base + vm.memory - 1:016x}\]"
    return [
        TS + r"Booting Linux on physical CPU 0x0+ \[0x[0-9a-f]+\]",
        TS + rf"Machine model: hyp VM {vm.name}",
        TS + r"  node   0: " + mem,
        TS + r"psci: PSCIv1\.1 detected in firmware\.",
        TS + r"CPU features: detected: GIC system register CPU interface",
        TS + r"Kernel command line: " + re.escape(vm.bootargs),
        TS + rf"Memory: \d+K/{vm.memory // 1024}K available .*",
        TS + r"GICv3: 32 SPIs implemented",
        TS + r"GICv3: CPU0: found redistributor 0 region 0:0x00000000080a0000",
        TS + r"arch_timer: cp15 timer\(s\) running at \d+\.\d+MHz \(virt\)\.",
        TS + r"GICv3: CPU1: found redistributor 1 region 0:0x00000000080c0000",
        TS + rf"smp: Brought up 1 node, {vm.vcpus} CPUs",
        TS + r"9000000\.serial: ttyAMA0 at MMIO 0x9000000 \(irq = \d+, base_baud = 0\) "
             r"is a PL011 rev3",
        TS + r"printk: console \[ttyAMA0\] enabled",
        TS + r"Trying to unpack rootfs image as initramfs\.\.\.",
        TS + r"Run /init as init process",
        re.escape(INIT_MARKER),
        TS + r"reboot: Power down",
    ]


def test_debian_kernel_to_userspace(platform, linux_image, initramfs, handover_guest, handover):
    """Debian's cloud kernel with 2 vCPUs and 256 MiB and a busybox
    initramfs, unmodified, beside the handover test guest: to its init's
    marker through the PL011 driver, then PSCI SYSTEM_OFF; the other VM
    finishes on its own."""
    vm = linux_vm(linux_image, initramfs["test"])
    tiny = handover_tool.VM("tiny", handover_guest.image, memory=32 * MiB,
                            bootargs="beside linux", cpus=[VCPUS])
    console = handover([vm, tiny], smp=VCPUS + 1)
    console.expect_exact(f"[{VM}] {INIT_MARKER}")
    console.expect_exact(f"hyp: {VM}: {platform.vm_off}")
    console.expect_power_off()
    prefix = f"[{VM}] "
    got = [l[len(prefix):].rstrip("\r") for l in console.lines(prefix)]
    console.expect_in_order(got, kernel_lines(platform, vm))
    check_guest(console, platform, tiny)
    if f"hyp: tiny: {platform.vm_off}" not in console.output():
        console.fail("the tiny VM did not finish")
    console.refuse("earlycon", "injected", "stopped:", "Kernel panic", "hyp: panic", "Internal error",
                   "hyp: linux: PSCI SYSTEM_RESET")


def test_debian_kernel_shell(platform, linux_image, initramfs, handover):
    """The same kernel with the interactive initramfs: a command typed on
    the console reaches busybox's shell (the PL011's receive interrupt
    through the vGIC) and its answer comes back; `poweroff -f` ends it."""
    vm = linux_vm(linux_image, initramfs["shell"])
    console = handover([vm], smp=VCPUS)
    console.expect_exact(f"[{VM}] {INIT_MARKER}")
    console.expect_exact(" # ")
    console.child.send("echo $((6 * 7))x\r")
    console.expect_line(r"\[linux\] 42x\r*", "the shell's answer")
    console.expect_exact(" # ")
    console.child.send("poweroff -f\r")
    console.expect_exact(f"hyp: {VM}: {platform.vm_off}")
    console.expect_power_off()
    console.refuse("injected", "stopped:", "Internal error")
