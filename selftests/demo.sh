#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: alttcp in a real kernel.  A tunable changes through /proc and
# netlink; an alttcp server and a Linux TCP client in two namespaces
# exchange data while `alttcpctl conn show` and `monitor` watch.

. "$(dirname "$0")/lib.sh"

require_root
require_module
require_ctl
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
[ -x "$ALTTCP_CONNECT" ] || skip_all "$ALTTCP_CONNECT not built (make -C selftests)"

OUT=$(mktemp -d)

run() { echo "\$ $*"; "$@"; }
ctl() { "$ALTTCPCTL" "$@"; }

echo "# alttcp in kernel $(uname -r)"
run lsmod | grep -E '^(Module|alttcp)'
run ctl config show
echo
echo "# TIME_WAIT length is a tunable: through /proc ..."
run sh -c "echo 5 > $SYSCTL_DIR/tw_timeout"
run sh -c "$ALTTCPCTL config show | grep tw_timeout"
echo "# ... and through netlink; a bad value is refused with the kernel's reason"
run ctl config set tw_timeout 30 syn_retries 3
run grep . "$SYSCTL_DIR/tw_timeout" "$SYSCTL_DIR/syn_retries"
run ctl config set syn_retries 500 || true
sysctl_set tw_timeout 60
sysctl_set syn_retries 6

echo
echo "# Two namespaces: server (alttcp) 10.0.5.2, client (Linux TCP) 10.0.5.1"
veth_pair demo 10.0.5
ctl -n "$S" config set tw_timeout 3

ctl -n "$S" monitor > "$OUT/monitor" 2>&1 &
pids+=($!)
"$ALTTCP_CONNECT" -N "$S" -P alttcp -l 10.0.5.2 -p 8080 -e 16M \
	-t 30 > "$OUT/server" 2>&1 &
pids+=($!)
wait_for 10 grep -q listening "$OUT/server"
run ctl -n "$S" conn show
"$ALTTCP_CONNECT" -N "$C" -P tcp -c 10.0.5.2 -p 8080 -s 16M \
	--hold 1500 -t 30 > "$OUT/client" 2>&1 &
pids+=($!)
wait_for 10 grep -q connected "$OUT/client"
echo "# while the Linux client holds the connection:"
run ctl -n "$S" -i conn show
wait "${pids[2]}"
wait "${pids[1]}"
echo "# client: $(grep -h 'sent\|xfer_ms' "$OUT/client" | tr '\n' ' ')"
echo "# server: $(grep -h 'received\|xfer_ms' "$OUT/server" | tr '\n' ' ')"
echo "# after the close (the client closed first, so it holds the TIME-WAIT):"
run ctl -n "$S" conn show
run ip netns exec "$C" ss -tan state time-wait
run ctl -n "$S" stats show ActiveOpens PassiveOpens CurrEstab InSegs OutSegs
kill -TERM "${pids[0]}"
wait "${pids[0]}"
echo "# what alttcpctl monitor saw:"
cat "$OUT/monitor"
grep -q "reason" "$OUT/monitor"
