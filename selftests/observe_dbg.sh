#!/bin/bash
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"
net_init
net_setup
ctl() { local ns=$1; shift; "$ALTTCPCTL" -n "$ns" "$@"; }
ctl $NS_C config set tw_timeout 2
env --default-signal=INT "$ALTTCPCTL" -n $NS_C monitor > $NET_TMP/mon 2>&1 &
M=$!
sleep 1
cap_global_start
PORT=6005
srv_start srv3 alttcp -r
cli_run cli3 alttcp -s 100
s=$(now_us)
for i in $(seq 1 25); do
  echo "t=$((($(now_us)-s)/1000))"; ctl $NS_C conn show dport $PORT; sleep 0.2
done
kill -INT $M; wait $M; echo "mon rc $?"
cat $NET_TMP/mon
cap_stop cap; cap_dump
tap_ok x
tap_end
