#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# B10/B11 on the real wire: a SYN flood of spoofed sources from a third
# party fills an alttcp listener's SYN queue.  With syncookies=1 legitimate
# clients (Linux TCP and alttcp) still connect and move data, and the cookie
# counters move; with syncookies=0 they cannot get in.  The flood is bounded
# in count and rate, and the spoofed range is routed to the test's own
# namespace, where it dies.

. "$(dirname "$0")/lib.sh"

require_root
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
SYNFLOOD=${SYNFLOOD:-$ALTTCP_ROOT/selftests/synflood}
[ -x "$ALTTCP_CONNECT" ] && [ -x "$SYNFLOOD" ] ||
	skip_all "helpers not built (make -C selftests)"
require_module
require_ctl

OUT=$(mktemp -d)

veth_pair sc 10.0.8
# SYN-ACKs to the spoofed sources go back to the attacker's namespace,
# which does not forward: they stop there.
ip -n "$S" route add 10.99.0.0/16 via 10.0.8.1

nsctl() { "$ALTTCPCTL" -n "$S" "$@"; }
stat_of() { nsctl -j stats | jq -r ".$1"; }
# the listener's SYN queue is full: it answers with cookies or drops
queue_full()
{
	[ "$(nsctl -j stats | jq '.SyncookiesSent + .ListenDrops')" -gt 0 ]
}

# flood SYNCOOKIES PORT: a listener with a small queue under 2000 SYNs
# (1000/s), and three legitimate clients connecting in the middle of it.
flood()
{
	local cookies=$1 port=$2 i

	nsctl config set syncookies "$cookies" max_syn_backlog 16
	nsctl stats -z
	"$ALTTCP_CONNECT" -N "$S" -P alttcp -l 10.0.8.2 -p "$port" \
		--backlog 8 -n 3 -r -e 10K -t 40 > "$OUT/server-$port" 2>&1 &
	pids+=($!)
	wait_for 10 grep -q listening "$OUT/server-$port" || return 1
	ip netns exec "$C" "$SYNFLOOD" -d 10.0.8.2 -p "$port" \
		-s 10.99.0.0/16 -n 2000 -r 1000 > "$OUT/flood-$port" 2>&1 &
	pids+=($!)
	# the clients come once the SYN queue is full, however late the flood
	wait_for 10 queue_full || return 1
	for i in tcp alttcp tcp; do
		"$ALTTCP_CONNECT" -N "$C" -P "$i" -c 10.0.8.2 -p "$port" \
			-s 10K --syncnt 2 -t 20 > "$OUT/client-$port-$i-$RANDOM" 2>&1 ||
			return 1
	done
}

tap_begin

if flood 1 7201; then
	tap_ok "syncookies=1: legitimate clients connect through the flood"
else
	tap_not_ok "syncookies=1: legitimate clients connect through the flood"
	tail -n 3 "$OUT"/client-7201-* | sed 's/^/#   /'
fi
wait "${pids[0]}"
nsctl stats | grep -v " 0$" | sed 's/^/# /'
check_eq "syncookies=1: the server got every byte" "$(grep -c 'received 10240 bytes ok' "$OUT/server-7201")" 3
check_cmd "SyncookiesSent rose" test "$(stat_of SyncookiesSent)" -gt 100
check_cmd "SyncookiesRecv counts the legitimate clients" test "$(stat_of SyncookiesRecv)" -ge 1
check_eq "no cookie failed" "$(stat_of SyncookiesFailed)" 0
wait
pids=()

if flood 0 7202; then
	tap_not_ok "syncookies=0: the flood keeps clients out"
else
	tap_ok "syncookies=0: the flood keeps clients out"
fi
check_eq "syncookies=0: no cookie sent" "$(stat_of SyncookiesSent)" 0
check_cmd "syncookies=0: SYNs dropped (ListenDrops)" test "$(stat_of ListenDrops)" -gt 0

tap_end
