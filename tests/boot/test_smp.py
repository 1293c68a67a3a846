# SPDX-License-Identifier: MIT
"""SMP guests: one vCPU per physical CPU, each pinned to its CPU (vCPU i
on CPU i), started and stopped by the guest (PSCI CPU_ON / CPU_OFF on
arm64), counted and watched (AFFINITY_INFO), then the VM powered off.
"smp" meets at a barrier in guest RAM; "memtouch" faults 8 MiB in from
every vCPU at once through the lock-free stage-2 path. Each step has the
console's timeout; a failure prints the console."""
import re

import pytest


MEMTOUCH_PAGES = 8 * 1024 * 1024 // 4096


def check_clean_end(console, platform, vm_off=True):
    if vm_off:
        console.expect_exact(f"hyp: vm0: {platform.vm_off}")
    console.expect_power_off()
    console.refuse("panic", "stopped:", "unexpected exception", "FAILED", "WRONG",
                   "MISMATCH", "CPU_OFF returned")


def check_smp(console, platform, vcpus):
    console.expect_exact("image ")
    console.expect_line(rf"[^\n]*, {vcpus} vcpus, stage 2 empty", f"{vcpus} vcpus")
    met = []
    for _ in range(vcpus):
        m = console.expect_line(r"\[vm0\] vcpu (\d+) at barrier", "[vm0] vcpu N at barrier")
        met.append(int(m.group(1)))
    if sorted(met) != list(range(vcpus)):
        console.fail(f"vcpus at the barrier: {met}, expected 0..{vcpus - 1}")
    console.expect_exact(f"[vm0] smp: all {vcpus} vcpus met")
    check_clean_end(console, platform)


@pytest.mark.needs("smp")
@pytest.mark.parametrize("smp", [1, 4])
def test_smp_guest(platform, boot, smp):
    console = boot(smp, "guest=smp")
    check_smp(console, platform, smp)
    if platform.power_refused and not re.search(platform.power_refused, console.output()):
        console.fail("the guest's power-on of a vCPU it does not have was not logged as refused")


@pytest.mark.needs("smp")
@pytest.mark.needs("mp_table")
def test_smp_guest_mp_table(platform, boot):
    """With ACPI off, the CPUs come from the firmware's MP table: all 4
    run the smp guest, and the machine goes off through the emulator's port
    (its own exit banner, not ACPI's)."""
    mp = platform.mp_table
    console = boot(4, f"{mp.bootargs} guest=smp")
    console.exit_banner = mp.exit_banner
    for line in mp.lines:
        console.expect_line(line.format(cpus=4), line)
    check_smp(console, platform, 4)


@pytest.mark.needs("smp")
def test_smp_guest_vcpus_arg(platform, boot):
    """vcpus=N gives the VM fewer vCPUs than there are CPUs."""
    check_smp(boot(4, "guest=smp vcpus=2"), platform, 2)


@pytest.mark.parametrize("smp,mem_mib", [(1, 512), pytest.param(4, 512, marks=pytest.mark.needs("smp")),
                                         pytest.param(8, 4096, marks=pytest.mark.needs("smp"))])
def test_memtouch_guest(platform, boot, smp, mem_mib):
    console = boot(smp, "guest=memtouch", mem_mib)
    console.expect_exact(f"[vm0] memtouch: vcpus {smp}")
    console.expect_line(r"\[vm0\] memtouch: virtual time \d+ ns", "memtouch: virtual time")
    m = console.expect_line(r"\[vm0\] memtouch: (\d+) MiB ok, stage-2 faults (\d+)",
                            "[vm0] memtouch: 8 MiB ok, stage-2 faults F")
    faults = int(m.group(2))
    if int(m.group(1)) != 8 or faults < MEMTOUCH_PAGES:
        console.fail(f"{m.group(1)} MiB, {faults} faults for {MEMTOUCH_PAGES} pages touched")
    console.expect_exact(f"hyp: vm0: {platform.vm_off}")
    m = console.expect_line(r"hyp: vm0: (\d+) pages filled on demand, (\d+) 2 MiB ranges collapsed",
                            "hyp: vm0: N pages filled on demand, M 2 MiB ranges collapsed")
    if int(m.group(1)) < MEMTOUCH_PAGES or int(m.group(2)) < 1:
        console.fail(f"{m.group(1)} pages filled, {m.group(2)} ranges collapsed: "
                     f"expected >= {MEMTOUCH_PAGES} and >= 1")
    check_clean_end(console, platform, vm_off=False)


def test_bench_guest(platform, boot):
    """The bench guest runs to the end without icount too (figures vary)."""
    console = boot(1, "guest=bench")
    for name in platform.bench_guest_names():
        name = platform.bench_prefix + name
        console.expect_line(rf"\[vm0\] BENCH {name} \d+ insns", f"BENCH {name}")
    m = console.expect_line(r"\[vm0\] bench: done, stage-2 faults (\d+)", "bench: done")
    if int(m.group(1)) < 1000:
        console.fail(f"{m.group(1)} stage-2 faults for 1000 fresh pages")
    check_clean_end(console, platform)
