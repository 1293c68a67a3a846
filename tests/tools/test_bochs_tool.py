# SPDX-License-Identifier: MIT
"""tools/bochs.py's GRUB module lines (--module FILE:WORDS): each file
copied into the ISO tree and named on a module2 line with its words, in
order; words GRUB's script syntax would change are refused, naming the
module."""
import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import bochs  # noqa: E402  tools/bochs.py


def test_module_lines(tmp_path):
    a, b = tmp_path / "a.elf", tmp_path / "initrd"
    a.write_bytes(b"kernel")
    b.write_bytes(b"ramdisk")
    root = tmp_path / "iso"
    lines = bochs.module_lines(str(root), [(str(a), "vm mem=16M console -- x y"),
                                           (str(b), "ramdisk")])
    assert lines == ("\tmodule2 /boot/mods/0-a.elf vm mem=16M console -- x y\n"
                     "\tmodule2 /boot/mods/1-initrd ramdisk\n")
    assert (root / "boot" / "mods" / "0-a.elf").read_bytes() == b"kernel"
    assert (root / "boot" / "mods" / "1-initrd").read_bytes() == b"ramdisk"
    cfg = bochs.GRUB_CFG.format(cmdline="config=two", modules=lines)
    assert "\tmultiboot2 /boot/hyp.elf config=two\n\tmodule2 /boot/mods/0-a.elf" in cfg


@pytest.mark.parametrize("words", ["vm -- $HOME", "vm; reboot", "vm 'quoted'", "vm {x}"])
def test_grub_syntax_refused(tmp_path, words):
    a = tmp_path / "a.elf"
    a.write_bytes(b"kernel")
    with pytest.raises(ValueError, match=rf"module {a}: .* is GRUB syntax"):
        bochs.module_lines(str(tmp_path / "iso"), [(str(a), words)])
