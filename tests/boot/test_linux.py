# SPDX-License-Identifier: MIT
"""An unmodified Debian kernel handed over at boot (Xen's dom0less binding
in the boot device tree's /chosen) boots far enough to show it took the
VM's device tree, memory and command line.

tools/fetch-debian-kernel.sh fetches linux-image-cloud-arm64 with
apt-get download (cached in $O/debian-arm64); a fetch that fails fails
the test with the script's reason, never skips it. The kernel's early
lines are checked: its model (the generated tree's), the earlycon on the
VM's PL011 (stdout-path), the memory node, PSCI over HVC, our command
line and the memory total. The VM has no interrupt controller or timer
yet, so the kernel then panics in time_init and, with panic=-1, asks for
PSCI SYSTEM_RESET; the reset VM must boot the same kernel again (its RAM
refilled from the module), and the test ends there.
"""
import os
import re
import subprocess

import pytest

from conftest import BUILD, ROOT, handover_tool

pytestmark = pytest.mark.needs("handover")

MiB = 1 << 20
VM = "linux"
VM_RAM_MIB = 128
MARKER = "hyp_test_marker=42"
BOOTARGS = f"earlycon console=ttyAMA0 panic=-1 {MARKER}"
HOST_MEM_MIB = 512
FETCH_TIMEOUT = 300     # seconds: a first fetch downloads ~21 MB


@pytest.fixture(scope="session")
def linux_image(platform):
    """The fetched kernel Image (cached); the test fails with the reason if it cannot be had."""
    script = os.path.join(ROOT, platform.linux_kernel)
    out_dir = os.path.join(ROOT, BUILD, "debian-arm64")
    try:
        proc = subprocess.run([script, out_dir], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=FETCH_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{platform.linux_kernel} took more than {FETCH_TIMEOUT} s", pytrace=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines or not os.path.isfile(lines[-1]):
        pytest.fail(f"{platform.linux_kernel} failed ({proc.returncode}); the Debian kernel "
                    f"is needed, not optional:\n{proc.stderr[-3000:]}{proc.stdout[-1000:]}",
                    pytrace=False)
    return lines[-1]


def early_lines(vm):
    """The kernel's lines (regexes, after "[NAME] [    0.000000] "), in order, up to its panic."""
    mem_end = 0x40000000 + vm.memory - 1
    mem = rf"\[mem 0x{0x40000000:016x}-0x{mem_end:016x}\]"
    return [
        r"Booting Linux on physical CPU 0x0+ \[0x[0-9a-f]+\]",
        r"Linux version 6\.1\.\S+-cloud-arm64 .*",
        rf"Machine model: hyp VM {vm.name}",
        r"earlycon: pl11 at MMIO 0x0000000009000000 \(options ''\)",
        r"NUMA: Faking a node at " + mem,
        r"  node   0: " + mem,
        r"psci: PSCIv1\.1 detected in firmware\.",
        r"Kernel command line: " + re.escape(vm.bootargs),
        r"Unknown kernel command line parameters \"" + re.escape(MARKER) + r"\", .*",
        rf"Memory: \d+K/{vm.memory // 1024}K available .*",
        r"Kernel panic - not syncing: Unable to initialise architected timer\.",
    ]


def kernel_lines(console, name):
    prefix = f"[{name}] [    0.000000] "
    return [l[len(prefix):] for l in console.lines(prefix)]


@pytest.mark.needs("linux_kernel")
def test_debian_kernel(platform, linux_image, handover):
    """Debian's cloud kernel, handed over with 128 MiB and one vCPU: its
    early lines name our tree's model, UART, memory and PSCI, our command
    line and the memory total; it panics for want of a timer, resets the VM
    through PSCI, and the reset VM boots the same kernel again."""
    vm = handover_tool.VM(VM, linux_image, memory=VM_RAM_MIB * MiB, bootargs=BOOTARGS)
    console = handover([vm], smp=1)
    console.expect_exact(f"hyp: {VM}: {platform.vm_reset}")
    console.expect_in_order(kernel_lines(console, VM), early_lines(vm))
    # The reset VM: its RAM refilled from the modules, the same command line.
    console.expect_exact(f"[{VM}] [    0.000000] Kernel command line: {BOOTARGS}")
    console.refuse(f"hyp: {VM} stopped", "injected", "hyp: panic")
