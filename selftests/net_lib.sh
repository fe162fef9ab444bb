#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the socket-level selftests (interop.sh, loss.sh, sockapi.sh):
# two namespaces joined by a veth, the alttcp_connect tool on either end with
# a protocol per side, per-protocol knobs and TIME_WAIT views, nftables drops
# of chosen segments and tcpdump captures.  Source it after lib.sh.
#
#   client  NS_C  veth-c  10.0.1.1/24  <---->  10.0.1.2/24  veth-s  NS_S  server
#
# Rows: every scenario runs once per "CLIENT:SERVER" protocol pair, e.g.
# "alttcp:tcp".  A script names its default rows; ROWS="tcp:tcp alttcp:tcp"
# or CLIENT_PROTO=alttcp SERVER_PROTO=tcp override them.  Rows with an alttcp
# side run only when ALTTCP_PROTO_READY=1, which net_init probes (a socket()
# with IPPROTO_ALTTCP) unless the caller set it; otherwise they are skipped
# with the probe's error as the reason.
#
# Under TCG on a busy host every exec costs 0.2-1 s, so the helpers here
# avoid them: waits poll with bash builtins (net_wait, not lib.sh's
# wait_for, which forks date and sleep each round), the tool enters the
# namespace itself (-N), outputs are read with `read`, sockets are counted
# from /proc/PID/net/tcp of a process parked in each namespace, and time is
# integer microseconds ($EPOCHREALTIME, tcpdump -tt).

# The VM runner passes no environment through: settings for these scripts
# (SIZE, ROWS, ALTTCP_AS_TCP...) can go into OUTDIR/net.env, e.g.
#   mkdir -p /tmp/o && echo SIZE=8M > /tmp/o/net.env &&
#   selftests/vm/run.sh -m '' -o /tmp/o interop.sh
if [ -n "${ALTTCP_OUT:-}" ] && [ -f "$ALTTCP_OUT/net.env" ]; then
	# shellcheck source=/dev/null
	. "$ALTTCP_OUT/net.env"
fi

ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
ADDR_C=10.0.1.1
ADDR_S=10.0.1.2
IF_C=veth-c
IF_S=veth-s
NS_C=""
NS_S=""
PORT=${PORT_BASE:-5000}
# -t of every alttcp_connect: nothing can hang longer than this.
TOOL_T=${TOOL_T:-30}

NET_TMP=""
declare -A NET_PID=()
# a process parked in each namespace, for /proc/PID/net/tcp
declare -A NS_PID=()

net_kill_all()
{
	local n

	for n in "${!NET_PID[@]}"; do
		kill -KILL "${NET_PID[$n]}" 2>/dev/null
		wait "${NET_PID[$n]}" 2>/dev/null
	done
	NET_PID=()
	for n in "${!NS_PID[@]}"; do
		kill -KILL "${NS_PID[$n]}" 2>/dev/null
		wait "${NS_PID[$n]}" 2>/dev/null
	done
	NS_PID=()
}

net_cleanup()
{
	net_kill_all
	ns_cleanup
	[ -n "$NET_TMP" ] && rm -rf "$NET_TMP"
}
trap net_cleanup EXIT

# Everything these scripts need, or skip the whole script with the reason.
net_init()
{
	local t

	require_root
	# Namespaces, qdiscs and firewall rules: only in the throw-away VM.
	if [ "${ALTTCP_VM:-0}" != 1 ] && [ "${ALTTCP_ALLOW_HOST:-0}" != 1 ]; then
		skip_all "not inside the alttcp test VM (ALTTCP_ALLOW_HOST=1 to force)"
	fi
	[ -x "$ALTTCP_CONNECT" ] ||
		skip_all "$ALTTCP_CONNECT not built (make -C selftests)"
	for t in ip nft tcpdump sysctl; do
		command -v $t >/dev/null || skip_all "$t not installed"
	done
	[ -n "${EPOCHREALTIME:-}" ] || skip_all "bash without EPOCHREALTIME"
	NET_TMP=$(mktemp -d /tmp/alttcp-net.XXXXXX) || skip_all "no /tmp"
	# read -t on a FIFO nobody writes: a sleep without fork (the VM has
	# no /dev/fd, so no <(...) either)
	mkfifo "$NET_TMP/nap" && exec {NET_NAP_FD}<>"$NET_TMP/nap" ||
		skip_all "cannot open a FIFO in $NET_TMP"
	alttcp_probe
}

