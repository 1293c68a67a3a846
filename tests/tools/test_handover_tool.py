# SPDX-License-Identifier: MIT
"""tools/handover.py on the host, no emulator: where it places the
modules and how much RAM it asks for, the /chosen nodes it writes (in
Xen's dom0less binding), its U-Boot script, its CONFIG file format and its
error lines. The boot tests (tests/boot/test_handover.py) boot the result."""
import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import handover  # noqa: E402
import platforms  # noqa: E402

MiB = 1 << 20
ARM64 = platforms.PLATFORMS["arm64"]
H = ARM64.handover


def file_of(tmp_path, name, size, head=b""):
    path = tmp_path / name
    path.write_bytes(head + bytes(size - len(head)))
    return str(path)


def hyp_image(tmp_path, image_size=0x273000):
    """A file with the arm64 Image header: its image_size counts, not its length."""
    head = bytearray(64)
    head[16:24] = image_size.to_bytes(8, "little")
    head[56:60] = b"ARM\x64"
    return file_of(tmp_path, "hyp.bin", 4096, bytes(head))


def test_modules_aligned_clear_of_hypervisor_and_dtb(tmp_path):
    """2 MiB aligned, after the hypervisor's image_size, never in QEMU's DTB window."""
    vms = [handover.VM(f"vm{i}", file_of(tmp_path, f"k{i}", 40 * MiB + 1),
                       initrd=file_of(tmp_path, f"i{i}", 3 * MiB)) for i in range(3)]
    p = handover.plan(ARM64, hyp_image(tmp_path), vms)
    hyp_end = ARM64.ram_base + H.hyp_offset + 0x273000
    dtb = (ARM64.ram_base + H.dtb_offset, ARM64.ram_base + H.dtb_offset + H.dtb_room)
    spans = sorted((m.addr, m.addr + m.size) for m in p.modules)
    assert all(a % (2 * MiB) == 0 for a, _ in spans)
    assert spans[0][0] >= hyp_end
    assert all(e <= s2 for (_, e), (s2, _) in zip(spans, spans[1:])), spans
    assert all(e <= dtb[0] or s >= dtb[1] for s, e in spans), spans


def test_memory_holds_every_vm(tmp_path):
    """-m holds what is below the last module plus every VM's RAM and a margin."""
    vms = [handover.VM("a", file_of(tmp_path, "k", 4096), memory=1 << 30),
           handover.VM("b", file_of(tmp_path, "k2", 4096), memory=256 * MiB)]
    p = handover.plan(ARM64, hyp_image(tmp_path), vms)
    top = max(m.addr + m.size for m in p.modules) - ARM64.ram_base
    assert p.mem >= max(top, H.dtb_offset + H.dtb_room) + (1 << 30) + 256 * MiB
    assert p.mem % MiB == 0 and p.smp == 2
    one = handover.plan(ARM64, hyp_image(tmp_path), vms[1:])
    assert one.mem == handover.MIN_HOST_MEM


RISCV = platforms.PLATFORMS["riscv64"]


def riscv_image(tmp_path, name, image_size, magic=True, magic2=True):
    """A file with the RISC-V Image header (with its deprecated magic, magic2 or both)."""
    head = bytearray(64)
    head[16:24] = image_size.to_bytes(8, "little")
    if magic:
        head[48:56] = b"RISCV\0\0\0"
    if magic2:
        head[56:60] = b"RSC\x05"
    return file_of(tmp_path, name, 4096, bytes(head))


def test_riscv_image_size_and_magic(tmp_path):
    """RISC-V Images (either magic) count by image_size; cleared, they are raw files."""
    for magic, magic2 in ((True, True), (True, False), (False, True)):
        path = riscv_image(tmp_path, f"rv{magic}{magic2}", 0x456000, magic, magic2)
        assert handover.image_size(path) == 0x456000
        data = handover.clear_image_magic(bytearray(open(path, "rb").read()))
        assert not handover.is_image(bytes(data))


