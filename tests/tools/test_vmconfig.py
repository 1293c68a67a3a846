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



def guest_names(arch):
    """The one list of an arch's guests: GUEST_NAMES_<arch> in its guest.mk."""
    with open(os.path.join(ROOT, "guest-images", arch, "guest.mk"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(f"GUEST_NAMES_{arch} :="):
                return line.split(":=", 1)[1].strip()
    raise AssertionError(f"no GUEST_NAMES_{arch} in guest-images/{arch}/guest.mk")


ARM64_GUESTS = guest_names("arm64")


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


def one_vm(console=None):
    return "vm a\nguest hello\n" + (f"console {console}\n" if console else "")


@pytest.mark.parametrize("arch,ram_base,kind,base", [
    ("arm64", "0x80000000", "VM_CONSOLE_PL011", "0x9000000"),
    ("riscv64", "0x80000000", "VM_CONSOLE_NS16550", "0x10000000"),
    ("x86_64", "0x200000", "VM_CONSOLE_NS16550_PORT", "0x3f8"),
])
def test_arch_defaults(tmp_path, arch, ram_base, kind, base):
    """Without ram_base and console lines, the arch's defaults."""
    proc, out = vmconfig(tmp_path, [config_file(tmp_path, one_vm())], "--arch", arch)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert f".ram_base = {ram_base}ull" in text, text
    assert f".console_kind = {kind}, .console_base = {base}ull" in text, text


@pytest.mark.parametrize("arch,console,kind,base", [
    ("arm64", "ns16550@0x0a001000", "VM_CONSOLE_NS16550", "0xa001000"),
    ("riscv64", "pl011@0x09000000", "VM_CONSOLE_PL011", "0x9000000"),
    ("x86_64", "ns16550@port:0x2f8", "VM_CONSOLE_NS16550_PORT", "0x2f8"),
    ("x86_64", "ns16550@0xfe000000", "VM_CONSOLE_NS16550", "0xfe000000"),
])
def test_console_kinds(tmp_path, arch, console, kind, base):
    proc, out = vmconfig(tmp_path, [config_file(tmp_path, one_vm(console))], "--arch", arch)
    assert proc.returncode == 0, proc.stderr
    assert f".console_kind = {kind}, .console_base = {base}ull" in out.read_text()


BAD_CONSOLES = [
    ("arm64", "uart8250@0x09000000", 3, "is not KIND@ADDRESS with KIND pl011 or ns16550"),
    ("arm64", "pl011", 3, "is not KIND@ADDRESS"),
    ("arm64", "pl011@0x09000800", 3, "0x9000800 is not 4 KiB aligned"),
    ("arm64", "pl011@nine", 3, "malformed number 'nine'"),
    ("arm64", "ns16550@port:0x3f8", 3, "an I/O port is for ns16550 on x86_64, not ns16550 on arm64"),
    ("x86_64", "pl011@port:0x3f8", 3, "an I/O port is for ns16550 on x86_64, not pl011"),
    ("x86_64", "ns16550@port:0x3f9", 3, "port 0x3f9 must be 8-aligned"),
    ("x86_64", "ns16550@port:0x10000", 3, "below 0x10000"),
    ("arm64", "pl011@0x80001000", 1, "a: console 0x80001000 must be outside RAM"),
]


@pytest.mark.parametrize("arch,console,line,message", BAD_CONSOLES)
def test_console_errors(tmp_path, arch, console, line, message):
    path = config_file(tmp_path, one_vm(console))
    proc, out = vmconfig(tmp_path, [path], "--arch", arch)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{path}:{line}: error: "), proc.stderr
    assert message in proc.stderr, proc.stderr
    assert not out.exists()


def test_unknown_arch(tmp_path):
    proc, out = vmconfig(tmp_path, [config_file(tmp_path, one_vm())], "--arch", "mips")
    assert proc.returncode == 2 and "--arch" in proc.stderr, proc.stderr
    assert not out.exists()


def test_port_is_not_ram(tmp_path):
    """An I/O port console never overlaps guest RAM, even RAM at 0."""
    text = one_vm("ns16550@port:0x3f8") + "ram_base 0\n"
    proc, out = vmconfig(tmp_path, [config_file(tmp_path, text)], "--arch", "x86_64")
    assert proc.returncode == 0, proc.stderr
    assert ".ram_base = 0x0ull" in out.read_text()
