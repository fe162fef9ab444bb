#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A dump of ALTTCP_TEST_SCALE_ROWS (default 100,000) connections completes:
# ROWS/2 alttcp connections with both ends in one namespace (over lo), so
# one `alttcpctl conn show` lists ROWS of them; the same with Linux TCP and
# `ss -tan`, in the same boot.  Both dumps are timed; the times are
# printed as TAP diagnostics:
#   # dump 100000 alttcp: 1.23 s; ss 100000 linux tcp: 0.98 s
#
# Knobs: ALTTCP_TEST_SCALE_ROWS (even; default 100000),
# ALTTCP_TEST_SCALE_PER_PROC (connections per alttcp_connect, default 12500,
# at most 16384).

. "$(dirname "$0")/lib.sh"

require_root
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
[ -x "$ALTTCP_CONNECT" ] || skip_all "$ALTTCP_CONNECT not built (make -C selftests)"
require_module
require_ctl
if [ "${ALTTCP_VM:-0}" != 1 ] && [ "${ALTTCP_ALLOW_HOST:-0}" != 1 ]; then
	skip_all "not inside the alttcp test VM (ALTTCP_ALLOW_HOST=1 to force)"
fi
command -v ss >/dev/null || skip_all "ss not installed"

ROWS=${ALTTCP_TEST_SCALE_ROWS:-100000}
PER=${ALTTCP_TEST_SCALE_PER_PROC:-12500}
PAIRS=$((ROWS / 2))
NPROC=$(((PAIRS + PER - 1) / PER))
ulimit -n $((PER + 1024)) || skip_all "cannot raise the file limit to $((PER + 1024))"

