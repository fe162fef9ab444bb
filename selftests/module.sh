#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading alttcp.ko, repeatedly and with namespaces alive:
# everything it registers appears on load and is gone after unload.

. "$(dirname "$0")/lib.sh"

require_root
require_ctl
[ -f "$ALTTCP_MODULE" ] || skip_all "no module at $ALTTCP_MODULE"

registered()
{
	[ -d "$SYSCTL_DIR" ] && "$ALTTCPCTL" config show >/dev/null 2>&1
}

tap_begin

module_loaded && rmmod alttcp

check_fails "without the module, alttcpctl says so" \
	"Error: alttcp module not loaded" "$ALTTCPCTL" config show
check_eq "without the module, no sysctls" "$(ls -d "$SYSCTL_DIR" 2>/dev/null)" ""

for round in 1 2 3; do
	check_cmd "round $round: insmod" insmod "$ALTTCP_MODULE"
	check_cmd "round $round: sysctls and netlink family present" registered
	check_cmd "round $round: rmmod" rmmod alttcp
	check_fails "round $round: gone after rmmod" "" registered
done

# Namespaces created before and after the load both get their state, and
# the unload tears it down while they still exist.
ns_before=$(ns_create before)
insmod "$ALTTCP_MODULE"
ns_after=$(ns_create after)
check_eq "netns created before load has sysctls" \
	"$(sysctl_get syn_retries "$ns_before")" 6
check_eq "netns created after load has sysctls" \
	"$(sysctl_get syn_retries "$ns_after")" 6
check_cmd "rmmod with namespaces alive" rmmod alttcp
check_eq "their sysctls are gone" \
	"$(ip netns exec "$ns_before" ls "$SYSCTL_DIR" 2>/dev/null)" ""
ip netns del "$ns_after"
check_cmd "insmod again after a netns was deleted" insmod "$ALTTCP_MODULE"
check_cmd "module usable again" registered

tap_end
