#!/bin/sh
# Each freestanding libmmu.a may only need what the hypervisor provides
# (mmu/plat/hyp/pt_plat.h): no libc, no libgcc helpers such as outline atomics.
# Usage: check_freestanding.sh arch:cross-prefix:lib ...
allowed="memset memcpy hyp_log hyp_panic hyp_this_cpu"
pass=0 fail=0
for spec in "$@"; do
	arch=${spec%%:*}; rest=${spec#*:}; cross=${rest%%:*}; lib=${rest#*:}
	if [ ! -f "$lib" ]; then
		echo "FAIL freestanding $arch: $lib was not built"; fail=$((fail + 1)); continue
	fi
	defined=$("${cross}nm" --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort -u)
	bad=""
	for sym in $("${cross}nm" -u "$lib" | awk '$1 == "U" { print $2 }' | sort -u); do
		case " $allowed " in *" $sym "*) continue ;; esac
		echo "$defined" | grep -qx "$sym" && continue
		bad="$bad $sym"
	done
	if [ -n "$bad" ]; then
		echo "FAIL freestanding $arch: $lib needs$bad"; fail=$((fail + 1))
	else
		echo "ok   freestanding $arch: $lib needs only the platform header's symbols"; pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
