#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: show alttcp loaded in a real kernel and a tunable changing.

. "$(dirname "$0")/lib.sh"

require_root
require_module
require_ctl

run() { echo "\$ $*"; "$@"; }

echo "# alttcp in kernel $(uname -r)"
run lsmod | grep -E '^(Module|alttcp)'
run "$ALTTCPCTL" config show
echo
echo "# TIME_WAIT length is a tunable: set it through /proc ..."
run sh -c "echo 5 > $SYSCTL_DIR/tw_timeout"
run sh -c "$ALTTCPCTL config show | grep tw_timeout"
echo "# ... and through netlink"
run "$ALTTCPCTL" config set tw_timeout 30 syn_retries 3
run grep . "$SYSCTL_DIR/tw_timeout" "$SYSCTL_DIR/syn_retries"
echo "# JSON"
run "$ALTTCPCTL" -j config show
echo
echo "# a bad value is refused with the kernel's reason"
run "$ALTTCPCTL" config set syn_retries 500 || true
sysctl_set tw_timeout 60
sysctl_set syn_retries 6

[ "$(sysctl_get tw_timeout)" == 60 ]