# ALTTCP_PROTO_READY=1 when socket(AF_INET, SOCK_STREAM, IPPROTO_ALTTCP)
# works here; ALTTCP_PROTO_REASON says why not.
alttcp_probe()
{
	local out

	if [ -z "${ALTTCP_PROTO_READY:-}" ]; then
		if out=$("$ALTTCP_CONNECT" --probe -P alttcp 2>&1); then
			ALTTCP_PROTO_READY=1
		else
			ALTTCP_PROTO_READY=0
			ALTTCP_PROTO_REASON="no alttcp sockets: $out"
			module_loaded ||
				ALTTCP_PROTO_REASON+=" (alttcp module not loaded)"
		fi
	fi
	if [ "${ALTTCP_AS_TCP:-0}" == 1 ]; then
		ALTTCP_PROTO_READY=1
		echo "# ALTTCP_AS_TCP=1: alttcp sides are Linux TCP (a dry run of the scripts)"
	elif [ "$ALTTCP_PROTO_READY" == 1 ]; then
		echo "# alttcp sockets: available"
	else
		ALTTCP_PROTO_REASON=${ALTTCP_PROTO_REASON:-ALTTCP_PROTO_READY=$ALTTCP_PROTO_READY set by the caller}
		echo "# alttcp rows skipped: $ALTTCP_PROTO_REASON"
	fi
}

# ALTTCP_AS_TCP=1: a dry run of the whole matrix before alttcp sockets
# exist - every "alttcp" side is really Linux TCP (sockets, knobs, views).
# Only for checking the scripts themselves; the rows then prove nothing.
real_proto()
{
	if [ "$1" == alttcp ] && [ "${ALTTCP_AS_TCP:-0}" == 1 ]; then
		echo tcp
	else
		echo "$1"
	fi
}

# net_rows DEFAULT_ROWS...: the rows to run.
net_rows()
{
	if [ -n "${CLIENT_PROTO:-}${SERVER_PROTO:-}" ]; then
		echo "${CLIENT_PROTO:-tcp}:${SERVER_PROTO:-tcp}"
	elif [ -n "${ROWS:-}" ]; then
		echo "$ROWS"
	else
		echo "$*"
	fi
}

# row_skip CPROTO SPROTO: succeeds (and prints the reason) when the row
# cannot run here.
row_skip()
{
	local p

	for p in "$1" "$2"; do
		case $(real_proto "$p") in
		tcp) ;;
		alttcp)
			if [ "${ALTTCP_PROTO_READY:-0}" != 1 ]; then
				echo "$ALTTCP_PROTO_REASON"
				return 0
			fi ;;
		*)	echo "unknown protocol '$p'"
			return 0 ;;
		esac
	done
	return 1
}

# ------------------------------------------------------------- waiting

# nap SECONDS: sleep without a fork
nap()
{
	read -r -t "$1" -u "$NET_NAP_FD" _ || :
}

now_us()
{
	local t=$EPOCHREALTIME

	echo "${t/[.,]/}"
}

# net_wait TIMEOUT_S CMD...: poll CMD (every 20 ms, no fork) until it
# succeeds; 1 on timeout.  The bound scales with WAIT_SCALE (lib.sh): it
# is how long to wait for a state, never a timing check's tolerance.
net_wait()
{
	local t=$EPOCHREALTIME deadline

	t=${t/[.,]/}
	deadline=$((t + $1 * WAIT_SCALE * 1000000))
	shift
	until "$@"; do
		t=$EPOCHREALTIME
		[ "${t/[.,]/}" -ge "$deadline" ] && return 1
		nap 0.02
	done
}

# ------------------------------------------------------------- topology

