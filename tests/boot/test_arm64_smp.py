# SPDX-License-Identifier: MIT
"""SMP guests on the arm64 hypervisor: one vCPU per physical CPU, each
pinned to its CPU (vCPU i on CPU i), started and stopped by the guest with
PSCI CPU_ON / CPU_OFF over HVC, AFFINITY_INFO to count and watch them,
SYSTEM_OFF to end the VM. "smp" meets at a barrier in guest RAM; "memtouch"
faults 8 MiB in from every vCPU at once through the lock-free stage-2
path. Each step has the console fixture's timeout; a failure prints the
console."""
import pytest

from test_arm64_boot import qemu_argv
from test_arm64_guest import expect_line

MEMTOUCH_PAGES = 8 * 1024 * 1024 // 4096


def start(qemu, image, smp, args, mem_mib=512):
    return qemu(qemu_argv(smp, mem_mib) + ["-kernel", image, "-append", args])


def check_clean_end(console, system_off=True):
    if system_off:
        console.expect_exact("hyp: vm0: PSCI SYSTEM_OFF")
    console.expect_exact("hyp: all VMs stopped")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
    out = console.output()
    for bad in ("panic", "stopped:", "unexpected exception", "FAILED", "WRONG",
                "MISMATCH", "CPU_OFF returned"):
        if bad in out:
            console.fail(f"the console shows {bad!r}")


def check_smp(console, vcpus):
    console.expect_exact("image ")
    expect_line(console, rf"[^\n]*, {vcpus} vcpus, stage 2 empty", f"{vcpus} vcpus")
    met = []
    for _ in range(vcpus):
        m = expect_line(console, r"\[vm0\] vcpu (\d+) at barrier", "[vm0] vcpu N at barrier")
        met.append(int(m.group(1)))
    if sorted(met) != list(range(vcpus)):
        console.fail(f"vcpus at the barrier: {met}, expected 0..{vcpus - 1}")
    console.expect_exact(f"[vm0] smp: all {vcpus} vcpus met")
    check_clean_end(console)


@pytest.mark.parametrize("smp", [1, 4])
def test_smp_guest(hyp_arm64_image, qemu, smp):
    check_smp(start(qemu, hyp_arm64_image, smp, "guest=smp"), smp)


def test_smp_guest_vcpus_arg(hyp_arm64_image, qemu):
    """vcpus=N gives the VM fewer vCPUs than there are CPUs."""
    check_smp(start(qemu, hyp_arm64_image, 4, "guest=smp vcpus=2"), 2)


@pytest.mark.parametrize("smp,mem_mib", [(1, 512), (4, 512), (8, 4096)])
def test_memtouch_guest(hyp_arm64_image, qemu, smp, mem_mib):
    console = start(qemu, hyp_arm64_image, smp, "guest=memtouch", mem_mib)
    console.expect_exact(f"[vm0] memtouch: vcpus {smp}")
    expect_line(console, r"\[vm0\] memtouch: virtual time \d+ ns", "memtouch: virtual time")
    m = expect_line(console, r"\[vm0\] memtouch: (\d+) MiB ok, stage-2 faults (\d+)",
                    "[vm0] memtouch: 8 MiB ok, stage-2 faults F")
    faults = int(m.group(2))
    if int(m.group(1)) != 8 or faults < MEMTOUCH_PAGES:
        console.fail(f"{m.group(1)} MiB, {faults} faults for {MEMTOUCH_PAGES} pages touched")
    console.expect_exact("hyp: vm0: PSCI SYSTEM_OFF")
    m = expect_line(console, r"hyp: vm0: (\d+) pages filled on demand, (\d+) 2 MiB ranges collapsed",
                    "hyp: vm0: N pages filled on demand, M 2 MiB ranges collapsed")
    if int(m.group(1)) < MEMTOUCH_PAGES or int(m.group(2)) < 1:
        console.fail(f"{m.group(1)} pages filled, {m.group(2)} ranges collapsed: "
                     f"expected >= {MEMTOUCH_PAGES} and >= 1")
    check_clean_end(console, system_off=False)


def test_bench_guest(hyp_arm64_image, qemu):
    """The bench guest runs to the end without icount too (figures vary)."""
    console = start(qemu, hyp_arm64_image, 1, "guest=bench")
    for name in ("arm64_hvc_round_trip", "arm64_s2_fault_4k", "arm64_mmio_write"):
        expect_line(console, rf"\[vm0\] BENCH {name} \d+ insns", f"BENCH {name}")
    m = expect_line(console, r"\[vm0\] bench: done, stage-2 faults (\d+)", "bench: done")
    if int(m.group(1)) < 1000:
        console.fail(f"{m.group(1)} stage-2 faults for 1000 fresh pages")
    check_clean_end(console)
