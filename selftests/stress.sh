#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress on the real wire: a 64 MiB transfer stays byte-exact through netem
# loss, reordering and duplication in both directions, between alttcp and
# alttcp and between alttcp and Linux TCP.

. "$(dirname "$0")/lib.sh"

require_root
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
[ -x "$ALTTCP_CONNECT" ] || skip_all "$ALTTCP_CONNECT not built (make -C selftests)"
require_module

OUT=$(mktemp -d)

veth_pair st 10.0.7
# Both directions: data and ACKs are lost, reordered and duplicated.
for ns in "$C" "$S"; do
	dev=st-${ns:3:1}
	tc -n "$ns" qdisc add dev "$dev" root netem delay 1ms 1ms \
		loss 1% duplicate 1% reorder 25% 50% limit 10000
done

# transfer CLIENT_PROTO SERVER_PROTO PORT BYTES
transfer()
{
	local port=$3 bytes=$4 start end

	"$ALTTCP_CONNECT" -N "$S" -P "$2" -l 10.0.7.2 -p "$port" -r \
		-e "$bytes" -t 280 > "$OUT/server-$port" 2>&1 &
	pids+=($!)
	wait_for 10 grep -q listening "$OUT/server-$port" || return 1
	start=$(date +%s%N)
	"$ALTTCP_CONNECT" -N "$C" -P "$1" -c 10.0.7.2 -p "$port" \
		-s "$bytes" -t 280 > "$OUT/client-$port" 2>&1 || return 1
	wait "${pids[-1]}" || return 1
	end=$(date +%s%N)
	echo "# $bytes $1 -> $2 through loss/reorder/duplicate:" \
		"$(((end - start) / 1000000)) ms"
	grep -q "received .* bytes ok" "$OUT/server-$port"
}

tap_begin
port=7300
# The full 64 MiB once; the interop rows with less, to keep the time down.
for row in "alttcp alttcp 64M" "alttcp tcp 16M" "tcp alttcp 16M"; do
	set -- $row
	port=$((port + 1))
	if transfer "$1" "$2" "$port" "$3"; then
		tap_ok "$1 -> $2: $3 byte-exact through netem"
	else
		tap_not_ok "$1 -> $2: $3 byte-exact through netem"
		tail -n 3 "$OUT/client-$port" "$OUT/server-$port" | sed 's/^/#   /'
	fi
done
tap_end