# net_setup: (re)create the two namespaces and the veth between them.
net_setup()
{
	local mac_c mac_s

	net_kill_all
	ns_cleanup
	ns_create cli >/dev/null && ns_create srv >/dev/null || return 1
	NS_C=cli-$$
	NS_S=srv-$$
	tap_namespaces=("$NS_C" "$NS_S")
	# Fixed MACs and static neighbours: no ARP to wait for or to lose.
	mac_c=02:00:0a:00:01:01
	mac_s=02:00:0a:00:01:02
	ip link add $IF_C netns $NS_C address $mac_c type veth \
		peer name $IF_S netns $NS_S address $mac_s || return 1
	ip -n "$NS_C" -b - <<-EOF || return 1
	addr add $ADDR_C/24 dev $IF_C
	link set $IF_C up
	neigh replace $ADDR_S dev $IF_C lladdr $mac_s
	EOF
	ip -n "$NS_S" -b - <<-EOF || return 1
	addr add $ADDR_S/24 dev $IF_S
	link set $IF_S up
	neigh replace $ADDR_C dev $IF_S lladdr $mac_c
	EOF
	# Linux TCP caches per-destination RTTs when a connection closes and
	# starts later connections' RTO from them: after a scenario with a
	# retransmitted handshake the server's RTO is ~2 s instead of 200 ms.
	# Keep every connection of the reference independent.
	ip netns exec "$NS_C" sysctl -qw net.ipv4.tcp_no_metrics_save=1 &&
	ip netns exec "$NS_S" sysctl -qw net.ipv4.tcp_no_metrics_save=1 &&
	ns_park "$NS_C" && ns_park "$NS_S"
}

# A sleeping process inside NS: /proc/PID/net/ is NS's.
ns_park()
{
	ip netns exec "$1" sleep 3600 &
	NS_PID[$1]=$!
	# /proc/PID/net is the namespace's only once ip has exec'ed sleep
	net_wait 10 is_comm "${NS_PID[$1]}" sleep
}

# is_comm PID COMM
is_comm()
{
	local comm=""

	read -r comm <"/proc/$1/comm" 2>/dev/null && [ "$comm" == "$2" ]
}

# gone PID: the process has exited
gone()
{
	! kill -0 "$1" 2>/dev/null
}

next_port()
{
	PORT=$((PORT + 1))
}

# --------------------------------------------------------- the tool

# srv_start NAME PROTO ARGS...: alttcp_connect -l in NS_S on PORT, in the
# background; returns once it listens (its "listening" line).
srv_start()
{
	local name=$1 proto=$2

	shift 2
	proto=$(real_proto "$proto")
	: >"$NET_TMP/$name.out"		# not the last run's "listening"
	"$ALTTCP_CONNECT" -N "$NS_S" -l "$ADDR_S" -p "$PORT" -P "$proto" \
		-t "$TOOL_T" "$@" >"$NET_TMP/$name.out" 2>&1 &
	NET_PID[$name]=$!
	if ! net_wait 10 out_has "$name" '^listening on'; then
		echo "# $name did not listen:"
		out_dump "$name"
		return 1
	fi
}

# cli_start NAME PROTO ARGS...: alttcp_connect -c to the server, background.
cli_start()
{
	local name=$1 proto=$2

	shift 2
	proto=$(real_proto "$proto")
	"$ALTTCP_CONNECT" -N "$NS_C" -c "$ADDR_S" -p "$PORT" -P "$proto" \
		-t "$TOOL_T" "$@" >"$NET_TMP/$name.out" 2>&1 &
	NET_PID[$name]=$!
}

# cli_run NAME PROTO ARGS...: same, in the foreground; returns its status.
cli_run()
{
	local name=$1 proto=$2

	shift 2
	proto=$(real_proto "$proto")
	"$ALTTCP_CONNECT" -N "$NS_C" -c "$ADDR_S" -p "$PORT" -P "$proto" \
		-t "$TOOL_T" "$@" >"$NET_TMP/$name.out" 2>&1
}

# proc_wait NAME: wait for a background tool (bounded by its -t) and
# return its exit status.
proc_wait()
{
	local pid=${NET_PID[$1]:-} rc

	[ -n "$pid" ] || return 127
	wait "$pid"
	rc=$?
	unset "NET_PID[$1]"
	return $rc
}

