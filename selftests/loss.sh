#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lost segments and dead peers: nftables drops chosen segments on the
# receiving veth (netdev ingress, see drop_first in net_lib.sh), tcpdump on
# the client's veth records what was sent and when, and each scenario checks
# the consequence and the timing of the recovery:
#
#   SYN lost                 SYN retransmitted 1 s later, connect() ~1 s
#   SYN-ACK lost             SYN-ACK retransmitted ~1 s later
#   third ACK lost           server retransmits its SYN-ACK, accepts ~1 s late
#   first FIN lost           FIN retransmitted after one RTO (~200 ms)
#   peer's FIN lost          same on the passive side; LAST_ACK ends
#   final ACK lost 4 times   FIN retransmitted with back-off (see below),
#                            each answered from TIME_WAIT, whose timer
#                            restarts at the last FIN
#   syn_retries=2            ETIMEDOUT after ~7 s, SYNs 1 s and 2 s apart
#   SO_LINGER 0              close() sends RST, no FIN; the peer gets ECONNRESET
#   close with unread data   RST, no FIN; the peer gets ECONNRESET
#   keepalive, peer gone     probes 1 s apart, ETIMEDOUT after idle+cnt*intvl,
#                            and an RST
#   keepalive, peer rebooted the peer's stack answers the probe with RST
#
# Timers are checked to +-max(300 ms, 30 %): TCG fires them late.  Knobs
# are set per protocol (knob_set): the net.ipv4.tcp_* sysctls of the
# namespace for Linux TCP, net.alttcp.* for alttcp.  Each scenario runs on
# the rows whose behaviour it tests (the alttcp side being the one that has
# to act), plus tcp:tcp as the reference; ROWS / CLIENT_PROTO / SERVER_PROTO
# override (in the VM: OUTDIR/net.env).  The scenarios mostly wait for
# timers, so up to LOSS_JOBS (default 5) of them run at once, each on its own port (drop rules and the
# capture are per port); the knobs they change do not disturb each other.
#
# Retransmission back-off: Linux sends a tail loss probe ~1 RTO after a
# lone FIN, then RTO-based retransmissions (gaps 200, 200, 400, 800 ms);
# ALTTCP_RTX_GAPS gives alttcp's schedule (default the RFC 6298 200, 400,
# 800, 1600 ms).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

# RTO-sized expectations: rto_min 200 ms (+ a few ms of RTT)
RTO=200
ALTTCP_RTX_GAPS=${ALTTCP_RTX_GAPS:-200 400 800 1600}
LOSS_JOBS=${LOSS_JOBS:-5}

# rtx_gaps PROTO N: the first N gaps between retransmissions of a lone
# segment (FIN) by PROTO
rtx_gaps()
{
	local g

	case $(real_proto "$1") in
	tcp)	read -ra g <<<"$RTO $RTO $((RTO * 2)) $((RTO * 4)) $((RTO * 8))" ;;
	*)	read -ra g <<<"$ALTTCP_RTX_GAPS" ;;
	esac
	echo "${g[@]:0:$2}"
}

# first_gap DIR FLAGS_REGEX: ms between the first two matching segments
first_gap()
{
	local g

	read -ra g <<<"$(cap_gaps "$1" "$2")"
	echo "${g[0]:-none}"
}

# state_none NS PROTO STATE: PORT has no connection in STATE
state_none()
{
	[ "$(state_count "$1" "$2" "$3" "$PORT")" == 0 ]
}

# cap_has DIR FLAGS_REGEX N: the capture so far has N such segments (for
# net_wait: reads the global capture, one tcpdump -r per call, so pace it)
cap_has()
{
	cap_stop cap
	[ "$(cap_count "$1" "$2")" -ge "$3" ] || { nap 0.3; return 1; }
}

