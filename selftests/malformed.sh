#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile and malformed segments on the real wire.  The rule: a malformed
# segment is dropped and counted (InErrs), or answered as RFC 9293 and RFC
# 5961 say (and as Linux does); never a crash, a WARN, a hang or lost data.
#
# badseg crafts whole IP packets on the client's veth, from a packet socket
# (IP_HDRINCL would rewrite the IP total length), to
#   - an alttcp listener: SYNs with a wrong checksum, a TCP header cut short
#     by the IP total length, data offsets < 5 and past the packet, IP total
#     lengths past the packet and inside the IP header (all dropped, no
#     answer); SYNs under IP options, with option lengths 0, 1 and past the
#     header, in two IP fragments (all answered with a SYN-ACK); SYN+FIN,
#     SYN+RST, no flags, all flags, FIN, RST (no answer) and an ACK (an RST
#     <SEQ=SEG.ACK>, RFC 9293 3.10.7.2);
#   - an established alttcp connection: exact RSTs with a wrong checksum or
#     data offset (dropped), an RST out of the window (ignored), an RST in
#     the window but not at RCV.NXT, SYNs in and out of the window and an
#     ACK far below SND.UNA (challenge ACKs, RFC 5961 3.2, 4.2, 5.2), and
#     data out of the window (an ACK, RFC 9293 3.10.7.4).
# Each listener case comes from its own source port, so a capture on the
# veth tells the answers apart; the server's counters move by exact deltas.
# Afterwards the connection, held idle meanwhile, still carries 256 KiB
# each way byte-exact, and the listener still accepts a fresh connection.
#
# The connection is alttcp's active open from the server namespace to a
# Linux TCP server in the client's namespace, stopped (SIGSTOP) before it
# accepts, so that nothing moves on it until the test lets it (SIGCONT).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

BADSEG=${BADSEG:-$ALTTCP_ROOT/selftests/badseg}
MAC_S=02:00:0a:00:01:02		# net_setup's MAC of the server's veth
XFER=256K
XFER_BYTES=262144
TOOL_T=90

net_init
[ "${ALTTCP_AS_TCP:-0}" != 1 ] || skip_all "needs alttcp's counters (ALTTCP_AS_TCP=1)"
[ "$ALTTCP_PROTO_READY" == 1 ] || skip_all "$ALTTCP_PROTO_REASON"
[ -x "$BADSEG" ] || skip_all "$BADSEG not built (make -C selftests)"
require_ctl

# ------------------------------------------------------------- counters

