# SPDX-License-Identifier: MIT
"""The machines the boot tests (tests/boot) and the bench (tools/bench.py)
run the hypervisor on: one row per arch, picked by the environment
variable ARCH (default arm64) or, for the bench, its first argument.

Only an arch with a bootable image has a row, so no test is ever collected
(or skipped) for the others; tests/tests.mk runs the boot suite once for
each arch that has both boot/<arch>/hyp.mk and a row here (ARCH=<arch>
picks that one only), and the tests fail at once if ARCH names an arch
without a row.

To add a row (riscv64, say), once `make hyp-riscv64` builds an image:
  1. Add Platform(arch="riscv64", ...) to PLATFORMS: the emulator and its
     Debian package, the cross tools, the machine arguments, how the image
     and the bootargs are passed (image_args), the make target and image
     path, and the console markers of that arch (level, vm_off, ...).
  2. An optional feature left None (loader, handover, boot_modules,
     lower_level, hostile_lines) deselects the tests marked @pytest.mark.needs("FIELD")
     (pytest says "N deselected"): nothing is skipped.
  3. `make test ARCH=riscv64` then runs every boot test on it, and
     boot/riscv64/bench.mk runs `tools/bench.py riscv64 IMAGE`.

An emulator that is not started QEMU's way (Bochs for x86_64: a config
file, an ISO per command line) gives start(), which Platform.argv() then
calls instead. A platform whose hypervisor starts the boot CPU only sets
smp None: the tests on more CPUs are deselected.
"""
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from typing import Callable, Optional, Tuple


@dataclass(frozen=True)
class Loader:
    """Booting through firmware from a disk image instead of directly."""
    firmware: str               # -bios
    package: str                # the firmware's Debian package
    tools: dict                 # tool -> Debian package, for mkdisk
    mkdisk: str                 # tools/ script: mkdisk IMAGE DISK
    args: Callable[[str], list]  # disk path -> emulator arguments
    marker: str                 # the loader's last line before the image runs


@dataclass(frozen=True)
class PagingModes:
    """The paging modes the hypervisor picks at boot (riscv64: the most
    the harts have, bounded by their /cpus/cpu@N property): the line on the
    row's machine, and the line when the emulator's own device tree, dumped
    and edited with fdtput, bounds every hart lower (tests/boot/test_cpu_features.py)."""
    line: str                   # the boot line on the row's machine
    bound: Tuple[str, str]      # (property, value) put into each /cpus/cpu@N
    bound_line: str             # the boot line then


@dataclass(frozen=True)
class CpuVariant:
    """The row's machine with a CPU that lacks a feature, and the boot line
    saying how the hypervisor does without it."""
    machine: tuple              # replaces Platform.machine
    line: str


@dataclass(frozen=True)
class LowerLevel:
    """A machine without the virtualization extension: an error, a halt."""
    machine: tuple              # replaces Platform.machine
    error: str                  # the console line


@dataclass(frozen=True)
class Handover:
    """Guests handed over at boot (tools/handover.py, docs/guests.md): where
    the emulator and the loader put things in host RAM, and the test guest."""
    hyp_offset: int             # the hypervisor, from ram_base, when the emulator loads it
    dtb_offset: Optional[int]   # where the emulator puts its device tree (None: see dtb_top)
    dtb_room: int               # kept free for that tree (it grows a little)
    uboot_hyp_offset: int       # the hypervisor, from ram_base, when the loader's script loads it
    uboot_room: int             # host RAM the loader keeps for itself at the top
    guest_ram_base: int         # a VM's RAM, guest-physical, by default
    guest_target: str           # make target of the test guest (guest-images/common/handover.h)
    guest_elf: str              # below $O
    guest_image: str            # below $O: the same guest with the arch's Linux Image header
    guest_text_offset: int      # where in its RAM the Image runs (its header's text_offset)
    guest_uart: int             # a VM's emulated UART, guest-physical, by default
    # Else the tree is in the last dtb_room of RAM, but below this address.
    dtb_top: Optional[int] = None


@dataclass(frozen=True)
class BootModules:
    """Guests handed over as boot modules named by their own words (GRUB
    module2 lines, hyp/boot_modules.c, docs/guests.md): built guests to hand
    over, below $O, made by make_target."""
    make_target: str
    elf: str                    # a guest as an ELF (hello)
    raw: str                    # another as a raw binary (memtouch)
    raw_load: int               # where the raw one is linked to run


@dataclass(frozen=True)
class MpTable:
    """The CPUs from the firmware's MP table instead of ACPI (x86: acpi=off
    on the hypervisor's command line), and the machine powered off through
    the emulator's port then (tests/boot/test_smp.py)."""
    bootargs: str               # what turns ACPI off
    lines: Tuple[str, ...]      # regexes with {cpus}: the boot lines saying so, in order
    exit_banner: str            # the emulator's words for that power-off


