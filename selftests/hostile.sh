#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile user space against alttcp for ALTTCP_TEST_HOSTILE_SECONDS
# (default 30): hostile.c's threads make random socket calls with bad
# arguments in two namespaces joined by a veth, send random generic-netlink
# messages, write random strings to the sysctls and try delete_module().
# Meanwhile a third namespace, alttcp sockets open in it, is deleted and
# made again, and rmmod is tried and must be refused.
#
# Then: the driver exited 0 within its deadline; the kernel logged no
# BUG/WARNING/Oops/KASAN/UBSAN/lockdep line; once the processes and the
# namespaces are gone no alttcp socket or connection is left, rmmod
# succeeds, and the module, loaded again as module.sh loads it, connects
# over loopback.
#
# The seed is printed; a failure replays (as far as thread scheduling
# allows) with ALTTCP_TEST_HOSTILE_SEED=N make selftest T=hostile.sh.
# Runs longer than about 250 s need a larger per-test timeout
# (ALTTCP_VM_TEST_TIMEOUT) than selftests/settings' 300 s.

. "$(dirname "$0")/lib.sh"

HOSTILE=${HOSTILE:-$ALTTCP_ROOT/selftests/hostile}
ALTTCP_CONNECT=${ALTTCP_CONNECT:-$ALTTCP_ROOT/selftests/alttcp_connect}
RUN_S=${ALTTCP_TEST_HOSTILE_SECONDS:-30}
SEED=${ALTTCP_TEST_HOSTILE_SEED:-4242}
THREADS=${ALTTCP_TEST_HOSTILE_THREADS:-4}
# more arguments for the driver, e.g. "--no-sysctl --genl 0" to narrow a failure down
read -ra EXTRA <<< "${ALTTCP_TEST_HOSTILE_ARGS:-}"

require_root
# It unloads the module and deletes namespaces: only in the throw-away VM.
if [ "${ALTTCP_VM:-0}" != 1 ] && [ "${ALTTCP_ALLOW_HOST:-0}" != 1 ]; then
	skip_all "not inside the alttcp test VM (ALTTCP_ALLOW_HOST=1 to force)"
fi
[ -x "$HOSTILE" ] || skip_all "$HOSTILE not built (make -C selftests)"
[ -x "$ALTTCP_CONNECT" ] || skip_all "$ALTTCP_CONNECT not built (make -C selftests)"
require_module
[ -f "$ALTTCP_MODULE" ] || skip_all "no module at $ALTTCP_MODULE to load again"
[ -r /proc/slabinfo ] || skip_all "no /proc/slabinfo"
for t in ip rmmod insmod dmesg timeout; do
	command -v $t >/dev/null || skip_all "$t not installed"
done
[ -n "${EPOCHSECONDS:-}" ] || skip_all "bash without EPOCHSECONDS"

OUT=$(mktemp -d)
NS3=hz3-$$

# Objects in use in the caches matching REGEX: ALTTCP is the sockets'
# (proto_register's), alttcp_* the core's connections, requests and
# TIME_WAIT entries.  SLUB counts what sits free in per-CPU slabs as active
# until the cache is shrunk, so shrink first (the VM boots with
# slab_nomerge, so each cache is its own).
slab_objects()
{
	local c

	for c in ALTTCP alttcp_conn alttcp_request alttcp_timewait; do
		[ -w "/sys/kernel/slab/$c/shrink" ] &&
			echo 1 > "/sys/kernel/slab/$c/shrink"
	done
	awk -v re="$1" '$1 ~ re { n += $2 } END { print n + 0 }' /proc/slabinfo
}
sockets() { slab_objects '^ALTTCP$'; }
conns() { slab_objects '^alttcp_(conn|request|timewait)$'; }
all_gone() { [ "$(sockets)" -le "$base_socks" ] && [ "$(conns)" -le "$base_conns" ]; }
# Namespaces alive or still being torn down (cleanup_net() runs later, from
# a workqueue): the net_namespace cache, when it is not merged into another.
nets() { slab_objects '^net_namespace$'; }
# cleanup_net() frees a batch of dead namespaces only at its next run, after
# one more rcu_barrier() (net_complete_free(), in Debian's 6.1 since 6.1.1xx
# and upstream): the last batch stays allocated until another namespace
# dies.  So the count is read with one throw-away namespace dead and
# pending: made and deleted here, again whenever the count is still high
# and the last one is 2 s old.
flushed_at=0
flush_nets()
{
	[ $((EPOCHSECONDS - flushed_at)) -ge 2 ] || return 0
	flushed_at=$EPOCHSECONDS
	ip netns add "hzf-$$" && ip netns del "hzf-$$"
}
nets_settled() { [ "$(nets)" -le "$1" ] || { flush_nets; false; }; }
nets_gone() { nets_settled "$base_nets"; }
# What can keep a deleted namespace alive: a process in it, an open nsfs
# file or mount, or the teardown itself (cleanup_net(), in a kworker).
net_holders()
{
	local init p ns

	init=$(readlink /proc/1/ns/net)
	for p in /proc/[0-9]*; do
		ns=$(readlink "$p/ns/net" 2>/dev/null) || continue
		[ "$ns" = "$init" ] ||
			echo "process ${p#/proc/} ($(cat "$p/comm" 2>/dev/null), $(awk '{ print $3 }' "$p/stat" 2>/dev/null)) in $ns"
		ls -l "$p/fd" 2>/dev/null | awk -v p="${p#/proc/}" '/net:\[/ { print "process " p " holds " $NF }'
		grep -qs 'cleanup_net\|net_namespace\|default_device_exit' "$p/stack" &&
			{ echo "task ${p#/proc/} ($(cat "$p/comm"))"; cat "$p/stack"; }
	done
	grep nsfs /proc/self/mountinfo
}