def test_riscv_dtb_at_top_of_ram(tmp_path):
    """QEMU's RISC-V virt puts its tree at the top of RAM: the modules stay below it."""
    vm = handover.VM("vm1", file_of(tmp_path, "k", 5 * MiB), initrd=file_of(tmp_path, "i", MiB),
                     memory=64 * MiB)
    p = handover.plan(RISCV, riscv_image(tmp_path, "hyp", 0x470000), [vm])
    lo, hi = handover.dtb_window(RISCV, p.mem)
    assert hi == RISCV.ram_base + p.mem and hi - lo == RISCV.handover.dtb_room
    assert p.modules[0].addr >= RISCV.ram_base + RISCV.handover.hyp_offset + 0x470000
    assert all(m.addr + m.size <= lo for m in p.modules)


def test_riscv_dtb_below_3gib_splits_ram(tmp_path):
    """Past 3 GiB the tree stays below it: the RAM above holds every VM's."""
    vms = [handover.VM("big", file_of(tmp_path, "k", 4096), memory=1 << 30),
           handover.VM("two", file_of(tmp_path, "k2", 4096), memory=512 * MiB)]
    p = handover.plan(RISCV, riscv_image(tmp_path, "hyp", 0x470000), vms)
    lo, hi = handover.dtb_window(RISCV, p.mem)
    assert hi == RISCV.handover.dtb_top
    assert RISCV.ram_base + p.mem - hi >= (1 << 30) + 512 * MiB + handover.HYP_MARGIN
    assert all(m.addr + m.size <= lo for m in p.modules)


def props(p):
    return {(node, prop): (kind, values) for node, prop, kind, values in handover.chosen_props(p)}


def test_chosen_binding(tmp_path):
    vm = handover.VM("vm1", file_of(tmp_path, "k", 100), initrd=file_of(tmp_path, "i", 7),
                     dtb=file_of(tmp_path, "d", 9), dtb_full=True, bootargs="a b",
                     vcpus=2, memory=128 * MiB, cpus=[1, 2], load_address=0x40080000,
                     ram_base=0x80000000)
    p = handover.plan(ARM64, hyp_image(tmp_path), [vm])
    k, i, d = p.modules
    got = props(p)
    assert got[("/chosen/vm1", "compatible")] == ("s", ["xen,domain"])
    assert got[("/chosen/vm1", "memory")] == ("x", [0, 131072])
    assert got[("/chosen/vm1", "cpus")] == ("x", [2])
    assert got[("/chosen/vm1", "vpl011")] == ("", [])
    assert got[("/chosen/vm1", "hyp,cpus")] == ("x", [1, 2])
    assert got[("/chosen/vm1", "hyp,ram-base")] == ("x", [0, 0x80000000])
    kn = f"/chosen/vm1/module@{k.addr:x}"
    assert got[(kn, "compatible")] == ("s", ["multiboot,kernel", "multiboot,module"])
    assert got[(kn, "reg")] == ("x", [0, k.addr, 0, 100])
    assert got[(kn, "bootargs")] == ("s", ["a b"])
    assert got[(kn, "hyp,load-address")] == ("x", [0, 0x40080000])
    assert got[(f"/chosen/vm1/module@{i.addr:x}", "compatible")][1][0] == "multiboot,ramdisk"
    assert got[(f"/chosen/vm1/module@{d.addr:x}", "hyp,full-device-tree")] == ("", [])
    assert p.smp == 3


def test_nodes_created_in_reverse(tmp_path):
    """fdtput -c and fdt mknode put a new node first: created backwards, they end in order."""
    vms = [handover.VM(n, file_of(tmp_path, n, 10), initrd=file_of(tmp_path, n + "i", 10))
           for n in ("vm1", "vm2")]
    p = handover.plan(ARM64, hyp_image(tmp_path), vms)
    nodes = handover.chosen_nodes(p)
    assert nodes[:2] == ["/chosen/vm2", "/chosen/vm1"]
    k1, i1 = p.modules[:2]
    assert nodes[2:4] == [f"/chosen/vm1/module@{i1.addr:x}", f"/chosen/vm1/module@{k1.addr:x}"]


