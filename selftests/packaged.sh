#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The installed packages, as a user gets them: booted by vm/packages.sh in a
# root where alttcp-dkms and alttcpctl were installed with apt.  The module
# is the one DKMS built for this kernel, loaded by `modprobe alttcp`, with
# the settings of /etc/sysctl.d applied by the modprobe.d rule; the tool is
# the installed /usr/sbin/alttcpctl.
#
# The expected values come from the environment (vm/packages.sh sets them):
# ALTTCP_TEST_PKG_VERSION, and ALTTCP_TEST_PKG_SYSCTL=name=value written to sysctl.d.

. "$(dirname "$0")/lib.sh"

require_root
[ -n "${ALTTCP_TEST_PKG_VERSION:-}" ] || skip_all "run by vm/packages.sh, not alone"
ALTTCPCTL=/usr/sbin/alttcpctl
ALTTCP_CONNECT=$ALTTCP_ROOT/selftests/alttcp_connect
name=${ALTTCP_TEST_PKG_SYSCTL%%=*}
value=${ALTTCP_TEST_PKG_SYSCTL#*=}
kver=$(uname -r)
OUT=$(mktemp -d)

tap_begin
check_eq "module not loaded before modprobe" "$(module_loaded && echo loaded)" ""
check_cmd "modprobe alttcp" modprobe alttcp
# DKMS compresses it as the kernel's own modules are (xz on 6.12).
check_eq "the module is DKMS's build for $kver" \
	"$(modinfo -F filename alttcp | sed -E 's/[.](xz|zst|gz)$//')" \
	"/lib/modules/$kver/updates/dkms/alttcp.ko"
check_eq "module version" "$(cat /sys/module/alttcp/version)" "$ALTTCP_TEST_PKG_VERSION"
check_eq "alttcpctl --version" "$("$ALTTCPCTL" --version 2>&1)" \
	"alttcpctl $ALTTCP_TEST_PKG_VERSION
alttcp module $ALTTCP_TEST_PKG_VERSION"
check_eq "sysctl.d's $name applied on load" "$(cat "$SYSCTL_DIR/$name")" "$value"
check_eq "config show agrees" \
	"$("$ALTTCPCTL" config show | awk -v n="$name" '$1 == n { print $2 }')" "$value"

# One connection over loopback, alttcp at both ends, 1 MiB checked byte
# by byte; the listener is seen by the installed tool.
"$ALTTCP_CONNECT" -P alttcp -l 127.0.0.1 -p 7100 -e 1M -t 30 >"$OUT/server" 2>&1 &
server=$!
wait_for 10 grep -q listening "$OUT/server"
check_eq "conn show lists the listener" \
	"$("$ALTTCPCTL" conn show state listen | awk 'NR > 1 { print $1, $4 }')" \
	"LISTEN 127.0.0.1:7100"
check_cmd "client sends 1 MiB" \
	"$ALTTCP_CONNECT" -P alttcp -c 127.0.0.1 -p 7100 -s 1M -t 30
wait "$server"
check_eq "server got every byte" "$?" "0"
check_eq "server's count" "$(grep -o 'received [0-9]* bytes ok' "$OUT/server")" \
	"received 1048576 bytes ok"
check_cmd "rmmod alttcp" rmmod alttcp

# An application's first alttcp socket loads the module by its alias
# (net-pf-2-proto-253), and the modprobe.d rule runs then too.
"$ALTTCP_CONNECT" -P alttcp -c 127.0.0.1 -p 7101 -t 10 >/dev/null 2>&1
check_eq "socket() loads the module; nobody listens: refused" "$?" "3"
check_eq "module loaded by socket()" "$(module_loaded && echo loaded)" "loaded"
check_eq "sysctl.d's $name applied on that load" "$(cat "$SYSCTL_DIR/$name")" "$value"
check_cmd "rmmod alttcp again" rmmod alttcp

# So does the first alttcpctl command, through the genetlink family alias.
check_cmd "config show loads the module" "$ALTTCPCTL" config show
check_eq "module loaded by alttcpctl" "$(module_loaded && echo loaded)" "loaded"
check_cmd "rmmod alttcp at the end" rmmod alttcp
rm -rf "$OUT"
tap_end