# A third namespace with live alttcp sockets (a smaller driver in it),
# deleted while they are open or just after its process died, and made
# again: the per-netns teardown under load.
churn()
{
	local round=0 pid

	while [ "$EPOCHSECONDS" -lt "$END" ]; do
		round=$((round + 1))
		if ! ip netns add "$NS3"; then
			echo "round $round: ip netns add failed" >> "$OUT/churn.err"
			return 1
		fi
		ip -n "$NS3" link set lo up
		"$HOSTILE" --seed $((SEED + round)) --seconds 60 --threads 2 \
			--netns "$NS3" > "$OUT/churn.log" 2>&1 &
		pid=$!
		sleep $((1 + round % 3))
		if ((round % 2)); then
			ip netns del "$NS3"
			kill -KILL "$pid"
		else
			kill -KILL "$pid"
			ip netns del "$NS3"
		fi
		wait "$pid" 2>/dev/null
		echo "$round" > "$OUT/churn.rounds"
	done
}

# rmmod now and then: refused while the driver holds sockets (it keeps one
# per namespace from its first line to its exit; stop 3 s early, to be
# sure it still does).
rmmod_tries()
{
	local out

	while [ "$EPOCHSECONDS" -lt $((END - 3)) ]; do
		if out=$(rmmod alttcp 2>&1); then
			echo "UNLOADED with sockets open" >> "$OUT/rmmod"
			insmod "$ALTTCP_MODULE"
		else
			echo "$out" >> "$OUT/rmmod"
		fi
		sleep 2
	done
}

final_rmmod() { rmmod alttcp 2> "$OUT/rmmod.final"; }

# The kernel's complaints: any of these fails the test.
KERNEL_BAD='BUG[: ]|WARNING:|Oops|KASAN|UBSAN|lockdep|DEBUG_LOCKS_WARN_ON'
KERNEL_BAD+='|sleeping function|general protection|refcount_t'
KERNEL_BAD+='|possible circular|possible recursive|inconsistent lock'
KERNEL_BAD+='|blocked for more than|rcu.*stall|Call Trace'

tap_begin
echo "# seed $SEED, $RUN_S s, $THREADS socket threads;" \
	"replay: ALTTCP_TEST_HOSTILE_SEED=$SEED make selftest T=hostile.sh"
marker="hostile.sh[$$]: start, seed $SEED"
echo "$marker" > /dev/kmsg
base_socks=$(sockets)
base_conns=$(conns)
# Only the throw-away namespace is left when no test's is: unless a
# namespace outlived its test, the base is 1.
flush_nets
wait_for $((30 * WAIT_SCALE)) nets_settled 1
base_nets=$(nets)
echo "# before: $base_socks alttcp sockets, $base_conns connections"

veth_pair hz 10.0.9
tap_namespaces+=("$NS3")

t0=$EPOCHREALTIME
END=$((EPOCHSECONDS + RUN_S))
timeout -s KILL $((RUN_S + 30)) "$HOSTILE" --seed "$SEED" \
	--seconds "$RUN_S" --threads "$THREADS" --netns "$C,$S" \
	--addrs 10.0.9.1,10.0.9.2 --unload "${EXTRA[@]}" > "$OUT/hostile.log" 2>&1 &
hpid=$!
pids+=("$hpid")
# (bash reports each killed driver on stderr: not for the TAP output)
churn 2> "$OUT/churn.stderr" &
cpid=$!
pids+=("$cpid")
rpid=""
if wait_for 20 grep -q '^hostile: seed' "$OUT/hostile.log"; then
	rmmod_tries &
	rpid=$!
	pids+=("$rpid")