def test_uboot_script(tmp_path):
    vm = handover.VM("vm1", file_of(tmp_path, "k", 100), bootargs='say "hi"')
    p = handover.plan(ARM64, hyp_image(tmp_path), [vm], uboot=True)
    lines = handover.uboot_script(p).splitlines()
    hyp_at = ARM64.ram_base + H.uboot_hyp_offset
    k = p.modules[0]
    assert f"load virtio 0:1 0x{hyp_at:x} Image" in lines
    assert f"load virtio 0:1 0x{k.addr:x} vm1-kernel" in lines
    assert k.addr >= hyp_at + 0x273000
    assert lines.index("fdt addr ${fdtcontroladdr}") < lines.index("fdt mknode /chosen vm1")
    assert "fdt set /chosen/vm1 \\#address-cells <0x2>" in lines
    assert f'fdt set /chosen/vm1/module@{k.addr:x} bootargs "say \\"hi\\""' in lines
    assert "fdt set /chosen/vm1 vpl011" in lines
    assert lines[-1] == f"booti 0x{hyp_at:x} - ${{fdtcontroladdr}}"


def test_config_file(tmp_path):
    file_of(tmp_path, "Image", 10)
    cfg = tmp_path / "vms.cfg"
    cfg.write_text("# two VMs\nsmp 4\nmem 2G\n\nvm vm1\nkernel Image\nbootargs a # b\n"
                   "memory 64M\nvcpus 2\ncpus 0-1\n\nvm vm2\nkernel Image\nvpl011 no\n"
                   "load_address 0x40080000\n")
    vms, smp, mem = handover.read_config(str(cfg))
    assert (smp, mem) == (4, 2 << 30)
    assert [v.name for v in vms] == ["vm1", "vm2"]
    assert vms[0].kernel == str(tmp_path / "Image") and vms[0].bootargs == "a # b"
    assert (vms[0].memory, vms[0].vcpus, vms[0].cpus) == (64 * MiB, 2, [0, 1])
    assert not vms[1].vpl011 and vms[1].load_address == 0x40080000


@pytest.mark.parametrize("text,error", [
    ("kernel x\n", ":1: 'kernel' before the first \"vm NAME\" line"),
    ("vm a\nbootargs x\n", ":1: a: no kernel"),
    ("vm a\nkernel x\ncolour red\n", ":1: a: unknown key 'colour'"),
    ("vm a\nkernel x\nmemory big\n", ":1: a: memory: 'big' is not a size"),
    ("vm a\nkernel x\ncpus 1-\n", ":1: a: cpus: '1-' is not a list of CPU indexes"),
    ("smp two\nvm a\nkernel x\n", ":1: smp: 'two' is not a number"),
    ("# nothing\n", ": no \"vm NAME\" line"),
])
def test_config_errors(tmp_path, text, error):
    cfg = tmp_path / "bad.cfg"
    cfg.write_text(text)
    with pytest.raises(handover.HandoverError) as e:
        handover.read_config(str(cfg))
    assert e.value.args[0].startswith(str(cfg) + error), e.value.args[0]


@pytest.mark.parametrize("vm,error", [
    (dict(name="vm1", kernel="/no/such"), "handover: vm1: kernel /no/such: no such file"),
    (dict(name="vm1", kernel="K", initrd="/no/i"), "handover: vm1: initrd /no/i: no such file"),
    (dict(name="vm1", kernel="EMPTY"), "handover: vm1: kernel EMPTY: empty file"),
    (dict(name="bad name", kernel="K"), "handover: VM name 'bad name': letters, digits"),
    (dict(name="vm1", kernel="K", vcpus=0), "handover: vm1: vcpus 0: at least 1"),
    (dict(name="vm1", kernel="K", memory=1000), "handover: vm1: memory must be"),
])
def test_plan_errors(tmp_path, vm, error):
    k = file_of(tmp_path, "K", 10)
    (tmp_path / "EMPTY").write_bytes(b"")
    for key in ("kernel", "initrd"):
        if vm.get(key) in ("K", "EMPTY"):
            vm[key] = k if vm[key] == "K" else str(tmp_path / "EMPTY")
    error = error.replace("EMPTY", str(tmp_path / "EMPTY"))
    with pytest.raises(handover.HandoverError) as e:
        handover.plan(ARM64, hyp_image(tmp_path), [handover.VM(**vm)])
    assert e.value.args[0].startswith(error), e.value.args[0]


def test_two_vms_same_name(tmp_path):
    k = file_of(tmp_path, "K", 10)
    with pytest.raises(handover.HandoverError, match="two VMs are named a"):
        handover.plan(ARM64, hyp_image(tmp_path), [handover.VM("a", k), handover.VM("a", k)])