# tw_len_ms PROTO: TIME_WAIT length
tw_len_ms()
{
	case $(real_proto "$1") in
	tcp) echo 60000 ;;
	alttcp) echo $((ALTTCP_TW_S * 1000)) ;;
	esac
}
ALTTCP_TW_S=60

s_syn_lost()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	drop_first srv 0 0 "$M_SYN"
	cap_start cap
	srv_start srv "$sp"
	cli_run cli "$cp"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	cap_stop cap
	check_out "$r: SYN lost: connection established" "$rc_c $rc_s" "0 0" cli srv
	check_near "$r: SYN lost: connect() takes one SYN timeout" \
		"$(out_val cli connect_ms)" 1000
	check_gaps "$r: SYN lost: SYN retransmitted once, 1 s later" \
		"$(cap_gaps 'c>s' S)" 1000 || cap_dump
}

s_synack_lost()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	drop_first cli 0 0 "$M_SYNACK"
	cap_start cap
	srv_start srv "$sp"
	cli_run cli "$cp"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	cap_stop cap
	check_out "$r: SYN-ACK lost: connection established" "$rc_c $rc_s" "0 0" cli srv
	check_near "$r: SYN-ACK lost: connect() takes ~1 s" \
		"$(out_val cli connect_ms)" 1000
	# The server's timer and the client's retransmitted SYN both call for
	# a new SYN-ACK about 1 s after the first; whichever comes first.
	check_near "$r: SYN-ACK lost: SYN-ACK retransmitted ~1 s later" \
		"$(first_gap 's>c' 'S\.')" 1000 || cap_dump
}

s_ack_lost()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s t_sa t_data i

	# the first pure ACK to the server is the handshake's third one
	drop_first srv 0 0 "$M_PUREACK"
	cap_start cap
	srv_start srv "$sp" -s 1000
	cli_run cli "$cp" -r -e 1000
	rc_c=$?
	proc_wait srv
	rc_s=$?
	cap_stop cap
	check_out "$r: 3rd ACK lost: the server's data arrives" \
		"$rc_c $rc_s $(out_lines cli '^received')" "0 0 received 1000 bytes ok" cli srv
	check_near "$r: 3rd ACK lost: connect() returns at once" \
		"$(out_val cli connect_ms)" 0
	check_near "$r: 3rd ACK lost: server retransmits SYN-ACK ~1 s later" \
		"$(first_gap 's>c' 'S\.')" 1000
	# accept() only returns once the retransmitted SYN-ACK is ACKed
	read -r t_sa _ <<<"$(cap_times 's>c' 'S\.')"
	t_data=""
	for i in "${!CAP_T[@]}"; do
		if [ "${CAP_D[$i]}" == "s>c" ] && [ "${CAP_L[$i]}" -gt 0 ]; then
			t_data=${CAP_T[$i]}
			break
		fi
	done
	check_near "$r: 3rd ACK lost: server sends its data ~1 s late" \
		"$(( (${t_data:-0} - ${t_sa:-0}) / 1000 ))" 1000 || cap_dump
}

# check_client_tw DESC PROTO: the client (PROTO) ends in TIME_WAIT, which
# began at the server's last FIN.  Stops the capture.  A TIME_WAIT is only
# missing if the check came in time: on a debug kernel under TCG a loaded
# job reached it more than a minute late, after Linux's fixed 60 s.
check_client_tw()
{
	local desc=$1 cp=$2 n t_n fins age

	if ! n=$(tw_count "$NS_C" "$cp" "$PORT"); then
		cap_stop cap
		tap_skip "$desc" "$(unobservable)"
		return
	fi
	net_wait 3 tw_atleast "$NS_C" "$cp" "$PORT" 1
	n=$(tw_count "$NS_C" "$cp" "$PORT")
	t_n=$(now_us)
	cap_stop cap
	read -ra fins <<<"$(cap_times 's>c' 'F.*')"
	age=$(((t_n - ${fins[-1]:-$t_n}) / 1000))
	if [ "$n" != 1 ] && [ "$age" -ge $(($(tw_len_ms "$cp") - 1000)) ]; then
		tap_skip "$desc" "checked ${age} ms after the last FIN: TIME_WAIT had run out"
		return
	fi
	check_eq "$desc" "$n" 1 && return
	echo "#   checked ${age} ms after the server's last FIN"
	cap_dump
	ns_tcp_counters "$NS_C"
}

