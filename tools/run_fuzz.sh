#!/bin/sh
# Run each libFuzzer harness on its seed corpus: FUZZ_RUNS inputs each
# (make test), or FUZZ_SECONDS each when set (make fuzz). A crash leaves its
# input in OUT/crash-NAME-*; the last line is "N passed, N failed".
# Usage: run_fuzz.sh OUT NAME...
set -u
out=$1; shift
here=$(dirname "$0")/..
pass=0 fail=0
for name in "$@"; do
	corpus=$out/corpus/$name
	mkdir -p "$corpus"
	for seed in "$here"/tests/fuzz/seeds/"$name"/*; do
		case $seed in
		*.dts) dtc -q -I dts -O dtb -o "$corpus/$(basename "$seed" .dts).dtb" "$seed" ;;
		*) cp "$seed" "$corpus/" ;;
		esac
	done
	if [ -n "${FUZZ_SECONDS:-}" ]; then
		limit="-max_total_time=$FUZZ_SECONDS"
	else
		limit="-runs=${FUZZ_RUNS:-20000}"
	fi
	if "$out/fuzz_$name" "$limit" -seed=1 -max_len=65536 \
		-artifact_prefix="$out/crash-$name-" "$corpus" >"$out/$name.log" 2>&1; then
		echo "ok   fuzz $name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$out/$name.log")"
		pass=$((pass + 1))
	else
		tail -40 "$out/$name.log"
		echo "FAIL fuzz $name: see $out/$name.log and $out/crash-$name-*"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
