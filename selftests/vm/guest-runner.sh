#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test runner inside the VM (started by guest-init.sh in the chroot of the
# host root). Loads the module, runs each test kselftest-style and reports
# TAP on the console and in $ALTTCP_OUT/results.tap.
#
# usage: guest-runner.sh VM_ENV_FILE

# No "set -e": a failing test or helper must be reported, not end the run.
set -u

# vm.env from run.sh: KVER ALTTCP_ROOT ALTTCP_OUT ALTTCP_MODULE TEST_TIMEOUT
# RMMOD TESTS (space-separated names relative to selftests/) ...
# shellcheck source=/dev/null
. "$1"
export ALTTCP_ROOT ALTTCP_OUT ALTTCP_MODULE
export ALTTCP_VM=1
# shellcheck disable=SC2153  # TESTS comes from vm.env
read -ra tests <<<"$TESTS"

tap_file=$ALTTCP_OUT/results.tap
: >"$tap_file"
tap() {
	printf '%s\n' "$*"
	printf '%s\n' "$*" >>"$tap_file"
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# Results first, marker last: the host trusts the status file, and a human
# reading the console sees the marker only once everything is on disk.
finish() {
	dmesg >"$ALTTCP_OUT/dmesg.txt" 2>&1
	echo "$1" >"$ALTTCP_OUT/status"
	sync
	echo "ALTTCP-VM-DONE status=$1"
	exit "$1"
}

tap "TAP version 13"
# shellcheck disable=SC2153  # FAULT_TESTS comes from vm.env
read -ra fault_tests <<<"${FAULT_TESTS:-}"
tap "1..$((${#tests[@]} + ${#fault_tests[@]}))"

modname=""
if [[ -n $ALTTCP_MODULE ]]; then
	# insmod does not resolve dependencies; modprobe them from the host tree
	# so a module that needs e.g. nf_conntrack still loads.
	deps=$(modinfo -F depends "$ALTTCP_MODULE" 2>/dev/null)
	for d in ${deps//,/ }; do
		modprobe "$d" || { tap "Bail out! cannot load dependency $d of $ALTTCP_MODULE"; finish 1; }
	done
	if ! out=$(insmod "$ALTTCP_MODULE" 2>&1); then
		printf '# %s\n' "$out"
		tap "Bail out! insmod $ALTTCP_MODULE failed: $out"
		finish 1
	fi
	modname=$(modinfo -F name "$ALTTCP_MODULE" 2>/dev/null)
	[[ -n $modname ]] || modname=$(basename "$ALTTCP_MODULE" .ko)
	echo "# loaded $ALTTCP_MODULE ($modname), taint=$(cat /proc/sys/kernel/tainted)"
fi

# Debug kernel: kmemleak reports only what leaks from here on (boot's own
# suspects are cleared), scanned after the suite and after rmmod.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_scan()
{
	[[ ${DEBUG_CHECKS:-} == 1 && -w $KMEMLEAK ]] || return 0
	# An object must be 5 s old to be reported; two scans, as kmemleak's
	# documentation advises, drop transient false positives.
	sleep 6
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$ALTTCP_OUT/kmemleak-$1.txt"
	echo "# kmemleak after $1: $(grep -c '^unreferenced object' "$ALTTCP_OUT/kmemleak-$1.txt") suspect(s)"
}
if [[ ${DEBUG_CHECKS:-} == 1 && -w $KMEMLEAK ]]; then
	echo scan >"$KMEMLEAK"
	echo clear >"$KMEMLEAK"
fi
# The first lockdep or KASAN report (or any taint by them) turns lock
# debugging off for good: a run without it proves nothing about locking.
debug_locks() { awk '/debug_locks:/ { print $2 }' /proc/lockdep_stats 2>/dev/null; }
if [[ ${DEBUG_CHECKS:-} == 1 && $(debug_locks) != 1 ]]; then
	dmesg | grep -E 'BUG:|WARNING:' | head -n 5 | sed 's/^/# /'
	tap "Bail out! lock debugging is off before the first test (debug_locks=$(debug_locks))"
	finish 1
fi

echo "ALTTCP-VM-FIRST-TEST uptime=$(uptime_s)"

status=0
cd "$ALTTCP_ROOT/selftests" || { tap "Bail out! no $ALTTCP_ROOT/selftests"; finish 1; }

# One test: runs $1 (a name under selftests/) with its log in
# $ALTTCP_OUT/$2.log; sets rc and dt.
run_one()
{
	local t=$1 log=$ALTTCP_OUT/$2.log t0 tpid fpid

	t0=$(uptime_s)

	# The test writes straight to its log file (no pipe that a leftover
	# background child could hold open); tail follows the file for the
	# console and stops on its own once the test is gone.
	timeout --kill-after=10 "$TEST_TIMEOUT" bash "./$t" </dev/null >"$log" 2>&1 &
	tpid=$!
	tail -n +1 -s 0.2 -f --pid="$tpid" "$log" | sed -u 's/^/# /' &
	fpid=$!
	wait "$tpid"
	rc=$?
	wait "$fpid"

	# timeout made itself a process group leader: this reaps whatever the
	# test left running in the background (servers, tcpdump, sleeps), and
	# removing namespaces gives the next test a clean slate.
	kill -KILL -- "-$tpid" 2>/dev/null
	ip -all netns delete 2>/dev/null

	dt=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')
}

for i in "${!tests[@]}"; do
	n=$((i + 1))
	t=${tests[$i]}
	tap "# selftests: $t"
	run_one "$t" "${t//\//_}"
	case $rc in
	0) tap "ok $n $t" ;;
	4) tap "ok $n $t # SKIP" ;;
	124 | 137)
		tap "not ok $n $t # TIMEOUT ${TEST_TIMEOUT}s"
		status=1
		;;
	*)
		tap "not ok $n $t # exit=$rc"
		status=1
		;;
	esac
	tap "# $t: exit=$rc time=${dt}s"
