#!/bin/sh
# Each freestanding library may only need what the hypervisor provides
# (mmu/plat/hyp/pt_plat.h): no libc, no libgcc helpers such as outline
# atomics. A spec's fourth field names a library whose symbols count as
# provided too; -a adds allowed symbols, -k and -m name the check and say
# what passing means.
# Usage: check_freestanding.sh [-k KIND] [-m TEXT] [-a SYMS] arch:cross-prefix:lib[:lib2] ...
kind=freestanding
meaning="needs only the platform header's symbols"
allowed="memset memcpy hyp_log hyp_panic hyp_this_cpu arch_zero_pages"
while getopts k:m:a: opt; do
	case $opt in
	k) kind=$OPTARG ;;
	m) meaning=$OPTARG ;;
	a) allowed="$allowed $OPTARG" ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
pass=0 fail=0
for spec in "$@"; do
	arch=${spec%%:*}; rest=${spec#*:}; cross=${rest%%:*}; libs=$(echo "${rest#*:}" | tr : ' ')
	lib=${libs%% *}
	missing=""
	for l in $libs; do [ -f "$l" ] || missing="$missing $l"; done
	if [ -n "$missing" ]; then
		echo "FAIL $kind $arch:$missing not built"; fail=$((fail + 1)); continue
	fi
	# shellcheck disable=SC2086
	defined=$("${cross}nm" --defined-only $libs 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u)
	bad=""
	for sym in $("${cross}nm" -u "$lib" | awk '$1 == "U" { print $2 }' | sort -u); do
		case " $allowed " in *" $sym "*) continue ;; esac
		echo "$defined" | grep -qx "$sym" && continue
		bad="$bad $sym"
	done
	if [ -n "$bad" ]; then
		echo "FAIL $kind $arch: $lib needs$bad"; fail=$((fail + 1))
	else
		echo "ok   $kind $arch: $lib $meaning"; pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
