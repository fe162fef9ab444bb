#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The socket API as applications see it, on the side(s) running alttcp,
# checked against what Linux TCP does (the tcp:tcp row is the reference):
# nonblocking connect (EINPROGRESS, POLLOUT, SO_ERROR) and accept (EAGAIN,
# POLLIN), refused connects, poll readiness (POLLOUT at once, POLLIN on
# data, POLLIN|POLLRDHUP on the peer's FIN, POLLERR|POLLHUP on its RST),
# recv/send/SO_ERROR after an RST (ECONNRESET once, then EOF / EPIPE, no
# SIGPIPE with MSG_NOSIGNAL), EPIPE after our own SHUT_WR, and a poll()
# driven bidirectional transfer.
#
# Environment: ROWS / CLIENT_PROTO / SERVER_PROTO (see net_lib.sh),
# SOCKAPI_JOBS (rows at once, default 4), ALTTCP_PROTO_READY, ALTTCP_AS_TCP
# (in the VM: OUTDIR/net.env).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

ALL_ROWS="tcp:tcp alttcp:tcp tcp:alttcp alttcp:alttcp"

t_nonblock_connect_accept()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	next_port
	srv_start srv "$sp" --nonblock
	cli_run cli "$cp" --nonblock
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: nonblocking connect: EINPROGRESS, then POLLOUT and SO_ERROR 0" \
		"$rc_c $(out_lines cli '^(connect|connect_poll|so_error)=')" \
		"0 connect=EINPROGRESS;connect_poll=POLLOUT;so_error=0" cli srv
	check_out "$r: nonblocking accept: EAGAIN first, then POLLIN" \
		"$rc_s $(out_lines srv '^accept(_poll)?=')" \
		"0 accept=EAGAIN;accept_poll=POLLIN" cli srv
}

t_refused()
{
	local cp=$1 sp=$2 r=$3 rc

	next_port		# nobody listens on it
	cli_run cli "$cp" --nonblock
	rc=$?
	check_out "$r: nonblocking connect refused: POLLOUT|POLLERR|POLLHUP, SO_ERROR ECONNREFUSED" \
		"$rc $(out_lines cli '^(connect|connect_poll|so_error)=')" \
		"3 connect=EINPROGRESS;connect_poll=POLLOUT|POLLERR|POLLHUP;so_error=ECONNREFUSED" cli
	cli_run cli "$cp"
	rc=$?
	check_out "$r: blocking connect refused: ECONNREFUSED" \
		"$rc $(out_lines cli '^connect:' | sed 's/ connect_ms=.*//')" \
		"3 connect: Connection refused errno=ECONNREFUSED" cli
}

t_pollin()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	next_port
	srv_start srv "$sp" --do "sleep:500,send:1000,recvall"
	cli_run cli "$cp" --do "poll:out:1000,poll:in:100,poll:in:5000,recv,recv"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: POLLOUT at once, no POLLIN before data, POLLIN with it" \
		"$rc_c $(out_lines cli '^poll=')" \
		"0 poll=POLLOUT;poll=timeout;poll=POLLIN" cli srv
	check_out "$r: recv() gets the data, then EAGAIN" \
		"$(out_lines cli '^recv=')" "recv=1000;recv=errno=EAGAIN" cli srv
	check_out "$r: the server sees the client's close as EOF" \
		"$rc_s $(out_lines srv '^recvall=')" "0 recvall=0 EOF" cli srv
}

t_peer_shutdown()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s

	next_port
	srv_start srv "$sp" --do "shutwr,recvall"
	cli_run cli "$cp" --do "poll:in+rdhup:5000,recv,poll:all:1000,send:100,state"
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: peer's SHUT_WR: POLLIN|POLLRDHUP, then recv() EOF" \
		"$rc_c $(out_lines cli '^(poll|recv)=' | cut -d';' -f1,2)" \
		"0 poll=POLLIN|POLLRDHUP;recv=EOF" cli srv
	check_out "$r: half-closed: still writable (POLLIN|POLLOUT|POLLRDHUP), send() works" \
		"$(out_lines cli '^(poll|send)=' | cut -d';' -f2,3)" \
		"poll=POLLIN|POLLOUT|POLLRDHUP;send=100" cli srv
	check_out "$r: half-closed: the peer receives what we send" \
		"$rc_s $(out_lines srv '^(shutwr|recvall)=')" "0 shutwr=0;recvall=100 EOF" cli srv
	check_out "$r: TCP_INFO state CLOSE_WAIT" "$(out_lines cli '^state=')" \
		"state=CLOSE_WAIT" cli
}

