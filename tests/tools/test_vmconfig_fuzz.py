# SPDX-License-Identifier: MIT
"""tools/vmconfig.py, the build-time config parser, fuzzed in-process: the
shipped configurations, mutated byte by byte, token by token and line by
line with a fixed seed. Every input must end in a table or in one
ConfigError naming the file and line, never in another exception.
FUZZ_CONFIGS sets the count (make test: 3000)."""
import importlib.util
import os
import random

import pytest

from test_vmconfig import guest_names

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ITERATIONS = int(os.environ.get("FUZZ_CONFIGS", "3000"))
TOKENS = [b"vm", b"guest", b"ram_base", b"ram_size", b"cpus", b"vcpus", b"console",
          b"pl011@", b"ns16550@port:", b"0x", b"-", b",", b"all", b"16M", b"4G", b"#",
          b"\n", b" ", b"\xff", b"\x00", b"99999999999999999999", b"0x09000000", b"1-3"]


def load_vmconfig():
    spec = importlib.util.spec_from_file_location("vmconfig", os.path.join(ROOT, "tools",
                                                                          "vmconfig.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def seeds():
    out = []
    for arch in ("arm64",):
        d = os.path.join(ROOT, "guest-images", arch, "configs")
        out += [open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))]
    return out


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(4)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[pos:pos] = rng.choice(TOKENS)
        elif op == 2 and data:
            del data[pos:pos + rng.randint(1, 8)]
        else:
            lines = data.split(b"\n")
            rng.shuffle(lines)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


class Opts:
    def __init__(self, arch, guests):
        self.arch = arch
        self.guests = guests
        self.image_dir = None


def test_vmconfig_fuzz(tmp_path):
    vmconfig = load_vmconfig()
    rng = random.Random(1)
    corpus = seeds()
    path = tmp_path / "default.vm"
    opts = Opts("arm64", guest_names("arm64").split())
    for i in range(ITERATIONS):
        text = mutate(rng, rng.choice(corpus))
        path.write_bytes(text)
        try:
            vms = vmconfig.parse_file(str(path), opts)
            vmconfig.check_config(str(path), vms, opts.arch)
            vmconfig.emit([("default", str(path), vms)])
        except vmconfig.ConfigError as e:
            assert str(e).startswith(f"{path}:"), (i, text, str(e))
        except Exception as e:  # pylint: disable=broad-except
            pytest.fail(f"input {i} {text!r}: {type(e).__name__}: {e}")