@dataclass(frozen=True)
class Platform:
    arch: str
    emulator: str
    emulator_package: str
    tools: dict                 # build tool -> Debian package
    machine: tuple              # emulator arguments before -smp
    image_args: Callable[[str, Optional[str]], list]  # (image, bootargs)
    make_target: str
    image: str                  # below $O
    ram_base: int               # where the machine's RAM starts
    exit_status: int            # the emulator's status after "hyp: power off"
    # Console markers.
    level: str                  # "hyp: LEVEL boot, N cpus, ..."
    vm_off: str                 # "hyp: vm0: VM_OFF": the guest powered its VM off
    vm_reset: str               # "hyp: vm0: VM_RESET"
    guests: str                 # the built-in guests, as the hypervisor lists them
    configs: str                # the VM configurations, likewise
    two_vm_ram: str             # "hyp: vm0: RAM ..." of config=two
    fault_lines: Tuple[str, ...]  # regexes: the fault guest's end, in order
    bench_prefix: str           # of the bench guest's BENCH names
    hostile_lines: Optional[tuple] = None  # regexes: the hostile guest's vm0 lines
    hostile_injected: int = 1   # how many faults the hostile guest gets injected
    hostile_hyp_lines_max: Optional[int] = None  # lines "hyp: vm0..." at most: storms stay quiet
    power_refused: Optional[str] = None  # regex: the line for a refused power-on (smp guest)
    storm_lines: Optional[tuple] = None  # regexes: the storm guest's vm0 lines, in order
    irqstorm_lines: Optional[tuple] = None  # regexes: the interrupt storm guest's, in order
    sbi_conformance: Optional[str] = None  # the SBI conformance guest (tests/boot/test_sbi.py)
    # The guest checking the registers a trap entry leaves unsaved (tests/boot/test_sregs.py).
    sregs_guest: Optional[str] = None
    linux_kernel: Optional[str] = None  # the script fetching an unmodified Debian kernel Image
    linux_initramfs: Optional[str] = None  # the script building a busybox initramfs for it
    irq_lines: Optional[dict] = None  # -smp N -> the interrupt guest's exact vm0 lines
    irq_bench_guest: Optional[str] = None  # the guest printing IRQ_BENCH_NAMES
    loader: Optional[Loader] = None
    handover: Optional[Handover] = None
    boot_modules: Optional[BootModules] = None
    # What the emulator prints once the machine is off, required after every
    # power-off where set (it says how the machine was turned off): a crash
    # after it is in the emulator's own teardown, never the hypervisor's doing
    # (Bochs 2.7 was seen to segfault there once, at -smp 4, after a clean
    # power-off).
    exit_banner: Optional[str] = None
    # Regex: a line after "hyp: power off" counting the TLB invalidations the
    # hello guest caused, where the emulator flushes its TLB on every guest
    # entry anyway (Bochs), so a missing one could not show in the guest.
    tlb_line: Optional[str] = None
    lower_level: Optional[LowerLevel] = None
    paging_modes: Optional[PagingModes] = None
    # The guest's timer without the CPU's guest timer compare (riscv64: Sstc).
    no_guest_timer_cmp: Optional[CpuVariant] = None
    mp_table: Optional[MpTable] = None
    # The hypervisor's UART output is queued (hyp/console.c) and drained while guests run:
    # (smp, mem_mib, image, bootargs) -> the file the emulator writes that UART's bytes
    # to (the console the tests read is a mirror written at once), with the guest
    # queued_console_guest that times the drain.
    queued_console: Optional[Callable] = None
    queued_console_guest: str = "txdrain"
    # None: only the boot CPU runs; tests needing more CPUs are deselected.
    smp: Optional[bool] = True
    # The emulator's device tree (-machine dumpdtb, edited, given back with
    # -dtb) may list a CPU the machine lacks (tests/boot/test_boot.py).
    # Not riscv64: OpenSBI marks a cpu node for a hart it lacks disabled.
    dt_cpus: Optional[bool] = None
    # None: the emulated UART takes no console input (test_console_input deselected).
    console_input: Optional[bool] = True
    # None: the drain attack (6 s of guest time, 10 runs) is too slow on this emulator.
    drain: Optional[bool] = True
    # A regex with {cmdline}: hello's line of the boot information it was handed (x86: multiboot).
    boot_info_line: Optional[str] = None
    ram_unreported: int = 0     # bytes of the machine's RAM the hypervisor does not list
    # (smp, mem_mib, image, bootargs, machine, modules) -> argv, for an emulator not
    # started as QEMU; modules: (file, words) pairs (boot_modules).
    start: Optional[Callable] = None
    icount: tuple = ("-icount", "shift=0,sleep=off")
    bench_cpus: tuple = (1, 4)  # memtouch runs of the bench
    # Where the bench's reset_to_guest counting starts: "0" at reset, or a
    # hypervisor symbol ("_start": net of the firmware that runs before it).
    reset_from: str = "0"
    bench_names: tuple = ()     # the bench guest's names (BENCH_NAMES if empty)
    # Regex: the hypervisor's line with its counter at entry (group 1): the
    # bench then gives hyp_entry_first_insn, reset_first_insn less it.
    bench_entry_line: Optional[str] = None

    def bench_guest_names(self):
        return self.bench_names or BENCH_NAMES

    def argv(self, smp, mem_mib, image=None, bootargs=None, machine=None, modules=()):
        """The emulator's command line on @smp CPUs, loading @image if given."""
        if self.start:
            return self.start(smp, mem_mib, image, bootargs, machine, modules)
        argv = [self.emulator, *(machine or self.machine), "-smp", str(smp),
                "-m", f"{mem_mib}M", "-nographic"]
        return argv + (self.image_args(image, bootargs) if image else [])


