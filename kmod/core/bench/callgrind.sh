#!/bin/sh
# Instructions per segment of the core, measured with callgrind on a
# back-to-back bulk transfer (both the sender's and the receiver's work,
# divided by the segments sent in either direction).
#
# usage: kmod/core/bench/callgrind.sh [MiB]   (default 8)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$here/build
mib=${1:-8}
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Count only the transfer, not setup: collect inside CallgrindRun's Send.
valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
	--toggle-collect='*Send*' \
	"$build/core_bench" --callgrind "$mib" >"$out/stdout" 2>"$out/stderr"
segs=$(awk '/^segments/ {print $2}' "$out/stdout")
ir=$(callgrind_annotate "$out/cg" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
# Self cost of the core's own functions (no libc memcpy, no harness).
core=$(callgrind_annotate --threshold=100 --auto=no "$out/cg" 2>/dev/null |
	awk '/\/kmod\/core\/[a-z_]+\.c:/ {gsub(",", "", $1); s += $1} END {print s + 0}')
echo "segments:            $segs"
echo "instructions total:  $ir"
echo "instructions/segment, everything (payload copies, harness): $((ir / segs))"
echo "instructions/segment, core code only:                       $((core / segs))"
echo "top functions:"
callgrind_annotate "$out/cg" 2>/dev/null | sed -n '/Ir/,$p' | head -25
