#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Deterministic figures of the hypervisor of ARCH: boot IMAGE on the
platform of tests/boot/platforms.py with its icount arguments (QEMU
-icount shift=0,sleep=off: virtual time advances 1 ns per guest
instruction, all CPUs share one clock and run in turn) and print only
BENCH lines, named ARCH_...:
  guest=bench, 1 CPU: per-operation costs from the guest's counter (ns of
    virtual time = instructions: hypercall round trip, 4 KiB stage-2
    fault, emulated UART register write);
  the platform's irq_bench_guest (if any), 2 CPUs: a virtual timer
    interrupt to the guest's handler and back, a distributor register
    read, an SGI round trip between two vCPUs that wait in WFI;
  guest=memtouch at each of the platform's bench_cpus: the virtual time
    for 8 MiB of RAM faulted in (2048 stage-2 faults) and checked, spread
    over the vCPUs;
  guest=hello at each of the platform's bench_cpus, with BENCH_PLUGIN (the profiler's TCG
    plugin): reset_to_guest, the instructions from reset (from the
    platform's reset_from) to the guest's first instruction, exact;
  with GUEST, the handover test guest (guest-images/common/handover.h)
    handed over at boot (tools/handover.py), 1 CPU: the instructions from
    reset to its first instruction (handover_first_insn: the hypervisor's
    boot, the VM's creation and its entry, QEMU's firmware stub included);
  with GUEST, on a platform with linux_kernel: Debian's kernel and the
    test initramfs (tests/boot/test_linux.py's), 2 vCPUs and 256 MiB,
    handed over, and the same on plain QEMU (-smp 2 -m 256M, no
    hypervisor): the virtual time at the init's marker line (its
    /bin/vtime: CNTVCT_EL0 since reset) in each, and their ratio.
On x86_64 the machine is Bochs, not QEMU (no -icount: its TSC counts the
instructions of the CPU reading it, per CPU, docs/x86_64.md): the bench
guest's figures are net of its own loop, for a port write and a port read,
plus reset_first_insn (the TSC at guest_main(), since the machine's reset,
BIOS and GRUB included) and hyp_entry_first_insn (that less the TSC at the
hypervisor's entry, from its boot line), also at the most CPUs of
bench_cpus (hyp_entry_first_insn_4cpu: the boot CPU's TSC, the others'
start included).
Usage: tools/bench.py ARCH IMAGE [GUEST]   (BENCH_TIMEOUT: seconds a run, default 120)
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "boot"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platforms  # noqa: E402
import handover  # noqa: E402  tools/handover.py

TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "120"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MEM_MIB = 512


class BenchError(Exception):
    pass


def run(platform, image, cpus, bootargs, argv=None):
    """The console of one run to power-off (@argv: this command line instead)."""
    argv = (argv or platform.argv(cpus, MEM_MIB, image, bootargs)) + list(platform.icount)
    what = f"{platform.emulator} -smp {cpus}, {bootargs}"
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as e:
        raise BenchError((e.stdout or b"").decode(errors="replace") +
                         f"\nbench: {what} timed out after {TIMEOUT} s") from None
    out = proc.stdout.decode(errors="replace").replace("\r", "")
    if proc.returncode != platform.exit_status:
        raise BenchError(f"{out}\nbench: {what} exited with {proc.returncode}")
    return out


def need(out, regex, what):
    m = re.search(regex, out, re.M)
    if not m:
        raise BenchError(f"{out}\nbench: no {what} in the console")
    return m


def hyp_entry_first_insn(platform, out, suffix=""):
    """The counter at the guest's start less the hypervisor's at its entry."""
    entry = int(need(out, platform.bench_entry_line, "the hypervisor's entry").group(1))
    first = int(need(out, rf"^\[vm0\] BENCH {platform.bench_prefix}reset_first_insn (\d+)",
                     "reset_first_insn").group(1))
    return f"BENCH {platform.bench_prefix}hyp_entry_first_insn{suffix} {first - entry} insns"


def bench_guest(platform, image):
    out = run(platform, image, 1, "guest=bench")
    names = [platform.bench_prefix + n for n in platform.bench_guest_names()]
    lines = [need(out, rf"^\[vm0\] (BENCH {n} \d+ insns)$", f"BENCH {n}").group(1)
             for n in names]
    if platform.bench_entry_line:
        lines.append(hyp_entry_first_insn(platform, out))
        cpus = max(platform.bench_cpus)
        out = run(platform, image, cpus, "guest=bench")
        lines.append(hyp_entry_first_insn(platform, out, f"_{cpus}cpu"))
    return lines


def irq_guest(platform, image):
    if not platform.irq_bench_guest:
        return []
    out = run(platform, image, 2, f"guest={platform.irq_bench_guest}")
    names = [platform.bench_prefix + n for n in platforms.IRQ_BENCH_NAMES]
    return [need(out, rf"^\[vm0\] (BENCH {n} \d+ insns)$", f"BENCH {n}").group(1)
            for n in names]


def memtouch(platform, image, cpus):
    out = run(platform, image, cpus, "guest=memtouch")
    ns = need(out, r"^\[vm0\] memtouch: virtual time (\d+) ns$", "memtouch: virtual time")
    faults = need(out, r"^\[vm0\] memtouch: 8 MiB ok, stage-2 faults (\d+)$",
                  "memtouch: 8 MiB ok")
    name = f"{platform.bench_prefix}memtouch_%s_{cpus}cpu"
    return [f"BENCH {name % 'time'} {ns.group(1)} ns",
            f"BENCH {name % 'faults'} {faults.group(1)} faults"]


def handover_first_insn(platform, image, guest):
    """The guest's counter at its first instruction, as instructions (1 ns each)."""
    vm = handover.VM("bench", guest, memory=32 << 20)
    try:
        plan = handover.plan(platform, image, [vm], smp=1)
        with tempfile.TemporaryDirectory() as tmp:
            out = run(platform, image, 1, "handover", handover.qemu_argv(plan, tmp))
    except handover.HandoverError as e:
        raise BenchError(e.args[0]) from None
    need(out, r"^\[bench\] handover: ok$", "handover: ok")
    m = need(out, r"^\[bench\] handover: first instruction at count \d+, time (\d+) ns$",
             "handover: first instruction")
    return [f"BENCH {platform.bench_prefix}handover_first_insn {m.group(1)} insns"]


GUEST_ENTRY = 0x80000000   # the built-in guests' first instruction (docs/profiling.md)


def reset_to_guest(platform, image, cpus):
    """Instructions to the built-in hello guest's first one (tools/profile.py, exact)."""
    plugin = os.environ.get("BENCH_PLUGIN")
    if not plugin:
        return []
    argv = [sys.executable, os.path.join(ROOT, "tools", "profile.py"), "--arch", platform.arch,
            "--image", image, "--plugin", plugin, "--bootargs", "guest=hello",
            "--smp", str(cpus), "--from", platform.reset_from, "--to", hex(GUEST_ENTRY),
            "--top", "0"]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=TIMEOUT, check=False)
    m = re.search(r"^PROFILE .*: (\d+) instructions", proc.stdout, re.M)
    if proc.returncode or not m:
        raise BenchError(f"{proc.stdout}\nbench: {' '.join(argv)} failed")
    return [f"BENCH {platform.bench_prefix}reset_to_guest_{cpus}cpu {m.group(1)} insns"]


LINUX_MIB = 256
LINUX_VCPUS = 2
LINUX_BOOTARGS = "console=ttyAMA0 panic=-1"
LINUX_VTIME = r"hyp-linux: virtual time (\d+) ns$"


def fetched(script, *args):
    """A fetch script's last line (a path), or BenchError with its reason."""
    proc = subprocess.run([os.path.join(ROOT, script), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode or not lines:
        raise BenchError(f"bench: {script} failed:\n{proc.stderr[-2000:]}")
    return lines[-1]


def linux_marker(platform, image):
    """Debian's kernel to its init's marker, under the hypervisor and on plain QEMU."""
    if not platform.linux_kernel or not platform.linux_initramfs:
        return []
    debian = os.path.join(ROOT, "build", "debian-arm64")
    kernel = fetched(platform.linux_kernel, debian)
    initrd = fetched(platform.linux_initramfs, debian, "test")
    vm = handover.VM("linux", kernel, initrd=initrd, vcpus=LINUX_VCPUS,
                     memory=LINUX_MIB << 20, bootargs=LINUX_BOOTARGS)
    try:
        plan = handover.plan(platform, image, [vm], smp=LINUX_VCPUS)
        with tempfile.TemporaryDirectory() as tmp:
            out = run(platform, image, LINUX_VCPUS, "linux", handover.qemu_argv(plan, tmp))
    except handover.HandoverError as e:
        raise BenchError(e.args[0]) from None
    hyp = int(need(out, r"^\[linux\] " + LINUX_VTIME, "the init's virtual time").group(1))
    plain_argv = [platform.emulator, "-M", f"virt,{platforms.ARM64_GIC}", "-cpu", "max",
                  "-smp", str(LINUX_VCPUS), "-m", f"{LINUX_MIB}M", "-nographic",
                  "-kernel", kernel, "-initrd", initrd, "-append", LINUX_BOOTARGS]
    out = run(platform, image, LINUX_VCPUS, "plain QEMU", plain_argv)
    plain = int(need(out, "^" + LINUX_VTIME, "the init's virtual time on plain QEMU").group(1))
    name = f"{platform.bench_prefix}linux_to_init"
    return [f"BENCH {name}_hyp {hyp} insns", f"BENCH {name}_plain {plain} insns",
            f"BENCH {name}_ratio {hyp / plain:.3f} x"]


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    arch, image, guest = argv + [None] * (3 - len(argv))
    try:
        platform = platforms.current(arch)
        if not os.path.isfile(image):
            raise BenchError(f"bench: {image} is missing (make {platform.make_target})")
        print("\n".join(bench_guest(platform, image)), flush=True)
        print("\n".join(irq_guest(platform, image)), flush=True)
        for cpus in platform.bench_cpus:
            print("\n".join(memtouch(platform, image, cpus)), flush=True)
        for cpus in platform.bench_cpus:
            print("\n".join(reset_to_guest(platform, image, cpus)), flush=True)
        if guest:
            print("\n".join(handover_first_insn(platform, image, guest)), flush=True)
            print("\n".join(linux_marker(platform, image)), flush=True)
    except (BenchError, KeyError) as e:
        print(e.args[0], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