proc_alive()
{
	local pid=${NET_PID[$1]:-}

	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# out_has NAME REGEX: the tool's output has a line matching REGEX.
out_has()
{
	local l

	[ -f "$NET_TMP/$1.out" ] || return 1
	while IFS= read -r l; do
		[[ $l =~ $2 ]] && return 0
	done <"$NET_TMP/$1.out"
	return 1
}

# out_val NAME KEY: the value of the first KEY=VALUE in the output.
out_val()
{
	local l re="(^| )$2=([^ ]*)"

	[ -f "$NET_TMP/$1.out" ] || return 1
	while IFS= read -r l; do
		if [[ $l =~ $re ]]; then
			echo "${BASH_REMATCH[2]}"
			return 0
		fi
	done <"$NET_TMP/$1.out"
	return 1
}

# out_lines NAME REGEX: the matching lines, joined by ';' (for check_eq).
out_lines()
{
	local l s=""

	[ -f "$NET_TMP/$1.out" ] || return 1
	while IFS= read -r l; do
		[[ $l =~ $2 ]] && s+="${s:+;}$l"
	done <"$NET_TMP/$1.out"
	echo "$s"
}

# out_count NAME REGEX
out_count()
{
	local l n=0

	[ -f "$NET_TMP/$1.out" ] || { echo 0; return 1; }
	while IFS= read -r l; do
		[[ $l =~ $2 ]] && n=$((n + 1))
	done <"$NET_TMP/$1.out"
	echo $n
}

out_dump()
{
	local n l

	for n in "$@"; do
		[ -f "$NET_TMP/$n.out" ] || continue
		while IFS= read -r l; do
			echo "#   $n: $l"
		done <"$NET_TMP/$n.out"
	done
}

# check_out DESC ACTUAL EXPECTED NAMES...: check_eq that shows the tools'
# output when it fails.
check_out()
{
	local desc=$1 got=$2 want=$3

	shift 3
	check_eq "$desc" "$got" "$want"
	[ "$got" == "$want" ] || out_dump "$@"
}

# ------------------------------------------------------ per-protocol views

# knob_set NS PROTO NAME VALUE: a protocol's tunable by its alttcp name
# (net.alttcp.NAME); for Linux TCP the net.ipv4.tcp_NAME sysctl of that
# namespace.  Fails for a knob the protocol does not have.
knob_set()
{
	local ns=$1 proto name=$3 val=$4 key

	proto=$(real_proto "$2")
	case $proto in
	alttcp)	key=net.alttcp.$name ;;
	tcp)	case $name in
		tw_timeout) return 1 ;;	# Linux: TCP_TIMEWAIT_LEN, 60 s
		*) key=net.ipv4.tcp_$name ;;
		esac ;;
	*)	return 1 ;;
	esac
	ip netns exec "$ns" sysctl -qw "$key=$val"
}

# tcp_socks NS PORT [STATE]: Linux TCP sockets of NS with PORT at either
# end, from /proc/PID/net/tcp (no fork), for timers and diagnostics:
# one "STATE TIMER_CS" per line, STATE as ss names it (time-wait,
# last-ack...), TIMER_CS the timer in 1/100 s.  Request sockets
# (NEW_SYN_RECV) show as syn-recv.  The file is read in chunks while other
# connections come and go, so a socket can be listed twice (each 4-tuple
# shows once here) or missed: state_count() counts through ss instead.
TCP_STATES=(unknown established syn-sent syn-recv fin-wait-1 fin-wait-2
	    time-wait close close-wait last-ack listening closing)
