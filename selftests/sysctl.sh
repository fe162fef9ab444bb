#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every /proc/sys/net/alttcp/ knob: its default, its bounds, and the clear
# EINVAL that an out-of-range or non-numeric write gets, leaving the value
# unchanged.  A new network namespace starts from the defaults.

. "$(dirname "$0")/lib.sh"

require_root
require_module

# name default min max: the documented contract (Documentation/alttcp.rst),
# Linux 6.1's defaults wherever Linux has the knob.
KNOBS="
syn_retries 6 1 127
synack_retries 5 0 127
fin_timeout 60 1 86400
tw_timeout 60 1 3600
max_tw_buckets MEM 0 16777216
tw_reuse 2 0 2
timestamps 1 0 1
syncookies 1 0 2
max_syn_backlog MEM 1 16777216
somaxconn 4096 0 16777216
abort_on_overflow 0 0 1
orphan_retries 0 0 127
max_orphans MEM 0 16777216
keepalive_time 7200 1 32767
keepalive_intvl 75 1 32767
keepalive_probes 9 1 127
retries1 3 0 255
retries2 15 0 255
rfc1337 0 0 1
window_scaling 1 0 1
sack 1 0 1
rto_min_ms 200 1 60000
rto_max_ms 120000 100 600000
rto_initial_ms 1000 1 60000
"

# The memory rule: one hash bucket per 128 KiB of RAM, a power of two in
# [1024, 1048576]; TIME_WAIT and orphan limits are half of it, the SYN
# backlog max(128, buckets / 128).
mem_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
want=$((mem_kib / 128))
buckets=1024
while [ $buckets -lt $want ] && [ $buckets -lt 1048576 ]; do
	buckets=$((buckets * 2))
done
mem_default()
{
	case $1 in
	max_syn_backlog)
		local b=$((buckets / 128))
		[ $b -lt 128 ] && b=128
		echo $b ;;
	*)	echo $((buckets / 2)) ;;
	esac
}

default_of()
{
	local name=$1 def=$2

	[ "$def" == MEM ] && def=$(mem_default "$name")
	echo "$def"
}

einval="Invalid argument"

tap_begin

expected_names=$(echo "$KNOBS" | awk 'NF { print $1 }'; echo local_port_range; echo rmem)
check_eq "exactly the documented sysctls exist" \
	"$(ls "$SYSCTL_DIR" | sort)" "$(echo "$expected_names" | sort)"

while read -r name def min max; do
	[ -n "$name" ] || continue
	def=$(default_of "$name" "$def")
	check_eq "$name: default $def" "$(sysctl_get "$name")" "$def"

	check_cmd "$name: accepts minimum $min" sysctl_set "$name" "$min"
	check_eq "$name: reads back $min" "$(sysctl_get "$name")" "$min"
	check_cmd "$name: accepts maximum $max" sysctl_set "$name" "$max"
	check_eq "$name: reads back $max" "$(sysctl_get "$name")" "$max"

	sysctl_set "$name" "$def"
	check_fails "$name: rejects $((min - 1))" "$einval" sysctl_set "$name" $((min - 1))
	check_fails "$name: rejects $((max + 1))" "$einval" sysctl_set "$name" $((max + 1))
	check_fails "$name: rejects non-numeric" "$einval" sysctl_set "$name" abc
	check_eq "$name: unchanged after rejected writes" "$(sysctl_get "$name")" "$def"
done <<< "$KNOBS"

check_eq "local_port_range: default 32768 60999" \
	"$(sysctl_get local_port_range)" "$(printf '32768\t60999')"
check_cmd "local_port_range: accepts 1 65535" sysctl_set local_port_range 1 65535
check_cmd "local_port_range: accepts a single port" sysctl_set local_port_range 5000 5000
check_fails "local_port_range: rejects low > high" "$einval" sysctl_set local_port_range 2000 1000
check_fails "local_port_range: rejects port 0" "$einval" sysctl_set local_port_range 0 100
check_fails "local_port_range: rejects port 65536" "$einval" sysctl_set local_port_range 1 65536
check_fails "local_port_range: rejects non-numeric" "$einval" sysctl_set local_port_range low high
check_eq "local_port_range: unchanged after rejected writes" \
	"$(sysctl_get local_port_range)" "$(printf '5000\t5000')"
sysctl_set local_port_range 32768 60999

check_eq "rmem: default 4096 131072 6291456" \
	"$(sysctl_get rmem)" "$(printf '4096\t131072\t6291456')"
check_cmd "rmem: accepts 1 1 1" sysctl_set rmem 1 1 1
check_cmd "rmem: accepts 1073725440 for all three" sysctl_set rmem 1073725440 1073725440 1073725440
check_cmd "rmem: accepts 4096 87380 262144" sysctl_set rmem 4096 87380 262144
check_fails "rmem: rejects min > default" "$einval" sysctl_set rmem 8192 4096 262144
check_fails "rmem: rejects default > max" "$einval" sysctl_set rmem 4096 524288 262144
check_fails "rmem: rejects 0" "$einval" sysctl_set rmem 0 87380 262144
check_fails "rmem: rejects 1073725441" "$einval" sysctl_set rmem 4096 87380 1073725441
check_fails "rmem: rejects non-numeric" "$einval" sysctl_set rmem a b c
check_eq "rmem: unchanged after rejected writes" \
	"$(sysctl_get rmem)" "$(printf '4096\t87380\t262144')"
sysctl_set rmem 4096 131072 6291456

# A new namespace starts from the defaults, not from its creator's values,
# and its values are its own.
sysctl_set syn_retries 3
sysctl_set tw_timeout 7
ns=$(ns_create sysctl)
check_eq "new netns: syn_retries is the default" "$(sysctl_get syn_retries "$ns")" 6
check_eq "new netns: tw_timeout is the default" "$(sysctl_get tw_timeout "$ns")" 60
ip netns exec "$ns" sh -c "echo 11 > $SYSCTL_DIR/tw_timeout"
check_eq "new netns: keeps its own value" "$(sysctl_get tw_timeout "$ns")" 11
check_eq "init netns: unaffected by the new netns" "$(sysctl_get tw_timeout)" 7
sysctl_set syn_retries 6
sysctl_set tw_timeout 60

tap_end
