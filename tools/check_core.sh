#!/bin/sh
# Each freestanding libhyp.a (hyp/, the arch-neutral core) may need only
# what an arch provides through the contract in hyp/arch/*.h, the section
# symbols of the arch's linker script, the build's generated tables, and
# the walker (libmmu.a): nothing else of arch/, no libc, no libgcc.
# Usage: check_core.sh arch:cross-prefix:libhyp:libmmu ...
here=$(dirname "$0")
contract=$(grep -ho '\barch_[a-z0-9_]*(' "$here"/../hyp/arch/*.h | tr -d '(' | sort -u | tr '\n' ' ')
exec "$here"/check_freestanding.sh -k core -m "needs only the arch contract and the walker" \
	-a "$contract _start _etext _erodata _end hyp_guest_images hyp_nr_guest_images vm_configs vm_nr_configs" \
	"$@"
