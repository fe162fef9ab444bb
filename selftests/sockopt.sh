#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The socket API's details (options, TCP_INFO, ioctls, flags, port rules):
# sockopt.py in a fresh network namespace of its own.

. "$(dirname "$0")/lib.sh"

require_root
require_module
require_ctl
command -v /usr/bin/python3 >/dev/null || skip_all "no /usr/bin/python3"
command -v nstat >/dev/null || skip_all "no nstat"

ns=$(ns_create sockopt)
# sockopt.py reads the namespace's counters of both stacks (alttcpctl, nstat).
ip netns exec "$ns" env ALTTCPCTL="$ALTTCPCTL" /usr/bin/python3 "$(dirname "$0")/sockopt.py"
