#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many connections: ALTTCP_TEST_MANY_CONNS (default 10,000) alttcp connections open at
# once between two namespaces, all counted ESTABLISHED on both sides, then
# closed; once TIME_WAIT has run out, alttcp's slab caches are back at
# their baseline.

. "$(dirname "$0")/lib.sh"

require_root
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
[ -x "$ALTTCP_CONNECT" ] || skip_all "$ALTTCP_CONNECT not built (make -C selftests)"
require_module
require_ctl
[ -r /proc/slabinfo ] || skip_all "no /proc/slabinfo"

N=${ALTTCP_TEST_MANY_CONNS:-10000}
PER_CLIENT=2500		# alttcp_connect opens at most 4096 at a time
ulimit -n $((N + 1024))

OUT=$(mktemp -d)

veth_pair mc 10.0.6
# All close at once: more orphans than the 2 GiB VM's memory-derived
# max_orphans would let finish their close (beyond it alttcp resets, as
# Linux does); and a short TIME_WAIT.
for ns in "$C" "$S"; do
	"$ALTTCPCTL" -n "$ns" config set tw_timeout 1 max_orphans $((2 * N)) \
		local_port_range 10000-65000
done

# Objects in use in alttcp's caches (the VM boots with slab_nomerge).
# SLUB counts what sits free in per-CPU slabs as active until the cache
# is shrunk, so shrink first.
slab_objects()
{
	local c

	for c in alttcp_conn alttcp_request alttcp_timewait; do
		echo 1 > "/sys/kernel/slab/$c/shrink"
	done
	awk '/^alttcp_(conn|request|timewait) / { n += $2 } END { print n + 0 }' \
		/proc/slabinfo
}
estab() { "$ALTTCPCTL" -n "$1" -j stats | jq -r .CurrEstab; }
all_estab() { [ "$(estab "$C")" -eq "$N" ] && [ "$(estab "$S")" -eq "$N" ]; }
# One kill -0 per pid: given several, bash's kill succeeds if any one is
# alive.
all_alive()
{
	local pid

	for pid in "${pids[@]}"; do
		kill -0 "$pid" 2>/dev/null || return 1
	done
}
# A tool that exits before all are up has failed (make check-debug FAULTS=1
# fails its socket() with ENOMEM): the others would wait out their deadlines.
up_or_one_gone() { all_estab || ! all_alive; }
back_to_baseline() { [ "$(slab_objects)" -le "$baseline" ]; }

tap_begin
baseline=$(slab_objects)

"$ALTTCP_CONNECT" -N "$S" -P alttcp -l 10.0.6.2 -p 7400 -n "$N" --nonblock \
	--backlog 4096 --wait-eof -t $((240 * WAIT_SCALE)) > "$OUT/server" 2>&1 &
pids+=($!)
wait_for 10 grep -q listening "$OUT/server"
start=$(date +%s%N)
left=$N
i=0
while [ "$left" -gt 0 ]; do
	n=$((left < PER_CLIENT ? left : PER_CLIENT))
	"$ALTTCP_CONNECT" -N "$C" -P alttcp -c 10.0.6.2 -p 7400 -C "$n" \
		--hold 20000 -t $((240 * WAIT_SCALE)) > "$OUT/client-$i" 2>&1 &
	pids+=($!)
	left=$((left - n))
	i=$((i + 1))
done

wait_for $((180 * WAIT_SCALE)) up_or_one_gone
if ! check_cmd "$N connections ESTABLISHED on both sides" all_estab; then
	tail -n 3 "$OUT"/server "$OUT"/client-* | sed 's/^/#   /'
	kill "${pids[@]}" 2>/dev/null
fi
echo "# $N connections up in $((($(date +%s%N) - start) / 1000000)) ms;" \
	"alttcp objects: $(($(slab_objects) - baseline))"
# Waited for here, not under check_cmd: a subshell cannot wait for them.
failed=0
for pid in "${pids[@]:1}"; do
	wait "$pid" || failed=$((failed + 1))
done
check_eq "every client closed cleanly" "$failed" 0
wait "${pids[0]}"
check_eq "the server saw every connection end" "$?" 0 ||
	tail -n 3 "$OUT/server" | sed 's/^/#   /'
check_eq "no connection was reset" \
	"$("$ALTTCPCTL" -n "$C" -j stats | jq '.AbortOnMemory + .EstabResets')" 0
pids=()
check_eq "CurrEstab back to 0 (client)" "$(estab "$C")" 0
check_eq "CurrEstab back to 0 (server)" "$(estab "$S")" 0
check_cmd "slab objects back to the baseline after TIME_WAIT" \
	wait_for $((60 * WAIT_SCALE)) back_to_baseline
echo "# baseline $baseline, now $(slab_objects)"
grep ^alttcp /proc/slabinfo | sed 's/^/# /'
for ns in "$C" "$S"; do "$ALTTCPCTL" -n "$ns" stats | grep -v " 0$" | sed 's/^/# /'; done

tap_end
