#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# alttcp's connection-management tunables on the real wire, shrunk so the
# test is quick, each checked by what the connection table shows and, for
# the SYN-ACK, by a capture:
#
#   synack_retries  B8   a half-open entry's SYN-ACK is retransmitted that
#                        often (1 s, 2 s apart), then the entry is dropped
#   fin_timeout     C5   an orphaned FIN_WAIT_2 is dropped after it
#   tw_timeout      C7   a 4-tuple in TIME_WAIT cannot be connected again
#                        until it has passed, then can
#   max_tw_buckets  C10  beyond N entries a closing connection skips
#                        TIME_WAIT, and TWOverflow counts it

. "$(dirname "$0")/lib.sh"

require_root
require_module
require_ctl
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
SYNFLOOD=${SYNFLOOD:-$ALTTCP_ROOT/selftests/synflood}
[ -x "$ALTTCP_CONNECT" ] && [ -x "$SYNFLOOD" ] ||
	skip_all "helpers not built (make -C selftests)"
command -v tcpdump >/dev/null || skip_all "tcpdump not installed"

OUT=$(mktemp -d)
veth_pair tm 10.0.11

ctl() { "$ALTTCPCTL" "$@"; }
# count NS FILTER...: entries of NS's connection table matching FILTER
count() { local ns=$1; shift; ctl -n "$ns" -j conn show "$@" | jq length; }
no_entries() { [ "$(count "$@")" -eq 0 ]; }
has_entries() { [ "$(count "$@")" -gt 0 ]; }
six_closes_done()
{
	local tw ovf

	tw=$(count "$C" state time-wait dport 7504) &&
		ovf=$(ctl -n "$C" -j stats | jq .TWOverflow) &&
		[ $((tw + ovf)) -ge 6 ]
}

tap_begin

# --- synack_retries: a SYN from an address that never answers (spoofed,
# routed back into the client's namespace, which drops it).
ip -n "$S" route add 10.99.0.0/16 via 10.0.11.1
ctl -n "$S" config set synack_retries 2
"$ALTTCP_CONNECT" -N "$S" -P alttcp -l 10.0.11.2 -p 7501 -t 30 \
	> "$OUT/synack-server" 2>&1 &
pids+=($!)
wait_for 10 grep -q listening "$OUT/synack-server"
ip netns exec "$S" tcpdump -i tm-s -nn -tt --immediate-mode -w "$OUT/synack.pcap" \
	'tcp src port 7501 and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)' \
	2>"$OUT/synack.tcpdump" &
pids+=($!)
wait_for 10 grep -q "listening on" "$OUT/synack.tcpdump"
ip netns exec "$C" "$SYNFLOOD" -d 10.0.11.2 -p 7501 -s 10.99.0.0/16 -n 1 -r 1 >/dev/null
check_cmd "synack_retries=2: the half-open entry is listed" \
	wait_for 5 has_entries "$S" state syn-recv sport 7501
check_cmd "synack_retries=2: and dropped (1 + 2 + 4 s)" \
	wait_for 12 no_entries "$S" state syn-recv sport 7501
kill "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null
times=$(tcpdump -r "$OUT/synack.pcap" -nn -tt 2>/dev/null | awk '{ print $1 }')
check_eq "synack_retries=2: one SYN-ACK and 2 retransmissions" \
	"$(echo "$times" | grep -c .)" 3
gaps=$(echo "$times" | awk 'NR > 1 { printf "%d ", ($1 - prev) * 1000 } { prev = $1 }')
echo "# SYN-ACK gaps (ms): $gaps"
read -r g1 g2 <<< "$gaps"
check_cmd "synack_retries=2: 1 s, then 2 s apart (+-30 %)" \
	test "${g1:-0}" -ge 700 -a "${g1:-0}" -le 1300 -a "${g2:-0}" -ge 1400 -a "${g2:-0}" -le 2600

# --- fin_timeout: the client closes, the Linux TCP server never does.
ctl -n "$C" config set fin_timeout 2
"$ALTTCP_CONNECT" -N "$S" -P tcp -l 10.0.11.2 -p 7502 --hold 20000 -t 30 \
	> "$OUT/fin-server" 2>&1 &
pids+=($!)
wait_for 10 grep -q listening "$OUT/fin-server"
"$ALTTCP_CONNECT" -N "$C" -P alttcp -c 10.0.11.2 -p 7502 -t 10 \
	> "$OUT/fin-client" 2>&1
check_cmd "fin_timeout=2: the orphan waits in FIN-WAIT-2" \
	has_entries "$C" state fin-wait-2 dport 7502
check_eq "fin_timeout=2: with the fin_wait2 timer" \
	"$(ctl -n "$C" -j conn show state fin-wait-2 dport 7502 | jq -r '.[0].timer.kind')" \
	fin_wait2
start=$(date +%s%N)
check_cmd "fin_timeout=2: then is dropped" \
	wait_for 6 no_entries "$C" state fin-wait-2 dport 7502
ms=$((($(date +%s%N) - start) / 1000000))
echo "# FIN_WAIT_2 left after $ms ms"
check_cmd "fin_timeout=2: after about 2 s" test "$ms" -le 3000

# --- tw_timeout: the same 4-tuple again, before and after TIME_WAIT.
ctl -n "$C" config set tw_timeout 2
"$ALTTCP_CONNECT" -N "$S" -P alttcp -l 10.0.11.2 -p 7503 -n 2 --wait-eof -t 30 \
	> "$OUT/tw-server" 2>&1 &
pids+=($!)
wait_for 10 grep -q listening "$OUT/tw-server"
"$ALTTCP_CONNECT" -N "$C" -P alttcp -c 10.0.11.2 -p 7503 -b 40503 -t 10 \
	> "$OUT/tw-client1" 2>&1
check_cmd "tw_timeout=2: the active closer holds TIME-WAIT" \
	has_entries "$C" state time-wait sport 40503
check_fails "tw_timeout=2: the 4-tuple cannot be connected again yet" "" \
	"$ALTTCP_CONNECT" -N "$C" -P alttcp -c 10.0.11.2 -p 7503 -b 40503 -t 10
check_cmd "tw_timeout=2: the entry expires" \
	wait_for 5 no_entries "$C" state time-wait sport 40503
check_cmd "tw_timeout=2: then the 4-tuple connects" \
	"$ALTTCP_CONNECT" -N "$C" -P alttcp -c 10.0.11.2 -p 7503 -b 40503 -t 10

# --- max_tw_buckets: six active closes, room for three.
wait_for 5 no_entries "$C" state time-wait
ctl -n "$C" config set max_tw_buckets 3 tw_timeout 30
ctl -n "$C" stats -z
"$ALTTCP_CONNECT" -N "$S" -P alttcp -l 10.0.11.2 -p 7504 -n 6 --wait-eof -t 30 \
	> "$OUT/mtw-server" 2>&1 &
pids+=($!)
wait_for 10 grep -q listening "$OUT/mtw-server"
for i in 1 2 3 4 5 6; do
	"$ALTTCP_CONNECT" -N "$C" -P alttcp -c 10.0.11.2 -p 7504 -t 10 \
		> "$OUT/mtw-client$i" 2>&1
done
# Every close has run its course once each of the six is a TIME-WAIT
# entry or an overflow (the server may be slow to close under TCG).
wait_for 20 six_closes_done
check_eq "max_tw_buckets=3: three TIME-WAIT entries" \
	"$(count "$C" state time-wait dport 7504)" 3
check_eq "max_tw_buckets=3: TWOverflow counts the other three" \
	"$(ctl -n "$C" -j stats | jq .TWOverflow)" 3

tap_end
