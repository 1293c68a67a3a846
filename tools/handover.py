#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hand your own guest kernels to the hypervisor at boot (docs/guests.md).

The boot loader's job, done for QEMU or written as a U-Boot script: place
the hypervisor and every VM's kernel, optional initrd and optional device
tree in host RAM, and describe them in the host device tree's /chosen in
Xen's dom0less binding (a "xen,domain" node per VM, "multiboot,*" module
nodes), with this hypervisor's "hyp," properties where Xen has none.

QEMU: the host tree is QEMU's own (dumpdtb, same machine, -smp and -m as
the real run) with the /chosen nodes added by fdtput; the modules are
loaded by `-device loader`; -m is sized to hold the hypervisor, the
modules and every VM's RAM (a VM's RAM is one contiguous host range).

Usage, one VM:
  tools/handover.py [--arch A] --hyp build/A/hyp.bin --kernel Image [--initrd F]
      [--dtb F [--dtb-full]] [--bootargs TEXT] [--vcpus N] [--memory SIZE]
      [--cpus LIST] [--load-address A] [--ram-base A] [--name NAME]
      [--smp N] [--mem SIZE] [--out DIR] [--run | --uboot-script F | --disk F]
      [--load-base A] [--load-from "mmc 0:1"]
or several: --config FILE in place of the --kernel ... options, where FILE
is lines of "key value" ('#' starts a comment line; paths are relative to
the file), a "vm NAME" line beginning each VM:
    smp 4                 # optional, before the first vm: QEMU's CPUs
    mem 1G                # optional: QEMU's RAM, at least (else computed)
    vm vm1
    kernel Image          # a Linux Image (of the arch), an ELF or a raw binary
    initrd rootfs.cpio.gz # optional
    dtb part.dtb          # optional: a partial tree merged into the VM's
    dtb_full no           # yes: dtb is the whole tree instead
    bootargs console=ttyAMA0 earlycon
    memory 128M           # the VM's RAM (K, M, G; a plain number is MiB)
    vcpus 1
    cpus 1-2              # optional: physical CPUs, else the first free
    load_address 0x40080000  # only for a raw binary
    ram_base 0x40000000   # optional: guest-physical RAM base
    vpl011 yes            # the emulated UART, the arch's (arm64 PL011, riscv64
                          # NS16550; its lines: "[NAME] ...")
