# SPDX-License-Identifier: MIT
"""tools/profile.py and its TCG plugin (tools/qemu-plugin/insn_profile.c):
PCs attributed to the right function, the markers honoured, the counts
deterministic under -icount, each function's count summing to the total."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import profile as prof  # noqa: E402  tools/profile.py

O = os.environ.get("O", "build")
PLUGIN = os.path.join(ROOT, O, "tools", "insn_profile.so")
IMAGE = os.path.join(ROOT, O, "arm64", "hyp.bin")
ROW = re.compile(r"\s*(\d+)\s+[\d.]+\s+(\S.*)")


def test_attribute_to_the_symbol_at_or_below():
    syms = [(0x1000, "a"), (0x1010, "b"), (0x1100, "c")]
    counts = {0x1000: 1, 0x100c: 2, 0x1010: 4, 0x10ff: 8, 0x1100: 16, 0x1fff: 32,
              0x0fff: 64, 0x2000: 128}
    per_fn = prof.attribute(counts, syms, 0x1000, 0x2000)
    assert per_fn == {"a": 3, "b": 12, "c": 48, prof.OUTSIDE: 192}


@pytest.fixture(scope="module")
def built():
    subprocess.run(["make", "-s", "--no-print-directory", f"O={O}", os.path.relpath(PLUGIN, ROOT),
                    "hyp-arm64"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def profile(*args):
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "profile.py"), "--arch",
                           "arm64", "--image", IMAGE, "--plugin", PLUGIN, "--top", "100000",
                           "--bootargs", "guest=hello", *args],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout
    head, total = proc.stdout.splitlines()[0], int(re.search(r": (\d+) instructions", proc.stdout)[1])
    rows = {m[2]: int(m[1]) for m in map(ROW.fullmatch, proc.stdout.splitlines()[2:]) if m}
    assert sum(rows.values()) == total, head
    return total, rows


def test_markers_and_determinism(built):
    total, rows = profile()
    assert rows.get("vm_start", 0) > 0 and rows.get("hypercall", 0) > 0
    assert "hyp_main" not in rows, "counted before the from marker"
    assert profile()[0] == total, "two runs under -icount differ"
    whole, rows0 = profile("--from", "0")
    assert rows0.get("hyp_main", 0) > 0 and whole > total


def test_unknown_marker_is_named(built):
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "profile.py"), "--arch",
                           "arm64", "--image", IMAGE, "--plugin", PLUGIN, "--from", "no_such_fn"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    assert proc.returncode == 1
    assert proc.stdout.strip() == "profile: no symbol 'no_such_fn' in the hypervisor's ELF"
