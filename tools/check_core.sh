#!/bin/sh
# Each freestanding libhyp.a (hyp/, the arch-neutral core) may need only
# what an arch provides through the contract in hyp/arch/*.h, the section
# symbols of the arch's linker script, the build's generated tables, and
# the walker (libmmu.a): nothing else of arch/, no libc, no libgcc.
# Usage: check_core.sh arch:cross-prefix:libhyp:libmmu ...
here=$(dirname "$0")/..
contract=$(grep -ho '\barch_[a-z0-9_]*(' "$here"/hyp/arch/*.h | tr -d '(' | sort -u)
allowed="$contract hyp_this_cpu _start _etext _erodata _end
	hyp_guest_images hyp_nr_guest_images vm_configs vm_nr_configs"
pass=0 fail=0
for spec in "$@"; do
	arch=${spec%%:*}; rest=${spec#*:}; cross=${rest%%:*}; rest=${rest#*:}
	lib=${rest%%:*}; mmu=${rest#*:}
	if [ ! -f "$lib" ] || [ ! -f "$mmu" ]; then
		echo "FAIL core $arch: $lib or $mmu was not built"; fail=$((fail + 1)); continue
	fi
	defined=$("${cross}nm" --defined-only "$lib" "$mmu" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u)
	bad=""
	for sym in $("${cross}nm" -u "$lib" | awk '$1 == "U" { print $2 }' | sort -u); do
		echo "$allowed" | tr ' \t' '\n\n' | grep -qx "$sym" && continue
		echo "$defined" | grep -qx "$sym" && continue
		bad="$bad $sym"
	done
	if [ -n "$bad" ]; then
		echo "FAIL core $arch: $lib needs$bad"; fail=$((fail + 1))
	else
		echo "ok   core $arch: $lib needs only the arch contract and the walker"; pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
