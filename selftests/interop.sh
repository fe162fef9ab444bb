#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# alttcp and Linux TCP interoperate, each way and with each other: the
# handshake, a byte-exact bulk transfer in each direction, who ends in
# TIME_WAIT for either close order, simultaneous close, half-close, and many
# concurrent connections.  Rows: client->server protocols, Linux TCP on both
# sides being the reference.
#
# Environment: SIZE (bulk bytes each way, default 64M), XFER_T (the tool's
# -t for it, default 120 s), HALF_SIZE (bytes the server sends after the
# client's SHUT_WR, default 4M), NCONNS (concurrent connections, default
# 50), INTEROP_JOBS (rows whose other checks run at once, default 4), ROWS /
# CLIENT_PROTO / SERVER_PROTO (see net_lib.sh), ALTTCP_PROTO_READY,
# ALTTCP_AS_TCP.  In the VM they go into OUTDIR/net.env.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

SIZE=${SIZE:-64M}
HALF_SIZE=${HALF_SIZE:-4M}
NCONNS=${NCONNS:-50}
ALL_ROWS="tcp:tcp alttcp:tcp tcp:alttcp alttcp:alttcp"

# 64M -> 67108864
bytes()
{
	local n=${1%[KkMmGg]}

	case $1 in
	*[Kk]) echo $((n << 10)) ;;
	*[Mm]) echo $((n << 20)) ;;
	*[Gg]) echo $((n << 30)) ;;
	*) echo "$1" ;;
	esac
}

# 64M -> 64MiB
label()
{
	case $1 in
	*[Kk]) echo "${1%?}KiB" ;;
	*[Mm]) echo "${1%?}MiB" ;;
	*[Gg]) echo "${1%?}GiB" ;;
	*) echo "${1}B" ;;
	esac
}

# check_tw DESC NS PROTO WANT: PORT's TIME_WAIT count on one side.  A side
# that must have one gets up to 20 s for the last FIN to land: the four rows
# run at once, and under TCG a burst of them can overflow a CPU's backlog,
# so a FIN may need a few RTOs (backed off from a handshake RTT that TCG
# inflates).  The deadline only costs time when the check fails.
check_tw()
{
	local desc=$1 ns=$2 proto=$3 want=$4 n

	if ! tw_count "$ns" "$proto" "$PORT" >/dev/null; then
		tap_skip "$desc" "$(unobservable)"
		return
	fi
	[ "$want" -gt 0 ] && net_wait 20 tw_atleast "$ns" "$proto" "$PORT" "$want"
	n=$(tw_count "$ns" "$proto" "$PORT")
	check_eq "$desc" "$n" "$want"
	[ "$n" == "$want" ] && return
	echo "#   sockets of port $PORT in $ns:"
	tcp_socks "$ns" "$PORT" | sed 's/^/#     /'
}

t_transfer()
{
	local cp=$1 sp=$2 r=$3 n rc_c rc_s ms
	local TOOL_T=${XFER_T:-120}	# a slow row under a busy TCG

	n=$(bytes "$SIZE")

	# client -> server
	next_port
	srv_start srv "$sp" -r -e "$SIZE"
	cli_run cli "$cp" -s "$SIZE"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: handshake (addresses both ends see)" \
		"$(out_val cli peer) $(out_val srv peer)" \
		"$ADDR_S:$PORT $(out_val cli local)" cli srv
	check_out "$r: $(label "$SIZE") client->server byte-exact" \
		"$rc_c $rc_s $(out_lines srv '^received')" \
		"0 0 received $n bytes ok" cli srv
	ms=$(out_val srv xfer_ms)
	echo "# $(label "$SIZE") $r client->server $(ms_to_s "${ms:-0}") s ($(out_val srv mbit_s) Mbit/s)"

	# server -> client
	next_port
	srv_start srv "$sp" -s "$SIZE"
	cli_run cli "$cp" -r -e "$SIZE"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: $(label "$SIZE") server->client byte-exact" \
		"$rc_c $rc_s $(out_lines cli '^received')" \
		"0 0 received $n bytes ok" cli srv
	ms=$(out_val cli xfer_ms)
	echo "# $(label "$SIZE") $r server->client $(ms_to_s "${ms:-0}") s ($(out_val cli mbit_s) Mbit/s)"
}

