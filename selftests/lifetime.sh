#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's lifetime against its sockets: rmmod is refused while an
# alttcp socket exists and succeeds once none does, even with connections
# still closing (orphans, TIME_WAIT) that need no socket; deleting a
# namespace with live connections leaves nothing behind.

. "$(dirname "$0")/lib.sh"

require_root
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
[ -x "$ALTTCP_CONNECT" ] || skip_all "$ALTTCP_CONNECT not built (make -C selftests)"
[ -f "$ALTTCP_MODULE" ] || skip_all "no module at $ALTTCP_MODULE"
module_loaded || insmod "$ALTTCP_MODULE"

OUT=$(mktemp -d)


# A connection that stays open: server and client hold it for a minute.
hold_connection()
{
	local c=$1 s=$2 tag=$3

	"$ALTTCP_CONNECT" -N "$s" -P alttcp -l 10.0.9.2 -p 7100 \
		--hold 60000 -t 90 > "$OUT/$tag-server" 2>&1 &
	pids+=($!)
	wait_for 10 grep -q listening "$OUT/$tag-server" || return 1
	"$ALTTCP_CONNECT" -N "$c" -P alttcp -c 10.0.9.2 -p 7100 \
		-s 100K --hold 60000 -t 90 > "$OUT/$tag-client" 2>&1 &
	pids+=($!)
	wait_for 10 grep -q connected "$OUT/$tag-client"
}

refcount() { cat /sys/module/alttcp/refcnt; }

tap_begin

veth_pair lt1 10.0.9
# Not under check_cmd: its subshell would lose the pids.
if hold_connection "$C" "$S" one; then
	tap_ok "a connection is up"
else
	tap_not_ok "a connection is up"
fi
check_cmd "the module is pinned by its sockets" test "$(refcount)" -gt 0
check_fails "rmmod is refused while sockets exist" "" rmmod alttcp
check_cmd "and the module is still loaded" module_loaded

# Killed processes: the kernel closes their sockets (C14); the connections
# finish without them, so the module is free to go.
{ kill -KILL "${pids[@]}" && wait; } 2>/dev/null
pids=()
check_eq "closing the sockets unpins the module" "$(refcount)" 0
check_cmd "rmmod succeeds with connections still closing" rmmod alttcp
check_cmd "insmod again" insmod "$ALTTCP_MODULE"
ns_cleanup

# A namespace deleted while its connections are live.
veth_pair lt2 10.0.9
if hold_connection "$C" "$S" two; then
	tap_ok "a connection in fresh namespaces"
else
	tap_not_ok "a connection in fresh namespaces"
fi
ip netns del "$C"
ip netns del "$S"
{ kill -KILL "${pids[@]}" && wait; } 2>/dev/null
pids=()
tap_namespaces=()
unpinned() { [ "$(refcount)" -eq 0 ]; }
check_cmd "the namespaces' sockets are gone" wait_for 20 unpinned
check_cmd "rmmod after the namespaces died" rmmod alttcp
check_cmd "insmod again for the tests after this one" insmod "$ALTTCP_MODULE"

tap_end