def kernel_append(image, bootargs):
    """QEMU loads the image itself; the bootargs become /chosen/bootargs."""
    return ["-kernel", image] + (["-append", bootargs] if bootargs else [])


# What the bench guest times: BENCH <bench_prefix><name> N insns (Platform.bench_names,
# in the guest's order, where it times more).
BENCH_NAMES = ("hvc_round_trip", "s2_fault_4k", "mmio_write")
# What the interrupt guest times (Platform.irq_bench_guest, at -smp 2).
IRQ_BENCH_NAMES = ("vtimer_irq", "gicd_read", "ipi_round_trip")

ARM64_GIC = "gic-version=3"

PLATFORMS = {
    "arm64": Platform(
        arch="arm64",
        emulator="qemu-system-aarch64",
        emulator_package="qemu-system-arm",
        tools={"make": "make", "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu"},
        machine=("-M", f"virt,virtualization=on,{ARM64_GIC}", "-cpu", "max"),
        image_args=kernel_append,
        make_target="hyp-arm64",
        image="arm64/hyp.bin",
        ram_base=0x40000000,
        exit_status=0,
        level="EL2",
        vm_off="PSCI SYSTEM_OFF",
        vm_reset="PSCI SYSTEM_RESET",
        guests="hello, fault, smp, memtouch, bench, hostile, stop, reset, drain, honest, storm, echo, vtimer, irqstorm, irqprio",
        configs="console, default, drain, hostile, irqstorm, storm, two",
        two_vm_ram="0x80000000 - 0x81000000",
        fault_lines=(
            r"hyp: vm0: data abort injected: read from IPA 0x10000000, no device there",
            r"\[vm0\] guest: unexpected exception, ESR 2516582416",  # 0x96000010: EC 0x25, SEA
            r"hyp: vm0: PSCI SYSTEM_OFF",
        ),
        bench_prefix="arm64_",
        bench_names=("hvc_round_trip", "psci_call", "s2_fault_4k", "mmio_write", "mmio_read"),
        power_refused=r"hyp: vm0: PSCI 0xc4000003 \(0x[0-9a-f]+, 0x[0-9a-f]+\) refused: -2",
        hostile_injected=3,
        hostile_lines=(
            r"\[vm0\] hostile: smccc version 65537",
            r"\[vm0\] hostile: arch features: version 0, workaround_1 -1, uid ok",
            r"\[vm0\] hostile: ID_AA64DFR0_EL1.PMUVer 0",
            r"hyp: vm0: undefined instruction injected: MRS of a system register it does "
            r"not have \(PC 0x8[0-9a-f]{7}\)",
            r"\[vm0\] hostile: PMCCNTR_EL0 reads taken as undefined: 1",
            r"\[vm0\] hostile: DBGBVR0_EL1 after a write reads 0",
            r"\[vm0\] hostile: emulated loads into x19-x28 right: 10",
            r"hyp: vm0: hypercall 4 \(0x80000008, 0x1000\) refused: bad arguments",
            r"\[vm0\] hostile: release of an unaligned range returned 2 \(negated\)",
            r"\[vm0\] hostile: still running after 200 WFIs",
            r"hyp: vm0: hypercall 65535 \(0x0, 0x0\) refused: no such call",
            r"\[vm0\] hostile: unknown hvc returned -1",
            r"\[vm0\] hostile: writing to a device that is not there",
            r"hyp: vm0: data abort injected: write to IPA 0x0a000000, no device there",
            r"\[vm0\] hostile: abort taken at FAR 0x0a000000, ESR ok",
            r"\[vm0\] hostile: still running after 1 abort",
            r"\[vm0\] hostile: reading beyond my memory",
            r"hyp: vm0: data abort injected: read from IPA 0x200000000, no device there",
            r"\[vm0\] hostile: abort taken at FAR 0x200000000, ESR ok",
            r"\[vm0\] hostile: still running after 2 aborts",
            r"\[vm0\] hostile: to AArch32 EL0, touching a fresh page",
            r"\[vm0\] hostile: back from AArch32 EL0, its page fault served",
            r"\[vm0\] hostile: vector table moved beyond my memory, reading there",
            r"hyp: vm0: data abort injected: read from IPA 0x200000000, no device there",
            r"hyp: vm0: further injected exceptions are not logged",
            r"hyp: vm0 stopped: instruction abort at IPA 0x200000200 outside its memory, "
            r"in its EL1 vector table \(PC 0x200000200\)",
        ),
        linux_kernel="tools/fetch-debian-kernel.sh",
        linux_initramfs="tools/mkinitramfs-arm64.sh",
        storm_lines=(
            r"hyp: vm0: PSCI 0xc4000003 \(0x2, 0x8[0-9a-f]{7}\) refused: -2",
            r"\[vm0\] storm: CPU_ON of a vCPU it does not have: 2 \(negated\)",
            r"hyp: vm0: PSCI 0xc4000003 \(0x1, 0x10000000\) refused: -9",
            r"\[vm0\] storm: CPU_ON with an entry outside its RAM: 9 \(negated\)",
            r"hyp: vm0: hypercall 65535 \(0x0, 0x0\) refused: no such call",
            r"hyp: vm0: hypercall 4 \(0x80000008, 0x1000\) refused: bad arguments",
            r"hyp: vm0: further refused calls are not logged",
            r"\[vm0\] storm: bad releases that succeeded \(or calls not refused\): 0",
            r"\[vm0\] storm: unknown hypercalls not answered -1: 0",
            r"\[vm0\] storm: still running after 20000 WFEs",
            r"hyp: vm0: data abort injected: write to IPA 0x0a000000, no device there",
            r"hyp: vm0: further injected exceptions are not logged",
            r"\[vm0\] storm: aborts taken 2000",
            r"\[vm0\] storm: other exceptions 0",
            r"\[vm0\] storm: CPU_ON with a misaligned entry: 9 \(negated\)",
            r"\[vm0\] storm: a load pair from the UART",
            r"hyp: vm0 stopped: MMIO access at IPA 0x9000000 without a syndrome "
            r"\(PC 0x8[0-9a-f]{7}\)",
        ),
        irqstorm_lines=(
            r"\[vm0\] irqstorm: every GICD and GICR offset written and read at every width",
            r"\[vm0\] irqstorm: timer interrupts [1-9]\d*",
            r"\[vm0\] irqstorm: SGIs sent by vCPU 0 [1-9]\d*",
            r"\[vm0\] irqstorm: SGIs sent by vCPU 1 [1-9]\d*",
            r"\[vm0\] irqstorm: SGIs taken by vCPU 0 \d+",
            r"\[vm0\] irqstorm: SGIs taken by vCPU 1 [1-9]\d*",
            r"\[vm0\] irqstorm: unexpected interrupts 0",
            r"hyp: vm0: PSCI SYSTEM_OFF",
        ),
        irq_lines={n: ("[vm0] vtimer: GICD_PIDR2.ArchRev 3",
                       "[vm0] vtimer: GICR_TYPER affinity 0, Last right",
                       "[vm0] vtimer: every GICD and GICR offset written and read at every width",
                       "[vm0] vtimer: 20 timer interrupts at 200 Hz",
                       "[vm0] vtimer: none early",
                       "[vm0] vtimer: WFI waited for them",
                       "[vm0] vtimer: 5 physical timer interrupts at 200 Hz",
                       "[vm0] vtimer: none early",
                       "[vm0] vtimer: SGIs to itself at once, all taken: 6",
                       "[vm0] vtimer: SPI 40 by GICD_ISPENDR1: pending 1",
                       "[vm0] vtimer: SPI 40 by GICD_ICPENDR1: cleared 1",
                       "[vm0] vtimer: SPI 40 enabled: taken 1, no longer pending")
                   + (("[vm0] vtimer: IPIs answered: 10",) if n > 1 else ())
                   + ("[vm0] vtimer: unexpected interrupts 0",) for n in (1, 2)},
        irq_bench_guest="vtimer",
        loader=Loader(
            firmware="/usr/lib/u-boot/qemu_arm64/u-boot.bin",
            package="u-boot-qemu",
            tools={"sfdisk": "fdisk", "mformat": "mtools", "mcopy": "mtools",
                   "mkimage": "u-boot-tools"},
            mkdisk="mkdisk-arm64.sh",
            args=lambda disk: ["-nic", "none", "-drive", f"if=none,file={disk},format=raw,id=d0",
                               "-device", "virtio-blk-device,drive=d0"],
            marker="Starting kernel"),
        # QEMU virt with -kernel: the Image at RAM + 2 MiB (text_offset 0), the
        # DTB at RAM + 128 MiB for -m 256M and more (platform notes). U-Boot
        # keeps itself and its copy of the tree at the top of RAM.
        handover=Handover(
            hyp_offset=0x200000, dtb_offset=0x8000000, dtb_room=0x200000,
            uboot_hyp_offset=0x400000, uboot_room=0x8000000,
            guest_ram_base=0x40000000, guest_target="handover-arm64",
            guest_elf="arm64/handover/handover.elf", guest_image="arm64/handover/handover.img",
            guest_text_offset=0x80000, guest_uart=0x09000000),
        dt_cpus=True,
        lower_level=LowerLevel(
            machine=("-M", f"virt,{ARM64_GIC}", "-cpu", "max"),
            error="hyp: error: entered at EL1, the hypervisor needs EL2"),
    ),
    # RISC-V: QEMU's OpenSBI fw_dynamic (-bios default) starts the image in
    # HS-mode at RAM + 2 MiB with a1 = the DTB (platform notes); the VMs
    # run in VS-mode. Fields still None are what riscv64 lacks so far
    # (docs/riscv64.md): interrupts.
    "riscv64": Platform(
        arch="riscv64",
        emulator="qemu-system-riscv64",
        emulator_package="qemu-system-misc",
        tools={"make": "make", "riscv64-linux-gnu-gcc": "gcc-riscv64-linux-gnu"},
        machine=("-M", "virt", "-cpu", "rv64", "-bios", "default"),
        image_args=kernel_append,
        make_target="hyp-riscv64",
        image="riscv64/hyp.bin",
        ram_base=0x80000000,
        exit_status=0,
        level="HS",
        vm_off="SBI SRST shutdown",
        vm_reset="SBI SRST reboot",
        guests="hello, fault, smp, memtouch, bench, hostile, stop, reset, drain, honest, storm, "
               "echo, sbi_conf, sregs",
        configs="console, default, drain, hostile, storm, two",
        two_vm_ram="0x80000000 - 0x81000000",
        fault_lines=(r"hyp: vm0 stopped: load guest-page fault at GPA 0x20000000 "
                     r"outside its memory \(PC 0x8[0-9a-f]{7}\)",),
        bench_prefix="riscv64_",
        bench_names=("hvc_round_trip", "sbi_call", "s2_fault_4k", "mmio_write", "mmio_read"),
        sbi_conformance="sbi_conf",
        sregs_guest="sregs",
        power_refused=r"hyp: vm0: SBI hart_start \([0-9]+, 0x[0-9a-f]+\) refused: -3",
        # OpenSBI (fw_dynamic, given as -bios after the row's "-bios default")
        # starts U-Boot's S-mode build, given as -kernel; its distro boot
        # runs boot.scr, whose booti starts the image at ${kernel_addr_r}
        # (0x84000000: not the link address, so relocation is exercised).
        loader=Loader(
            firmware="/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
            package="opensbi",
            tools={"sfdisk": "fdisk", "mformat": "mtools", "mcopy": "mtools",
                   "mkimage": "u-boot-tools"},
            mkdisk="mkdisk-riscv64.sh",
            args=lambda disk: ["-kernel", "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin",
                               "-nic", "none",
                               "-drive", f"if=none,file={disk},format=raw,id=d0",
                               "-device", "virtio-blk-device,drive=d0"],
            marker="Starting kernel"),
        # QEMU virt with -kernel: the image at RAM + 2 MiB, QEMU's 1 MiB DTB
        # 2 MiB aligned at the top of RAM, but below 3 GiB (QEMU 7.2
        # hw/riscv/boot.c). U-Boot relocates itself to the top of RAM.
        handover=Handover(
            hyp_offset=0x200000, dtb_offset=None, dtb_room=0x200000, dtb_top=0xc0000000,
            uboot_hyp_offset=0x200000, uboot_room=0x8000000,
            guest_ram_base=0x80000000, guest_target="handover-riscv64",
            guest_elf="riscv64/handover/handover.elf",
            guest_image="riscv64/handover/handover.img",
            guest_text_offset=0x200000, guest_uart=0x10000000),
        hostile_lines=(
            r"\[vm0\] hostile: sbi spec version 33554432",
            r"\[vm0\] hostile: sbi impl id 18518",
            r"\[vm0\] hostile: probe HSM 1, probe none 0, unknown extension -2, "
            r"unknown function -2",
            r"hyp: vm0: SBI hart_start \(7, 0x8[0-9a-f]{7}\) refused: -3",
            r"\[vm0\] hostile: hart_start of a hart it does not have returned 3 \(negated\)",
            r"\[vm0\] hostile: ipi to a hart it lacks -3, to itself 0, taken 1",
            r"\[vm0\] hostile: emulated loads into s1-s11 right: 11",
            r"\[vm0\] hostile: emulated stores from s1-s11 right: 11",
            r"hyp: vm0: hypercall 4 \(0x80000008, 0x1000\) refused: bad arguments",
            r"\[vm0\] hostile: release of an unaligned range returned 2 \(negated\)",
            r"\[vm0\] hostile: still running after 200 WFIs",
            r"hyp: vm0: hypercall 65535 \(0x0, 0x0\) refused: no such call",
            r"\[vm0\] hostile: unknown hypercall returned -1",
            r"\[vm0\] hostile: writing to a device that is not there",
            r"hyp: vm0: store access fault injected: write to GPA 0x10001000, no device there",
            r"\[vm0\] hostile: access fault taken at stval 0x10001000, scause ok",
            r"\[vm0\] hostile: still running after 1 access fault",
            r"hyp: vm0: illegal instruction injected: 0xc00022f3 \(PC 0x8[0-9a-f]{7}\)",
            r"\[vm0\] hostile: rdcycle taken as an illegal instruction: 1",
            r"\[vm0\] hostile: misaligned AMO taken by its own handler: 1",
            r"\[vm0\] hostile: reading beyond my memory",
            r"hyp: vm0 stopped: load guest-page fault at GPA 0x200000000 outside its memory "
            r"\(PC 0x8[0-9a-f]{7}\)",
        ),
        storm_lines=(
            r"hyp: vm0: SBI hart_start \(2, 0x8[0-9a-f]{7}\) refused: -3",
            r"\[vm0\] storm: hart_start of a vCPU it does not have: 3 \(negated\)",
            r"hyp: vm0: SBI hart_start \(1, 0x20000000\) refused: -5",
            r"\[vm0\] storm: hart_start with an entry outside its RAM: 5 \(negated\)",
            r"hyp: vm0: hypercall 65535 \(0x0, 0x0\) refused: no such call",
            r"hyp: vm0: hypercall 4 \(0x80000008, 0x1000\) refused: bad arguments",
            r"hyp: vm0: further refused calls are not logged",
            r"\[vm0\] storm: bad releases that succeeded \(or calls not refused\): 0",
            r"\[vm0\] storm: unknown hypercalls not answered -1: 0",
            r"\[vm0\] storm: bad SBI calls not answered as SBI v2.0 says: 0",
            r"\[vm0\] storm: still running after 20000 WFIs",
            r"hyp: vm0: store access fault injected: write to GPA 0x10001000, no device there",
            r"hyp: vm0: further injected exceptions are not logged",
            r"\[vm0\] storm: access faults taken 2000",
            r"\[vm0\] storm: other exceptions 0",
            r"\[vm0\] storm: hart_suspend resuming outside its RAM: 5 \(negated\)",
            r"\[vm0\] storm: an atomic add to the UART",
            r"hyp: vm0 stopped: MMIO access at GPA 0x10000000 by an instruction that is no "
            r"load or store \(PC 0x8[0-9a-f]{7}\)",
        ),
        lower_level=LowerLevel(
            machine=("-M", "virt", "-cpu", "rv64,h=false", "-bios", "default"),
            error="hyp: error: hart 0 has no H extension, the hypervisor needs it"),
        # QEMU 7.2's rv64 has Sv39, Sv48 and Sv57 and says riscv,sv48 in its
        # tree; it has no property turning Sv48 off (sv48=off came in 8.0).
        paging_modes=PagingModes(
            line="hyp: MMU: stage 1 Sv48, G-stage Sv48x4 (Sv39x4 for VMs below 2^41), "
                 "guests up to Sv48",
            bound=("mmu-type", "riscv,sv39"),
            bound_line="hyp: MMU: stage 1 Sv39, G-stage Sv39x4, guests up to Sv39"),
        no_guest_timer_cmp=CpuVariant(
            machine=("-M", "virt", "-cpu", "rv64,sstc=off", "-bios", "default"),
            line="hyp: guest timer: SBI set_timer on the hart's timer (no Sstc)"),
        # memtouch at 1 and 4: the guests wait in WFI, which ends QEMU's
        # round-robin turn under -icount (docs/riscv64.md, "Bench").
        bench_cpus=(1, 4),
        # OpenSBI's own boot (~11.9 M) is not the hypervisor's: count from its _start.
        reset_from="_start",
    ),

}