tcp_socks()
{
	local pid=${NS_PID[$1]:-} want=$2 sl la ra st txrx tmr rest lp rp
	local -A seen=()

	[ -n "$pid" ] || return 1
	while read -r sl la ra st txrx tmr rest; do
		[ "$sl" == "sl" ] && continue
		[ -n "${seen[$la$ra]:-}" ] && continue
		seen[$la$ra]=1
		lp=$((16#${la#*:}))
		rp=$((16#${ra#*:}))
		[ "$lp" == "$want" ] || [ "$rp" == "$want" ] || continue
		st=${TCP_STATES[$((16#$st))]:-unknown}
		[ -z "${3:-}" ] || [ "$st" == "$3" ] || continue
		echo "$st $((16#${tmr#*:}))"
	done <"/proc/$pid/net/tcp"
}

# state_count NS PROTO STATE PORT: PORT's connections in STATE (as ss names
# it); fails when not observable for PROTO.
state_count()
{
	local n=0 l rows

	case $(real_proto "$2") in
	tcp)	# One inet_diag dump filtered in the kernel: a socket that is
		# there all along is in it.  /proc/net/tcp, read in chunks while
		# other connections come and go, can skip or repeat one.
		rows=$(ss -N "$1" -Htn state "$3" \
			"( sport = :$4 or dport = :$4 )") || return 1
		while read -r l; do
			[ -n "$l" ] && n=$((n + 1))
		done <<<"$rows"
		echo $n ;;
	alttcp)	alttcp_state_count "$1" "$3" "$4" ;;
	*)	return 1 ;;
	esac
}

# tw_count NS PROTO PORT: how many connections of PORT are in TIME_WAIT.
tw_count()
{
	state_count "$1" "$2" time-wait "$3"
}

# tw_atleast NS PROTO PORT N
tw_atleast()
{
	local n

	n=$(tw_count "$1" "$2" "$3") && [ "$n" -ge "$4" ]
}

# tw_timer_ms NS PROTO PORT: what is left of the TIME_WAIT timer of PORT's
# connection, in ms (10 ms resolution).
tw_timer_ms()
{
	local st t

	case $(real_proto "$2") in
	tcp)	read -r st t <<<"$(tcp_socks "$1" "$3" time-wait)"
		[ -n "${t:-}" ] && echo $((t * 10)) ;;
	alttcp)	alttcp_tw_timer_ms "$1" "$3" ;;
	*)	return 1 ;;
	esac
}

# alttcp sides: `alttcpctl -n NS -j conn show` lists the namespace's alttcp
# connections (TIME_WAIT entries and SYN-RECV requests included) as one
# line of compact JSON, each object starting {"state":"TIME_WAIT",
# "local_addr":..,"local_port":N,"peer_addr":..,"peer_port":N,"recv_q":N,
# "send_q":N,"timer":null or {"kind":"time_wait","expires_ms":N,...}, in
# that order.  Parsed with bash, not jq: one exec less (loss.sh compares a
# timer read here with the clock read after it returns).  The hooks fail
# only when the view cannot be had (no alttcpctl, no module, not JSON);
# the callers then skip with unobservable's text.

# alttcp_conn_show NS [FILTER...]: the JSON array
alttcp_conn_show()
{
	local ns=$1

	shift
	[ -x "$ALTTCPCTL" ] || return 1
	"$ALTTCPCTL" -n "$ns" -j conn show "$@" 2>/dev/null
}

# alttcp_rows NS STATE PORT: ALTTCP_ROWS, the objects of the connections in
# STATE (as ss names it: time-wait, last-ack, established..., which is
# also alttcpctl's filter word) with PORT at either end
ALTTCP_ROWS=()
alttcp_rows()
{
	local out obj re='^"[A-Z_0-9]+","local_addr":"[0-9.]+","local_port":([0-9]+),"peer_addr":"[0-9.]+","peer_port":([0-9]+),'

	ALTTCP_ROWS=()
	out=$(alttcp_conn_show "$1" state "$2") || return 1
	[[ $out == \[*\] ]] || return 1
	out=${out//\{\"state\":/$'\n'}
	while IFS= read -r obj; do
		[[ $obj =~ $re ]] || continue
		[ "${BASH_REMATCH[1]}" == "$3" ] || [ "${BASH_REMATCH[2]}" == "$3" ] ||
			continue
		ALTTCP_ROWS+=("$obj")
	done <<<"${out#\[}"
}

alttcp_state_count()	# NS STATE PORT
{
	alttcp_rows "$@" || return 1
	echo ${#ALTTCP_ROWS[@]}
}

# alttcp_tw_timer_ms NS PORT: ms left on the TIME_WAIT timer of PORT's
# connection (1 ms resolution); fails when there is none
alttcp_tw_timer_ms()	# NS PORT
{
	local obj re='"timer":\{"kind":"time_wait","expires_ms":([0-9]+),'

	alttcp_rows "$1" time-wait "$2" || return 1
	for obj in "${ALTTCP_ROWS[@]}"; do
		if [[ $obj =~ $re ]]; then
			echo "${BASH_REMATCH[1]}"
			return 0
		fi
	done
	return 1
}

unobservable()
{
	echo "connection states of an alttcp side are not observable yet (alttcpctl conn show)"
}

# ------------------------------------------------------ dropping segments

# drop_first SIDE FIRST LAST MATCH...: drop the FIRST-th to LAST-th (from 0)
# packets of PORT's connection that match the nft expression MATCH and
# arrive at SIDE (cli|srv).
#
# The rule sits on the netdev ingress hook of SIDE's veth, ahead of IP, of
# Linux TCP and of alttcp's LOCAL_IN hook, and after packet sockets: tcpdump
# on either veth still sees the dropped packet.  "numgen inc" counts only the
# packets that reach it (those that matched MATCH), so it picks the N-th
# match exactly - unlike "quota", which counts bytes.  Rules are scoped to
# PORT, so scenarios on other ports can run at the same time and none needs
# removing.
drop_first()
{
	local side=$1 first=$2 last=$3

	shift 3
	drop_rule "$side" "$* numgen inc mod 1000000000 $first-$last counter drop"
}

# drop_all SIDE MATCH...: drop every such packet arriving at SIDE.
drop_all()
{
	local side=$1

	shift
	drop_rule "$side" "$* counter drop"
}

drop_rule()
{
	local ns dev match try

	case $1 in
	cli)	ns=$NS_C; dev=$IF_C; match="tcp sport $PORT" ;;
	srv)	ns=$NS_S; dev=$IF_S; match="tcp dport $PORT" ;;
	*)	return 1 ;;
	esac
	# concurrent transactions can make nft fail with EBUSY: retry
	for try in 1 2 3 4 5; do
		ip netns exec "$ns" nft -f - <<-EOF && return 0
		table netdev alttcp_drop {
			chain in {
				type filter hook ingress device "$dev" priority 0; policy accept;
			}
		}
		add rule netdev alttcp_drop in $match $2 comment "port$PORT"
		EOF
		nap 0.1
	done
	return 1
}

# drop_count SIDE: packets dropped so far at SIDE by PORT's rules.
drop_count()
{
	local ns l n=0 re="packets ([0-9]+) .*\"port$PORT\""

	case $1 in
	cli)	ns=$NS_C ;;
	srv)	ns=$NS_S ;;
	*)	return 1 ;;
	esac
	while IFS= read -r l; do
		[[ $l =~ $re ]] && n=$((n + BASH_REMATCH[1]))
	done <<<"$(ip netns exec "$ns" nft list table netdev alttcp_drop 2>/dev/null)"
	echo $n
}