# alttcp's counters of the server namespace: ST[NAME]; stats_base keeps a
# copy in BASE, deltas prints "NAME=DELTA..." since then.
declare -A ST=() BASE=() LX=() LXBASE=()
stats_read()
{
	local out re='"([A-Za-z]+)":([0-9]+)'

	ST=()
	out=$("$ALTTCPCTL" -n "$NS_S" -j stats) || return 1
	while [[ $out =~ $re ]]; do
		ST[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		out=${out#*"${BASH_REMATCH[0]}"}
	done
}

stats_base()
{
	local k

	stats_read || return 1
	BASE=()
	for k in "${!ST[@]}"; do
		BASE[$k]=${ST[$k]}
	done
}

deltas()
{
	local k s=""

	for k in "$@"; do
		s+="${s:+ }$k=$((${ST[$k]:-0} - ${BASE[$k]:-0}))"
	done
	echo "$s"
}

# stats_reached NAME=DELTA...: every NAME moved by at least DELTA
stats_reached()
{
	local kv

	stats_read || return 1
	for kv in "$@"; do
		[ $((${ST[${kv%=*}]:-0} - ${BASE[${kv%=*}]:-0})) -ge "${kv#*=}" ] ||
			return 1
	done
}

# Linux's own IP and TCP counters of the server namespace, read from the
# parked process's /proc (no fork): LX[Ip.InHdrErrors], LX[Tcp.InSegs]...
linux_read()
{
	local f names vals i pfx

	LX=()
	for f in snmp netstat; do
		while read -ra names && read -ra vals; do
			pfx=${names[0]%:}
			for ((i = 1; i < ${#names[@]}; i++)); do
				LX[$pfx.${names[$i]}]=${vals[$i]}
			done
		done <"/proc/${NS_PID[$NS_S]}/net/$f"
	done
}

linux_base()
{
	local k

	linux_read
	LXBASE=()
	for k in "${!LX[@]}"; do
		LXBASE[$k]=${LX[$k]}
	done
}

linux_deltas()
{
	local k s=""

	linux_read
	for k in "$@"; do
		s+="${s:+ }$k=$((${LX[$k]:-0} - ${LXBASE[$k]:-0}))"
	done
	echo "$s"
}

# ------------------------------------------------------------- the capture

# CAP_LINES: "SRC_PORT DST_PORT FLAGS SEQ ACK" of every segment from the
# server's address that tcpdump could parse; SEQ/ACK "-" when not shown.
CAP_LINES=()
cap_load()
{
	local l re='IP [0-9.]+\.([0-9]+) > [0-9.]+\.([0-9]+): Flags \[([^]]*)\](, seq ([0-9]+)(:[0-9]+)?)?(, ack ([0-9]+))?'

	CAP_LINES=()
	while IFS= read -r l; do
		[[ $l =~ $re ]] || continue
		CAP_LINES+=("${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]} ${BASH_REMATCH[5]:--} ${BASH_REMATCH[8]:--}")
	done <<<"$(tcpdump -r "$NET_TMP/all.pcap" -nn -S "src host $ADDR_S" 2>/dev/null)"
}

# answers SPORT DPORT: the server's segments from SPORT to DPORT, as
# "FLAGS" or, for a RST, "R:SEQ"; space separated.
answers()
{
	local l sp dp fl seq s=""

	for l in "${CAP_LINES[@]}"; do
		read -r sp dp fl seq _ <<<"$l"
		[ "$sp" == "$1" ] && [ "$dp" == "$2" ] || continue
		[[ $fl == R* ]] && fl+=":$seq"
		s+="${s:+ }$fl"
	done
	echo "$s"
}

# handshake_seen PORT: HS="CLIENT_PORT ISS_OF_THE_SYN ISS_OF_THE_SYN_ACK"
# of the handshake to PORT in the capture, once both are there.
HS=""
handshake_seen()
{
	local l re_s re_sa sp=""

	re_s="IP $ADDR_S\\.([0-9]+) > $ADDR_C\\.$1: Flags \\[S\\], seq ([0-9]+)"
	re_sa="IP $ADDR_C\\.$1 > $ADDR_S\\.([0-9]+): Flags \\[S\\.\\], seq ([0-9]+)"
	HS=""
	while IFS= read -r l; do
		if [[ $l =~ $re_s ]]; then
			sp=${BASH_REMATCH[1]}
			HS="$sp ${BASH_REMATCH[2]}"
		elif [[ $l =~ $re_sa ]] && [ "${BASH_REMATCH[1]}" == "$sp" ]; then
			HS+=" ${BASH_REMATCH[2]}"
			return 0
		fi
	done <<<"$(tcpdump -r "$NET_TMP/all.pcap" -nn -S "tcp port $1 and tcp[13] & 2 != 0" 2>/dev/null)"
	return 1
}

no_requests()
{
	[ "$(alttcp_state_count "$NS_S" syn-recv "$PORT_L")" == 0 ]
}

cap_finish()
{
	local pid=${NET_PID[cap_all]:-}

	[ -n "$pid" ] || return 1
	nap 0.2		# the last answers on their way to the file
	kill -INT "$pid" 2>/dev/null
	net_wait 5 gone "$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "NET_PID[cap_all]"
	cap_load
}

# badseg GROUP SPORT DPORT ARGS...: from the client's address, output kept
badseg()
{
	local group=$1 sport=$2 dport=$3

	shift 3
	ip netns exec "$NS_C" "$BADSEG" -i "$IF_C" -m "$MAC_S" -s "$ADDR_C" \
		-S "$sport" -d "$ADDR_S" -D "$dport" "$@" >"$NET_TMP/$group.out" 2>&1 ||
		{ echo "# badseg failed:"; out_dump "$group"; return 1; }
}

# check_answers DESC SPORT DPORT EXPECTED
check_answers()
{
	check_eq "$1" "$(answers "$2" "$3")" "$4"
}

# ------------------------------------------------------------- the setup

tap_begin
net_setup || skip_all "cannot set up the namespaces"
# The answers to the listener cases go to ports nobody uses on the client:
# Linux resets the SYN-ACKs, which frees the listener's request entries.
# Those ports are kept out of the client's ephemeral range.
SP_DROP=61000
SP_SYN=61100
SP_FLAGS=61200

cap_global_start || skip_all "tcpdump did not start"
next_port
PORT_L=$PORT
srv_start lst alttcp -e 10K || skip_all "the alttcp listener did not start"
next_port
PORT_E=$PORT

# The connection: alttcp's client first receives (--recv-first) from a
# Linux server that is stopped before it accepts, so it stays idle.
"$ALTTCP_CONNECT" -N "$NS_C" -l "$ADDR_C" -p "$PORT_E" -P tcp -t "$TOOL_T" \
	-s $XFER --shut-wr -e $XFER >"$NET_TMP/lsrv.out" 2>&1 &
NET_PID[lsrv]=$!
net_wait 10 out_has lsrv '^listening on' || skip_all "the Linux server did not start"
kill -STOP "${NET_PID[lsrv]}"
"$ALTTCP_CONNECT" -N "$NS_S" -c "$ADDR_C" -p "$PORT_E" -P alttcp -t "$TOOL_T" \
	--recv-first -s $XFER -e $XFER >"$NET_TMP/acli.out" 2>&1 &
NET_PID[acli]=$!
if ! net_wait 10 out_has acli '^connected local='; then
	out_dump acli
	skip_all "the alttcp connection did not open"
fi
if ! net_wait 10 handshake_seen "$PORT_E"; then
	echo "# no handshake to port $PORT_E in the capture"
	skip_all "cannot read the connection's sequence numbers"
fi
read -r EPORT ISS_A ISS_L <<<"$HS"
SND_NXT=$(((ISS_A + 1) & 0xffffffff))	# alttcp's
RCV_NXT=$(((ISS_L + 1) & 0xffffffff))
echo "# connection $ADDR_S:$EPORT -> $ADDR_C:$PORT_E, alttcp SND.NXT $SND_NXT RCV.NXT $RCV_NXT"
check_eq "the connection is ESTABLISHED on the alttcp side" \
	"$(alttcp_state_count "$NS_S" established "$PORT_E")" 1

linux_base
T0=$SECONDS

# ---------------------------------------- malformed SYNs to the listener

DROP_CASES=(csum short doff4 doffbig iplong ipshort)
stats_base || skip_all "alttcpctl stats failed"
badseg drop $SP_DROP "$PORT_L" -k "${DROP_CASES[@]}" syn
# the last SYN is well formed: its SYN-ACK and the client's RST to it
# follow the others; then the counters are complete
net_wait 10 stats_reached InErrs=4 InSegs=2 OutSegs=1
check_eq "malformed SYNs: 4 counted in InErrs, none processed; the valid SYN after them answered" \
	"$(deltas InErrs InSegs OutSegs OutRsts)" "InErrs=4 InSegs=2 OutSegs=1 OutRsts=0"

# ---------------------------------------- odd but valid SYNs

SYN_CASES=(syn ipopt optlen0 optlen1 optover frag)
stats_base
badseg syn $SP_SYN "$PORT_L" -k "${SYN_CASES[@]}"
net_wait 10 stats_reached InSegs=12 OutSegs=6
check_eq "SYNs under IP options, with bad TCP option lengths, in fragments: 6 SYN-ACKs, 6 RSTs back" \
	"$(deltas InErrs InSegs OutSegs OutRsts)" "InErrs=0 InSegs=12 OutSegs=6 OutRsts=0"
net_wait 10 no_requests
check_eq "the client's RSTs freed every request" \
	"$(alttcp_state_count "$NS_S" syn-recv "$PORT_L")" 0

# ---------------------------------------- flag nonsense to the listener

FLAG_CASES=(synfin synrst null xmas fin rst ack)
LISTEN_ACK=305419896		# badseg's default ACK, 0x12345678
stats_base
badseg flags $SP_FLAGS "$PORT_L" -k "${FLAG_CASES[@]}" syn
net_wait 10 stats_reached InSegs=9 OutSegs=2
check_eq "flag nonsense to the listener: only the ACK is answered (RST), then the valid SYN" \
	"$(deltas InErrs InSegs OutSegs OutRsts)" "InErrs=0 InSegs=9 OutSegs=2 OutRsts=1"

# ---------------------------------------- the established connection

EST_CASES=(rst_csum rst_doff rst_oow rst_inwin syn_inwin syn_oow ack_old data_oow)
stats_base
badseg est "$PORT_E" "$EPORT" -q "$RCV_NXT" -a "$SND_NXT" "${EST_CASES[@]}"
net_wait 10 stats_reached InErrs=2 InSegs=6 OutSegs=5
check_eq "to the connection: 2 bad exact RSTs in InErrs, 4 challenge ACKs, 1 ACK for the data, no RST" \
	"$(deltas InErrs InSegs ChallengeACKs OutSegs OutRsts EstabResets)" \
	"InErrs=2 InSegs=6 ChallengeACKs=4 OutSegs=5 OutRsts=0 EstabResets=0"
check_eq "the connection is still ESTABLISHED" \
	"$(alttcp_state_count "$NS_S" established "$PORT_E")" 1
echo "# the attacks took $((SECONDS - T0)) s"

# ---------------------------------------- what the wire shows

check_eq "Linux IP dropped the bad total lengths, reassembled the fragments; Linux TCP got nothing" \
	"$(linux_deltas Ip.InHdrErrors IpExt.InTruncatedPkts Ip.ReasmOKs Tcp.InSegs Tcp.InErrs Tcp.OutRsts)" \
	"Ip.InHdrErrors=1 IpExt.InTruncatedPkts=1 Ip.ReasmOKs=1 Tcp.InSegs=0 Tcp.InErrs=0 Tcp.OutRsts=0"

cap_finish || tap_not_ok "the capture did not stop"
sp=$SP_DROP
for c in "${DROP_CASES[@]}"; do
	check_answers "listener, $c: no answer" "$PORT_L" $sp ""
	sp=$((sp + 1))
done
check_answers "listener, the valid SYN after them: a SYN-ACK" "$PORT_L" $sp "S."
sp=$SP_SYN
for c in "${SYN_CASES[@]}"; do
	check_answers "listener, $c: a SYN-ACK" "$PORT_L" $sp "S."
	sp=$((sp + 1))
done
sp=$SP_FLAGS
for c in "${FLAG_CASES[@]}"; do
	if [ "$c" == ack ]; then
		check_answers "listener, ACK: RST <SEQ=SEG.ACK>" "$PORT_L" $sp "R:$LISTEN_ACK"
	else
		check_answers "listener, $c: no answer" "$PORT_L" $sp ""
	fi
	sp=$((sp + 1))
done
check_answers "listener, the valid SYN after them: a SYN-ACK" "$PORT_L" $sp "S."
# The connection's own: the SYN, the handshake's ACK and the 5 answers,
# all ACKs of <SEQ=SND.NXT><ACK=RCV.NXT>.
check_answers "connection: 5 ACKs answered the 8 segments, no RST" "$EPORT" "$PORT_E" \
	"S . . . . . ."
check_eq "connection: every ACK is <SEQ=SND.NXT><ACK=RCV.NXT>" \
	"$(tcpdump -r "$NET_TMP/all.pcap" -nn "src host $ADDR_S and src port $EPORT and tcp[13] = 0x10 and tcp[4:4] = $SND_NXT and tcp[8:4] = $RCV_NXT" 2>/dev/null | wc -l)" 6

# ---------------------------------------- still working

kill -CONT "${NET_PID[lsrv]}"
proc_wait acli
rc_a=$?
proc_wait lsrv
rc_l=$?
check_out "the connection then carries $XFER each way, byte-exact" \
	"$rc_a $rc_l $(out_lines acli '^received') $(out_lines lsrv '^received')" \
	"0 0 received $XFER_BYTES bytes ok received $XFER_BYTES bytes ok" acli lsrv
PORT=$PORT_L
cli_run fresh tcp -s 10K
rc_c=$?
proc_wait lst
rc_s=$?
check_out "the listener still accepts a fresh connection" \
	"$rc_c $rc_s $(out_lines lst '^received')" "0 0 received 10240 bytes ok" fresh lst

stats_read && for k in "${!ST[@]}"; do
	[ "${ST[$k]}" == 0 ] || echo "# $k ${ST[$k]}"
done | sort
net_end
