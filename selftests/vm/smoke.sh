#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Harness self-test: proves the VM gives tests what they rely on - network
# namespaces, veth, module autoload (netem), the repo at its host path and a
# writable results dir. Run it with: selftests/vm/run.sh -m '' vm/smoke.sh

set -u

KSFT_SKIP=4

# Creates namespaces and qdiscs: never on the host, only in the test VM.
if [[ ${ALTTCP_VM:-0} != 1 ]]; then
	echo "1..0 # SKIP not inside the alttcp test VM"
	exit "$KSFT_SKIP"
fi

ns1=smoke-a-$$
ns2=smoke-b-$$
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	ip netns del "$ns1" 2>/dev/null
	ip netns del "$ns2" 2>/dev/null
}
trap cleanup EXIT

n=0
rc=0
check() {
	local desc=$1
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		printf '# %s\n' "$out"
		rc=1
	fi
}

echo "TAP version 13"
echo "1..6"

check "repo visible at ALTTCP_ROOT" test -f "$ALTTCP_ROOT/selftests/vm/run.sh"
check "results dir writable" touch "$ALTTCP_OUT/smoke.touch"
check "two namespaces joined by veth" \
	bash -c "ip netns add $ns1 && ip netns add $ns2 &&
		ip link add veth-a netns $ns1 type veth peer name veth-b netns $ns2 &&
		ip -n $ns1 addr add 10.200.0.1/24 dev veth-a &&
		ip -n $ns2 addr add 10.200.0.2/24 dev veth-b &&
		ip -n $ns1 link set veth-a up && ip -n $ns2 link set veth-b up &&
		ip -n $ns1 link set lo up && ip -n $ns2 link set lo up"
# iputils ping is not installed everywhere (it is not on the build hosts);
# busybox-static is, and called by name its applet is what we want.
ping=(ping)
command -v ping >/dev/null || ping=(busybox ping)
check "ping across the veth" ip netns exec "$ns1" "${ping[@]}" -c1 -W5 10.200.0.2
check "netem qdisc (module autoload)" \
	ip netns exec "$ns1" tc qdisc add dev veth-a root netem delay 1ms
check "sch_netem was autoloaded" grep -qw '^sch_netem' /proc/modules

exit "$rc"
