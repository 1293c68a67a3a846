# SPDX-License-Identifier: MIT
"""Guests handed over as boot modules named by their own words (GRUB
`module2 FILE vm mem=16M console -- bootargs`: hyp/boot_modules.c,
docs/guests.md), made into VMs by the same hand-over path as the dom0less
VMs of a device tree (test_handover.py): an ELF kernel, a raw binary at its
load address, their own CPUs. The guest prints the multiboot information it
was handed (its RAM from the memory map, its command line = the words
after "--"). A bad VM costs only itself: one line names it, the good VM
runs to its end."""
import os
import re

import pytest

from conftest import ROOT, make

pytestmark = pytest.mark.needs("boot_modules")


@pytest.fixture(scope="session")
def guests(platform, hyp_image):
    m = platform.boot_modules
    return make(m.make_target, m.elf, m.raw)


def hello_lines(platform, name, mem_end, cmdline):
    line = platform.boot_info_line.format(cmdline=re.escape(cmdline))
    line = line.replace("RAM 0x200000 - 0x1200000", f"RAM 0x200000 - 0x{mem_end:x}")
    return [rf"\[{name}\] hello from guest",
            rf"\[{name}\] {line}",
            rf"\[{name}\] touched 1024 pages: pattern ok",
            rf"\[{name}\] released 16 pages: zero after refault",
            rf"hyp: {name}: {platform.vm_off}"]


def test_two_module_vms(platform, boot, guests):
    """hello as an ELF with bootargs on CPU 1, memtouch as a raw binary with
    2 vCPUs on the others: both run to their end, no built-in guest runs."""
    elf, raw = guests
    m = platform.boot_modules
    console = boot(3, modules=[
        (elf, "vm name=grub1 mem=20M pcpus=1 console -- hello from grub, two words"),
        (raw, f"vm name=grub2 mem=16M cpus=2 load=0x{m.raw_load:x} console")])
    console.expect_power_off()
    out = console.output()
    for want in ("hyp: handed over: 2 VMs",
                 "hyp: grub1: RAM 0x200000 - 0x1600000", "hyp: grub2: RAM 0x200000 - 0x1200000"):
        if want not in out:
            console.fail(f"no {want!r}")
    console.expect_in_order(console.lines("[grub1] ", "hyp: grub1"),
                            hello_lines(platform, "grub1", 0x1600000,
                                        "hello from grub, two words"))
    console.expect_in_order(console.lines("[grub2] ", "hyp: grub2"), [
        r"\[grub2\] memtouch: vcpus 2",
        r"\[grub2\] memtouch: 8 MiB ok, stage-2 faults \d+",
        rf"hyp: grub2: {platform.vm_off}"])
    console.refuse("[vm0]", "stopped:", "panic")


# name -> (its words, its one line): each refused with that line, the good VM runs
# (four VMs in all: BOOT_MAX_VMS).
BAD = {
    "junk": ("vm name=junk mem=16M console",
             r"hyp: junk: kernel at 0x[0-9a-f]+: unknown image format \(not a Linux Image or "
             r"an ELF, and no hyp,load-address\)"),
    "vm2": ("vm mem=lots console", r"hyp: multiboot2: vm2: mem=lots is not a size \(like 16M or 1G\)"),
    "vm3": ("vm mem=16M colour=blue", r'hyp: multiboot2: vm3: unknown word "colour=\.\.\."'),
}


def test_bad_module_vms_cost_only_themselves(platform, boot, guests, tmp_path):
    elf, _ = guests
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(8192))
    mods = [(elf, "vm name=good mem=16M pcpus=0 console -- good")]
    mods += [(str(junk) if n == "junk" else elf, words) for n, (words, _) in BAD.items()]
    console = boot(2, modules=mods)
    console.expect_power_off()
    console.expect_in_order(console.lines("[good] ", "hyp: good"),
                            hello_lines(platform, "good", 0x1200000, "good"))
    for name, (_, line) in BAD.items():
        named = [l for l in console.lines("hyp: ")
                 if re.match(rf"hyp: (multiboot2: )?{name}:", l)]
        if len(named) != 1 or not re.fullmatch(line, named[0]):
            console.fail(f"the lines naming {name}: {named}; expected one: /{line}/")
        if console.lines(f"[{name}] "):
            console.fail(f"the bad VM {name} ran")
    console.refuse("panic")