fi

wait "$hpid"
rc=$?
t1=$EPOCHREALTIME
elapsed_ms=$(( (${t1/[.,]/} - ${t0/[.,]/}) / 1000 ))
wait "$cpid" $rpid
pids=()

grep '^hostile:' "$OUT/hostile.log" | sed 's/^/# /'
if ! check_eq "the driver exited 0" "$rc" 0; then
	grep -v '^hostile:' "$OUT/hostile.log" | tail -n 20 | sed 's/^/#   /'
fi
# The slack is for a slow machine to start and reap the threads, not a
# tolerance of alttcp's: a sanitizer kernel (make check-debug) scales it.
slack_s=$((10 * WAIT_SCALE))
check_cmd "... within its deadline ($RUN_S s + $slack_s s)" \
	test "$elapsed_ms" -le $(((RUN_S + slack_s) * 1000))
echo "#   $elapsed_ms ms"

rounds=$(cat "$OUT/churn.rounds" 2>/dev/null || echo 0)
churn_ok() { [ "$rounds" -gt 0 ] && [ ! -s "$OUT/churn.err" ]; }
check_cmd "netns with live sockets deleted and made again ($rounds rounds)" \
	churn_ok || sed 's/^/#   /' "$OUT/churn.err"

touch "$OUT/rmmod"
tries=$(wc -l < "$OUT/rmmod")
check_eq "rmmod refused while sockets were open ($tries tries)" \
	"$tries $(grep -vc 'in use' "$OUT/rmmod")" "$tries 0" ||
	sort "$OUT/rmmod" | uniq -c | sed 's/^/#   /'

# Everything dies: processes, then namespaces; teardown is asynchronous.
ns_cleanup
ip netns del "$NS3" 2>/dev/null
# alttcp takes no reference on a namespace: one that outlives its sockets
# would be a leak.  Its TIME_WAIT entries go with it, so wait for the
# teardown first (a KCSAN run found one entry left 60 s after the
# deletion, in a namespace whose free cleanup_net() had deferred).
if ! grep -q '^net_namespace ' /proc/slabinfo; then
	tap_skip "deleted namespaces torn down" "net_namespace cache merged (no slab_nomerge)"
elif ! check_cmd "deleted namespaces torn down" wait_for $((60 * WAIT_SCALE)) nets_gone; then
	echo "#   net_namespace objects $(nets) (before: $base_nets)"
	net_holders | sed 's/^/#   /'
fi
if ! check_cmd "no alttcp socket or connection left" wait_for $((60 * WAIT_SCALE)) all_gone; then
	grep '^ALTTCP\|^alttcp' /proc/slabinfo | sed 's/^/#   /'
fi
echo "#   sockets $(sockets) (before: $base_socks), connections $(conns) (before: $base_conns)"

if check_cmd "rmmod alttcp succeeds at the end" wait_for 30 final_rmmod; then
	check_cmd "insmod again, as module.sh does" insmod "$ALTTCP_MODULE"
else
	sed 's/^/#   /' "$OUT/rmmod.final"
	echo "#   refcnt $(cat /sys/module/alttcp/refcnt 2>/dev/null)"
fi

# The reloaded module works: one connection over loopback, data checked.
ns=$(ns_create hzl)
"$ALTTCP_CONNECT" -N "$ns" -P alttcp -l 127.0.0.1 -p 7600 -e 65536 -t 20 \
	> "$OUT/server" 2>&1 &
spid=$!
pids+=("$spid")
wait_for 10 grep -q listening "$OUT/server"
check_cmd "a loopback connection after the reload" \
	"$ALTTCP_CONNECT" -N "$ns" -P alttcp -c 127.0.0.1 -p 7600 -s 64K -t 20
wait "$spid"
check_eq "... and the server got its 64 KiB" "$?" 0 || sed 's/^/#   /' "$OUT/server"
pids=()

# KCSAN's races are check-debug's to judge: it fails on those with an
# alttcp frame and lists the kernel's own apart (KCSAN: one in printk, as
# the netlink garbage was logged).
bad=$(dmesg | awk -v m="$marker" 'seen; index($0, m) { seen = 1 }' |
	grep -E "$KERNEL_BAD" | grep -v 'BUG: KCSAN: data-race')
check_eq "the kernel logged no BUG/WARNING/Oops/KASAN/UBSAN/lockdep since the start" \
	"$bad" ""
echo "# hostile.sh: $SECONDS s"

tap_end
