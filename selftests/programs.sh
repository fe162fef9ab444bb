#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified programs on alttcp through `alttcpctl run` (LD_PRELOAD): curl
# fetches a file from python3's http.server, each of them also against a
# Linux TCP peer, and iperf3 measures each way (Mbit/s as diagnostics;
# under TCG the figures say little).  The data must
# arrive intact, the listener must be an alttcp one (alttcpctl conn show,
# not ss), and the connections must land in the alttcp counters of the
# wrapped side only, never in Linux TCP's (/proc/net/snmp).  A wrapped
# program's UDP, UNIX and IPv6 sockets stay what they were.
#
# Two namespaces joined by a veth: client $C 10.0.12.1, server $S 10.0.12.2.

. "$(dirname "$0")/lib.sh"

require_root
require_module
require_ctl
PY=/usr/bin/python3
for t in curl iperf3 jq sha256sum ss "$PY"; do
	command -v "$t" >/dev/null || skip_all "$t not installed"
done

OUT=$(mktemp -d)
SADDR=10.0.12.2
veth_pair pg 10.0.12 || skip_all "cannot make namespaces"

run() { "$ALTTCPCTL" run "$@"; }

# counters ARRAY: fill the associative ARRAY with the open (and for the
# diagnostics the retransmission and PAWS) counters of both sides, alttcp's
# and Linux TCP's (the Tcp: lines of /proc/net/snmp), keyed
# SIDE:A|L:NAME, e.g. C:A:ActiveOpens.  Few processes: each is slow in TCG.
declare -A BEFORE NOW
counters()
{
	local -n arr=$1
	local side k v i hdr=() val=()

	arr=()
	for side in C S; do
		while read -r k v; do
			arr[$side:A:$k]=$v
		done < <("$ALTTCPCTL" -n "${!side}" stats show ActiveOpens PassiveOpens \
			RetransSegs PAWSRejected)
		{ read -ra hdr; read -ra val; } < <(ip netns exec "${!side}" grep '^Tcp:' /proc/net/snmp)
		for i in "${!hdr[@]}"; do
			arr[$side:L:${hdr[i]}]=${val[i]}
		done
	done
}
snap() { counters BEFORE; }

# check_moved DESC "C:A:ActiveOpens=1 S:L:PassiveOpens=0 ...": each counter
# moved by exactly that much since snap.  Leaves the new values in NOW.
check_moved()
{
	local desc=$1 w k got=()

	counters NOW
	for w in $2; do
		k=${w%=*}
		got+=("$k=$((${NOW[$k]:-0} - ${BEFORE[$k]:-0}))")
	done
	check_eq "$desc" "${got[*]}" "$2"
}

# listening NS PORT: an alttcp listener on PORT in NS.  linux_listening
# NS PORT: a Linux TCP one.
listening()
{
	"$ALTTCPCTL" -n "$1" -j conn show state listen sport "$2" |
		jq -e --argjson p "$2" 'any(.[]; .local_port == $p)' >/dev/null
}
linux_listening() { [ -n "$(ip netns exec "$1" ss -Htln "sport = :$2")" ]; }

# http_server NAME PORT WRAPPER...: python3's http.server on $OUT/www in
# the background, its pid in NAME_pid.
http_server()
{
	local name=$1 port=$2

	shift 2
	"$@" "$PY" -S -m http.server --bind "$SADDR" --directory "$OUT/www" "$port" \
		> "$OUT/$name.log" 2>&1 &
	pids+=($!)
	eval "${name}_pid=$!"
}

# fetch DESC PORT WRAPPER...: curl the blob from $SADDR:PORT, in $C through
# WRAPPER, and compare its hash.
fetch()
{
	local desc=$1 port=$2 got

	shift 2
	rm -f "$OUT/got"
	if ! "$@" timeout 60 curl -sS --max-time 45 -o "$OUT/got" \
		"http://$SADDR:$port/blob" > "$OUT/curl.log" 2>&1; then
		tap_not_ok "$desc"
		sed 's/^/#   /' "$OUT/curl.log"
		return 1
	fi
	got=$(sha256sum < "$OUT/got")
	check_eq "$desc" "${got%% *}" "$BLOB_SHA"
}