X86_QEMU = ("-M", "pc", "-cpu", "qemu64")  # TCG: no VMX


def x86_out(smp, mem_mib, image, bootargs, modules=()):
    """The directory of one Bochs configuration's files (ISO, bochsrc, com1.txt)."""
    tag = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{smp}-{mem_mib}-{bootargs or ''}")
    if modules:
        tag += "-" + hashlib.sha1(repr(modules).encode()).hexdigest()[:12]
    return os.path.join(os.path.dirname(image), "boot-tests", tag)


def x86_com1(smp, mem_mib, image, bootargs):
    """Where Bochs writes COM1's bytes (tools/bochs.py); port 0xE9 is the console."""
    return os.path.join(x86_out(smp, mem_mib, image, bootargs), "com1.txt")


def x86_start(smp, mem_mib, image, bootargs, machine, modules=()):
    """Bochs with an ISO whose GRUB entry passes @bootargs and loads
    @modules (tools/bochs.py); with @machine (the no-VMX test), QEMU on the
    same ISO instead: its TCG has no VMX. The hypervisor powers both off
    through ACPI S5: Bochs exits with status 1 then, QEMU with 0."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
    import bochs  # noqa: E402  tools/bochs.py
    out = x86_out(smp, mem_mib, image, bootargs, modules)
    if not machine:
        return bochs.bochs_argv(image, out, bootargs or "", smp, mem_mib, modules)
    os.makedirs(out, exist_ok=True)
    iso = bochs.make_iso(image, out, bootargs or "")
    return ["qemu-system-x86_64", *machine, "-smp", str(smp), "-m", f"{mem_mib}M",
            "-display", "none", "-debugcon", "stdio", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-cdrom", iso]


PLATFORMS["x86_64"] = Platform(
    arch="x86_64",
    emulator="bochs",
    emulator_package="bochs",
    tools={"make": "make", "x86_64-linux-gnu-gcc": "gcc", "grub-mkrescue": "grub-common",
           "xorriso": "xorriso", "mformat": "mtools", "qemu-system-x86_64": "qemu-system-x86"},
    machine=(),
    image_args=lambda image, bootargs: [],
    start=x86_start,
    make_target="hyp-x86_64",
    image="x86_64/hyp.elf",
    ram_base=0x100000,          # below 1 MiB: never used (arch/x86_64/multiboot2.c)
    ram_unreported=0x110000,    # the first MiB, and the top 64 KiB Bochs's BIOS keeps
    exit_status=1,              # Bochs after the ACPI S5 soft off (a fatal PANIC-level event)
    # The hypervisor powers off through ACPI S5 (FADT PM1a_CNT, the DSDT's
    # \_S5), not through Bochs's shutdown port 0x8900 (the fallback).
    exit_banner="Bochs is exiting with the following message:\n[ACPI  ] ACPI control: soft power off",
    tlb_line=r"hyp: VPID per VM, INVEPT [1-9]\d*, INVVPID [1-9]\d*",
    level="VMX root",
    vm_off="power off through port 0xf4",
    vm_reset="reset through port 0xcf9",
    guests="hello, fault, smp, memtouch, bench, hostile, stop, reset, drain, honest, txdrain",
    configs="default, drain, hostile, two",
    two_vm_ram="0x200000 - 0x1200000",
    fault_lines=(r"hyp: vm0 stopped: access at 0x40000000 outside its memory "
                 r"\(RIP 0x2[0-9a-f]{5}, qualification 0x[0-9a-f]+\)",),
    bench_prefix="x86_64_",
    # guest-images/x86_64/hostile.c: #GP for MSRs (msr.c), refused calls, a stop.
    hostile_injected=0,         # no "injected: read from/write to" lines: x86 devices are ports
    hostile_hyp_lines_max=13,   # RAM, 4 + 1 #GP, 4 + 1 refused, filled, stopped: not 2,000 more
    hostile_lines=(
        r"\[vm0\] hostile: cpuid vmx 0",
        r"\[vm0\] hostile: cpuid hypervisor 1",
        r"\[vm0\] hostile: cpuid osxsave 0",
        r"\[vm0\] hostile: IA32_FEATURE_CONTROL 1",
        r"\[vm0\] hostile: SYSENTER_EIP reads back 19087360",
        r"hyp: vm0: #GP injected: RDMSR of MSR 0x12345678 \(RIP 0x2[0-9a-f]{5}\)",
        r"hyp: vm0: #GP injected: WRMSR of MSR 0x1b \(RIP 0x2[0-9a-f]{5}\)",
        r"hyp: vm0: #GP injected: WRMSR of MSR 0xc0000080 \(RIP 0x2[0-9a-f]{5}\)",
        r"\[vm0\] hostile: #GP taken for an unknown MSR, APIC_BASE, EFER.LME: 3",
        r"\[vm0\] hostile: EFER 0",
        r"hyp: vm0: hypercall 4 \(0x200008, 0x1000\) refused: bad arguments",
        r"\[vm0\] hostile: release of an unaligned range returned 2 \(negated\)",
        r"hyp: vm0: hypercall 1 \(0x40000000, 0x10\) refused: bad arguments",
        r"\[vm0\] hostile: console write outside its RAM returned 2 \(negated\)",
        r"hyp: vm0: hypercall 65535 \(0x0, 0x0\) refused: no such call",
        r"\[vm0\] hostile: unknown hypercall returned -1",
        r"hyp: vm0: hypercall 7 \(0x7, 0x2[0-9a-f]{5}\) refused: bad arguments",
        r"hyp: vm0: further refused calls are not logged",
        r"\[vm0\] hostile: vCPU on of a vCPU it does not have returned 2 \(negated\)",
        r"\[vm0\] hostile: port 0x60 reads 255, port 0x80 written",
        r"hyp: vm0: #GP injected: RDMSR of MSR 0x12345678 \(RIP 0x2[0-9a-f]{5}\)",
        r"hyp: vm0: further injected exceptions are not logged",
        r"\[vm0\] hostile: storm: still running after HLTs: 20",
        r"\[vm0\] hostile: storm: #GP taken 2000",
        r"\[vm0\] hostile: storm: wrong answers 0",
        r"\[vm0\] hostile: exits keep EBP, ESI, EDI: 1",
        r"\[vm0\] hostile: CPUID leaf 0 EBX is Genu: 1",
        r"\[vm0\] hostile: VMCALL from ring 3: #UD 1",
        r"\[vm0\] hostile: VMREAD from ring 3: #UD 2",
        r"\[vm0\] hostile: cpuid monitor 0",
        r"\[vm0\] hostile: MWAIT, MONITOR: #UD 2",
        r"\[vm0\] hostile: RDPMC: #GP 1",
        r"\[vm0\] hostile: WBINVD exits: 1",
        r"\[vm0\] hostile: reading beyond my memory",
        r"hyp: vm0 stopped: access at 0x40000000 outside its memory \(RIP 0x2[0-9a-f]{5}, "
        r"qualification 0x[0-9a-f]+\)",
    ),
    # The multiboot information (hyp/vm_mbi.c): RAM from 2 MiB, so no lower or upper memory.
    boot_info_line=(r"multiboot: flags 0x245, mem_lower 0, mem_upper 0, map entries 1, "
                    r"RAM 0x200000 - 0x1200000, loader hyp, cmdline \"{cmdline}\""),
    boot_modules=BootModules(make_target="guest-x86_64", elf="x86_64/guest/hello.elf",
                             raw="x86_64/guest/memtouch.bin", raw_load=0x200000),
    console_input=None,
    drain=None,                 # runs by hand in Bochs (config=drain), past the 60 s step
    # Bochs is not QEMU: no -icount; its TSC counts instructions per CPU
    # (clock: sync=none, docs/x86_64.md), and the figures are net of the loop.
    icount=(),
    bench_names=("reset_first_insn", "hvc_round_trip", "s2_fault_4k", "port_write",
                 "port_read"),
    bench_entry_line=r"^hyp: TSC (\d+) at entry, \d+ per us$",
    lower_level=LowerLevel(machine=X86_QEMU, error="hyp: error: no VMX (CPUID.1:ECX[5] is 0)"),
    queued_console=x86_com1,
    # Bochs's BIOS (rombios32) builds an MP table too; acpi=off makes the hypervisor use it.
    mp_table=MpTable(
        bootargs="acpi=off",
        lines=(r"hyp: acpi=off: no ACPI table is read \(cpus: the MP table; power off: the "
               r"emulator's port\)",
               r"hyp: cpus from the MP table at 0x[0-9a-f]+ \(table 0x[0-9a-f]+\): {cpus} "
               r"\(0 disabled, 0 duplicate APIC ids, 0 past \d+ ignored\)",
               r"hyp: VMX root boot, {cpus} cpus, .*"),
        exit_banner="Bochs is exiting with the following message:\n"
                    "[UNMAP ] Shutdown port: shutdown requested"),
)


def current(arch=None):
    """The row of @arch (default: $ARCH, else arm64); KeyError names the fix."""
    arch = arch or os.environ.get("ARCH") or "arm64"
    if arch not in PLATFORMS:
        raise KeyError(f"ARCH={arch} has no row in tests/boot/platforms.py "
                       f"(there are: {', '.join(PLATFORMS)}); its docstring says how to add one")
    return PLATFORMS[arch]
