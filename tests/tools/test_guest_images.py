# SPDX-License-Identifier: MIT
"""tools/guest_images.py on the host: the assembly and the C table it
generates from one list of guest names, built with the host compiler and
read back through hyp/guest_images.h; its errors name what is wrong."""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "tools", "guest_images.py")
HOST_CC = os.environ.get("HOST_CC", "gcc")

MAIN_C = r"""
#include <stdio.h>
#include "guest_images.h"

int main(void)
{
	for (u32 i = 0; i < hyp_nr_guest_images; i++)
		printf("%s %ld %d\n", hyp_guest_images[i].name,
		       (long)(hyp_guest_images[i].end - hyp_guest_images[i].start),
		       hyp_guest_images[i].start[0]);
	return 0;
}
"""


def generate(tmp_path, kind, names):
    out = tmp_path / f"gen.{'S' if kind == 'asm' else 'c'}"
    proc = subprocess.run([sys.executable, SCRIPT, "--image-dir", str(tmp_path),
                           f"--{kind}", str(out), *names],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    return proc, out


def images(tmp_path, sizes):
    for i, (name, size) in enumerate(sizes.items()):
        (tmp_path / f"{name}.bin").write_bytes(bytes([i + 1]) * size)


def test_table_in_list_order(tmp_path):
    """The C table lists the guests in the given order, each with its bytes."""
    sizes = {"hello": 100, "smp": 5000, "fault": 1}
    images(tmp_path, sizes)
    for kind in ("asm", "c"):
        proc, _ = generate(tmp_path, kind, list(sizes))
        assert proc.returncode == 0, proc.stderr
    (tmp_path / "main.c").write_text(MAIN_C)
    exe = tmp_path / "table"
    subprocess.run([shutil.which(HOST_CC), "-std=c11", "-Wall", "-Wextra", "-Werror",
                    "-Wmissing-prototypes", "-I", os.path.join(ROOT, "hyp"),
                    "-I", os.path.join(ROOT, "mmu"), "-o", str(exe),
                    str(tmp_path / "main.c"), str(tmp_path / "gen.c"), str(tmp_path / "gen.S")],
                   check=True)
    out = subprocess.run([str(exe)], stdout=subprocess.PIPE, text=True, check=True).stdout
    assert out == "hello 100 1\nsmp 5000 2\nfault 1 3\n"


def test_images_page_aligned(tmp_path):
    images(tmp_path, {"a": 10, "b": 10})
    proc, out = generate(tmp_path, "asm", ["a", "b"])
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert text.count(".balign\t4096") == 2
    assert f'.incbin\t"{tmp_path}/b.bin"' in text


@pytest.mark.parametrize("kind,names,sizes,message", [
    ("asm", ["a", "b"], {"a": 10}, "b.bin is missing or empty"),
    ("asm", ["a", "b"], {"a": 10, "b": 0}, "b.bin is missing or empty"),
    ("c", ["a", "b", "a"], {}, "guest name 'a' is listed twice"),
    ("c", ["Hello"], {}, "guest name 'Hello' is not a C identifier"),
    ("c", ["he-llo"], {}, "guest name 'he-llo' is not a C identifier"),
    ("c", [], {}, "no guest names"),
])
def test_errors(tmp_path, kind, names, sizes, message):
    images(tmp_path, sizes)
    proc, out = generate(tmp_path, kind, names)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and message in proc.stderr, proc.stderr
    assert not out.exists()