# The server resets the connection once the client's byte says it is there
# (an RST before connect() returns would fail connect() itself).
RST_SRV="poll:in:5000,recv,linger0,close"

t_rst()
{
	local cp=$1 sp=$2 r=$3 rc_c

	next_port
	srv_start srv "$sp" --do "$RST_SRV"
	cli_run cli "$cp" --do "send:1,poll:in+rdhup:5000,poll:all:0,soerror,poll:all:0,recv"
	rc_c=$?
	proc_wait srv
	check_out "$r: peer's RST: POLLIN|POLLERR|POLLHUP|POLLRDHUP" \
		"$rc_c $(out_lines cli '^poll=' | cut -d';' -f1,2)" \
		"0 poll=POLLIN|POLLERR|POLLHUP|POLLRDHUP;poll=POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP" cli srv
	check_out "$r: peer's RST: SO_ERROR ECONNRESET, read once; then no POLLERR, recv() EOF" \
		"$(out_lines cli '^(so_error|poll|recv)=' | cut -d';' -f3-)" \
		"so_error=ECONNRESET;poll=POLLIN|POLLOUT|POLLHUP|POLLRDHUP;recv=EOF" cli srv

	next_port
	srv_start srv "$sp" --do "$RST_SRV"
	cli_run cli "$cp" --do "send:1,poll:in+rdhup:5000,recv,recv"
	rc_c=$?
	proc_wait srv
	check_out "$r: peer's RST: recv() ECONNRESET once, then EOF" \
		"$rc_c $(out_lines cli '^recv=')" "0 recv=errno=ECONNRESET;recv=EOF" cli srv

	# SIGPIPE kept at its default: MSG_NOSIGNAL must hold it back
	next_port
	srv_start srv "$sp" --do "$RST_SRV"
	cli_run cli "$cp" --sigpipe --do "send:1,poll:in+rdhup:5000,send:100,send:100"
	rc_c=$?
	proc_wait srv
	check_out "$r: peer's RST: send() ECONNRESET, then EPIPE, no SIGPIPE" \
		"$rc_c $(out_lines cli '^send=')" \
		"0 send=1;send=errno=ECONNRESET;send=errno=EPIPE" cli srv
}

t_own_shutdown()
{
	local cp=$1 sp=$2 r=$3 rc_c

	next_port
	# the server stays open a while after our FIN: no POLLHUP yet
	srv_start srv "$sp" --do "poll:in:5000,recv,sleep:1000"
	cli_run cli "$cp" --sigpipe --do "shutwr,send:10,poll:out:0"
	rc_c=$?
	proc_wait srv
	check_out "$r: send() after our SHUT_WR: EPIPE, no SIGPIPE; still POLLOUT" \
		"$rc_c $(out_lines cli '^(shutwr|send|poll)=')" \
		"0 shutwr=0;send=errno=EPIPE;poll=POLLOUT" cli srv
}

t_poll_transfer()
{
	local cp=$1 sp=$2 r=$3 rc_c rc_s ev

	next_port
	srv_start srv "$sp" --nonblock -r -e 2M -s 2M --shut-wr
	cli_run cli "$cp" --nonblock -s 2M --shut-wr -r -e 2M
	rc_c=$?
	proc_wait srv
	rc_s=$?
	check_out "$r: poll()-driven 2MiB both ways at once, byte-exact" \
		"$rc_c $rc_s $(out_lines cli '^received') $(out_lines srv '^received')" \
		"0 0 received 2097152 bytes ok received 2097152 bytes ok" cli srv
	ev=$(out_val cli events_seen)
	check_out "$r: poll() saw POLLIN and POLLOUT" \
		"$([[ $ev == *POLLIN* && $ev == *POLLOUT* ]] && echo yes)" yes cli
}

t_row()
{
	t_nonblock_connect_accept "$@"
	t_refused "$@"
	t_pollin "$@"
	t_peer_shutdown "$@"
	t_rst "$@"
	t_own_shutdown "$@"
	t_poll_transfer "$@"
}

tap_begin
net_init
net_setup || skip_all "cannot set up the namespaces and veth"

for row in $(net_rows $ALL_ROWS); do
	cp=${row%%:*}
	sp=${row##*:}
	r="$cp->$sp"
	if reason=$(row_skip "$cp" "$sp"); then
		job_add tap_skip "$r: socket API" "$reason"
	else
		job_add t_row "$cp" "$sp" "$r"
	fi
done
jobs_run "${SOCKAPI_JOBS:-4}"

net_end