s_fin_lost()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	drop_first srv 0 0 "$M_FIN"
	cap_start cap
	srv_start srv "$sp" -r -e 0
	cli_run cli "$cp"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: first FIN lost: both ends close cleanly" "$rc_c $rc_s" "0 0" cli srv
	check_client_tw "$r: first FIN lost: the client ends in TIME_WAIT" "$cp"
	# (later FINs may cross the peer's: only the first gap is certain)
	check_near "$r: first FIN lost: FIN retransmitted after one RTO" \
		"$(first_gap 'c>s' 'F.*')" "$(rtx_gaps "$cp" 1)" || cap_dump
}

s_peer_fin_lost()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	drop_first cli 0 0 "$M_FIN"
	cap_start cap
	srv_start srv "$sp" -r -e 0
	cli_run cli "$cp"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: peer's FIN lost: both ends close cleanly" "$rc_c $rc_s" "0 0" cli srv
	if state_count "$NS_S" "$sp" last-ack "$PORT" >/dev/null; then
		net_wait 3 state_none "$NS_S" "$sp" last-ack
		check_eq "$r: peer's FIN lost: the server leaves LAST_ACK" \
			"$(state_count "$NS_S" "$sp" last-ack "$PORT")" 0
	else
		tap_skip "$r: peer's FIN lost: the server leaves LAST_ACK" "$(unobservable)"
	fi
	check_client_tw "$r: peer's FIN lost: the client ends in TIME_WAIT" "$cp"
	check_near "$r: peer's FIN lost: its FIN retransmitted after one RTO" \
		"$(first_gap 's>c' 'F.*')" "$(rtx_gaps "$sp" 1)" || cap_dump
}

# fins_unanswered FIN_TIMES...: the numbers (from 1) of the server's
# FINs that no pure ACK from the client followed before the next FIN
fins_unanswered()
{
	local fins=("$@") n i j s=""

	for n in "${!fins[@]}"; do
		j=0
		for i in "${!CAP_T[@]}"; do
			[ "${CAP_D[$i]}" == "c>s" ] && [ "${CAP_F[$i]}" == "." ] &&
				[ "${CAP_T[$i]}" -gt "${fins[n]}" ] &&
				{ [ -z "${fins[n + 1]:-}" ] ||
				  [ "${CAP_T[$i]}" -lt "${fins[n + 1]}" ]; } && j=1
		done
		[ $j = 1 ] || s+="${s:+ }$((n + 1))"
	done
	echo "$s"
}

# last_ack_over NS PROTO: the server's connection has left LAST_ACK, or
# the capture holds the 5th FIN (when its states are not observable)
last_ack_over()
{
	if state_count "$1" "$2" last-ack "$PORT" >/dev/null; then
		state_none "$1" "$2" last-ack
	else
		cap_has 's>c' 'F.*' 5
	fi
}