done

# The fault pass (ALTTCP_VM_FAULTS): the tests again, with alttcp's
# allocations failing. Their own checks may fail (a connection refused for
# want of memory is a correct outcome); what is judged here is that each
# ends in time, applications see only errors a failed allocation may
# cause, and alttcp's slab objects return to the baseline. Kernel reports
# are judged by the host, as everywhere.
if ((${#fault_tests[@]} > 0)); then
	# shellcheck source=selftests/vm/faults.sh
	. "$ALTTCP_ROOT/selftests/vm/faults.sh"
	ip -all netns delete 2>/dev/null
	baseline=$(faults_slab_settle 0 || true)
	echo "# fault pass: alttcp slab objects before: $baseline"
fi
for i in "${!fault_tests[@]}"; do
	n=$((${#tests[@]} + i + 1))
	t=${fault_tests[$i]}
	tap "# selftests: $t under injected allocation failures"
	if ! why=$(faults_on 2>&1); then
		tap "not ok $n $t under faults # cannot inject: $why"
		status=1
		continue
	fi
	run_one "$t" "faults-${t//\//_}"
	injected=$(faults_off)
	log=$ALTTCP_OUT/faults-${t//\//_}.log
	bad_errors=$(grep -aoE "$FAULT_BAD_ERRORS" "$log" | sort | uniq -c | tr -s ' \n' ' ')
	now=$(faults_slab_settle "$baseline")
	settled=$?
	verdict="exit=$rc time=${dt}s injected: $injected; slab $baseline -> $now"
	if ((rc == 124 || rc == 137)); then
		tap "not ok $n $t under faults # TIMEOUT ($verdict)"
		status=1
	elif [[ -n $bad_errors ]]; then
		tap "not ok $n $t under faults # errors no allocation failure explains: $bad_errors($verdict)"
		status=1
	elif ((settled != 0)); then
		tap "not ok $n $t under faults # slab not back to baseline ($verdict)"
		status=1
	elif [[ $injected == "failslab=0" ]]; then
		tap "not ok $n $t under faults # nothing was injected ($verdict)"
		status=1
	else
		tap "ok $n $t under faults # $verdict"
	fi
done

kmemleak_scan suite

# Opt-in: unloading exercises the module's teardown path, where refcount
# and leak bugs show up as kernel warnings.
if [[ ${RMMOD:-0} == 1 && -n $modname ]]; then
	if ! out=$(rmmod "$modname" 2>&1); then
		echo "# rmmod $modname failed: $out"
		status=1
	fi
	kmemleak_scan rmmod
fi

echo "# kernel taint=$(cat /proc/sys/kernel/tainted)"
[[ ${DEBUG_CHECKS:-} == 1 ]] && echo "# lockdep: debug_locks=$(debug_locks) at the end"
finish "$status"
