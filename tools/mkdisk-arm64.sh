#!/bin/sh
# Make a disk image U-Boot's distro boot starts the arm64 hypervisor from:
# an MBR partition table with one FAT partition holding the raw Image and a
# boot.scr that loads it to ${kernel_addr_r} and booti's it with U-Boot's
# own device tree.
# With BOOT_CMD, boot.scr is made from that U-Boot script instead (such as
# tools/handover.py writes), and each FILE=NAME is copied onto the
# partition as NAME: the modules that script loads (docs/guests.md).
# Usage: tools/mkdisk-arm64.sh IMAGE DISK [BOOT_CMD [FILE=NAME...]]
# Needs: sfdisk (fdisk), mformat/mcopy (mtools), mkimage (u-boot-tools).
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 IMAGE DISK [BOOT_CMD [FILE=NAME...]]" >&2
	exit 2
fi
image=$1
disk=$2
boot_cmd=${3:-}
shift 2
[ $# -gt 0 ] && shift

for tool in sfdisk mformat mcopy mkimage; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool is missing (Debian: fdisk, mtools, u-boot-tools)" >&2
		exit 1
	fi
done
[ -f "$image" ] || { echo "$0: no image at $image" >&2; exit 1; }
[ -z "$boot_cmd" ] || [ -f "$boot_cmd" ] || { echo "$0: no script at $boot_cmd" >&2; exit 1; }
size=0
for spec in "$@"; do
	file=${spec%=*}
	[ -f "$file" ] || { echo "$0: no file at $file" >&2; exit 1; }
	size=$((size + $(stat -c %s "$file")))
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "$boot_cmd" ]; then
	cp "$boot_cmd" "$tmp/boot.cmd"
else
	cat > "$tmp/boot.cmd" <<'SCRIPT'
echo "boot.scr: loading the hypervisor"
load virtio 0:1 ${kernel_addr_r} Image
booti ${kernel_addr_r} - ${fdtcontroladdr}
SCRIPT
fi
mkimage -A "${MKIMAGE_ARCH:-arm64}" -O linux -T script -C none -n "hyp boot" \
	-d "$tmp/boot.cmd" "$tmp/boot.scr" >/dev/null

# 34 MiB at least (FAT16 needs some clusters), else the files plus a margin.
mib=$(( (size + $(stat -c %s "$image")) / 1048576 + 16 ))
[ "$mib" -ge 34 ] || mib=34
rm -f "$disk"
truncate -s "${mib}M" "$disk"
echo 'start=2048, type=c' | sfdisk --quiet "$disk"
# mtools: the partition starts 1 MiB in.
export MTOOLS_SKIP_CHECK=1
mformat -i "$disk@@1M" -v HYP ::
mcopy -i "$disk@@1M" "$image" ::Image
mcopy -i "$disk@@1M" "$tmp/boot.scr" ::boot.scr
for spec in "$@"; do
	mcopy -i "$disk@@1M" "${spec%=*}" "::${spec##*=}"
done