s_final_ack_lost()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s fins left want t_a t_b gaps acks nf t

	[ "$(real_proto "$cp")" == alttcp ] && knob_set "$NS_C" alttcp tw_timeout "$ALTTCP_TW_S"
	# pure ACKs to the server: #0 completes the handshake, #1..#4 answer
	# the server's FIN and its first three retransmissions
	drop_first srv 1 4 "$M_PUREACK"
	cap_start cap
	srv_start srv "$sp" -r -e 0
	cli_run cli "$cp"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: final ACK lost: both ends close" "$rc_c $rc_s" "0 0" cli srv
	# the 5th FIN, ~1.7 s (Linux) or ~3 s after the first, gets through
	net_wait 8 last_ack_over "$NS_S" "$sp"
	if state_count "$NS_S" "$sp" last-ack "$PORT" >/dev/null; then
		check_eq "$r: final ACK lost: the server leaves LAST_ACK at the last FIN" \
			"$(state_count "$NS_S" "$sp" last-ack "$PORT")" 0
	else
		tap_skip "$r: final ACK lost: the server leaves LAST_ACK at the last FIN" \
			"$(unobservable)"
	fi
	# the dump read the timer somewhere between t_a and t_b
	t_a=$(now_us)
	left=$(tw_timer_ms "$NS_C" "$cp" "$PORT")
	t_b=$(now_us)
	cap_stop cap
	read -ra fins <<<"$(cap_times 's>c' 'F.*')"
	# The FINs before the client's pure ACK #5, the first the rule let
	# through: 5, unless the client sent a pure ACK that answered no FIN
	# (from TIME_WAIT, as Linux, to the server's ACK arriving after its
	# FIN with an older TSval), which took one of the drops.
	read -ra acks <<<"$(cap_times 'c>s' '\.')"
	nf=0
	for t in "${fins[@]}"; do
		[ -z "${acks[5]:-}" ] || [ "$t" -lt "${acks[5]}" ] && nf=$((nf + 1))
	done
	[ "$nf" -eq 5 ] || echo "# $nf FINs: the client's pure ACKs #1-#4 answered $nf - 1 of them"
	fins=("${fins[@]:0:nf}")
	gaps=$(cap_gaps 's>c' 'F.*')
	read -ra gaps <<<"$gaps"
	check_gaps "$r: final ACK lost: FIN retransmitted with back-off" \
		"${gaps[*]:0:nf > 0 ? nf - 1 : 0}" "$(rtx_gaps "$sp" $((nf < 4 ? 3 : nf - 1)))"
	# every FIN was answered before the next one (from TIME_WAIT after the
	# first): the FINs the client left unanswered, by number
	check_eq "$r: final ACK lost: the client ACKs each FIN" \
		"$nf FINs, unanswered: $(fins_unanswered "${fins[@]}")" "$nf FINs, unanswered: " ||
		{ cap_dump; ns_tcp_counters "$NS_C"; }
	# Left at the dump if the timer restarted at the last FIN; without a
	# restart it would be 1.7-3 s less.  A slow dump (a busy TCG) widens
	# the tolerance by half its length, still well below that.
	want=$(( $(tw_len_ms "$cp") - ((t_a + t_b) / 2 - ${fins[-1]:-0}) / 1000 ))
	if [ -z "$left" ]; then
		if [ "$want" -le 1000 ]; then
			tap_skip "$r: final ACK lost: TIME_WAIT restarted by the last FIN" \
				"read $(($(tw_len_ms "$cp") - want)) ms after the last FIN: TIME_WAIT had run out"
		elif ! tw_count "$NS_C" "$cp" "$PORT" >/dev/null; then
			tap_skip "$r: final ACK lost: TIME_WAIT restarted by the last FIN" "$(unobservable)"
		else
			check_eq "$r: final ACK lost: TIME_WAIT restarted by the last FIN" \
				"no TIME_WAIT timer" "${want} ms left"
		fi
		return
	fi
	check_near "$r: final ACK lost: TIME_WAIT restarted by the last FIN" \
		"$left" "$want" $((500 + (t_b - t_a) / 2000)) 0
}

