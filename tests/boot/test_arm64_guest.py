# SPDX-License-Identifier: MIT
"""The arm64 hypervisor runs the hello guest (guest-images/arm64) at EL1
with demand-paged stage 2: the guest prints through its emulated PL011 and
through the console hypercall, touches 4 MiB of its RAM page by page, gives
16 pages back (HYP_MEM_RELEASE) and finds them zero when they refault (a
missing stage-2 TLB invalidation would show the old data), makes an
unknown hypercall, reads the stage-2 fault count back by HVC and powers
its VM off by PSCI."""
import pytest

from test_arm64_boot import qemu_argv


def expect_line(console, regex, what):
    """A whole console line matching @regex; the match."""
    return console.expect(regex + r"\r*\n", what)


def check_hello(console):
    console.expect_exact("[vm0] hello from guest")
    console.expect_exact("[vm0] hello via hvc")
    m = expect_line(console, r"\[vm0\] touched (\d+) pages: pattern (\w+)",
                    "[vm0] touched N pages: pattern ok")
    pages = int(m.group(1))
    if m.group(2) != "ok" or pages < 1024:
        console.fail(f"the guest touched {pages} pages, pattern {m.group(2)}")
    m = expect_line(console, r"\[vm0\] released (\d+) pages: ([^\r\n]*)",
                    "[vm0] released N pages: zero after refault")
    released = int(m.group(1))
    if m.group(2) != "zero after refault" or released < 1:
        console.fail(f"released pages: {m.group(2)!r}")
    console.expect_exact("[vm0] unknown hvc: -1")
    console.expect_exact("[vm0] yield: 0")
    m = expect_line(console, r"\[vm0\] vcpu (\d+), stage-2 faults: (\d+)",
                    "[vm0] vcpu N, stage-2 faults: N")
    if int(m.group(1)) != 0:
        console.fail(f"HYP_VCPU_ID said {m.group(1)}, expected 0")
    faults = int(m.group(2))
    if faults < pages + released:
        console.fail(f"{faults} stage-2 faults for {pages} pages touched and "
                     f"{released} refaulted: stage 2 was not demand paged")
    m = expect_line(console, r"hyp: vm0: (\d+) pages filled on demand, (\d+) 2 MiB ranges collapsed",
                    "hyp: vm0: N pages filled on demand, N 2 MiB ranges collapsed")
    if int(m.group(1)) < pages or int(m.group(2)) < 1:
        console.fail(f"{m.group(1)} pages filled for {pages} touched, {m.group(2)} ranges "
                     "collapsed: a fully present 2 MiB range must become one block")
    console.expect_exact("hyp: all VMs stopped")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
    out = console.output()
    for bad in ("panic", "stopped:", "guest: unexpected exception"):
        if bad in out:
            console.fail(f"the console shows {bad!r}")


@pytest.mark.parametrize("smp", [1, 2, 4])
def test_hello_guest(hyp_arm64_image, qemu, smp):
    console = qemu(qemu_argv(smp, 512) + ["-kernel", hyp_arm64_image])
    check_hello(console)


def test_fault_guest_stopped(hyp_arm64_image, qemu):
    """A read outside the guest's RAM and UART stops its VM with one line
    naming it, the address and the reason; the hypervisor carries on and
    powers off once no VM is left."""
    console = qemu(qemu_argv(2, 512) + ["-kernel", hyp_arm64_image,
                                        "-append", "guest=fault"])
    console.expect_exact("[vm0] fault guest: reading outside my memory")
    expect_line(console, r"hyp: vm0 stopped: data abort at IPA 0x10000000 "
                r"outside its memory \(PC 0x8[0-9a-f]{7}\)",
                "hyp: vm0 stopped: data abort at IPA 0x10000000 outside its memory")
    console.expect_exact("hyp: all VMs stopped")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
    out = console.output()
    if out.count("stopped:") != 1 or "still running" in out or "panic" in out:
        console.fail("expected exactly one stop line and no guest output after it")


def test_stop_hypercall(hyp_arm64_image, qemu):
    """HYP_VM_STOP ends the VM with one line naming the guest's code and
    never returns to the guest."""
    console = qemu(qemu_argv(1, 512) + ["-kernel", hyp_arm64_image,
                                        "-append", "guest=stop"])
    console.expect_exact("[vm0] stop: asking to stop with code 7")
    console.expect_exact("hyp: vm0 stopped: the guest asked to stop (code 7)")
    console.expect_exact("hyp: all VMs stopped")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
    if "RETURNED" in console.output():
        console.fail("HYP_VM_STOP returned to the guest")


def test_system_reset(hyp_arm64_image, qemu):
    """PSCI SYSTEM_RESET restarts the VM from its image with fresh memory."""
    console = qemu(qemu_argv(1, 512) + ["-kernel", hyp_arm64_image,
                                        "-append", "guest=reset"])
    console.expect_exact("[vm0] reset: first boot, 64 pages written, asking for SYSTEM_RESET")
    console.expect_exact("hyp: vm0: PSCI SYSTEM_RESET")
    console.expect_exact("[vm0] reset: booted again, pages still written: 0")
    console.expect_exact("hyp: vm0: PSCI SYSTEM_OFF")
    console.expect_exact("hyp: all VMs stopped")
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
    out = console.output()
    if "RETURNED" in out or "stopped:" in out:
        console.fail("SYSTEM_RESET returned, or the VM was stopped")


def test_unknown_guest_name(hyp_arm64_image, qemu):
    console = qemu(qemu_argv(1, 512) + ["-kernel", hyp_arm64_image,
                                        "-append", "guest=nope"])
    console.expect_exact('hyp: no built-in guest "nope" '
                         '(there are: hello, fault, smp, memtouch, bench, hostile, stop, reset)')
    console.expect_exact("hyp: power off")
    console.expect_exit(0)