# nft matches for the segments we drop
M_SYN='tcp flags & (fin|syn|rst|ack) == syn'
M_SYNACK='tcp flags & (fin|syn|rst|ack) == syn|ack'
M_PUREACK='tcp flags & (fin|syn|rst|ack|psh) == ack'
M_FIN='tcp flags & fin == fin'

# ------------------------------------------------------------- captures

# Captures run on the client's veth, which sees every segment both ways,
# the dropped ones included.  --immediate-mode: with TPACKET_V3 tcpdump
# otherwise gets packets in blocks, up to 1 s late, and loses the last ones
# when stopped.

# cap_global_start: one capture of all TCP for the whole script; cap_start
# is then a no-op and cap_stop reads PORT's segments from it.
cap_global_start()
{
	CAP_GLOBAL=""
	cap_start all || return 1
	CAP_GLOBAL=$NET_TMP/all.pcap
}
CAP_GLOBAL=""

# cap_start NAME: capture PORT's TCP
cap_start()
{
	local name=$1 filter="tcp port $PORT"

	[ -n "$CAP_GLOBAL" ] && return 0
	[ "$name" == all ] && filter=tcp
	: >"$NET_TMP/$name.tcpdump.out"
	ip netns exec "$NS_C" tcpdump -i "$IF_C" -nn -U --immediate-mode -Z root \
		-w "$NET_TMP/$name.pcap" "$filter" \
		>/dev/null 2>"$NET_TMP/$name.tcpdump.out" &
	NET_PID[cap_$name]=$!
	net_wait 10 out_has "$name.tcpdump" "listening on" ||
		{ echo "# tcpdump did not start"; return 1; }
}

# cap_stop NAME: stop the capture (or take PORT's part of the global one)
# and load it into CAP_T (time, us), CAP_D (c>s or s>c), CAP_F (flags as
# tcpdump prints them: S, S., ., P., F., R.), CAP_L (payload length) and
# CAP_TS (1 if the segment carries TSopt).
cap_stop()
{
	local pid=${NET_PID[cap_$1]:-} t ip src gt dst rest re file

	file=$NET_TMP/$1.pcap
	if [ -n "$CAP_GLOBAL" ]; then
		file=$CAP_GLOBAL
		nap 0.2		# the last packets on their way to the file
	elif [ -n "$pid" ]; then
		nap 0.1
		kill -INT "$pid" 2>/dev/null
		net_wait 5 gone "$pid" || kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		unset "NET_PID[cap_$1]"
	fi
	CAP_T=() CAP_D=() CAP_F=() CAP_L=() CAP_TS=()
	re='Flags \[([^]]*)\].* length ([0-9]+)'
	while read -r t ip src gt dst rest; do
		[[ $rest =~ $re ]] || continue
		[[ $rest == *"TS val "* ]] && CAP_TS+=(1) || CAP_TS+=(0)
		CAP_T+=("${t/./}")
		if [[ $src == "$ADDR_C".* ]]; then
			CAP_D+=("c>s")
		else
			CAP_D+=("s>c")
		fi
		CAP_F+=("${BASH_REMATCH[1]}")
		CAP_L+=("${BASH_REMATCH[2]}")
	done <<<"$(tcpdump -r "$file" -nn -tt "tcp port $PORT" 2>/dev/null)"
}

