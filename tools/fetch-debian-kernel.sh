#!/bin/sh
# Fetch Debian's arm64 cloud kernel and leave an uncompressed arm64 Image:
#   tools/fetch-debian-kernel.sh [DIR]      (DIR: build/debian-arm64)
# prints the Image's path (DIR/Image) on its last line. Only Debian's own
# archive is used, through apt: linux-image-cloud-arm64 is a meta package,
# so the versioned linux-image-6.1.0-N-cloud-arm64 it depends on is
# resolved (apt-cache depends), fetched with `apt-get download`, unpacked
# with `dpkg -x`; its /boot/vmlinuz-* is gzip-compressed on arm64 and is
# gunzipped. A DIR that already holds the Image is used as it is.
# The first run needs root (dpkg --add-architecture arm64, apt-get update).
# Every failure ends with one line naming the step that failed.
set -eu

META=linux-image-cloud-arm64:arm64
dir=${1:-build/debian-arm64}
image=$dir/Image
ARM64_IMAGE_MAGIC=41524d64	# "ARM\x64" at offset 56 of an arm64 Image (booting.rst)

fail() {
	echo "fetch-debian-kernel: FAILED: $*" >&2
	exit 1
}

# The Image header's magic, as hex.
image_magic() {
	od -An -tx1 -j56 -N4 "$1" 2>/dev/null | tr -d ' \n'
}

if [ -s "$image" ] && [ "$(image_magic "$image")" = "$ARM64_IMAGE_MAGIC" ]; then
	echo "fetch-debian-kernel: cached: $(cat "$dir/VERSION" 2>/dev/null || echo '?')"
	echo "$image"
	exit 0
fi

for tool in apt-get apt-cache dpkg dpkg-deb od gunzip; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (this needs Debian's apt and dpkg)"
done

# arm64 packages are visible to apt once arm64 is a foreign architecture.
if [ "$(dpkg --print-architecture)" != arm64 ] &&
   ! dpkg --print-foreign-architectures | grep -qx arm64; then
	[ "$(id -u)" = 0 ] || fail "arm64 is not a dpkg architecture here; as root run: dpkg --add-architecture arm64 && apt-get update"
	dpkg --add-architecture arm64 || fail "dpkg --add-architecture arm64"
fi

# The versioned image package the meta package depends on, from apt's lists.
resolve() {
	apt-cache depends "$META" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*-cloud-arm64\)\(:arm64\)\{0,1\}$/\1/p' |
		head -n 1
}

apt_update() {
	[ "$(id -u)" = 0 ] || fail "apt's lists lack $META and only root can run apt-get update"
	echo "fetch-debian-kernel: apt-get update" >&2
	apt-get update -qq >&2 || fail "apt-get update (is Debian's archive reachable?)"
}

mkdir -p "$dir" || fail "cannot create $dir"
pkg=$(resolve)
if [ -z "$pkg" ]; then
	apt_update
	pkg=$(resolve)
	[ -n "$pkg" ] || fail "apt-cache depends $META names no linux-image-*-cloud-arm64 package (is the arm64 archive in apt's sources?)"
fi

# Old lists may name a version the archive no longer has: update once and retry.
download() {
	rm -f "$dir"/*.deb
	(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$pkg:arm64" >&2)
}
if ! download; then
	apt_update
	pkg=$(resolve)
	[ -n "$pkg" ] || fail "after apt-get update, $META names no versioned image package"
	download || fail "apt-get download $pkg:arm64 (is Debian's archive reachable?)"
fi

deb=$(ls "$dir"/"$pkg"_*_arm64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "apt-get download left no $pkg .deb in $dir"
rm -rf "$dir/root"
dpkg -x "$deb" "$dir/root" || fail "dpkg -x $deb"
vmlinuz=$(ls "$dir"/root/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] || fail "$deb has no /boot/vmlinuz-*"

# arm64 kernels do not decompress themselves: Debian ships the Image gzipped.
if [ "$(od -An -tx1 -N2 "$vmlinuz" | tr -d ' \n')" = 1f8b ]; then
	gunzip -c "$vmlinuz" > "$image.tmp" || fail "gunzip $vmlinuz"
else
	cp "$vmlinuz" "$image.tmp" || fail "cp $vmlinuz"
fi
[ "$(image_magic "$image.tmp")" = "$ARM64_IMAGE_MAGIC" ] ||
	fail "$vmlinuz is not an arm64 Image (no ARM\\x64 magic at offset 56)"
mv "$image.tmp" "$image"
dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb" > "$dir/VERSION"
echo "fetch-debian-kernel: $(cat "$dir/VERSION")"
echo "$image"
