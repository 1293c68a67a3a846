#!/bin/sh
# The Debian packages this project builds and tests with, and nothing else.
#   deps.sh install  install every missing one (apt-get as root), or print the
#                    exact apt-get line to run and fail
#   deps.sh ensure   the same, silent when nothing is missing
set -eu

PKGS="make gcc libc6-dev python3 \
gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu \
qemu-system-arm qemu-system-misc qemu-system-x86 \
bochs bochs-term bochsbios vgabios \
opensbi u-boot-qemu u-boot-tools device-tree-compiler \
grub-pc-bin grub-common xorriso mtools fdisk \
libcmocka-dev python3-pytest python3-pexpect clang libclang-rt-14-dev"

# On a non-amd64 host the x86-64 cross compiler is a package of its own.
if command -v dpkg >/dev/null 2>&1 && [ "$(dpkg --print-architecture)" != amd64 ]; then
	PKGS="$PKGS gcc-x86-64-linux-gnu"
fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done

if [ -z "$missing" ]; then
	[ "${1:-install}" = ensure ] || echo "deps: every package is installed"
	exit 0
fi

line="apt-get install -y$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root:  apt-get update && $line" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing
