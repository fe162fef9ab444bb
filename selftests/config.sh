#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# alttcpctl config over generic netlink: it mirrors the sysctls both ways,
# speaks JSON, refuses unprivileged writers, applies a set all-or-nothing,
# and says clearly what is wrong with a bad request.

. "$(dirname "$0")/lib.sh"

require_root
require_module
require_ctl

ctl() { "$ALTTCPCTL" "$@"; }

# The value `config show` prints for NAME.
show_value()
{
	ctl "$@" config show | awk -v n="$name" '$1 == n { $1 = ""; sub(/^ /, ""); print }'
}

tap_begin

# Every sysctl appears in `config show` with the value /proc shows.
mismatch=""
for path in "$SYSCTL_DIR"/*; do
	name=$(basename "$path")
	want=$(tr '\t' ' ' < "$path")
	got=$(show_value)
	[ "$got" == "$want" ] || mismatch+=" $name($got!=$want)"
done
check_eq "config show: every sysctl with its /proc value" "$mismatch" ""
check_eq "config show: one line per sysctl" \
	"$(ctl config show | wc -l)" "$(ls "$SYSCTL_DIR" | wc -l)"

check_cmd "config set syn_retries 3" ctl config set syn_retries 3
check_eq "set is reflected in /proc" "$(sysctl_get syn_retries)" 3
sysctl_set syn_retries 4
name=syn_retries
check_eq "a /proc write is reflected in config show" "$(show_value)" 4

check_cmd "config set of several values" \
	ctl config set tw_timeout 5 fin_timeout 9 local_port_range 20000-30000
check_eq "tw_timeout set" "$(sysctl_get tw_timeout)" 5
check_eq "fin_timeout set" "$(sysctl_get fin_timeout)" 9
check_eq "local_port_range set" "$(sysctl_get local_port_range)" "$(printf '20000\t30000')"
check_cmd "config set rmem" ctl config set rmem "4096 87380 262144"
check_eq "rmem set" "$(sysctl_get rmem)" "$(printf '4096\t87380\t262144')"

# JSON: parses, and carries the same values as /proc.
json=$(ctl -j config show)
check_cmd "config show -j parses as JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$json"
check_eq "JSON syn_retries" "$(jq -r .syn_retries <<< "$json")" 4
check_eq "JSON local_port_range" "$(jq -c .local_port_range <<< "$json")" "[20000,30000]"
check_eq "JSON rmem" "$(jq -c .rmem <<< "$json")" "[4096,87380,262144]"
check_eq "JSON has one key per sysctl" "$(jq 'keys | length' <<< "$json")" \
	"$(ls "$SYSCTL_DIR" | wc -l)"

# Bad requests: the kernel's extack names the parameter and the reason.
check_fails "out-of-range value: clear kernel error" \
	"Error: syn_retries: out of range [1, 127]" ctl config set syn_retries 0
check_fails "out-of-range port range: clear kernel error" \
	"Error: local_port_range: must be 1 <= low <= high <= 65535" \
	ctl config set local_port_range 3000-2000
check_fails "rmem out of order: clear kernel error" \
	"Error: rmem: must be 1 <= min <= default <= max <= 1073725440" \
	ctl config set rmem "4096 262144 87380"
check_fails "rmem with two values: clear error" \
	'Error: invalid value "4096 87380" for rmem (expected MIN DEFAULT MAX)' \
	ctl config set rmem "4096 87380"
check_fails "unknown name: clear error" \
	'Error: unknown parameter "no_such_knob"' ctl config set no_such_knob 1
check_fails "non-numeric value: clear error" \
	'Error: invalid value "abc" for tw_timeout' ctl config set tw_timeout abc
check_eq "rejected requests changed nothing" \
	"$(sysctl_get syn_retries) $(sysctl_get tw_timeout)" "4 5"

# All or nothing: one bad value keeps the good ones from being applied.
check_fails "a set with one bad value fails" \
	"Error: synack_retries: out of range [0, 127]" \
	ctl config set syn_retries 8 synack_retries 500
check_eq "and applies none of its values" "$(sysctl_get syn_retries)" 4

# Unprivileged users may read but not write.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
check_cmd "unprivileged config show works" nobody "$ALTTCPCTL" config show
check_fails "unprivileged config set is refused" \
	"Error: Operation not permitted" nobody "$ALTTCPCTL" config set syn_retries 9
check_eq "and the value is unchanged" "$(sysctl_get syn_retries)" 4

# CAP_NET_ADMIN is checked against the namespace's owner: root of a user
# namespace may configure the network namespace it created, only that one.
if nobody unshare --user --map-root-user true 2>/dev/null; then
	out=$(nobody unshare --user --map-root-user --net \
		sh -c "$ALTTCPCTL config set syn_retries 2 &&
		       cat $SYSCTL_DIR/syn_retries" 2>&1)
	check_eq "user-namespace root configures its own netns" "$out" 2
	check_eq "and not the initial one" "$(sysctl_get syn_retries)" 4
else
	tap_skip "user-namespace root configures its own netns" \
		"unprivileged user namespaces are disabled"
fi

# A new namespace: defaults, its own values, and -n addresses it.
ns=$(ns_create config)
name=syn_retries
check_eq "new netns shows the defaults" "$(show_value -n "$ns")" 6
check_cmd "config set in the new netns" ctl -n "$ns" config set syn_retries 7
check_eq "the new netns has its value" "$(sysctl_get syn_retries "$ns")" 7
check_eq "the initial netns keeps its own" "$(sysctl_get syn_retries)" 4

sysctl_set syn_retries 6
sysctl_set tw_timeout 60
sysctl_set fin_timeout 60
sysctl_set local_port_range 32768 60999
sysctl_set rmem 4096 131072 6291456

tap_end
