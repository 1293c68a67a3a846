# SPDX-License-Identifier: MIT
"""Guests that are not built into the hypervisor, handed over at boot in
Xen's dom0less binding (docs/guests.md, tools/handover.py): the handover
test guest (guest-images/common/handover.h), as an ELF, as a Linux Image
and as a raw binary, through the emulator's loaders and through U-Boot
from a disk. The guest prints what it was handed (its device tree's
memory, cpus, bootargs, the CRC-32 of the initrd range /chosen names);
each line is compared with what the test handed over. A bad VM costs only
itself: one line names it, the other VM runs."""
import os
import re
import subprocess
import sys
import zlib

import pytest

from conftest import ROOT, handover_tool

pytestmark = pytest.mark.needs("handover")

MiB = 1 << 20
VM = handover_tool.VM
COUNT = r"handover: first instruction at count [1-9]\d*, time [1-9]\d* ns"


def random_file(tmp_path, name, size):
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return str(path)


def expected(platform, vm, entry=None, initrd=None):
    """The exact handover: lines of @vm (regexes); @initrd: its bytes."""
    h = platform.handover
    base = vm.ram_base if vm.ram_base is not None else h.guest_ram_base
    entry = entry if entry is not None else base + h.guest_text_offset
    lines = [COUNT,
             rf"handover: entry 0x{entry:x}, device tree 0x[0-9a-f]+, [1-9]\d* bytes",
             rf"handover: memory 0x{base:x} 0x{vm.memory:x}",
             rf"handover: cpus {vm.vcpus}",
             "handover: bootargs " + (re.escape(vm.bootargs) if vm.bootargs else "none")]
    if initrd is None:
        lines.append("handover: initrd none")
    else:
        lines.append(r"handover: initrd (0x[0-9a-f]+) (0x[0-9a-f]+) crc32 "
                     rf"0x{zlib.crc32(initrd):08x}")
    return lines + [f"handover: uart 0x{h.guest_uart:08x}",
                    rf"handover: top of RAM 0x{base + vm.memory - 8:x} ok",
                    "handover: ok"]


def check_guest(console, platform, vm, entry=None, initrd=None):
    """@vm's handover lines are exactly the expected ones, in order."""
    prefix = f"[{vm.name}] "
    got = [l[len(prefix):] for l in console.lines(prefix + "handover: ")]
    want = expected(platform, vm, entry, initrd)
    if len(got) != len(want) or not all(re.fullmatch(w, g) for w, g in zip(want, got)):
        console.fail(f"{vm.name}'s lines:\n" + "\n".join(got) +
                     "\n--- expected (regexes) ---\n" + "\n".join(want))
    if initrd is not None:
        m = re.fullmatch(want[5], got[5])
        start, end = int(m.group(1), 16), int(m.group(2), 16)
        if end - start != len(initrd):
            console.fail(f"{vm.name}: initrd 0x{start:x} - 0x{end:x} is not {len(initrd)} bytes")
    console.refuse(f"hyp: {vm.name} stopped")


def run_to_end(console, platform, *vms):
    console.expect_power_off()
    for vm in vms:
        if f"hyp: {vm.name}: {platform.vm_off}" not in console.output():
            console.fail(f"no 'hyp: {vm.name}: {platform.vm_off}'")
    console.refuse("panic")
    return console


def test_elf_initrd_bootargs(platform, handover_guest, handover, tmp_path):
    """An ELF kernel, an initrd of random bytes (an odd size) and bootargs,
    placed by QEMU's loaders: the guest's tree names all three."""
    initrd = random_file(tmp_path, "initrd", 3 * MiB + 12345)
    vm = VM("vm1", handover_guest.elf, initrd=initrd, vcpus=2, memory=128 * MiB,
            bootargs="console=ttyAMA0 handover=1 'quoted words'")
    console = run_to_end(handover([vm]), platform, vm)
    check_guest(console, platform, vm, initrd=open(initrd, "rb").read())


def test_linux_image(platform, handover_guest, handover):
    """The same guest as a Linux Image: entered at RAM base + text_offset."""
    vm = VM("linux", handover_guest.image, memory=64 * MiB, bootargs="root=/dev/ram0")
    check_guest(run_to_end(handover([vm]), platform, vm), platform, vm)


def test_raw_binary(platform, handover_guest, handover, tmp_path):
    """The Image with its magic cleared is no Image: a raw binary, run at hyp,load-address."""
    data = handover_tool.clear_image_magic(bytearray(open(handover_guest.image, "rb").read()))
    raw = tmp_path / "raw.bin"
    raw.write_bytes(bytes(data))
    load = platform.handover.guest_ram_base + 0x200000
    vm = VM("raw", str(raw), memory=32 * MiB, load_address=load)
    check_guest(run_to_end(handover([vm]), platform, vm), platform, vm, entry=load)


