# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Allocation failures injected into alttcp alone, for guest-runner.sh on a
# debug kernel (scripts/debug-kernel.sh). Sourced, not run.
#
# failslab with cache-filter: only caches carrying SLAB_FAILSLAB fail, and
# run.sh's slub_debug=A,alttcp*,ALTTCP gives that flag to alttcp's object
# caches (connections, requests, TIME_WAIT entries) and its socket cache
# alone. Its kmalloc'd buffers and skbs come from caches the whole kernel
# shares, so they are not failed.
#
# Not used, and why:
#  - fail_function (kprobe-based) on alttcp's allocators: on 6.1 its
#    should_fail_ex() draws a random number under the kprobe's int3, which
#    lockdep sees as NMI context: "inconsistent {INITIAL USE} -> {IN-NMI}
#    usage" on batched_entropy_u8.lock, the kernel's report, not alttcp's,
#    and it turns lockdep off for the rest of the run;
#  - fail_page_alloc: on x86_64 it has no stack-trace filter (that
#    depends on !X86_64), so it would fail the whole kernel's allocations.

FAULT_DBG=/sys/kernel/debug
FAULT_PERCENT=${ALTTCP_FAULT_PERCENT:-10}
# A budget instead of "forever" so that what was injected can be counted.
FAULT_BUDGET=100000000

fault_slab_caches() { awk '/^(alttcp_|ALTTCP )/ { print $1 }' /proc/slabinfo; }

# alttcp's objects in use; shrinking first, as SLUB counts per-CPU free
# objects as active until then (selftests/many.sh does the same).
fault_slab_objects()
{
	local c

	for c in $(fault_slab_caches); do
		echo 1 >"/sys/kernel/slab/$c/shrink" 2>/dev/null
	done
	awk '/^(alttcp_|ALTTCP )/ { n += $2 } END { print n + 0 }' /proc/slabinfo
}

fault_attr_set()
{
	local dir=$FAULT_DBG/$1

	echo "$FAULT_PERCENT" >"$dir/probability" &&
		echo 1 >"$dir/interval" &&
		echo "$FAULT_BUDGET" >"$dir/times" &&
		echo 0 >"$dir/space" &&
		echo 0 >"$dir/verbose"
}

# Prints what is wrong and fails if the kernel cannot inject.
faults_on()
{
	local c

	[[ -d $FAULT_DBG/failslab ]] || { echo "no failslab in debugfs"; return 1; }
	for c in $(fault_slab_caches); do
		[[ $(cat "/sys/kernel/slab/$c/failslab") == 1 ]] ||
			{ echo "cache $c lacks SLAB_FAILSLAB (slub_debug=A)"; return 1; }
	done
	echo Y >"$FAULT_DBG/failslab/cache-filter" &&
		echo N >"$FAULT_DBG/failslab/ignore-gfp-wait" &&
		fault_attr_set failslab
}

# Turns injection off and prints "failslab=N" injected.
faults_off()
{
	local n

	echo 0 >"$FAULT_DBG/failslab/probability"
	n=$(cat "$FAULT_DBG/failslab/times")
	echo "failslab=$((FAULT_BUDGET - n))"
}

# Errors applications saw, from a test's log: the kinds a failed
# allocation may surface as are expected; these never are.
# shellcheck disable=SC2034  # read by guest-runner.sh
FAULT_BAD_ERRORS='Bad address|Unknown error|Input/output error'

# Waits (bounded) for alttcp's slab objects to return to $1.
faults_slab_settle()
{
	local now

	for _ in $(seq 1 60); do
		now=$(fault_slab_objects)
		((now <= $1)) && { echo "$now"; return 0; }
		sleep 1
	done
	echo "$now"
	return 1
}
