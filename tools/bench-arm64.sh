#!/bin/sh
# SPDX-License-Identifier: MIT
# Deterministic arm64 figures: boot the hypervisor under QEMU with
# -icount shift=0,sleep=off (virtual time advances 1 ns per guest
# instruction, all CPUs share one clock and run in turn) and print only
# BENCH lines:
#   guest=bench, 1 CPU: per-operation costs from the guest's CNTVCT_EL0
#     (ns of virtual time = instructions: HVC round trip, 4 KiB stage-2
#     fault, emulated PL011 register write);
#   guest=memtouch at -smp 1 and 4: the virtual time for 8 MiB of RAM
#     faulted in (2048 stage-2 faults) and checked, spread over the vCPUs.
# Usage: tools/bench-arm64.sh [hyp.bin]   (default build/arm64/hyp.bin)
set -eu

IMAGE=${1:-build/arm64/hyp.bin}
TIMEOUT=${BENCH_TIMEOUT:-120}

[ -f "$IMAGE" ] || { echo "bench-arm64: $IMAGE is missing (make hyp-arm64)" >&2; exit 1; }

# $1 = CPUs, $2 = bootargs: the console, or a failure naming the run.
run() {
	out=$(timeout "$TIMEOUT" qemu-system-aarch64 \
		-M virt,virtualization=on,gic-version=3 -cpu max -smp "$1" -m 512M \
		-nographic -icount shift=0,sleep=off -kernel "$IMAGE" -append "$2" 2>&1) || {
		printf '%s\n' "$out" >&2
		echo "bench-arm64: QEMU failed (-smp $1, $2)" >&2
		exit 1
	}
	printf '%s\n' "$out"
}

# $1 = console, $2 = what must be in it.
need() {
	printf '%s\n' "$1" | grep -q "$2" || {
		printf '%s\n' "$1" >&2
		echo "bench-arm64: no \"$2\" in the console" >&2
		exit 1
	}
}

out=$(run 1 guest=bench)
for name in arm64_hvc_round_trip arm64_s2_fault_4k arm64_mmio_write; do
	need "$out" "BENCH $name "
done
printf '%s\n' "$out" | sed -n 's/^\[vm0\] \(BENCH .*\)\r*$/\1/p'

for cpus in 1 4; do
	out=$(run "$cpus" guest=memtouch)
	need "$out" "memtouch: 8 MiB ok"
	printf '%s\n' "$out" | sed -n \
		-e "s/^\[vm0\] memtouch: virtual time \([0-9]*\) ns\r*\$/BENCH arm64_memtouch_time_${cpus}cpu \1 ns/p" \
		-e "s/^\[vm0\] memtouch: 8 MiB ok, stage-2 faults \([0-9]*\)\r*\$/BENCH arm64_memtouch_faults_${cpus}cpu \1 faults/p"
done
