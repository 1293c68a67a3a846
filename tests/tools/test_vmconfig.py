# SPDX-License-Identifier: MIT
"""tools/vmconfig.py on the host: bad configurations fail with one line
naming the file and line, good ones become the C table hyp/vm_config.h
declares. No emulator needed."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "tools", "vmconfig.py")
ARM64_GUESTS = "hello fault smp memtouch bench hostile stop reset"


def vmconfig(tmp_path, files, *args, guests="hello memtouch"):
    """Run the script on @files; (the process, the output path)."""
    out = tmp_path / "out.c"
    proc = subprocess.run([sys.executable, SCRIPT, "--guests", guests, *args,
                           "-o", str(out)] + [str(f) for f in files],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    return proc, out


def config_file(tmp_path, text):
    path = tmp_path / "default.vm"
    path.write_text(text)
    return path


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
    path = config_file(tmp_path, text)
    proc, out = vmconfig(tmp_path, [path])
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{path}:{line}: error: "), proc.stderr
    assert message in proc.stderr, proc.stderr
    assert not out.exists()


def test_vmconfig_table(tmp_path):
    """The shipped configurations turn into one table entry each."""
    configs = os.path.join(ROOT, "guest-images", "arm64", "configs")
    files = sorted(os.path.join(configs, f) for f in os.listdir(configs) if f.endswith(".vm"))
    proc, out = vmconfig(tmp_path, files, guests=ARM64_GUESTS)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert '{ "two", 2u, ' in text and '{ "default", 1u, ' in text
    assert ".cpus = 0xeu, .nr_vcpus = 3u" in text