def test_two_guests(platform, handover_guest, handover, tmp_path):
    """Two handed-over guests side by side, each with its own tree."""
    initrd = random_file(tmp_path, "initrd", 256 * 1024)
    a = VM("vm1", handover_guest.elf, memory=32 * MiB, bootargs="first")
    b = VM("vm2", handover_guest.image, initrd=initrd, vcpus=2, memory=48 * MiB,
           bootargs="second guest", cpus=[1, 2])
    console = run_to_end(handover([a, b], smp=3), platform, a, b)
    check_guest(console, platform, a)
    check_guest(console, platform, b, initrd=open(initrd, "rb").read())


def test_1gib_guest(platform, handover_guest, handover):
    """A VM of 1 GiB: its last word holds a write (one contiguous host range)."""
    vm = VM("big", handover_guest.image, memory=1 << 30, bootargs="big")
    check_guest(run_to_end(handover([vm]), platform, vm), platform, vm)


@pytest.mark.needs("loader")
def test_uboot_disk(platform, handover_guest, handover, tmp_path):
    """The ELF guest with an initrd and bootargs, loaded by U-Boot from a
    FAT disk: its script fills /chosen with fdt commands and booti's."""
    initrd = random_file(tmp_path, "initrd", 512 * 1024 + 3)
    vm = VM("vm1", handover_guest.elf, initrd=initrd, vcpus=2, memory=64 * MiB,
            bootargs="from u-boot")
    console = handover([vm], uboot=True)
    console.expect_exact(handover_tool.UBOOT_BANNER)
    console.expect_exact(platform.loader.marker)
    script = console.output().split(handover_tool.UBOOT_BANNER)[-1]
    for bad in ("Error", "error", "failed", "FDT_ERR", "Usage", "Unknown command"):
        if bad in script:
            console.fail(f"U-Boot said {bad!r} running the script")
    run_to_end(console, platform, vm)
    check_guest(console, platform, vm, initrd=open(initrd, "rb").read())


def kernel_of(plan, name):
    return next(m for m in plan.modules if m.kind == "kernel" and m.vm.name == name)


def overlap_hypervisor(plan):
    """vm2's kernel node claims bytes inside the hypervisor (QEMU loads it elsewhere)."""
    k = kernel_of(plan, "vm2")
    k.reg_override = (plan.hyp_at + 0x1000, k.size)


def overlap_earlier_vm(plan):
    """vm2's kernel node claims bytes inside vm1's kernel: the later VM is refused."""
    k1, k2 = kernel_of(plan, "vm1"), kernel_of(plan, "vm2")
    k2.reg_override = (k1.addr + 0x1000, k2.size)


MODULE = r"hyp: device tree: /chosen/{vm}: module@[0-9a-f]+: "
# bad -> {bad VM: its one line (a regex)}, the edit of the plan
BAD = {
    "overlap-hypervisor": ({"vm2": MODULE.format(vm="vm2") + "overlaps the hypervisor image"},
                           overlap_hypervisor),
    "overlap-module": ({"vm2": MODULE.format(vm="vm2") + r"overlaps /chosen/vm1/module@[0-9a-f]+"},
                       overlap_earlier_vm),
    "unknown-format": ({"vm2": r"hyp: vm2: kernel at 0x[0-9a-f]+: unknown image format "
                               r"\(not a Linux Image or an ELF, and no hyp,load-address\)"},
                       None),
}


@pytest.mark.parametrize("bad", sorted(BAD))
def test_bad_vm_costs_only_itself(platform, handover_guest, handover, tmp_path, bad):
    """One line names each bad VM and its problem; the good VM runs to its end."""
    lines, edit = BAD[bad]
    good = VM("vm1", handover_guest.elf, memory=32 * MiB, bootargs="good")
    kernel = random_file(tmp_path, "junk", 8192) if bad == "unknown-format" \
        else handover_guest.image
    bads = [VM(n, kernel, memory=32 * MiB) for n in lines]
    console = run_to_end(handover([good] + bads, smp=1 + len(bads), edit=edit), platform, good)
    check_guest(console, platform, good)
    for name, line in lines.items():
        named = [l for l in console.lines("hyp: ")
                 if re.match(rf"hyp: (device tree: /chosen/)?{name}[:/]", l)]
        if len(named) != 1 or not re.fullmatch(line, named[0]):
            console.fail(f"the lines naming {name}: {named}; expected one: /{line}/")
        if console.lines(f"[{name}] "):
            console.fail(f"the bad VM {name} ran")


@pytest.mark.parametrize("args,line", [
    (["--kernel", "/nonexistent/Image"], "handover: vm1: kernel /nonexistent/Image: no such file"),
    (["--kernel", "{elf}", "--initrd", "/nonexistent/initrd"],
     "handover: vm1: initrd /nonexistent/initrd: no such file"),
    (["--kernel", "{elf}", "--memory", "lots"],
     "handover: vm1: memory: 'lots' is not a size (like 128M or 1G)"),
])
def test_tool_errors(handover_guest, hyp_image, args, line):
    """tools/handover.py: one line naming the VM and the file or value, status 1."""
    args = [a.format(elf=handover_guest.elf) for a in args]
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "handover.py"),
                           "--hyp", hyp_image] + args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 1 or proc.stderr.strip().splitlines() != [line]:
        pytest.fail(f"status {proc.returncode}, stderr:\n{proc.stderr}\nexpected: {line}")