tap_begin

# python3 takes seconds to start in TCG: both servers start first, one on
# alttcp, one on Linux TCP, and come up while the socket checks run.
mkdir "$OUT/www"
head -c 4M /dev/urandom > "$OUT/www/blob"
BLOB_SHA=$(sha256sum < "$OUT/www/blob")
BLOB_SHA=${BLOB_SHA%% *}
http_server alt 8080 run -n "$S" --
http_server linux 8081 ip netns exec "$S"

# --- Which sockets the wrapper turns into alttcp ---------------------------
read -r -d '' PROTO_PY <<'EOF'
import socket
def proto(*a):
    try:
        s = socket.socket(*a)
    except OSError as e:
        return "err" + str(e.errno)
    with s:
        return str(s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))
print("tcp=" + proto(socket.AF_INET, socket.SOCK_STREAM),
      "tcp,6=" + proto(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP),
      "tcp,nonblock=" + proto(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK),
      "udp=" + proto(socket.AF_INET, socket.SOCK_DGRAM),
      "unix=" + proto(socket.AF_UNIX, socket.SOCK_STREAM),
      "ipv6=" + proto(socket.AF_INET6, socket.SOCK_STREAM))
EOF
check_eq "run: IPv4 TCP sockets become alttcp, UDP/UNIX/IPv6 ones do not" \
	"$(run -n "$C" -- timeout 30 "$PY" -S -c "$PROTO_PY" 2>&1)" \
	"tcp=253 tcp,6=253 tcp,nonblock=253 udp=17 unix=0 ipv6=6"
check_eq "without run the same sockets are Linux TCP" \
	"$(ip netns exec "$C" timeout 30 "$PY" -S -c "$PROTO_PY" 2>&1)" \
	"tcp=6 tcp,6=6 tcp,nonblock=6 udp=17 unix=0 ipv6=6"

# --- curl and http.server, both under run ----------------------------------
if wait_for 40 listening "$S" 8080; then
	tap_ok "http.server under run listens on alttcp (conn show state listen)"
else
	tap_not_ok "http.server under run listens on alttcp (conn show state listen)"
	sed 's/^/#   /' "$OUT/alt.log"
fi
check_cmd "and not on Linux TCP (ss -tln)" eval '! linux_listening "$S" 8080'
snap
fetch "alttcp curl <- alttcp http.server: 4 MiB intact" 8080 run -n "$C" --
check_moved "one alttcp connection each side, no Linux TCP one" \
	"C:A:ActiveOpens=1 S:A:PassiveOpens=1 C:L:ActiveOpens=0 S:L:PassiveOpens=0"

# --- Each against Linux TCP -------------------------------------------------
wait_for 40 linux_listening "$S" 8081 || sed 's/^/#   /' "$OUT/linux.log"
snap
fetch "alttcp curl <- Linux TCP http.server: 4 MiB intact" 8081 run -n "$C" --
check_moved "alttcp counters on the client, Linux TCP's on the server" \
	"C:A:ActiveOpens=1 S:A:PassiveOpens=0 C:L:ActiveOpens=0 S:L:PassiveOpens=1"

snap
fetch "Linux TCP curl <- alttcp http.server: 4 MiB intact" 8080 ip netns exec "$C"
check_moved "Linux TCP counters on the client, alttcp's on the server" \
	"C:A:ActiveOpens=0 S:A:PassiveOpens=1 C:L:ActiveOpens=1 S:L:PassiveOpens=0"

kill -TERM "$alt_pid" "$linux_pid" 2>/dev/null
gone() { ! kill -0 "$alt_pid" 2>/dev/null && ! kill -0 "$linux_pid" 2>/dev/null; }
wait_for 10 gone || kill -KILL "$alt_pid" "$linux_pid" 2>/dev/null

