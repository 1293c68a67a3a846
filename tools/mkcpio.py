#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a gzip-compressed cpio archive in the "newc" format the Linux
kernel unpacks as its initramfs (Documentation/driver-api/early-userspace/
buffer-format.rst), from a list of entries, without root: device nodes
are written as entries, not made on the host.

  mkcpio.py OUT.cpio.gz ENTRY...
  ENTRY: dir:PATH  file:PATH=HOSTFILE[:MODE]  node:PATH=c:MAJOR:MINOR
         link:PATH=TARGET

Owners are root, times zero, so the archive is the same on every run."""
import gzip
import os
import stat
import sys

NEWC_MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def pad4(n):
    return (4 - n % 4) % 4


def header(ino, mode, size, name, rmajor=0, rminor=0, nlink=1):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rmajor, rminor, len(name) + 1, 0]
    return NEWC_MAGIC + b"".join(b"%08x" % f for f in fields)


def entry(ino, mode, name, data=b"", rmajor=0, rminor=0):
    name_b = name.encode()
    hdr = header(ino, mode, len(data), name, rmajor, rminor) + name_b + b"\0"
    hdr += b"\0" * pad4(len(hdr))
    return hdr + data + b"\0" * pad4(len(data))


def parse(spec, ino):
    kind, _, rest = spec.partition(":")
    path, _, arg = rest.partition("=")
    path = path.lstrip("/")
    if kind == "dir":
        return entry(ino, stat.S_IFDIR | 0o755, path)
    if kind == "file":
        host, _, mode = arg.partition(":")
        with open(host, "rb") as f:
            data = f.read()
        perm = int(mode, 8) if mode else stat.S_IMODE(os.stat(host).st_mode)
        return entry(ino, stat.S_IFREG | perm, path, data)
    if kind == "node":
        typ, major, minor = arg.split(":")
        if typ != "c":
            raise ValueError(f"{spec}: only character nodes (c:MAJOR:MINOR)")
        return entry(ino, stat.S_IFCHR | 0o600, path, rmajor=int(major), rminor=int(minor))
    if kind == "link":
        return entry(ino, stat.S_IFLNK | 0o777, path, arg.encode())
    raise ValueError(f"{spec}: unknown entry kind {kind!r}")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out = b"".join(parse(spec, ino) for ino, spec in enumerate(argv[2:], start=1))
    out += entry(0, 0, TRAILER)
    with open(argv[1] + ".tmp", "wb") as f:
        f.write(gzip.compress(out, mtime=0))
    os.replace(argv[1] + ".tmp", argv[1])


if __name__ == "__main__":
    try:
        main(sys.argv)
    except (OSError, ValueError) as e:
        sys.exit(f"mkcpio: FAILED: {e}")
