#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot the x86-64 hypervisor in Bochs (VT-x with EPT; QEMU's TCG has none).

Writes, under --out, an ISO whose GRUB entry passes --cmdline to the
hypervisor and loads each --module FILE[:WORDS] with `module2 FILE WORDS`
(a VM, "vm mem=16M console -- bootargs": docs/guests.md; grub-mkrescue), a bochsrc (term display, port 0xE9 on stdout,
COM1 to a file) and the debugger rc file holding "c", then runs Bochs, or
with --print-argv only prints its command line. Bochs exits with status 1
after the hypervisor's ACPI S5 power-off ("ACPI control: soft power off"),
or after "Shutdown" written to port 0x8900 (its fallback).
"""
import argparse
import os
import shutil
import subprocess
import sys

BOCHS_DIR = "/usr/share/bochs"
BOCHS_HOST_MEM_MAX = 2048  # MiB Bochs 2.7 allocates at most; more guest RAM is paged
GRUB_CFG = """set timeout=0
set default=0
menuentry "hypervisor" {{
	multiboot2 /boot/hyp.elf {cmdline}
{modules}	boot
}}
"""
GRUB_SPECIAL = set("$;&|<>{}'\"\\#")  # GRUB script syntax: refused in module words
BOCHSRC = """memory: guest={mem}, host={host_mem}
cpu: model=corei7_skylake_x, count={smp}, ips=50000000
romimage: file={bochs}/BIOS-bochs-latest
vgaromimage: file={bochs}/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
display_library: term
port_e9_hack: enabled=1
com1: enabled=1, mode=file, dev={com1}
log: {log}
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
clock: sync=none, time0=local
"""


def module_lines(root, modules):
    """Copy each (file, words) of @modules into the ISO tree: its module2 lines."""
    lines = ""
    os.makedirs(os.path.join(root, "boot", "mods"), exist_ok=True)
    for i, (path, words) in enumerate(modules):
        bad = GRUB_SPECIAL & set(words)
        if bad:
            raise ValueError(f"module {path}: {''.join(sorted(bad))} in {words!r} is GRUB syntax")
        name = f"{i}-{os.path.basename(path)}"
        shutil.copy(path, os.path.join(root, "boot", "mods", name))
        lines += f"\tmodule2 /boot/mods/{name} {words}\n"
    return lines


def make_iso(elf, out, cmdline, modules=()):
    root = os.path.join(out, "iso")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "boot", "grub"))
    shutil.copy(elf, os.path.join(root, "boot", "hyp.elf"))
    mods = module_lines(root, modules)
    with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(GRUB_CFG.format(cmdline=cmdline, modules=mods))
    iso = os.path.join(out, "hyp.iso")
    proc = subprocess.run(["grub-mkrescue", "-o", iso, root], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"grub-mkrescue -o {iso} {root} failed ({proc.returncode}), "
                           f"'=' in a path is xorriso's own syntax:\n{proc.stdout}")
    return iso


def bochs_argv(elf, out, cmdline="", smp=1, mem=128, modules=()):
    """Prepare the ISO (with @modules: (file, words) pairs), bochsrc and rc
    file under @out; Bochs's argv."""
    os.makedirs(out, exist_ok=True)
    iso = make_iso(elf, out, cmdline, modules)
    rc = os.path.join(out, "bochs.rc")
    with open(rc, "w") as f:
        f.write("c\n")
    conf = os.path.join(out, "bochsrc")
    with open(conf, "w") as f:
        f.write(BOCHSRC.format(mem=mem, host_mem=min(mem, BOCHS_HOST_MEM_MAX), smp=smp, bochs=BOCHS_DIR, iso=os.path.abspath(iso),
                               com1=os.path.join(out, "com1.txt"),
                               log=os.path.join(out, "bochs.log")))
    return ["bochs", "-q", "-f", conf, "-rc", rc]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--elf", required=True, help="the hypervisor (hyp.elf)")
    ap.add_argument("--out", required=True, help="a directory for the ISO and Bochs files")
    ap.add_argument("--cmdline", default="")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--mem", type=int, default=128, help="MiB")
    ap.add_argument("--module", action="append", default=[], metavar="FILE[:WORDS]",
                    help="a GRUB module2 line: FILE and its words (a VM: docs/guests.md)")
    ap.add_argument("--print-argv", action="store_true")
    args = ap.parse_args()
    modules = [tuple(m.split(":", 1)) if ":" in m else (m, "") for m in args.module]
    argv = bochs_argv(args.elf, args.out, args.cmdline, args.smp, args.mem, modules)
    if args.print_argv:
        print(" ".join(argv))
        return 0
    with open(os.devnull) as null:
        return subprocess.call(argv, stdin=null)


if __name__ == "__main__":
    sys.exit(main())