# The side that closes first ends in TIME_WAIT, the other one does not.
t_close_orders()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	# the client closes as soon as it has sent; the server on EOF
	next_port
	srv_start srv "$sp" -r -e 1000
	cli_run cli "$cp" -s 1000
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: client closes first: both ends ok" "$rc_c $rc_s" "0 0" cli srv
	check_tw "$r: client closes first: client in TIME_WAIT" "$NS_C" "$cp" 1
	check_tw "$r: client closes first: server not in TIME_WAIT" "$NS_S" "$sp" 0

	# the server closes as soon as it has sent; the client on EOF
	next_port
	srv_start srv "$sp" -s 1000
	cli_run cli "$cp" -r -e 1000
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: server closes first: both ends ok" "$rc_c $rc_s" "0 0" cli srv
	check_tw "$r: server closes first: server in TIME_WAIT" "$NS_S" "$sp" 1
	check_tw "$r: server closes first: client not in TIME_WAIT" "$NS_C" "$cp" 0
}

# Both ends close at the same instant, and the first FIN each way is lost:
# each side has sent its FIN before the other's (retransmitted) one arrives,
# so both go FIN_WAIT1 -> CLOSING (or straight) -> TIME_WAIT.  Losing the
# FINs, rather than delaying everything with netem, makes the crossing
# certain even if the two close()s are a scheduling hiccup apart, and
# leaves other ports alone.
t_simultaneous_close()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s at

	next_port
	drop_first srv 0 0 "$M_FIN"
	drop_first cli 0 0 "$M_FIN"
	at=$(($(now_us) / 1000 + 1000))
	srv_start srv "$sp" --close-at "$at"
	cli_start cli "$cp" --close-at "$at"
	proc_wait cli
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: simultaneous close: both ends ok" "$rc_c $rc_s" "0 0" cli srv
	check_tw "$r: simultaneous close: client in TIME_WAIT" "$NS_C" "$cp" 1
	check_tw "$r: simultaneous close: server in TIME_WAIT" "$NS_S" "$sp" 1
}

# The client sends, shuts down its sending side, and still receives
# everything the server sends after that EOF.
t_half_close()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s n

	n=$(bytes "$HALF_SIZE")
	next_port
	srv_start srv "$sp" --recv-first -r -e 100K -s "$HALF_SIZE"
	cli_run cli "$cp" -s 100K --shut-wr -r -e "$HALF_SIZE"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: half-close: server gets EOF, then sends $(label "$HALF_SIZE")" \
		"$rc_s $(out_lines srv '^(received|sent)')" \
		"0 received 102400 bytes ok;sent $n bytes" cli srv
	check_out "$r: half-close: client receives it byte-exact after SHUT_WR" \
		"$rc_c $(out_lines cli '^(shutdown|received)')" \
		"0 shutdown SHUT_WR;received $n bytes ok" cli srv
}

t_many()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	next_port
	srv_start srv "$sp" --nonblock -n "$NCONNS" -r -e 64K -s 64K
	cli_run cli "$cp" --nonblock -C "$NCONNS" -s 64K --shut-wr -r -e 64K
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: $NCONNS concurrent connections, 64KiB each way" \
		"$rc_c $rc_s $(out_count cli '^received 65536 bytes ok') $(out_count srv '^received 65536 bytes ok')" \
		"0 0 $NCONNS $NCONNS" cli srv
}

# everything but the timed transfers, side by side with the other rows
t_rest()
{
	t_close_orders "$@"
	t_simultaneous_close "$@"
	t_half_close "$@"
	t_many "$@"
}

# the transfers of all rows, one at a time
t_transfers()
{
	local row cp sp r reason

	for row in "$@"; do
		cp=${row%%:*}
		sp=${row##*:}
		r="$cp->$sp"
		if reason=$(row_skip "$cp" "$sp"); then
			tap_skip "$r: handshake and $(label "$SIZE") transfers" "$reason"
			continue
		fi
		t_transfer "$cp" "$sp" "$r"
	done
	echo "# transfers done after $SECONDS s"
}

tap_begin
net_init
net_setup || skip_all "cannot set up the namespaces and veth"

# The transfers first, one at a time, so that their times mean something
# (overlapping them with the rest does not pay: under TCG both are CPU
# bound); then the rows' other checks side by side.
rows=$(net_rows $ALL_ROWS)
t_transfers $rows
for row in $rows; do
	cp=${row%%:*}
	sp=${row##*:}
	r="$cp->$sp"
	if reason=$(row_skip "$cp" "$sp"); then
		job_add tap_skip "$r: close orders, simultaneous close, half-close, $NCONNS connections" "$reason"
	else
		job_add t_rest "$cp" "$sp" "$r"
	fi
done
jobs_run "${INTEROP_JOBS:-4}"

net_end
