#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Turn VM configuration files (guest-images/<arch>/configs/*.vm) into the
C table hyp/vm_config.h declares. One file is one configuration, named by
its file name without ".vm"; the hypervisor picks one with the bootarg
"config=NAME" ("default" without it).

A file is a list of VMs, each begun by "vm NAME" and followed by its keys,
one "key value" a line, '#' to the end of a line a comment:

    vm vm0
    guest hello                 # a guest image built in guest-images/<arch>
    ram_base 0x80000000         # guest-physical, 2 MiB aligned (default)
    ram_size 16M                # a 2 MiB multiple, any size the host has room for (default 16M)
    cpus 1-3                    # physical CPUs, vCPU i on the i-th; "all"
                                # (default): every CPU, for a lone VM only
    vcpus 3                     # with "cpus all": the first N CPUs;
                                # otherwise it must match the CPU count
    console pl011@0x09000000    # the emulated UART: KIND@ADDRESS

A console is pl011 or ns16550 (a 16550 UART) at a 4 KiB aligned
guest-physical ADDRESS outside RAM, or on x86_64 ns16550@port:PORT at an
8-aligned I/O port. The defaults depend on --arch (ARCH_DEFAULTS):

    arch     ram_base    console
    arm64    0x80000000  pl011@0x09000000    (QEMU virt's layout)
    riscv64  0x80000000  ns16550@0x10000000  (QEMU virt's layout)
    x86_64   0x00200000  ns16550@port:0x3f8  (COM1; RAM from 2 MiB, clear
                                              of the legacy first MiB)

Usage: vmconfig.py [--arch ARCH] --guests "hello fault ..." [--image-dir DIR]
                   -o OUT.c FILE...
Errors name the file and line ("FILE:LINE: error: ...") and exit 1.
"""
import argparse
import os
import re
import sys

MAX_VMS = 4            # HYP_MAX_VMS, hyp/vm.h
MAX_CPUS = 16          # HYP_MAX_CPUS, hyp/config.h
RAM_ALIGN = 2 << 20    # one stage-2 block
IPA_LIMIT = 1 << 40    # the stage-2 input size (arch/arm64/stage2.c)
UART_SIZE = 0x1000     # an MMIO console's page
PORT_LIMIT = 0x10000   # x86 I/O ports
PORT_ALIGN = 8         # a 16550's registers
ARCH_DEFAULTS = {
    "arm64": {"ram_base": 0x80000000, "console": "pl011@0x09000000"},
    "riscv64": {"ram_base": 0x80000000, "console": "ns16550@0x10000000"},
    "x86_64": {"ram_base": 0x00200000, "console": "ns16550@port:0x3f8"},
}
KEYS = ("ram_base", "ram_size", "cpus", "vcpus", "console")
CONSOLE_KINDS = {"pl011": "VM_CONSOLE_PL011", "ns16550": "VM_CONSOLE_NS16550"}
CONSOLE_PORT = "VM_CONSOLE_NS16550_PORT"
SUFFIXES = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,15}$")


class ConfigError(Exception):
    def __init__(self, path, line, msg):
        super().__init__(f"{path}:{line}: error: {msg}")


def parse_number(text, what, where):
    """A decimal or 0x number with an optional K/M/G suffix."""
    m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|[0-9]+)([KMG]?)", text)
    if not m:
        raise ConfigError(*where, f"{what}: malformed number {text!r} "
                          "(decimal or 0x hex, optional K/M/G suffix)")
    digits = m.group(1)
    value = int(digits[2:], 16) if digits[:2] in ("0x", "0X") else int(digits, 10)
    return value * SUFFIXES[m.group(2)]


def parse_cpus(text, where):
    """'all' -> None; '0,2' or '1-3' -> a sorted list of CPU indices."""
    if text == "all":
        return None
    cpus = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        first = parse_number(lo, "cpus", where)
        last = parse_number(hi, "cpus", where) if hi else first
        if last < first or last >= MAX_CPUS:
            raise ConfigError(*where, f"cpus: {part!r} is not a range of CPUs 0-{MAX_CPUS - 1}")
        for c in range(first, last + 1):
            if c in cpus:
                raise ConfigError(*where, f"cpus: CPU {c} named twice")
            cpus.append(c)
    return sorted(cpus)


def parse_port(kind, port, arch, where):
    if kind != "ns16550" or arch != "x86_64":
        raise ConfigError(*where, f"console: an I/O port is for ns16550 on x86_64, "
                          f"not {kind} on {arch}")
    base = parse_number(port, "console", where)
    if base % PORT_ALIGN or base + PORT_ALIGN > PORT_LIMIT:
        raise ConfigError(*where, f"console: port 0x{base:x} must be {PORT_ALIGN}-aligned, "
                          f"below 0x{PORT_LIMIT:x}")
    return CONSOLE_PORT, base


def parse_console(text, arch, where):
    """KIND@ADDRESS or KIND@port:PORT -> (the C kind, the base)."""
    kind, _, addr = text.partition("@")
    if kind not in CONSOLE_KINDS or not addr:
        raise ConfigError(*where, f"console: {text!r} is not KIND@ADDRESS with KIND "
                          f"{' or '.join(CONSOLE_KINDS)}")
    if addr.startswith("port:"):
        return parse_port(kind, addr[len("port:"):], arch, where)
    base = parse_number(addr, "console", where)
    if base % UART_SIZE:
        raise ConfigError(*where, f"console: 0x{base:x} is not 4 KiB aligned")
    return CONSOLE_KINDS[kind], base


def parse_guest(value, where, opts):
    if value not in opts.guests:
        raise ConfigError(*where, f"guest image {value!r} is missing "
                          f"(built guests: {', '.join(opts.guests)})")
    image = os.path.join(opts.image_dir or "", value + ".bin")
    if opts.image_dir and not os.path.isfile(image):
        raise ConfigError(*where, f"guest image {value!r} is missing: no {image}")
    return value


def parse_value(key, value, where, opts):
    if key == "guest":
        return parse_guest(value, where, opts)
    if key == "cpus":
        return parse_cpus(value, where)
    if key == "console":
        return parse_console(value, opts.arch, where)
    return parse_number(value, key, where)


def text_lines(path):
    """(number, text) of each line; a line that is not UTF-8 is an error."""
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise ConfigError(path, n, f"not UTF-8 text (byte 0x{raw[e.start]:02x})") from e


def parse_file(path, opts):
    vms = []
    for n, raw in text_lines(path):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        where = (path, n)
        if len(words) != 2:
            raise ConfigError(*where, f"expected \"key value\", got {raw.strip()!r}")
        key, value = words
        if key == "vm":
            if not NAME_RE.match(value):
                raise ConfigError(*where, f"bad VM name {value!r}")
            vms.append({"name": value, "line": n, "seen": {}})
            continue
        if key not in KEYS and key != "guest":
            raise ConfigError(*where, f"unknown key {key!r} (known: vm, guest, "
                              f"{', '.join(KEYS)})")
        if not vms:
            raise ConfigError(*where, f"{key!r} before the first \"vm NAME\" line")
        if key in vms[-1]["seen"]:
            raise ConfigError(*where, f"{key!r} given twice for {vms[-1]['name']} "
                              f"(first on line {vms[-1]['seen'][key]})")
        vms[-1]["seen"][key] = n
        vms[-1][key] = parse_value(key, value, where, opts)
    return vms


def defaults(arch):
    d = ARCH_DEFAULTS[arch]
    console = parse_console(d["console"], arch, ("--arch", arch))
    return {"ram_base": d["ram_base"], "ram_size": 16 << 20, "cpus": None,
            "vcpus": 0, "console": console}


def check_console(vm, where):
    kind, base = vm["console"]
    ram_base, ram_end = vm["ram_base"], vm["ram_base"] + vm["ram_size"]
    if kind != CONSOLE_PORT and base < ram_end and ram_base < base + UART_SIZE:
        raise ConfigError(*where, f"{vm['name']}: console 0x{base:x} must be outside RAM")


def check_vm(path, vm, arch):
    where = (path, vm["line"])
    for key, default in defaults(arch).items():
        vm.setdefault(key, default)
    if "guest" not in vm:
        raise ConfigError(*where, f"{vm['name']} has no \"guest IMAGE\" line")
    base, size = vm["ram_base"], vm["ram_size"]
    if not size or size % RAM_ALIGN or base % RAM_ALIGN:
        raise ConfigError(*where, f"{vm['name']}: RAM 0x{base:x} + 0x{size:x} must be "
                          f"2 MiB aligned, at least 2 MiB")
    if base + size > IPA_LIMIT:
        raise ConfigError(*where, f"{vm['name']}: RAM ends past the 40-bit IPA space")
    check_console(vm, where)
    nr = vm["vcpus"]
    if vm["cpus"] is None:
        if nr > MAX_CPUS:
            raise ConfigError(*where, f"{vm['name']}: vcpus {nr} > {MAX_CPUS}")
    elif nr and nr != len(vm["cpus"]):
        raise ConfigError(*where, f"{vm['name']}: vcpus {nr} but cpus names "
                          f"{len(vm['cpus'])} CPUs")


def check_config(path, vms, arch):
    if not vms:
        raise ConfigError(path, 1, "no \"vm NAME\" line")
    if len(vms) > MAX_VMS:
        raise ConfigError(path, vms[MAX_VMS]["line"], f"more than {MAX_VMS} VMs")
    owner, names = {}, set()
    for vm in vms:
        check_vm(path, vm, arch)
        where = (path, vm["seen"].get("cpus", vm["line"]))
        if vm["name"] in names:
            raise ConfigError(path, vm["line"], f"VM name {vm['name']!r} used twice")
        names.add(vm["name"])
        if vm["cpus"] is None and len(vms) > 1:
            raise ConfigError(*where, f"{vm['name']}: \"cpus all\" (the default) "
                              "only for a configuration of one VM")
        for c in vm["cpus"] or []:
            if c in owner:
                raise ConfigError(*where, f"{vm['name']}: CPU {c} is {owner[c]}'s already")
            owner[c] = vm["name"]


def c_vm(vm):
    mask = sum(1 << c for c in vm["cpus"] or [])
    return (f"\t{{ .name = \"{vm['name']}\", .guest = \"{vm['guest']}\",\n"
            f"\t  .ram_base = 0x{vm['ram_base']:x}ull, .ram_size = 0x{vm['ram_size']:x}ull,\n"
            f"\t  .console_kind = {vm['console'][0]}, .console_base = 0x{vm['console'][1]:x}ull,\n"
            f"\t  .cpus = 0x{mask:x}u, .nr_vcpus = {vm['vcpus']}u }},\n")


def emit(configs):
    out = ["/* Generated by tools/vmconfig.py from " +
           ", ".join(p for _, p, _ in configs) + ": do not edit. */\n",
           "#include \"vm_config.h\"\n\n"]
    for i, (_, _, vms) in enumerate(configs):
        out.append(f"static const struct vm_config_vm config{i}_vms[] = {{\n")
        out.extend(c_vm(vm) for vm in vms)
        out.append("};\n\n")
    out.append("const struct vm_config vm_configs[] = {\n")
    for i, (name, _, vms) in enumerate(configs):
        out.append(f"\t{{ \"{name}\", {len(vms)}u, config{i}_vms }},\n")
    out.append("};\n\n")
    out.append(f"const u32 vm_nr_configs = {len(configs)}u;\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", choices=ARCH_DEFAULTS, default="arm64",
                    help="whose defaults (default arm64)")
    ap.add_argument("--guests", required=True, help="the built guest images' names")
    ap.add_argument("--image-dir", help="where NAME.bin must exist")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    args.guests = args.guests.split()
    configs = []
    try:
        for path in sorted(args.files):
            name = os.path.basename(path)[:-len(".vm")] if path.endswith(".vm") else None
            if not name or not NAME_RE.match(name):
                raise ConfigError(path, 1, "a configuration file is NAME.vm")
            vms = parse_file(path, args)
            check_config(path, vms, args.arch)
            configs.append((name, path, vms))
        if "default" not in [c[0] for c in configs]:
            raise ConfigError(args.files[0], 1, "no default.vm among the configurations")
    except (ConfigError, OSError) as e:
        print(e, file=sys.stderr)
        return 1
    text = emit(configs)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
