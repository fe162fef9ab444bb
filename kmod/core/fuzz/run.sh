#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and run the libFuzzer targets of the alttcp core.
#
#   run.sh build          build the targets (libFuzzer + ASan + UBSan)
#   run.sh fuzz           run each target FUZZ_SECONDS (60) with FUZZ_JOBS (1)
#                         jobs; exit 1 on any crash, leak, timeout or OOM
#   run.sh smoke          the same, FUZZ_SECONDS=4, from the seeds alone
#                         (make check-unit)
#   run.sh cov            replay the corpora in a coverage build and report
#                         the line coverage of kmod/core/*.c
#   run.sh seeds          regenerate the committed seed corpora
#   run.sh repro T FILE   run target T on one input, verbosely
#
# Environment: FUZZ_SECONDS, FUZZ_JOBS, FUZZ_TARGETS ("parse segments
# listener timewait api"), FUZZ_OUT (build/fuzz), FUZZ_ARGS (more libFuzzer
# flags), CC/CXX for the build (clang-14, clang++-14).
#
# Work files live under FUZZ_OUT: obj-fuzz/ and obj-cov/ (builds),
# corpus/<target>/ (the committed seeds, copied, plus everything the
# fuzzer adds), artifacts/<target>/ (crash-*, leak-*, timeout-*),
# logs/<target>/ and cov/ (profiles, report, HTML).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${FUZZ_OUT:-$root/build/fuzz}
case $out in /*) ;; *) out=$root/$out ;; esac
targets=${FUZZ_TARGETS:-parse segments listener timewait api}
jobs=${FUZZ_JOBS:-1}
cc=${CC:-clang-14}
cxx=${CXX:-clang++-14}
# make's default CC is cc, which is no clang.
case $cc in *clang*) ;; *) cc=clang-14 ;; esac
case $cxx in *clang*) ;; *) cxx=clang++-14 ;; esac
nproc=$(nproc 2>/dev/null || echo 2)

# Allocations made cheaper: no fill, a 16 MB quarantine (a run frees far
# less, so a use after free within it is still caught), no shadow unmaps
# or page releases (TLB shootdowns cost more than a run).
export ASAN_OPTIONS=${ASAN_OPTIONS:-max_malloc_fill_size=0:quarantine_size_mb=16:malloc_context_size=5:clear_shadow_mmap_threshold=1073741824:allocator_release_to_os_interval_ms=-1:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

die() { echo "run.sh: $*" >&2; exit 2; }
count() { find "$1" -mindepth 1 -maxdepth 1 | wc -l; }

build() {
	local mode=$1 dir=$out/obj-$1
	command -v "$cc" >/dev/null || die "$cc not found (make deps)"
	if [ ! -f "$dir/CMakeCache.txt" ]; then
		CC=$cc CXX=$cxx cmake -S "$here" -B "$dir" -DFUZZ_MODE="$mode" \
			-DCMAKE_BUILD_TYPE= >/dev/null
	fi
	cmake --build "$dir" -j"$nproc" -- --no-print-directory >/dev/null ||
		cmake --build "$dir" -j1
}

# libFuzzer flags per target: inputs up to max_len bytes, the dictionary.
flags_of() {
	local t=$1
	case $t in
	parse) echo "-max_len=256 -dict=$here/parse.dict" ;;
	*) echo "-max_len=1024" ;;
	esac
}

# "<execs> <exec/s> <cov> <ft>" from libFuzzer logs (jobs add up).
stats_of() {
	awk '
		/^stat::number_of_executed_units:/ { execs += $2 }
		/^stat::average_exec_per_sec:/ { rate += $2 }
		/cov: [0-9]+ ft: [0-9]+/ {
			for (i = 1; i <= NF; i++) {
				if ($i == "cov:" && $(i + 1) > cov) cov = $(i + 1)
				if ($i == "ft:" && $(i + 1) > ft) ft = $(i + 1)
			}
		}
		END { printf "%d %d %d %d\n", execs, rate, cov, ft }' "$@"
}

# fuzz SECONDS [smoke]: smoke runs start from the committed seeds alone,
# in a corpus of their own, so that they take the same time however much
# the work corpus has grown.
fuzz() {
	local secs=$1 smoke=${2:-} t bin log corpus art rc total=0 failed=0 e r c f n extra
	build fuzz
	mkdir -p "$out/logs"
	printf '%-10s %12s %9s %6s %7s %7s  %s\n' target executions exec/s cov: ft: corpus crashes \
		> "$out/summary.txt"
	for t in $targets; do
		bin=$out/obj-fuzz/fuzz_$t
		corpus=$out/${smoke:+smoke-}corpus/$t
		art=$out/artifacts/$t
		log=$out/logs/$t
		[ -z "$smoke" ] || rm -rf "$corpus"
		mkdir -p "$corpus" "$art" "$log"
		rm -f "$log"/*.log
		cp -n "$here/corpus/$t"/* "$corpus"/ 2>/dev/null || true
		echo "== fuzz_$t: ${secs}s, $jobs job(s), corpus $(count "$corpus") inputs"
		# shellcheck disable=SC2046,SC2086
		set -- $(flags_of "$t") -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
			-print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_ARGS:-}
		rc=0
		if [ "$jobs" -gt 1 ]; then
			(cd "$log" && "$bin" "$@" -jobs="$jobs" -workers="$jobs" "$corpus" \
				> fuzz.log 2>&1) || rc=$?
		else
			"$bin" "$@" "$corpus" > "$log/fuzz-0.log" 2>&1 || rc=$?
		fi
		read -r e r c f <<< "$(stats_of "$log"/fuzz-*.log)"
		n=$(count "$corpus")
		extra=$(count "$art")
		if [ "$rc" -ne 0 ] || [ "$extra" -ne 0 ] ||
		   grep -qE '^==[0-9]+==ERROR|alttcp fuzz invariant violated|deadly signal' "$log"/*.log; then
			failed=1
			[ "$extra" -ne 0 ] || extra=1
			grep -hE -A12 'alttcp fuzz invariant violated|^==[0-9]+==ERROR|^SUMMARY' \
				"$log"/*.log | head -60 >&2 || true
			echo "fuzz_$t: FAILED (exit $rc); inputs in $art, logs in $log" >&2
		fi
		total=$((total + e))
		printf '%-10s %12d %9d %6d %7d %7d  %d\n' "$t" "$e" "$r" "$c" "$f" "$n" "$extra" \
			>> "$out/summary.txt"
	done
	printf '%-10s %12d\n' total "$total" >> "$out/summary.txt"
	echo
	cat "$out/summary.txt"
	return $failed
}

cov() {
	local t bins="" first="" profiles=()
	build cov
	rm -rf "$out/cov"
	mkdir -p "$out/cov"
	for t in $targets; do
		local bin=$out/obj-cov/fuzz_$t
		echo "== replay fuzz_$t"
		LLVM_PROFILE_FILE=$out/cov/$t.profraw "$bin" "$here/corpus/$t" "$out/corpus/$t"
		profiles+=("$out/cov/$t.profraw")
		if [ -z "$first" ]; then first=$bin; else bins="$bins -object $bin"; fi
	done
	llvm-profdata-14 merge -sparse "${profiles[@]}" -o "$out/cov/all.profdata"
	# (llvm-cov warns of "mismatched data" for the harnesses' inline
	# functions, instantiated in each target alike; the core is one
	# library linked into all.)
	# shellcheck disable=SC2086
	llvm-cov-14 report "$first" $bins -instr-profile="$out/cov/all.profdata" \
		"$root"/kmod/core/*.c 2> >(grep -v 'mismatched data' >&2) | sed "s|$root/||" | tee "$out/cov/report.txt"
	# shellcheck disable=SC2086
	llvm-cov-14 show "$first" $bins -instr-profile="$out/cov/all.profdata" \
		-format=html -output-dir="$out/cov/html" "$root"/kmod/core/*.c 2> >(grep -v 'mismatched data' >&2)
	# shellcheck disable=SC2086
	llvm-cov-14 show "$first" $bins -instr-profile="$out/cov/all.profdata" \
		-show-line-counts-or-regions "$root"/kmod/core/*.c > "$out/cov/lines.txt" 2> >(grep -v 'mismatched data' >&2)
	echo "line coverage of kmod/core/*.c: $(awk '/^TOTAL/ { print $10 }' "$out/cov/report.txt")" \
	     "(per line: $out/cov/lines.txt, HTML: $out/cov/html/index.html)"
}

seeds() {
	local t
	build fuzz
	for t in $targets; do
		rm -rf "$here/corpus/$t"
		mkdir -p "$here/corpus/$t"
		ALTTCP_FUZZ_GEN=$here/corpus/$t "$out/obj-fuzz/fuzz_$t"
	done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
build) build fuzz ;;
fuzz) fuzz "${FUZZ_SECONDS:-60}" ;;
smoke) fuzz "${FUZZ_SECONDS:-4}" smoke ;;
cov) cov ;;
seeds) seeds ;;
repro)
	[ $# -eq 2 ] || die "usage: run.sh repro TARGET FILE"
	build fuzz
	ALTTCP_FUZZ_VERBOSE=1 "$out/obj-fuzz/fuzz_$1" "$2"
	;;
*) sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
