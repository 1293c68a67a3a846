# SPDX-License-Identifier: MIT
"""The hypervisor runs the hello guest (guest-images/common/hello.c) with
demand-paged stage 2: the guest prints through its emulated UART and
through the console hypercall, touches 4 MiB of its RAM page by page,
gives 16 pages back (HYP_MEM_RELEASE) and finds them zero when they
refault (a missing stage-2 TLB invalidation would show the old data),
prints the boot information its arch hands over (x86: the multiboot
information in EBX: the memory map of its RAM and its command line, the
guest's name), makes an unknown hypercall, reads the stage-2 fault count back and powers
its VM off. Then the fault, stop and reset guests, and an unknown one."""
import pytest


def check_hello(console, platform):
    console.expect_exact("[vm0] hello from guest")
    console.expect_exact("[vm0] hello via hvc")
    if platform.boot_info_line:
        console.expect_line(r"\[vm0\] " + platform.boot_info_line.format(cmdline="hello"),
                            "[vm0] the boot information line")
    m = console.expect_line(r"\[vm0\] touched (\d+) pages: pattern (\w+)",
                            "[vm0] touched N pages: pattern ok")
    pages = int(m.group(1))
    if m.group(2) != "ok" or pages < 1024:
        console.fail(f"the guest touched {pages} pages, pattern {m.group(2)}")
    m = console.expect_line(r"\[vm0\] released (\d+) pages: ([^\r\n]*)",
                            "[vm0] released N pages: zero after refault")
    released = int(m.group(1))
    if m.group(2) != "zero after refault" or released < 1:
        console.fail(f"released pages: {m.group(2)!r}")
    console.expect_exact("[vm0] unknown hvc: -1")
    console.expect_exact("[vm0] yield: 0")
    m = console.expect_line(r"\[vm0\] vcpu (\d+), stage-2 faults: (\d+)",
                            "[vm0] vcpu N, stage-2 faults: N")
    if int(m.group(1)) != 0:
        console.fail(f"HYP_VCPU_ID said {m.group(1)}, expected 0")
    faults = int(m.group(2))
    if faults < pages + released:
        console.fail(f"{faults} stage-2 faults for {pages} pages touched and "
                     f"{released} refaulted: stage 2 was not demand paged")
    m = console.expect_line(r"hyp: vm0: (\d+) pages filled on demand, (\d+) 2 MiB ranges collapsed",
                            "hyp: vm0: N pages filled on demand, N 2 MiB ranges collapsed")
    if int(m.group(1)) < pages or int(m.group(2)) < 1:
        console.fail(f"{m.group(1)} pages filled for {pages} touched, {m.group(2)} ranges "
                     "collapsed: a fully present 2 MiB range must become one block")
    console.expect_power_off()
    console.refuse("panic", "stopped:", "guest: unexpected exception")
    if platform.tlb_line:  # the release's invalidation ran (Bochs also flushes on each entry)
        console.expect_in_order(console.lines("hyp: "), [platform.tlb_line])


@pytest.mark.parametrize("smp", [1, pytest.param(2, marks=pytest.mark.needs("smp")),
                                 pytest.param(4, marks=pytest.mark.needs("smp"))])
def test_hello_guest(platform, boot, smp):
    check_hello(boot(smp), platform)


def test_fault_guest_aborted(platform, boot):
    """A read where the guest has neither RAM nor a device gets the
    exception a real machine gives (one line of the hypervisor's): the
    guest's handler reports it and powers the VM off (arm64), or the VM is
    stopped with one line (riscv64 outside its device window); the
    hypervisor carries on and powers off once no VM is left."""
    console = boot(2 if platform.smp else 1, "guest=fault")
    console.expect_exact("[vm0] fault guest: reading outside my memory")
    console.expect_power_off()
    console.expect_in_order(console.lines("[vm0] ", "hyp: vm0"), platform.fault_lines)
    out = console.output()
    stops = any("stopped" in line for line in platform.fault_lines)
    if (not stops and "stopped:" in out) or "still running" in out or "panic" in out:
        console.fail("expected no guest output after the fault, and a stop line only where "
                     "the platform stops the VM instead")


def test_stop_hypercall(boot):
    """HYP_VM_STOP ends the VM with one line naming the guest's code and
    never returns to the guest."""
    console = boot(1, "guest=stop")
    console.expect_exact("[vm0] stop: asking to stop with code 7")
    console.expect_exact("hyp: vm0 stopped: the guest asked to stop (code 7)")
    console.expect_power_off()
    if "RETURNED" in console.output():
        console.fail("HYP_VM_STOP returned to the guest")


def test_system_reset(platform, boot):
    """A system reset restarts the VM from its image with fresh memory, its
    CPU state (arm64: EL1/EL0 registers, FP/SIMD; riscv64: VS-mode CSRs, FP, a
    pending software interrupt; x86_64: x87/SSE registers, MXCSR, XCR0) and
    its UART's registers at their reset values at both boots, though the
    first run wrote them all."""
    console = boot(1, "guest=reset")
    console.expect_exact("[vm0] reset: first boot, state not at its reset values: 0")
    console.expect_exact("[vm0] reset: first boot, 64 pages written, asking for SYSTEM_RESET")
    console.expect_exact(f"hyp: vm0: {platform.vm_reset}")
    console.expect_exact("[vm0] reset: booted again, state not at its reset values: 0")
    console.expect_exact("[vm0] reset: booted again, pages still written: 0")
    console.expect_exact(f"hyp: vm0: {platform.vm_off}")
    console.expect_power_off()
    out = console.output()
    if "RETURNED" in out or "stopped:" in out:
        console.fail("SYSTEM_RESET returned, or the VM was stopped")


@pytest.mark.needs("smp")
def test_system_reset_smp2(platform, boot):
    """The same on two vCPUs: vCPU 1, started after the reset, finds its
    state at its reset values too (riscv64: no IPI that vCPU 0 sent it while
    it was off before the reset)."""
    console = boot(2, "guest=reset")
    console.expect_exact("[vm0] reset: first boot, state not at its reset values: 0")
    console.expect_exact(f"hyp: vm0: {platform.vm_reset}")
    console.expect_exact("[vm0] reset: booted again, state not at its reset values: 0")
    console.expect_exact("[vm0] reset: vCPU 1 after the reset: state at its reset values")
    console.expect_exact("[vm0] reset: booted again, pages still written: 0")
    console.expect_exact(f"hyp: vm0: {platform.vm_off}")
    console.expect_power_off()


def test_unknown_guest_name(platform, boot):
    console = boot(1, "guest=nope")
    console.expect_exact(f'hyp: no built-in guest "nope" (there are: {platform.guests})')
    console.expect_exact("hyp: power off")
    console.expect_exit()
