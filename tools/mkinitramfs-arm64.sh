#!/bin/sh
# An arm64 initramfs with Debian's static busybox as its only program:
#   tools/mkinitramfs-arm64.sh [DIR [test|shell]]   (DIR: build/debian-arm64)
# prints the archive's path (DIR/initramfs-VARIANT.cpio.gz) on its last line.
# busybox-static:arm64 is fetched with `apt-get download` into DIR (cached:
# a DIR that already holds its busybox uses it) and unpacked with `dpkg -x`;
# nothing comes from anywhere else. The archive (cpio newc, gzip; written by
# tools/mkcpio.py, no root needed) holds /bin/busybox, /dev/console and
# /init, a busybox sh script that mounts proc, sysfs and devtmpfs and prints
#   hyp-linux: userspace up
# then, for "test" (the default), runs /bin/vtime (tools/linux-vtime.c,
# built here with aarch64-linux-gnu-gcc: "hyp-linux: virtual time N ns",
# for tools/bench.py) and powers off at once (`poweroff -f`: PSCI
# SYSTEM_OFF); for "shell", runs an interactive shell on the console and
# powers off when it exits. The first fetch may need root (dpkg
# --add-architecture arm64, apt-get update), as tools/fetch-debian-kernel.sh.
# Every failure ends with one line naming the step that failed.
set -eu

PKG=busybox-static:arm64
dir=${1:-build/debian-arm64}
variant=${2:-test}
here=$(dirname "$0")
busybox=$dir/busybox-root/bin/busybox
out=$dir/initramfs-$variant.cpio.gz
MARKER="hyp-linux: userspace up"
TTY_MAJOR=5 CONSOLE_MINOR=1	# /dev/console (Documentation/admin-guide/devices.txt)

fail() {
	echo "mkinitramfs-arm64: FAILED: $*" >&2
	exit 1
}

case $variant in
test) last='/bin/vtime; poweroff -f' ;;
shell) last='setsid cttyhack sh; poweroff -f' ;;
*) fail "variant '$variant' is neither test nor shell" ;;
esac

apt_update() {
	[ "$(id -u)" = 0 ] || fail "apt's lists lack $PKG and only root can run apt-get update"
	echo "mkinitramfs-arm64: apt-get update" >&2
	apt-get update -qq >&2 || fail "apt-get update (is Debian's archive reachable?)"
}

download() {
	rm -f "$dir"/busybox-static_*.deb
	(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$PKG" >&2)
}

fetch_busybox() {
	for tool in apt-get dpkg; do
		command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (this needs Debian's apt and dpkg)"
	done
	if [ "$(dpkg --print-architecture)" != arm64 ] &&
	   ! dpkg --print-foreign-architectures | grep -qx arm64; then
		[ "$(id -u)" = 0 ] || fail "arm64 is not a dpkg architecture here; as root run: dpkg --add-architecture arm64 && apt-get update"
		dpkg --add-architecture arm64 || fail "dpkg --add-architecture arm64"
	fi
	if ! download; then
		apt_update
		download || fail "apt-get download $PKG (is Debian's archive reachable?)"
	fi
	deb=$(ls "$dir"/busybox-static_*_arm64.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || fail "apt-get download left no busybox-static .deb in $dir"
	rm -rf "$dir/busybox-root"
	dpkg -x "$deb" "$dir/busybox-root" || fail "dpkg -x $deb"
	[ -f "$busybox" ] || fail "$deb has no /bin/busybox"
}

mkdir -p "$dir" || fail "cannot create $dir"
[ -f "$busybox" ] || fetch_busybox
vtime=$dir/vtime
${CROSS:-aarch64-linux-gnu-}gcc -O2 -static -nostdlib -ffreestanding -fno-stack-protector \
	-Wall -Wextra -Werror -o "$vtime" "$here/linux-vtime.c" ||
	fail "cannot build $vtime from tools/linux-vtime.c (gcc-aarch64-linux-gnu)"

init=$dir/init-$variant
cat > "$init" <<INIT || fail "cannot write $init"
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "$MARKER"
$last
INIT

python3 "$here/mkcpio.py" "$out" \
	dir:bin dir:sbin dir:usr dir:usr/bin dir:usr/sbin dir:dev dir:proc dir:sys dir:tmp dir:root \
	"node:dev/console=c:$TTY_MAJOR:$CONSOLE_MINOR" \
	"file:bin/busybox=$busybox:755" "link:bin/sh=busybox" "file:bin/vtime=$vtime:755" \
	"file:init=$init:755" ||
	fail "tools/mkcpio.py $out"
echo "$out"