s_syn_retries()
{
	local cp=$1 sp=$2 r=$3 rc_c

	knob_set "$NS_C" "$cp" syn_retries 2
	# Linux 6.5 and later back the first tcp_syn_linear_timeouts (4) SYN
	# retries off linearly, 1 s apart; this row checks the exponential
	# 1, 2, 4 s that syn_retries counts in, as 6.1 does by default.
	if [ "$(real_proto "$cp")" == tcp ]; then
		ip netns exec "$NS_C" sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0 \
			2>/dev/null || true
	fi
	drop_all srv "$M_SYN"
	cap_start cap
	cli_run cli "$cp"
	rc_c=$?
	cap_stop cap
	check_out "$r: syn_retries=2, no answer: connect() fails with ETIMEDOUT" \
		"$rc_c $(out_lines cli '^connect:' | sed 's/ connect_ms=.*//')" \
		"2 connect: Connection timed out errno=ETIMEDOUT" cli
	check_near "$r: syn_retries=2: after 1+2+4 s" "$(out_val cli connect_ms)" 7000 700 10
	check_gaps "$r: syn_retries=2: SYNs 1 s and 2 s apart" \
		"$(cap_gaps 'c>s' S)" "1000 2000" || cap_dump
}

# rst_ts DIR: 1 if DIR's RST carries TSopt, 0 if not, none without one
rst_ts()
{
	local i

	for i in "${!CAP_T[@]}"; do
		[ "${CAP_D[$i]}" == "$1" ] && [[ ${CAP_F[$i]} == R* ]] &&
			{ echo "${CAP_TS[$i]}"; return; }
	done
	echo none
}

# the RST, and no FIN, from the client; the server's recv gets ECONNRESET
check_rst()
{
	local r=$1 rc_s=$2

	check_out "$r: the server's recv() fails with ECONNRESET" \
		"$rc_s $(out_lines srv '^recv:' | sed 's/ after=.*//')" \
		"5 recv: Connection reset by peer errno=ECONNRESET" cli srv
	check_is "$r: the client sent an RST and no FIN" \
		"$(cap_count 'c>s' 'R.*') $(cap_count 'c>s' 'F.*')" "1 0" || cap_dump
	# as Linux's tcp_send_active_reset(): TSopt, as on every segment
	check_eq "$r: the client's RST carries TSopt" "$(rst_ts 'c>s')" 1
	if tw_count "$NS_C" "$cp" "$PORT" >/dev/null; then
		check_eq "$r: the client keeps no TIME_WAIT" \
			"$(tw_count "$NS_C" "$cp" "$PORT")" 0
	else
		tap_skip "$r: the client keeps no TIME_WAIT" "$(unobservable)"
	fi
}

s_linger0()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	cap_start cap
	srv_start srv "$sp" -s 100 -r
	cli_run cli "$cp" --do "poll:in:5000,recv,linger0,close"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	cap_stop cap
	check_out "$r: SO_LINGER 0: the client's close() succeeds" \
		"$rc_c $(out_lines cli '^(recv|close)=')" "0 recv=100;close=0" cli srv
	check_rst "$r: SO_LINGER 0" "$rc_s"
}

s_close_unread()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	cap_start cap
	srv_start srv "$sp" -s 100 -r
	cli_run cli "$cp" --close-unread
	rc_c=$?
	proc_wait srv
	rc_s=$?
	cap_stop cap
	check_out "$r: close with unread data: close() succeeds" \
		"$rc_c $(out_lines cli '^close_unread=')" "0 close_unread=POLLIN" cli srv
	check_rst "$r: close with unread data" "$rc_s"
}

