#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-reports.awk decides whether a debug-kernel run fails: feed it one
# report of each kind it knows, in the kernel's own format, and check what
# it counts, what it prints, and what it lets pass (a KCSAN race with no
# alttcp frame).  Host-only, seconds; part of make check-unit.  Prints TAP.

dir=$(cd "$(dirname "$0")" && pwd)
n=0
failed=0

check()
{
	n=$((n + 1))
	if [ "$2" == "$3" ]; then
		echo "ok $n $1"
	else
		failed=$((failed + 1))
		echo "not ok $n $1"
		printf '#   expected: %s\n#   actual:   %s\n' "$3" "$2" | sed '2,$s/^/#   /'
	fi
}

log=$(cat <<'LOG'
[    0.846905] kcsan: enabled early
[   12.100000] ==================================================================
[   12.100001] BUG: KCSAN: data-race in alttcp_poll [alttcp] / alttcp_sock_event [alttcp]
[   12.100002]
[   12.100003] write to 0xffff888003a1b2c0 of 4 bytes by interrupt on cpu 1:
[   12.100004]  alttcp_sock_event+0x3a/0x120 [alttcp]
[   12.100005]
[   12.100006] read to 0xffff888003a1b2c0 of 4 bytes by task 123 on cpu 0:
[   12.100007]  alttcp_poll+0x50/0x200 [alttcp]
[   12.100008] ==================================================================
[   13.200000] ==================================================================
[   13.200001] BUG: KCSAN: data-race in __ip_finish_output / dev_queue_xmit
[   13.200002] read to 0xffff888004000000 of 8 bytes by task 77 on cpu 0:
[   13.200003]  __ip_finish_output+0x10/0x300
[   13.200004] CPU: 0 PID: 77 Comm: timeout Tainted: G           O       6.1.192-alttcp-kcsan #1
[   13.200005] ==================================================================
[   14.300000] ==================================================================
[   14.300001] BUG: KASAN: slab-use-after-free in at_recv+0x42/0x90 [alttcp]
[   14.300002] Read of size 4 at addr ffff888005000010 by task recv/88
[   14.300003]  at_recv+0x42/0x90 [alttcp]
[   14.300004] ==================================================================
[   15.400000] watchdog: BUG: soft lockup - CPU#0 stuck for 37s! [ksoftirqd/0:14]
[   15.400001] RIP: 0010:queued_spin_lock_slowpath+0x122/0xb60
[   15.400002]  obj_timer+0x3a/0x150 [alttcp]
[   15.400003] ---[ end trace 0000000000000000 ]---
[   16.500000] WARNING: CPU: 1 PID: 9 at kmod/obj.c:42 alttcp_obj_alloc+0x1/0x2 [alttcp]
[   16.500001] ---[ end trace 0000000000000001 ]---
[   17.600000] alttcp: loaded
unreferenced object 0xffff888006000000 (size 64):
  comm "insmod", pid 1, jiffies 4294937296 (age 8.000s)
LOG
)

out=$(awk -v kcsan_scope=alttcp -f "$dir/kernel-reports.awk" <<<"$log")
check "one report of each kind that fails the run, counted" \
	"$(grep '^summary:' <<<"$out" | grep -v outside | sort | tr '\n' ';')" \
	"summary: 1 bug report(s);summary: 1 kasan report(s);summary: 1 kcsan report(s);summary: 1 kmemleak report(s);summary: 1 warning report(s);"
check "a KCSAN race without an alttcp frame is counted apart, not failing" \
	"$(grep outside <<<"$out" | sort | tr '\n' ';')" \
	"outside: 1x BUG: KCSAN: data-race in __ip_finish_output / dev_queue_xmit;summary: 1 kcsan report(s) outside alttcp, not failing the run;"
check "the alttcp race is printed in full, both stacks" \
	"$(grep -c -e 'alttcp_sock_event+' -e 'alttcp_poll+' <<<"$out")" 2
check "no report starts at an ordinary line" \
	"$(grep -c -e 'kcsan: enabled' -e 'alttcp: loaded' <<<"$out")" 0
check "a clean log gives nothing" \
	"$(awk -v kcsan_scope=alttcp -f "$dir/kernel-reports.awk" <<<"$(grep -v -e BUG -e WARNING -e unreferenced <<<"$log" | head -3)")" ""
check "without kcsan_scope every KCSAN race fails the run" \
	"$(awk -f "$dir/kernel-reports.awk" <<<"$log" | grep 'kcsan report(s)')" \
	"summary: 2 kcsan report(s)"

echo "1..$n"
[ "$failed" -eq 0 ]
