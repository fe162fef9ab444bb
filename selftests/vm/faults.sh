# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Allocation failures injected into alttcp alone, for guest-runner.sh on a
# debug kernel (scripts/debug-kernel.sh). Sourced, not run.
#
# Two mechanisms, each limited to the module:
#  - failslab with cache-filter: only caches carrying SLAB_FAILSLAB fail,
#    and run.sh's slub_debug=A,alttcp*,ALTTCP gives that flag to alttcp's
#    object caches and its socket cache alone;
#  - fail_function on the module's allocators that are marked
#    ALLOW_ERROR_INJECTION (FAULT_FUNCS): its kmalloc'd buffers and skbs,
#    which come from caches everyone shares.
# (fail_page_alloc has no such filter on x86_64: its stack-trace filter
# depends on !X86_64, so it would fail the whole kernel's allocations.)

FAULT_DBG=/sys/kernel/debug
FAULT_FUNCS="alttcp_obj_alloc alttcp_alloc_payload"
FAULT_PERCENT=${ALTTCP_FAULT_PERCENT:-5}
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
	local f c

	[[ -d $FAULT_DBG/failslab && -d $FAULT_DBG/fail_function ]] ||
		{ echo "no failslab/fail_function in debugfs"; return 1; }
	for c in $(fault_slab_caches); do
		[[ $(cat "/sys/kernel/slab/$c/failslab") == 1 ]] ||
			{ echo "cache $c lacks SLAB_FAILSLAB (slub_debug=A)"; return 1; }
	done
	echo Y >"$FAULT_DBG/failslab/cache-filter" &&
		echo N >"$FAULT_DBG/failslab/ignore-gfp-wait" || return 1
	echo >"$FAULT_DBG/fail_function/inject"
	for f in $FAULT_FUNCS; do
		echo "$f" >"$FAULT_DBG/fail_function/inject" ||
			{ echo "fail_function refuses $f (not ALLOW_ERROR_INJECTION?)"; return 1; }
	done
	fault_attr_set fail_function && fault_attr_set failslab
}

# Turns injection off and prints "failslab=N fail_function=N" injected.
faults_off()
{
	local a n out=""

	for a in failslab fail_function; do
		echo 0 >"$FAULT_DBG/$a/probability"
		n=$(cat "$FAULT_DBG/$a/times")
		out+="$a=$((FAULT_BUDGET - n)) "
	done
	echo >"$FAULT_DBG/fail_function/inject"
	echo "${out% }"
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