OUT=$(mktemp -d)
pids=()
cleanup()
{
	{ [ ${#pids[@]} -eq 0 ] || { kill -KILL "${pids[@]}" && wait; }; } 2>/dev/null
	ns_cleanup
	rm -rf "$OUT"
}
trap cleanup EXIT

now_ms() { local t=$EPOCHREALTIME; t=${t/[.,]/}; echo $((t / 1000)); }
mem_avail() { awk '/^MemAvailable/ { print int($2 / 1024) " MiB" }' /proc/meminfo; }

# up NS PROTO: PAIRS connections over lo in NS, NPROC server/client pairs,
# server i on port 7000+i; returns once all are ESTABLISHED on both ends
# ("count" gives the view) or fails after 150 s
up()
{
	local ns=$1 proto=$2 i left=$PAIRS
	local -a n

	# Every server binds before any client connects: the clients' ports
	# come from the whole range, the servers' among them.
	for ((i = 0; i < NPROC; i++)); do
		n[i]=$((left < PER ? left : PER))
		left=$((left - n[i]))
		"$ALTTCP_CONNECT" -N "$ns" -P "$proto" -l 127.0.0.1 -p $((7000 + i)) \
			-n "${n[i]}" --nonblock --backlog 4096 --hold 300000 -t 170 \
			>"$OUT/$proto-srv-$i" 2>&1 &
		pids+=($!)
		wait_for 20 grep -q '^listening' "$OUT/$proto-srv-$i" || return 1
	done
	for ((i = 0; i < NPROC; i++)); do
		"$ALTTCP_CONNECT" -N "$ns" -P "$proto" -c 127.0.0.1 -p $((7000 + i)) \
			-C "${n[i]}" --nonblock --hold 300000 -t 170 \
			>"$OUT/$proto-cli-$i" 2>&1 &
		pids+=($!)
	done
	for ((i = 0; i < NPROC; i++)); do
		wait_for 150 grep -q '^connections=' "$OUT/$proto-cli-$i" || return 1
	done
}

# down: kill the tools (their sockets die with the namespace)
down()
{
	{ [ ${#pids[@]} -eq 0 ] || { kill -KILL "${pids[@]}" && wait; }; } 2>/dev/null
	pids=()
}

tap_begin
echo "# $ROWS rows: $PAIRS connections in $NPROC processes of up to $PER each; $(mem_avail) available"

A=sc-a-$$
L=sc-l-$$
ip netns add "$A" && ip netns add "$L" || skip_all "cannot create namespaces"
tap_namespaces+=("$A" "$L")
ip -n "$A" link set lo up
ip -n "$L" link set lo up
"$ALTTCPCTL" -n "$A" config set local_port_range 1024-65535 tw_timeout 1 \
	max_orphans $((ROWS + 1000)) max_syn_backlog 4096 somaxconn 4096
ip netns exec "$L" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" \
	net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096

# ------------------------------------------------------------ alttcp
t0=$(now_ms)
if up "$A" alttcp; then
	tap_ok "$PAIRS alttcp connections up ($ROWS ends)"
else
	tap_not_ok "$PAIRS alttcp connections up ($ROWS ends)"
	tail -n 2 "$OUT"/alttcp-* | sed 's/^/#   /'
fi
echo "# alttcp: up in $(($(now_ms) - t0)) ms; $(mem_avail) available;" \
	"CurrEstab $("$ALTTCPCTL" -n "$A" -j stats | jq .CurrEstab)"
grep ^alttcp /proc/slabinfo | awk '{ print "# slab", $1, $2, $4 }'

t0=$(now_ms)
"$ALTTCPCTL" -n "$A" conn show >"$OUT/alttcp.dump" 2>"$OUT/alttcp.err"
rc=$?
at_ms=$(($(now_ms) - t0))
n=$(awk 'NR > 1 && $1 == "ESTAB"' "$OUT/alttcp.dump" | wc -l)
check_eq "alttcpctl conn show: exit 0, $ROWS ESTAB rows, nothing on stderr" \
	"$rc $n $(head -c 300 "$OUT/alttcp.err")" "0 $ROWS "
check_eq "alttcpctl conn show: every row a different tuple" \
	"$(awk 'NR > 1 { print $4, $5 }' "$OUT/alttcp.dump" | sort -u | wc -l)" \
	"$(($(wc -l <"$OUT/alttcp.dump") - 1))"
t0=$(now_ms)
"$ALTTCPCTL" -n "$A" -j conn show state established >"$OUT/alttcp.json"
aj_ms=$(($(now_ms) - t0))
check_eq "alttcpctl -j conn show state established: JSON of $ROWS ESTABLISHED" \
	"$(/usr/bin/python3 -c 'import json, sys
a = json.load(sys.stdin)
print(len(a), len({(c["local_port"], c["peer_port"]) for c in a if c["state"] == "ESTABLISHED"}))' \
		<"$OUT/alttcp.json")" "$ROWS $ROWS"
down
ip netns del "$A"
tap_namespaces=("$L")

# ------------------------------------------------------------ Linux TCP
t0=$(now_ms)
if up "$L" tcp; then
	tap_ok "$PAIRS Linux TCP connections up ($ROWS ends)"
else
	tap_not_ok "$PAIRS Linux TCP connections up ($ROWS ends)"
	tail -n 2 "$OUT"/tcp-* | sed 's/^/#   /'
fi
echo "# tcp: up in $(($(now_ms) - t0)) ms; $(mem_avail) available"
t0=$(now_ms)
ss -N "$L" -tan >"$OUT/ss.dump" 2>"$OUT/ss.err"
rc=$?
ss_ms=$(($(now_ms) - t0))
n=$(awk 'NR > 1 && $1 == "ESTAB"' "$OUT/ss.dump" | wc -l)
check_eq "ss -tan: exit 0, $ROWS ESTAB rows" "$rc $n" "0 $ROWS"
down

printf '# dump %d alttcp: %d.%02d s; ss %d linux tcp: %d.%02d s\n' \
	"$ROWS" $((at_ms / 1000)) $((at_ms % 1000 / 10)) \
	"$ROWS" $((ss_ms / 1000)) $((ss_ms % 1000 / 10))
printf '# (alttcpctl -j conn show state established > file: %d.%02d s)\n' \
	$((aj_ms / 1000)) $((aj_ms % 1000 / 10))
echo "# observe_scale.sh: $SECONDS s"
tap_end