# cap_times DIR FLAGS_REGEX: times (us) of the matching segments of the
# loaded capture, space separated.
cap_times()
{
	local i s=""

	for i in "${!CAP_T[@]}"; do
		[ "${CAP_D[$i]}" == "$1" ] || continue
		[[ ${CAP_F[$i]} =~ ^($2)$ ]] || continue
		s+="${s:+ }${CAP_T[$i]}"
	done
	echo "$s"
}

cap_count()
{
	local t

	read -ra t <<<"$(cap_times "$@")"
	echo ${#t[@]}
}

# cap_gaps DIR FLAGS_REGEX: the gaps between the matching segments, ms.
cap_gaps()
{
	local t i s=""

	read -ra t <<<"$(cap_times "$@")"
	for ((i = 1; i < ${#t[@]}; i++)); do
		s+="${s:+ }$(((t[i] - t[i - 1]) / 1000))"
	done
	echo "$s"
}

# ns_tcp_counters NS: PORT's Linux TCP sockets in NS, in every state, and
# NS's non-zero Linux TCP and alttcp counters, as comments (why a segment
# went unanswered or a TIME_WAIT is missing: PAWS, backlog drops...)
ns_tcp_counters()
{
	ss -N "$1" -Htanoe "( sport = :$PORT or dport = :$PORT )" 2>&1 |
		sed 's/^/#   ss: /'
	ip netns exec "$1" nstat -as 2>/dev/null | awk 'NR > 1 { print "#   " $1, $2 }'
	"$ALTTCPCTL" -n "$1" stats 2>/dev/null | awk '$2 != 0 { print "#   alttcp", $0 }'
}

cap_dump()
{
	local i t0=${CAP_T[0]:-0}

	for i in "${!CAP_T[@]}"; do
		[ "$i" -lt 40 ] || break
		printf '#   pkt %6s ms %s %-4s %s\n' $(((CAP_T[i] - t0) / 1000)) \
			"${CAP_D[$i]}" "${CAP_F[$i]}" "${CAP_L[$i]}"
	done
}

# ------------------------------------------------------------- timing

# near ACTUAL_MS EXPECTED_MS [ABS_TOL_MS [REL_TOL_PCT]]: within
# max(ABS_TOL, REL_TOL % of EXPECTED); defaults 300 ms and 30 % (TCG timers
# run late, and a busy host makes them later).
near()
{
	local a=$1 e=$2 at=${3:-300} rt=${4:-30} t d

	[[ $a =~ ^-?[0-9]+$ ]] || return 1
	t=$((e * rt / 100))
	[ $t -lt "$at" ] && t=$at
	d=$((a - e))
	[ $d -lt 0 ] && d=$((-d))
	[ $d -le $t ]
}

# check_near DESC ACTUAL_MS EXPECTED_MS [ABS_TOL_MS [REL_TOL_PCT]]
check_near()
{
	local desc=$1

	shift
	if near "$@"; then
		tap_ok "$desc"
		echo "#   $1 ms (expected $2)"
	else
		tap_not_ok "$desc"
		echo "#   expected: $2 ms +- max(${3:-300} ms, ${4:-30} %)"
		echo "#   actual:   '$1'"
		return 1
	fi
}

# check_gaps DESC "A1 A2.." "E1 E2..": as many gaps, each near its
# expectation (ms).
check_gaps()
{
	local desc=$1 got=$2 want=$3 a e ok=1 i

	read -ra a <<<"$got"
	read -ra e <<<"$want"
	[ ${#a[@]} -eq ${#e[@]} ] || ok=0
	for i in "${!e[@]}"; do
		near "${a[$i]:-x}" "${e[$i]}" || ok=0
	done
	if [ $ok = 1 ]; then
		tap_ok "$desc"
		echo "#   gaps $got ms (expected $want)"
	else
		tap_not_ok "$desc"
		echo "#   expected gaps: '$want' ms (each +- max(300 ms, 30 %))"
		echo "#   actual gaps:   '$got'"
		return 1
	fi
}

# check_is DESC ACTUAL EXPECTED: check_eq that also fails as a command
check_is()
{
	check_eq "$@"
	[ "$2" == "$3" ]
}

# ms_to_s MS: "1.234"
ms_to_s()
{
	printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

# ------------------------------------------------------------- parallel jobs

# Scenarios that mostly wait for timers can run side by side, each on its
# own ports in the same namespaces: job_add FUNC ARGS... queues one, and
# jobs_run MAX runs them, at most MAX at a time, and prints their TAP in
# the order they were queued, renumbered.  A job gets 20 ports from PORT.
JOBS=()
job_add()
{
	local q

	printf -v q '%q ' "$@"
	JOBS+=("$q")
}

# A job's bound scales with WAIT_SCALE (lib.sh).
JOB_TIMEOUT=${JOB_TIMEOUT:-$((120 * WAIT_SCALE))}
jobs_run()
{
	local max=$1 n=${#JOBS[@]} next=0 shown=0 running i base=$NET_TMP
	local -a start=()

	while [ $shown -lt "$n" ]; do
		running=0
		for ((i = shown; i < next; i++)); do
			[ -e "$base/job$i/done" ] && continue
			running=$((running + 1))
			# bounded: a job stuck past JOB_TIMEOUT fails and is killed
			if [ $(($(now_us) - start[i])) -gt $((JOB_TIMEOUT * 1000000)) ]; then
				kill -KILL "${NET_PID[job$i]}" 2>/dev/null
				echo "not ok 1 job timed out after ${JOB_TIMEOUT} s: ${JOBS[$i]}" \
					>>"$base/job$i/tap"
				: >"$base/job$i/done"
			fi
		done
		if [ $next -lt "$n" ] && [ $running -lt "$max" ]; then
			mkdir -p "$base/job$next"
			PORT=$((PORT + 20))
			start[next]=$(now_us)
			job_exec "$base/job$next" "${JOBS[$next]}" &
			NET_PID[job$next]=$!
			next=$((next + 1))
			continue
		fi
		if [ -e "$base/job$shown/done" ]; then
			wait "${NET_PID[job$shown]}" 2>/dev/null
			unset "NET_PID[job$shown]"
			job_replay "$base/job$shown/tap" "${JOBS[$shown]}"
			shown=$((shown + 1))
			continue
		fi
		nap 0.05
	done
	JOBS=()
}

# job_exec DIR CMD: in a subshell, with its own files and counters
job_exec()
{
	local dir=$1

	NET_TMP=$dir
	NET_PID=()
	tap_count=0
	tap_failed=0
	eval "$2" >"$dir/tap" 2>&1
	job_kill
	: >"$dir/done"
	exit 0
}

job_kill()
{
	local n

	for n in "${!NET_PID[@]}"; do
		kill -KILL "${NET_PID[$n]}" 2>/dev/null
		wait "${NET_PID[$n]}" 2>/dev/null
	done
	NET_PID=()
}

# job_replay FILE CMD: a job's TAP, renumbered; a job without any result
# has failed.
job_replay()
{
	local l n=0

	while IFS= read -r l; do
		if [[ $l =~ ^ok\ [0-9]+\ (.*)$ ]]; then
			tap_ok "${BASH_REMATCH[1]}"
			n=$((n + 1))
		elif [[ $l =~ ^not\ ok\ [0-9]+\ (.*)$ ]]; then
			tap_not_ok "${BASH_REMATCH[1]}"
			n=$((n + 1))
		else
			printf '%s\n' "$l"
		fi
	done <"$1"
	[ $n -gt 0 ] || tap_not_ok "no result from: $2"
}

# net_end: tap_end, but a script that ran no test at all has failed.
# backlog_drops: packets the kernel dropped because a CPU's input backlog
# (netdev_max_backlog) was full, which veth traffic bursts can do under TCG:
# the usual cause of an unexpected retransmission in these tests.
backlog_drops()
{
	local sum=0 d

	while read -r _ d _; do
		sum=$((sum + 16#$d))
	done </proc/net/softnet_stat
	echo "$sum"
}

net_end()
{
	[ "$tap_count" -gt 0 ] || tap_not_ok "the script ran no test at all"
	echo "# ${0##*/}: ${SECONDS} s, $(backlog_drops) packets dropped by full CPU backlogs since boot"
	tap_end
}
