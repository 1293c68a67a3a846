#!/bin/sh
# Make a disk image U-Boot's distro boot starts the arm64 hypervisor from:
# an MBR partition table with one FAT partition holding the raw Image and a
# boot.scr that loads it to ${kernel_addr_r} and booti's it with U-Boot's
# own device tree.
# Usage: tools/mkdisk-arm64.sh IMAGE DISK
# Needs: sfdisk (fdisk), mformat/mcopy (mtools), mkimage (u-boot-tools).
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 IMAGE DISK" >&2
	exit 2
fi
image=$1
disk=$2

for tool in sfdisk mformat mcopy mkimage; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool is missing (Debian: fdisk, mtools, u-boot-tools)" >&2
		exit 1
	fi
done
[ -f "$image" ] || { echo "$0: no image at $image" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/boot.cmd" <<'SCRIPT'
echo "boot.scr: loading the hypervisor"
load virtio 0:1 ${kernel_addr_r} Image
booti ${kernel_addr_r} - ${fdtcontroladdr}
SCRIPT
mkimage -A arm64 -O linux -T script -C none -n "hyp boot" \
	-d "$tmp/boot.cmd" "$tmp/boot.scr" >/dev/null

rm -f "$disk"
truncate -s 34M "$disk"
echo 'start=2048, type=c' | sfdisk --quiet "$disk"
# mtools: the partition starts 1 MiB in.
export MTOOLS_SKIP_CHECK=1
mformat -i "$disk@@1M" -v HYP ::
mcopy -i "$disk@@1M" "$image" ::Image
mcopy -i "$disk@@1M" "$tmp/boot.scr" ::boot.scr
