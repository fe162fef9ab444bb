#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the alttcp selftests: TAP output, exact-match checks,
# busy-waits and network namespaces that clean themselves up.  Source it.

# kselftest exit codes
readonly KSFT_PASS=0
readonly KSFT_FAIL=1
readonly KSFT_SKIP=4

ALTTCP_ROOT=${ALTTCP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ALTTCPCTL=${ALTTCPCTL:-$ALTTCP_ROOT/ctl/build/alttcpctl}
ALTTCP_MODULE=${ALTTCP_MODULE:-$ALTTCP_ROOT/build/kmod/$(uname -r)/kmod/alttcp.ko}
SYSCTL_DIR=/proc/sys/net/alttcp
# make check-debug's sanitizer kernels run the suite 5-25 times slower under
# TCG: bounds on how long a test waits for work to end scale with
# ALTTCP_TEST_WAIT_SCALE; the tolerances of timing checks never do, but for
# packetdrill.sh's (there Linux TCP runs the same timelines on the same clock).
WAIT_SCALE=${ALTTCP_TEST_WAIT_SCALE:-1}

tap_count=0
tap_failed=0
tap_namespaces=()

tap_begin()
{
	echo "TAP version 13"
}

tap_ok()
{
	tap_count=$((tap_count + 1))
	echo "ok $tap_count $*"
}

tap_not_ok()
{
	tap_count=$((tap_count + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_count $*"
}

tap_skip()
{
	tap_count=$((tap_count + 1))
	echo "ok $tap_count $1 # SKIP $2"
}

# Print the plan and leave with the kselftest status.
tap_end()
{
	echo "1..$tap_count"
	if [ "$tap_failed" -ne 0 ]; then
		echo "# $tap_failed of $tap_count failed"
		exit $KSFT_FAIL
	fi
	exit $KSFT_PASS
}

# The whole script cannot run here: say why and leave as kselftest skips.
skip_all()
{
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# check_eq DESCRIPTION ACTUAL EXPECTED
check_eq()
{
	if [ "$2" == "$3" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1"
		echo "#   expected: '$3'"
		echo "#   actual:   '$2'"
		return 1
	fi
}

# check_cmd DESCRIPTION CMD...: passes when CMD succeeds.
check_cmd()
{
	local desc=$1 out

	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
		echo "#   command failed: $*"
		printf '%s\n' "$out" | sed 's/^/#   /'
		return 1
	fi
}

# check_fails DESCRIPTION EXPECTED_STDERR CMD...: passes when CMD fails
# and prints exactly EXPECTED_STDERR (an empty one matches anything).
check_fails()
{
	local desc=$1 expect=$2 err

	shift 2
	if err=$("$@" 2>&1 >/dev/null); then
		tap_not_ok "$desc"
		echo "#   command succeeded: $*"
		return
	fi
	if [ -n "$expect" ] && [ "$err" != "$expect" ]; then
		tap_not_ok "$desc"
		echo "#   expected error: '$expect'"
		echo "#   actual error:   '$err'"
		return
	fi
	tap_ok "$desc"
}

# wait_for TIMEOUT_S CMD...: poll CMD until it succeeds, instead of sleeping
# a fixed time.  Returns 1 on timeout.
wait_for()
{
	local deadline=$(($(date +%s%N) / 1000000 + $1 * 1000))

	shift
	until "$@"; do
		if [ $(($(date +%s%N) / 1000000)) -ge "$deadline" ]; then
			return 1
		fi
		sleep 0.05
	done
}

# A network namespace with a unique name, deleted when the script exits.
ns_create()
{
	local name="$1-$$"

	ip netns add "$name" || return 1
	ip -n "$name" link set lo up
	tap_namespaces+=("$name")
	echo "$name"
}

ns_cleanup()
{
	local ns

	for ns in "${tap_namespaces[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	tap_namespaces=()
}

# A test's background jobs (pids+=($!)) and scratch directory (OUT), both
# gone when the script exits, however it exits.
pids=()
OUT=""
lib_cleanup()
{
	{ [ ${#pids[@]} -eq 0 ] || { kill -KILL "${pids[@]}" && wait; }; } 2>/dev/null
	pids=()
	ns_cleanup
	[ -z "$OUT" ] || rm -rf "$OUT"
}
trap lib_cleanup EXIT

# veth_pair TAG SUBNET: two namespaces joined by a veth, the client $C at
# SUBNET.1 and the server $S at SUBNET.2 (/24); TAG names the devices.
veth_pair()
{
	C=$1-c-$$
	S=$1-s-$$
	ip netns add "$C" && ip netns add "$S" || return 1
	tap_namespaces+=("$C" "$S")
	ip link add "$1-c" type veth peer name "$1-s" || return 1
	ip link set "$1-c" netns "$C"
	ip link set "$1-s" netns "$S"
	ip -n "$C" addr add "$2.1/24" dev "$1-c"
	ip -n "$S" addr add "$2.2/24" dev "$1-s"
	ip -n "$C" link set "$1-c" up
	ip -n "$S" link set "$1-s" up
	ip -n "$C" link set lo up
	ip -n "$S" link set lo up
}

module_loaded()
{
	[ -d /sys/module/alttcp ]
}

# Read a sysctl in the current namespace, or in NS with sysctl_get NAME NS.
sysctl_get()
{
	if [ -n "${2:-}" ]; then
		ip netns exec "$2" cat "$SYSCTL_DIR/$1"
	else
		cat "$SYSCTL_DIR/$1"
	fi
}

# Write a sysctl.  On failure print only the errno text that the kernel
# returned (e.g. "Invalid argument"), so that tests can match it exactly.
sysctl_set()
{
	local name=$1 err

	shift
	if ! err=$( (printf '%s\n' "$*" > "$SYSCTL_DIR/$name") 2>&1 ); then
		echo "${err##*: }" >&2
		return 1
	fi
}

require_root()
{
	[ "$(id -u)" -eq 0 ] || skip_all "needs root"
}

require_module()
{
	module_loaded || skip_all "alttcp module not loaded"
}

require_ctl()
{
	[ -x "$ALTTCPCTL" ] || skip_all "alttcpctl not built at $ALTTCPCTL"
}
