#!/usr/bin/env python3
# The seeds of fuzz_image (tests/fuzz/seeds/image): an arm64 and a RISC-V
# Linux Image header (Linux Documentation/arch/arm64/booting.rst,
# Documentation/riscv/boot-image-header.rst), two ELF64 executables
# (text, data with bss) and an ELF32 one (EM_386), each a few hundred bytes.
# Usage: image_seeds.py OUTDIR
import struct, sys, os

out = sys.argv[1]

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def arm64():
    hdr = struct.pack("<IIQQQQQQ4sI", 0x14000010, 0, 0, 0x30000, 0xa, 0, 0, 0, b"ARM\x64", 0)
    return hdr + bytes(range(64))

def riscv():
    hdr = struct.pack("<IIQQQIIQQ4sI", 0x0100006f, 0, 0x200000, 0x40000, 0, 0x2, 0, 0,
                      0x5643534952, b"RSC\x05", 0)
    return hdr + bytes(range(64))

def elf(machine, base):
    phnum, ehsize, phsize = 2, 64, 56
    text_off = ehsize + phnum * phsize
    text = bytes([0x1f, 0x20, 0x03, 0xd5]) * 8
    data = b"seed data"
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    eh = ident + struct.pack("<HHIQQQIHHHHHH", 2, machine, 1, base, ehsize, 0, 0, ehsize, phsize,
                             phnum, 0, 0, 0)
    ph1 = struct.pack("<IIQQQQQQ", 1, 5, text_off, base, base, len(text), len(text), 0x1000)
    data_off = text_off + len(text)
    ph2 = struct.pack("<IIQQQQQQ", 1, 6, data_off, base + 0x10000, base + 0x10000, len(data),
                      0x2000, 0x1000)
    return eh + ph1 + ph2 + text + data

def elf32(base):
    # An ELF32 EM_386 executable (x86's guests): one text segment with bss.
    ehsize, phsize = 52, 32
    text_off = ehsize + phsize
    text = bytes([0x90]) * 16 + b"\xf4"
    ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    eh = ident + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, base, ehsize, 0, 0, ehsize, phsize, 1,
                             0, 0, 0)
    ph = struct.pack("<IIIIIIII", 1, text_off, base, base, len(text), 0x3000, 7, 0x1000)
    return eh + ph + text

write("arm64-image", arm64())
write("riscv-image", riscv())
write("elf-aarch64", elf(183, 0x40080000))
write("elf-riscv", elf(243, 0x80200000))
write("elf-i386", elf32(0x200000))
