#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading alttcp.ko, repeatedly and with namespaces alive:
# everything it registers appears on load and is gone after unload.  And
# its release, which the module file, sysfs, the netlink family and
# alttcpctl must all agree on.

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
check_cmd "without the module, --version succeeds" "$ALTTCPCTL" --version
check_eq "without the module, --version says so" \
	"$("$ALTTCPCTL" --version | sed -n 2p)" "alttcp module: not loaded"

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

# One release everywhere: MODULE_VERSION (sysfs, modinfo), the family's
# GET_VERSION and the tool's own, all from debian/changelog.
release=$(cat /sys/module/alttcp/version)
check_cmd "the module has a version in sysfs" test -n "$release"
check_eq "modinfo of the module file: the same version" \
	"$(modinfo -F version "$ALTTCP_MODULE")" "$release"
versions=$("$ALTTCPCTL" --version)
echo "# alttcpctl --version:"
printf '%s\n' "$versions" | sed 's/^/#   /'
check_eq "--version: the module's line is sysfs's version" \
	"$(sed -n 2p <<< "$versions")" "alttcp module $release"
check_eq "--version: the tool's line is the same release" \
	"$(sed -n 1p <<< "$versions")" "alttcpctl $release"
check_eq "--version: no warning" "$("$ALTTCPCTL" --version 2>&1 >/dev/null)" ""
check_eq "--version -j" "$("$ALTTCPCTL" -j --version)" \
	"{\"alttcpctl\":\"$release\",\"module\":\"$release\"}"

tap_end
