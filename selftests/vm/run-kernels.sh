#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the VM selftests once per kernel, each boot with the module built for
# that kernel, and report every kernel's TAP totals apart, then the sum.
#
# usage: selftests/vm/run-kernels.sh [-o OUTDIR] KVER=MODULE.ko... [-- TEST...]
#
# Results of kernel KVER land in OUTDIR/KVER (default build/vm/KVER).  Every
# kernel runs even when an earlier one failed; the exit status is 0 only
# when all passed.

set -uo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$VM_DIR/../.." && pwd -P)

usage() {
	echo "usage: $0 [-o OUTDIR] KVER=MODULE.ko... [-- TEST...]" >&2
	exit 2
}

outdir=$REPO/build/vm
if [[ ${1:-} == -o ]]; then
	[[ $# -ge 2 ]] || usage
	outdir=$2
	shift 2
fi
kernels=()
while (($# > 0)) && [[ $1 != -- ]]; do
	[[ $1 == ?*=?* ]] || usage
	kernels+=("$1")
	shift
done
[[ ${1:-} == -- ]] && shift
((${#kernels[@]} > 0)) || { echo "vm: error: no kernel given (make deps installs them)" >&2; exit 2; }

declare -A totals=([passed]=0 [failed]=0 [skipped]=0)
summary=()
rc=0
for pair in "${kernels[@]}"; do
	kver=${pair%%=*}
	ko=${pair#*=}
	echo "vm: ===== kernel $kver ====="
	log=$(mktemp)
	ALTTCP_VM_KVER=$kver "$VM_DIR/run.sh" -m "$ko" -o "$outdir/$kver" "$@" 2>&1 | tee "$log"
	krc=${PIPESTATUS[0]}
	line=$(grep -E '^vm: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1)
	rm -f "$log"
	if [[ -z $line ]]; then
		line="vm: 0 passed, 1 failed, 0 skipped"
		krc=1
	fi
	read -r _ p _ f _ s _ <<<"${line//,/}"
	totals[passed]=$((totals[passed] + p))
	totals[failed]=$((totals[failed] + f))
	totals[skipped]=$((totals[skipped] + s))
	status=ok
	((krc == 0)) || { status=FAILED; rc=1; }
	summary+=("$(printf '%-26s %5d passed, %d failed, %d skipped  %s' "$kver" "$p" "$f" "$s" "$status")")
done

echo
echo "vm: per kernel"
for l in "${summary[@]}"; do echo "vm:   $l"; done
echo "vm: ${totals[passed]} passed, ${totals[failed]} failed, ${totals[skipped]} skipped"
exit $rc