# --- iperf3 each way, both under run ---------------------------------------
# iperf DESC PORT received|sent [-R]: a one-shot server and a 3 s client;
# the third argument is what the server counts.
iperf()
{
	local dir=$1 port=$2 own=$3 desc json sent recv mbps rtx

	shift 3
	desc="iperf3 $dir over alttcp"
	snap
	run -n "$S" -- iperf3 -s -1 -B "$SADDR" -p "$port" -J \
		> "$OUT/iperf-s-$port.json" 2> "$OUT/iperf-s-$port.err" &
	pids+=($!)
	local spid=$!
	if ! wait_for 30 listening "$S" "$port"; then
		tap_not_ok "$desc: server listens"
		cat "$OUT/iperf-s-$port".* | sed 's/^/#   /'
		return
	fi
	run -n "$C" -- timeout 60 iperf3 -c "$SADDR" -p "$port" -t 3 \
		--connect-timeout 10000 -J "$@" > "$OUT/iperf-c-$port.json" \
		2> "$OUT/iperf-c-$port.err"
	json=$OUT/iperf-c-$port.json
	sent=$(jq -r '.end.sum_sent.bytes // 0' "$json" 2>/dev/null)
	recv=$(jq -r '.end.sum_received.bytes // 0' "$json" 2>/dev/null)
	mbps=$(jq -r '(.end.sum_received.bits_per_second // 0) / 1e6 |
		. * 10 | floor / 10' "$json" 2>/dev/null)
	rtx=$(jq -r '.end.sum_sent.retransmits // "?"' "$json" 2>/dev/null)
	echo "# iperf3 $dir: ${mbps:-?} Mbit/s, sent $sent received $recv bytes," \
		"$rtx retransmits"
	if [ "${sent:-0}" -gt 0 ] && [ "${recv:-0}" -gt 0 ] &&
	   [ -z "$(jq -r '.error // empty' "$json" 2>/dev/null)" ]; then
		tap_ok "$desc: bytes moved"
	else
		tap_not_ok "$desc: bytes moved"
		{ jq -r '.error // empty' "$json"; cat "$OUT/iperf-c-$port.err"; } 2>&1 |
			sed 's/^/#   /'
	fi
	# The receiver may miss the sender's last bytes in flight when the
	# test ends; allow 10% of them.
	check_cmd "$desc: received == sent (within 10%)" \
		test "$((recv * 10))" -ge "$((sent * 9))" -a "${recv:-0}" -le "${sent:-0}"
	# A control connection and one data connection, both alttcp.
	check_moved "$desc: control+data connection on alttcp, none on Linux TCP" \
		"C:A:ActiveOpens=2 S:A:PassiveOpens=2 C:L:ActiveOpens=0 S:L:PassiveOpens=0"
	echo "# alttcp RetransSegs client $((NOW[C:A:RetransSegs] - BEFORE[C:A:RetransSegs]))" \
		"server $((NOW[S:A:RetransSegs] - BEFORE[S:A:RetransSegs])), PAWSRejected" \
		"client $((NOW[C:A:PAWSRejected] - BEFORE[C:A:PAWSRejected]))" \
		"server $((NOW[S:A:PAWSRejected] - BEFORE[S:A:PAWSRejected]))"
	sdone() { ! kill -0 "$spid" 2>/dev/null; }
	# The server's JSON has its own count (the other is 0): what it
	# received, or with -R what it sent.
	if wait_for 15 sdone; then
		check_eq "$desc: the server's JSON agrees on the bytes" \
			"$(jq -r ".end.sum_$own.bytes" "$OUT/iperf-s-$port.json" 2>&1)" \
			"$( [ "$own" == sent ] && echo "$sent" || echo "$recv")"
	else
		tap_not_ok "$desc: the one-shot server exits"
	fi
}

iperf "client->server" 5201 received
iperf "server->client (-R)" 5202 sent -R

tap_end
