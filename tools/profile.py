#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Where the hypervisor's instructions go: boot IMAGE on the platform of
tests/boot/platforms.py under QEMU -icount with the project's TCG plugin
(tools/qemu-plugin/insn_profile.c), count the instructions executed at each
PC between two markers, and print them per hypervisor function (the ELF's
symbols), most first.

Markers are hypervisor symbols (or hex addresses): counting starts the
first time any CPU executes FROM and stops the first time one executes TO.
PCs outside the hypervisor's image (guests, firmware) are one line,
"(outside the hypervisor)". A guest whose code runs at addresses inside the
hypervisor's link range would be counted as hypervisor code: the built-in
guests run at 0x80000000 (arm64) and 0x80000000-0x801fffff (riscv64).
docs/profiling.md says how to read the table.

Usage: tools/profile.py --arch ARCH --image IMAGE --plugin SO
         [--bootargs 'guest=bench'] [--smp N] [--from SYM] [--to SYM] [--top N]
         [--annotate FUNC]
"""
import argparse
import bisect
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "boot"))
import platforms  # noqa: E402

NM = {"arm64": "aarch64-linux-gnu-nm", "riscv64": "riscv64-linux-gnu-nm"}
OBJDUMP = {"arm64": "aarch64-linux-gnu-objdump", "riscv64": "riscv64-linux-gnu-objdump"}
MEM_MIB = 512
TIMEOUT = int(os.environ.get("PROFILE_TIMEOUT", "300"))
OUTSIDE = "(outside the hypervisor)"


class ProfileError(Exception):
    pass


def symbols(arch, elf):
    """Sorted (address, name) of the ELF's text symbols, and its [start, end)."""
    out = subprocess.run([NM[arch], "-n", "--defined-only", elf], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    syms, start, end = [], None, None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name == "_start":
            start = addr
        elif name == "_end":
            end = addr
        if kind in "tTwW":
            syms.append((addr, name))
    if start is None or end is None:
        raise ProfileError(f"{elf}: no _start or _end symbol")
    return syms, start, end


def marker(value, syms):
    """A symbol's address, or an address given in hex."""
    for addr, name in syms:
        if name == value:
            return addr
    try:
        return int(value, 16)
    except ValueError:
        raise ProfileError(f"no symbol '{value}' in the hypervisor's ELF") from None


def read_counts(path):
    """{pc: count} and the total the plugin wrote."""
    counts, total = {}, None
    with open(path) as f:
        for line in f:
            a, b = line.split()
            if a == "total":
                total = int(b)
            else:
                counts[int(a, 16)] = int(b)
    if total is None:
        raise ProfileError(f"{path}: the plugin did not finish its profile")
    return counts, total


def attribute(counts, syms, start, end):
    """{function: instructions}: each PC to the nearest symbol at or below it."""
    addrs = [a for a, _ in syms]
    per_fn = {}
    for pc, n in counts.items():
        if not start <= pc < end:
            name = OUTSIDE
        else:
            i = bisect.bisect_right(addrs, pc) - 1
            name = syms[i][1] if i >= 0 else OUTSIDE
        per_fn[name] = per_fn.get(name, 0) + n
    return per_fn


def run(args, plugin_args):
    platform = platforms.PLATFORMS[args.arch]
    argv = platform.argv(args.smp, MEM_MIB, args.image, args.bootargs) + list(platform.icount)
    argv += ["-plugin", plugin_args]
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=TIMEOUT, check=False)
    if proc.returncode != platform.exit_status:
        out = proc.stdout.decode(errors="replace")
        raise ProfileError(f"{out}\nprofile: {' '.join(argv)} exited with {proc.returncode}")


def annotate(arch, elf, name, syms, counts):
    """@name's disassembly, each instruction with how often it ran."""
    addrs = [a for a, _ in syms]
    for i, (addr, sym) in enumerate(syms):
        if sym == name:
            end = addrs[i + 1] if i + 1 < len(addrs) else addr + 4096
            break
    else:
        raise ProfileError(f"no symbol '{name}' in the hypervisor's ELF")
    out = subprocess.run([OBJDUMP[arch], "-d", "--no-show-raw-insn", f"--start-address={addr:#x}",
                          f"--stop-address={end:#x}", elf], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    lines = []
    for line in out.splitlines():
        head = line.split(":", 1)[0].strip()
        try:
            pc = int(head, 16)
        except ValueError:
            continue
        lines.append(f"{counts.get(pc, 0):>12}  {line.strip()}")
    return "\n".join(lines)


def table(per_fn, total, top):
    lines = [f"{'insns':>12} {'%':>6}  function"]
    for name, n in sorted(per_fn.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        lines.append(f"{n:>12} {100.0 * n / total:>6.2f}  {name}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True, choices=sorted(NM))
    ap.add_argument("--image", required=True, help="the hypervisor image QEMU boots (hyp.bin)")
    ap.add_argument("--elf", help="its ELF, for the symbols (default: IMAGE with .elf)")
    ap.add_argument("--plugin", required=True, help="the built insn_profile.so")
    ap.add_argument("--bootargs", default="guest=bench")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--from", dest="start", default="vm_start",
                    help="symbol or hex address where counting starts (0: at reset)")
    ap.add_argument("--to", dest="stop", default="arch_power_off",
                    help="symbol or hex address where counting stops")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--annotate", metavar="FUNC", help="also print FUNC's instructions with their counts")
    args = ap.parse_args()
    elf = args.elf or os.path.splitext(args.image)[0] + ".elf"
    try:
        syms, start, end = symbols(args.arch, elf)
        first = 0 if args.start == "0" else marker(args.start, syms)
        last = marker(args.stop, syms)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "profile.txt")
            run(args, f"{os.path.abspath(args.plugin)},out={out},from={first:#x},to={last:#x}")
            counts, total = read_counts(out)
    except (ProfileError, subprocess.SubprocessError, OSError) as e:
        print(f"profile: {e}", file=sys.stderr)
        return 1
    if not total:
        print(f"profile: nothing executed between {args.start} and {args.stop}", file=sys.stderr)
        return 1
    per_fn = attribute(counts, syms, start, end)
    print(f"PROFILE {args.arch} {args.bootargs!r} -smp {args.smp}, from {args.start} to "
          f"{args.stop}: {total} instructions, {total - per_fn.get(OUTSIDE, 0)} in the hypervisor")
    print(table(per_fn, total, args.top))
    if args.annotate:
        try:
            print(f"\n{args.annotate}:\n" + annotate(args.arch, elf, args.annotate, syms, counts))
        except (ProfileError, subprocess.SubprocessError, OSError) as e:
            print(f"profile: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