s_keepalive_gone()
{
	local cp=$1 sp=$2 r=$3 rc_c

	# With no data exchanged, the only pure ACKs from the server are the
	# answers to keepalive probes: the peer is gone as far as the client
	# can tell.
	drop_all cli "$M_PUREACK"
	cap_start cap
	srv_start srv "$sp" --hold 15000
	cli_run cli "$cp" --keepalive 1,1,2 --hold 15000
	rc_c=$?
	cap_stop cap
	check_out "$r: keepalive 1,1,2, peer gone: ETIMEDOUT" \
		"$rc_c $(out_lines cli '^hold:' | sed 's/ after_ms=.*//')" \
		"2 hold: Connection timed out errno=ETIMEDOUT" cli srv
	check_near "$r: keepalive 1,1,2: after idle + 2 probes = 3 s" \
		"$(out_val cli after_ms)" 3000
	# the handshake's ACK, then a probe after 1 s idle and one 1 s later
	check_gaps "$r: keepalive 1,1,2: 2 probes, 1 s apart" \
		"$(cap_gaps 'c>s' '\.')" "1000 1000" || cap_dump
	# as Linux's keepalive timer: should the peer be alive after all
	check_is "$r: keepalive gives up with an RST" \
		"$(cap_count 'c>s' 'R.*')" 1 || cap_dump
}

s_keepalive_reboot()
{
	local cp=$1 sp=$2 r=$3 rc_c rcs

	# the namespace's keepalive defaults this time, not setsockopt()
	knob_set "$NS_C" "$cp" keepalive_time 2 &&
	knob_set "$NS_C" "$cp" keepalive_intvl 1 &&
	knob_set "$NS_C" "$cp" keepalive_probes 3 || echo "# knob_set failed"
	# the RST of the dying server never arrives: the client knows nothing
	drop_first cli 0 0 'tcp flags & rst == rst'
	cap_start cap
	srv_start srv "$sp" --linger0 --hold 30000
	cli_start cli "$cp" --keepalive 0,0,0 --hold 15000
	net_wait 10 out_has srv '^accepted'
	kill -KILL "${NET_PID[srv]}"
	proc_wait srv 2>/dev/null
	proc_wait cli
	rc_c=$?
	cap_stop cap
	check_out "$r: keepalive, peer rebooted: its RST ends the connection" \
		"$rc_c $(out_lines cli '^hold:' | sed 's/ after_ms=.*//')" \
		"5 hold: Connection reset by peer errno=ECONNRESET" cli srv
	check_near "$r: keepalive_time=2: at the first probe" \
		"$(out_val cli after_ms)" 2000
	# the last two segments: the client's probe, the server's RST
	rcs="${CAP_D[-2]:-} ${CAP_F[-2]:-} ${CAP_D[-1]:-} ${CAP_F[-1]:-}"
	check_is "$r: keepalive, peer rebooted: probe answered by RST" \
		"${rcs/R./R}" "c>s . s>c R" || cap_dump
}

# name, then the rows it runs by default; the longest first
SCENARIOS=(
	"syn_retries tcp:tcp alttcp:tcp"
	"keepalive_gone tcp:tcp alttcp:tcp"
	"keepalive_reboot tcp:tcp alttcp:tcp tcp:alttcp"
	"syn_lost tcp:tcp alttcp:tcp"
	"synack_lost tcp:tcp tcp:alttcp alttcp:tcp"
	"ack_lost tcp:tcp tcp:alttcp alttcp:tcp"
	"fin_lost tcp:tcp alttcp:tcp tcp:alttcp"
	"peer_fin_lost tcp:tcp tcp:alttcp alttcp:tcp"
	"final_ack_lost tcp:tcp alttcp:tcp tcp:alttcp"
	"linger0 tcp:tcp alttcp:tcp tcp:alttcp"
	"close_unread tcp:tcp alttcp:tcp tcp:alttcp"
)

tap_begin
net_init
net_setup || skip_all "cannot set up the namespaces and veth"
cap_global_start || skip_all "tcpdump does not capture"

for s in "${SCENARIOS[@]}"; do
	read -r name rows <<<"$s"
	for row in $(net_rows $rows); do
		cp=${row%%:*}
		sp=${row##*:}
		r="$cp->$sp"
		if reason=$(row_skip "$cp" "$sp"); then
			job_add tap_skip "$r: $name" "$reason"
		else
			job_add "s_$name" "$cp" "$sp" "$r"
		fi
	done
done
jobs_run "$LOSS_JOBS"

net_end