Without --run, --uboot-script or --disk it prints the QEMU command line.
--uboot-script writes a U-Boot script (boot.cmd) that loads the files from
a FAT partition (virtio 0:1, or --load-from) as Image and NAME-kernel,
NAME-ramdisk, NAME-device-tree, and fills /chosen with fdt commands;
--disk writes a disk image (the arch's tools/mkdisk-*.sh) with it and everything
it loads, and prints the QEMU command line that boots it through U-Boot.
Errors: one line naming the VM and the file or value, exit status 1.
"""
import argparse
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from typing import List, Optional

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import platforms  # noqa: E402

MiB = 1 << 20
ALIGN = 2 * MiB            # modules and VM RAM: 2 MiB aligned (one stage-2 block)
MIN_HOST_MEM = 512 * MiB   # what `make run` gives the hypervisor alone
HYP_MARGIN = 64 * MiB      # the hypervisor's own pages (tables, stacks, bitmaps)
VM_MARGIN = 16 * MiB       # and per VM (its stage-2 tables and metadata)
MEM_ROUND = 16 * MiB
UBOOT_BANNER = "boot.scr: loading the hypervisor and its guests"
# The Linux Image headers (as hyp/image.c reads them): (offset, magic) of
# arm64's "ARM\x64" (Documentation/arch/arm64/booting.rst) and RISC-V's
# "RSC\x05" and deprecated "RISCV\0\0\0" (Documentation/riscv/
# boot-image-header.rst); both keep image_size at the same offset.
IMAGE_MAGICS = ((56, b"ARM\x64"), (56, b"RSC\x05"), (48, b"RISCV\0\0\0"))
IMAGE_HEAD = 64
IMAGE_SIZE_OFF = 16        # image_size, BSS included (little-endian u64)


class HandoverError(Exception):
    """One line for the user: what is wrong, naming the VM and the file."""


@dataclass
class VM:
    name: str
    kernel: str
    initrd: Optional[str] = None
    dtb: Optional[str] = None
    dtb_full: bool = False
    bootargs: Optional[str] = None
    vcpus: int = 1
    memory: int = 128 * MiB            # bytes
    cpus: Optional[List[int]] = None   # physical CPU indexes ("hyp,cpus")
    load_address: Optional[int] = None  # "hyp,load-address": a raw binary's
    ram_base: Optional[int] = None     # "hyp,ram-base"
    vpl011: bool = True


@dataclass
class Module:
    vm: VM
    kind: str                  # kernel, ramdisk, device-tree
    path: str
    size: int
    addr: int = 0              # where it is loaded in host RAM
    reg_override: Optional[tuple] = None  # (addr, size) told instead: bad-input tests

    @property
    def reg(self):
        return self.reg_override or (self.addr, self.size)

    @property
    def disk_name(self):
        return f"{self.vm.name}-{self.kind}"


@dataclass
class Plan:
    platform: object
    hyp: str
    vms: List[VM]
    modules: List[Module]
    smp: int
    mem: int                   # host RAM, bytes
    hyp_bootargs: Optional[str] = None
    hyp_at: int = 0            # where the hypervisor is loaded
    extra: list = field(default_factory=list)


def parse_size(text, what):
    """"128M", "1G", "131072K" or a plain number of MiB (like QEMU's -m): bytes."""
    t = str(text).strip()
    units = {"K": 1 << 10, "M": MiB, "G": 1 << 30}
    try:
        if t[-1:].upper() in units:
            return int(t[:-1], 0) * units[t[-1].upper()]
        return int(t, 0) * MiB
    except ValueError:
        raise HandoverError(f"{what}: {text!r} is not a size (like 128M or 1G)") from None


def parse_int(text, what):
    try:
        return int(str(text), 0)
    except ValueError:
        raise HandoverError(f"{what}: {text!r} is not a number") from None


def parse_cpus(text, what):
    """"1-2,4" or "1 2 4": [1, 2, 4]."""
    cpus = []
    try:
        for part in str(text).replace(",", " ").split():
            lo, dash, hi = part.partition("-")
            cpus.extend(range(int(lo, 0), int(hi, 0) + 1) if dash else [int(lo, 0)])
    except ValueError:
        cpus = []
    if not cpus or min(cpus) < 0:
        raise HandoverError(f"{what}: {text!r} is not a list of CPU indexes (like 1-2,4)")
    return cpus


def parse_bool(text, what):
    t = str(text).strip().lower()
    if t in ("yes", "y", "true", "1", "on"):
        return True
    if t in ("no", "n", "false", "0", "off"):
        return False
    raise HandoverError(f"{what}: {text!r} is neither yes nor no")


def vm_from_keys(name, keys, where, base_dir="."):
    """A VM from "key value" pairs (the config file's, or the options')."""
    def path(key):
        return os.path.join(base_dir, keys[key]) if keys.get(key) else None

    conv = {"vcpus": parse_int, "memory": parse_size, "cpus": parse_cpus,
            "load_address": parse_int, "ram_base": parse_int,
            "dtb_full": parse_bool, "vpl011": parse_bool}
    known = set(conv) | {"kernel", "initrd", "dtb", "bootargs"}
    for key in keys:
        if key not in known:
            raise HandoverError(f"{where}: {name}: unknown key {key!r} "
                                f"(there are: {', '.join(sorted(known))})")
    if not keys.get("kernel"):
        raise HandoverError(f"{where}: {name}: no kernel")
    vm = VM(name=name, kernel=path("kernel"), initrd=path("initrd"), dtb=path("dtb"),
            bootargs=keys.get("bootargs"))
    for key, fn in conv.items():
        if keys.get(key) not in (None, ""):
            setattr(vm, key, fn(keys[key], f"{where}: {name}: {key}"))
    return vm


def read_config(path):
    """(vms, smp or None, mem or None) from a CONFIG file (the docstring's format)."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise HandoverError(f"handover: {path}: {e.strerror}") from None
    base = os.path.dirname(os.path.abspath(path))
    machine, vms, current = {}, [], None
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        value = value.strip()
        if key == "vm":
            current = (value, {}, f"{path}:{n}")
            vms.append(current)
        elif current is not None:
            current[1][key] = value
        elif key in ("smp", "mem"):
            machine[key] = (value, f"{path}:{n}: {key}")
        else:
            raise HandoverError(f"{path}:{n}: {key!r} before the first \"vm NAME\" line")
    if not vms:
        raise HandoverError(f"{path}: no \"vm NAME\" line: no VM to hand over")
    smp = parse_int(*machine["smp"]) if "smp" in machine else None
    mem = parse_size(*machine["mem"]) if "mem" in machine else None
    return [vm_from_keys(name, keys, where, base) for name, keys, where in vms], smp, mem


def check_vms(vms):
    names = set()
    for vm in vms:
        if not vm.name or not vm.name.replace("_", "").replace("-", "").isalnum():
            raise HandoverError(f"handover: VM name {vm.name!r}: letters, digits, - and _ only")
        if vm.name in names:
            raise HandoverError(f"handover: two VMs are named {vm.name}")
        names.add(vm.name)
        if vm.vcpus < 1:
            raise HandoverError(f"handover: {vm.name}: vcpus {vm.vcpus}: at least 1")
        if vm.memory <= 0 or vm.memory % (1 << 10):
            raise HandoverError(f"handover: {vm.name}: memory must be a positive number of KiB")


def modules_of(vm):
    mods = []
    for kind, path in (("kernel", vm.kernel), ("ramdisk", vm.initrd), ("device-tree", vm.dtb)):
        if path is None:
            continue
        what = "initrd" if kind == "ramdisk" else kind
        if not os.path.isfile(path):
            raise HandoverError(f"handover: {vm.name}: {what} {path}: no such file")
        size = os.path.getsize(path)
        if size == 0:
            raise HandoverError(f"handover: {vm.name}: {what} {path}: empty file")
        mods.append(Module(vm, kind, os.path.abspath(path), size))
    return mods


def is_image(head):
    """@head (bytes) starts a Linux Image of arm64 or RISC-V."""
    return len(head) >= IMAGE_HEAD and any(head[o:o + len(m)] == m for o, m in IMAGE_MAGICS)


def clear_image_magic(data):
    """@data (a bytearray) with every Image magic cleared: no Image any more."""
    for off, magic in IMAGE_MAGICS:
        if data[off:off + len(magic)] == magic:
            data[off:off + len(magic)] = bytes(len(magic))
    return data


def image_size(path):
    """A Linux Image's image_size (its BSS included), else the file's size."""
    with open(path, "rb") as f:
        head = f.read(IMAGE_HEAD)
    if is_image(head):
        size = int.from_bytes(head[IMAGE_SIZE_OFF:IMAGE_SIZE_OFF + 8], "little")
        if size:
            return size
    return os.path.getsize(path)


def align_up(x, a=ALIGN):
    return (x + a - 1) // a * a


def place(modules, start, holes):
    """Each module 2 MiB aligned, first fit from @start, never in @holes [(lo, hi)]."""
    addr = align_up(start)
    for m in modules:
        addr = align_up(addr)
        moved = True
        while moved:
            moved = False
            for lo, hi in holes:
                if addr < hi and addr + m.size > lo:
                    addr, moved = align_up(hi), True
        m.addr = addr
        addr += m.size
    return align_up(addr)


def vms_mem(vms):
    """Every VM's RAM and the hypervisor's pages for them."""
    return sum(align_up(vm.memory) for vm in vms) + HYP_MARGIN + VM_MARGIN * len(vms)


def host_mem(top_offset, vms, at_least):
    """Host RAM for everything below @top_offset, every VM's RAM and a margin."""
    return max(align_up(top_offset + vms_mem(vms), MEM_ROUND), at_least or 0, MIN_HOST_MEM)


def dtb_window(platform, mem):
    """Where the emulator puts its device tree in @mem bytes of RAM: (lo, hi)."""
    h, base = platform.handover, platform.ram_base
    if h.dtb_top is None:
        return base + h.dtb_offset, base + h.dtb_offset + h.dtb_room
    top = min(base + mem, h.dtb_top)
    return top - h.dtb_room, top


def mem_below_top_dtb(platform, size, top, vms):
    """@size, or more: for a tree at the top of RAM but never above
    Handover.dtb_top (QEMU's RISC-V virt: 3 GiB). When RAM reaches past
    that the tree splits it, and the RAM above must hold every VM's (one
    contiguous range each; the hypervisor carves from the larger range)."""
    h, base = platform.handover, platform.ram_base
    if base + size <= h.dtb_top:
        return size
    lo, _ = dtb_window(platform, size)
    if top > lo:
        raise HandoverError(f"handover: the modules end at 0x{top:x}, past 0x{lo:x} "
                            "where QEMU puts its device tree")
    return max(size, align_up(h.dtb_top - base + vms_mem(vms), MEM_ROUND))


def default_smp(vms):
    total = sum(vm.vcpus for vm in vms)
    named = [c for vm in vms for c in (vm.cpus or [])]
    return max([total, 1] + [c + 1 for c in named])


def plan(platform, hyp, vms, smp=None, mem=None, hyp_bootargs=None, uboot=False,
         load_base=None):
    """Where everything goes: a Plan (QEMU direct boot, or U-Boot with @uboot,
    the hypervisor loaded at @load_base if given, the modules after it)."""
    h = platform.handover
    if h is None:
        raise HandoverError(f"handover: ARCH={platform.arch} cannot hand guests over yet")
    if not os.path.isfile(hyp):
        raise HandoverError(f"handover: hypervisor image {hyp}: no such file "
                            f"(make {platform.make_target})")
    if not vms:
        raise HandoverError("handover: no VM to hand over")
    check_vms(vms)
    modules = [m for vm in vms for m in modules_of(vm)]
    base = platform.ram_base
    hyp_at = base + (h.uboot_hyp_offset if uboot else h.hyp_offset)
    if uboot and load_base is not None:
        if load_base % ALIGN:
            raise HandoverError(f"handover: --load-base 0x{load_base:x}: not 2 MiB aligned "
                                "(booti would move the hypervisor)")
        hyp_at = load_base
    hyp_end = hyp_at + image_size(hyp)
    fixed_dtb = not uboot and h.dtb_top is None
    holes = [dtb_window(platform, 0)] if fixed_dtb else []
    top = place(modules, hyp_end, holes)
    top = max([top] + [hi for _, hi in holes])
    extra = h.uboot_room if uboot else 0 if fixed_dtb else h.dtb_room
    size = host_mem(top - base + extra, vms, mem)
    if not uboot and not fixed_dtb:
        size = mem_below_top_dtb(platform, size, top, vms)
    return Plan(platform, os.path.abspath(hyp), vms, modules, smp or default_smp(vms),
                size, hyp_bootargs, hyp_at)


# --- the /chosen nodes, as (node path, property, fdtput type, values) ---

def cells64(v):
    return [v >> 32, v & 0xffffffff]


def module_node(m):
    return f"/chosen/{m.vm.name}/module@{m.addr:x}"


def chosen_nodes(p):
    """The nodes to create under /chosen, in the order that leaves them in
    this order in the tree: fdtput -c and U-Boot's fdt mknode put a new node
    before its siblings (libfdt fdt_add_subnode)."""
    nodes = [f"/chosen/{vm.name}" for vm in reversed(p.vms)]
    for vm in p.vms:
        nodes += [module_node(m) for m in reversed(p.modules) if m.vm is vm]
    return nodes


def chosen_props(p):
    """Every property to add under /chosen: [(node, prop, kind, values)]."""
    out = []
    for vm in p.vms:
        node = f"/chosen/{vm.name}"
        out += [(node, "compatible", "s", ["xen,domain"]),
                (node, "#address-cells", "x", [2]),
                (node, "#size-cells", "x", [2]),
                (node, "memory", "x", cells64(vm.memory // 1024)),
                (node, "cpus", "x", [vm.vcpus])]
        if vm.vpl011:
            out.append((node, "vpl011", "", []))
        if vm.cpus:
            out.append((node, "hyp,cpus", "x", list(vm.cpus)))
        if vm.ram_base is not None:
            out.append((node, "hyp,ram-base", "x", cells64(vm.ram_base)))
        for m in (m for m in p.modules if m.vm is vm):
            out += module_props(m)
    return out


def module_props(m):
    mod = module_node(m)
    addr, size = m.reg
    props = [(mod, "compatible", "s", [f"multiboot,{m.kind}", "multiboot,module"]),
             (mod, "reg", "x", cells64(addr) + cells64(size))]
    if m.kind == "kernel" and m.vm.bootargs is not None:
        props.append((mod, "bootargs", "s", [m.vm.bootargs]))
    if m.kind == "kernel" and m.vm.load_address is not None:
        props.append((mod, "hyp,load-address", "x", cells64(m.vm.load_address)))
    if m.kind == "device-tree" and m.vm.dtb_full:
        props.append((mod, "hyp,full-device-tree", "", []))
    return props


def run_tool(argv, what):
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, text=True, check=False)
    except FileNotFoundError:
        raise HandoverError(f"handover: {argv[0]} is missing ({what})") from None
    if proc.returncode:
        raise HandoverError(f"handover: {' '.join(argv)} failed: {proc.stdout.strip()}")
    return proc.stdout


def base_argv(p):
    return p.platform.argv(p.smp, p.mem // MiB)


def host_dtb(p, path):
    """QEMU's own tree for this machine, -smp and -m, with the /chosen nodes."""
    argv = base_argv(p)
    m = argv.index("-M")
    argv[m + 1] += f",dumpdtb={path}"
    if os.path.exists(path):
        os.unlink(path)
    run_tool(argv, f"Debian package {p.platform.emulator_package}")
    dtc = "Debian package device-tree-compiler"
    for node in chosen_nodes(p):
        run_tool(["fdtput", "-c", path, node], dtc)
    for node, prop, kind, values in chosen_props(p):
        run_tool(["fdtput"] + (["-t", kind] if kind else []) + [path, node, prop] +
                 [v if kind == "s" else hex(v) for v in values], dtc)
    return path


def qemu_argv(p, out_dir):
    """The QEMU command line of @p: builds OUT_DIR/host.dtb first."""
    os.makedirs(out_dir, exist_ok=True)
    dtb = host_dtb(p, os.path.join(os.path.abspath(out_dir), "host.dtb"))
    argv = base_argv(p) + ["-kernel", p.hyp, "-dtb", dtb]
    if p.hyp_bootargs:
        argv += ["-append", p.hyp_bootargs]
    for m in p.modules:
        argv += ["-device", f"loader,file={m.path},addr=0x{m.addr:x},force-raw=on"]
    return argv + list(p.extra)


# --- U-Boot ---

def uboot_value(kind, values):
    if kind == "s":
        return " ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    if kind == "x":
        return "<" + " ".join(f"0x{v:x}" for v in values) + ">"
    return ""


def uboot_script(p, load_from="virtio 0:1"):
    """A U-Boot script: load the hypervisor and every module from the FAT
    partition @load_from ("INTERFACE DEV:PART"), fill /chosen, booti."""
    hyp_at = p.hyp_at
    lines = ["# Written by tools/handover.py: the hypervisor and its guests (docs/guests.md).",
             f'echo "{UBOOT_BANNER}"',
             f"load {load_from} 0x{hyp_at:x} Image"]
    lines += [f"load {load_from} 0x{m.addr:x} {m.disk_name}" for m in p.modules]
    lines += ["fdt addr ${fdtcontroladdr}", "fdt resize 65536"]
    if p.hyp_bootargs:
        lines.append(f"fdt set /chosen bootargs {uboot_value('s', [p.hyp_bootargs])}")
    for node in chosen_nodes(p):
        parent, _, name = node.rpartition("/")
        lines.append(f"fdt mknode {parent} {name}")
    for node, prop, kind, values in chosen_props(p):
        prop = prop.replace("#", "\\#")
        lines.append(f"fdt set {node} {prop} {uboot_value(kind, values)}".rstrip())
    lines.append(f"booti 0x{hyp_at:x} - ${{fdtcontroladdr}}")
    return "\n".join(lines) + "\n"


def make_disk(p, disk, out_dir):
    """A disk for U-Boot (the loader's tools/mkdisk-*.sh): this plan's boot.scr and files."""
    os.makedirs(out_dir, exist_ok=True)
    cmd = os.path.join(os.path.abspath(out_dir), "boot.cmd")
    with open(cmd, "w") as f:
        f.write(uboot_script(p))
    files = [f"{m.path}={m.disk_name}" for m in p.modules]
    run_tool([os.path.join(ROOT, "tools", p.platform.loader.mkdisk), p.hyp, disk, cmd] + files,
             "Debian packages fdisk, mtools, u-boot-tools")


def uboot_argv(p, disk):
    loader = p.platform.loader
    return base_argv(p) + ["-bios", loader.firmware] + loader.args(disk)


# --- the command line ---

def options():
    ap = argparse.ArgumentParser(description="Hand guest kernels to the hypervisor at boot "
                                 "(docs/guests.md).")
    ap.add_argument("--arch", default=os.environ.get("ARCH") or "arm64")
    ap.add_argument("--hyp", required=True, help="the hypervisor image (build/ARCH/hyp.bin)")
    ap.add_argument("--config", help="a file describing the VMs (see the module docstring)")
    ap.add_argument("--name", default="vm1")
    ap.add_argument("--kernel")
    ap.add_argument("--initrd")
    ap.add_argument("--dtb")
    ap.add_argument("--dtb-full", action="store_true")
    ap.add_argument("--bootargs")
    ap.add_argument("--vcpus", default="1")
    ap.add_argument("--memory", default="128M")
    ap.add_argument("--cpus")
    ap.add_argument("--load-address")
    ap.add_argument("--ram-base")
    ap.add_argument("--no-vpl011", action="store_true")
    ap.add_argument("--smp", help="QEMU's CPUs (default: enough for every vCPU)")
    ap.add_argument("--mem", help="QEMU's RAM, at least (default: computed)")
    ap.add_argument("--hyp-bootargs", help="the hypervisor's own /chosen/bootargs")
    ap.add_argument("--out", default=os.path.join(os.environ.get("O", "build"), "handover"))
    ap.add_argument("--load-base", help="U-Boot: where the script loads the hypervisor "
                    "(default: the platform row's uboot_hyp_offset from RAM); the modules follow it")
    ap.add_argument("--load-from", default="virtio 0:1",
                    help='U-Boot: the FAT partition to load from (default "virtio 0:1")')
    act = ap.add_mutually_exclusive_group()
    act.add_argument("--run", action="store_true", help="start QEMU")
    act.add_argument("--uboot-script", metavar="FILE", help="write a U-Boot script")
    act.add_argument("--disk", metavar="FILE", help="write a U-Boot disk image")
    return ap


def vms_from_options(a):
    if a.config:
        if a.kernel:
            raise HandoverError("handover: --config and --kernel: give one of them")
        return read_config(a.config)
    if not a.kernel:
        raise HandoverError("handover: no --kernel and no --config: nothing to hand over")
    keys = {"kernel": a.kernel, "initrd": a.initrd, "dtb": a.dtb, "bootargs": a.bootargs,
            "vcpus": a.vcpus, "memory": a.memory, "cpus": a.cpus,
            "load_address": a.load_address, "ram_base": a.ram_base,
            "dtb_full": "yes" if a.dtb_full else "no", "vpl011": "no" if a.no_vpl011 else "yes"}
    keys = {k: v for k, v in keys.items() if v is not None}
    return [vm_from_keys(a.name, keys, "handover")], None, None


def main(argv):
    a = options().parse_args(argv)
    try:
        platform = platforms.current(a.arch)
        vms, smp, mem = vms_from_options(a)
        smp = parse_int(a.smp, "handover: --smp") if a.smp else smp
        mem = parse_size(a.mem, "handover: --mem") if a.mem else mem
        uboot = bool(a.uboot_script or a.disk)
        load_base = parse_int(a.load_base, "handover: --load-base") if a.load_base else None
        p = plan(platform, a.hyp, vms, smp, mem, a.hyp_bootargs, uboot, load_base)
        if a.uboot_script:
            with open(a.uboot_script, "w") as f:
                f.write(uboot_script(p, a.load_from))
            return 0
        if a.disk:
            make_disk(p, a.disk, a.out)
            print(shlex.join(uboot_argv(p, a.disk)))
            return 0
        argv = qemu_argv(p, a.out)
    except (HandoverError, KeyError) as e:
        print(e.args[0], file=sys.stderr)
        return 1
    print(shlex.join(argv), flush=True)
    if a.run:
        os.execvp(argv[0], argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
