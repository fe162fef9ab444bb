#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove the README's two commands on a machine that has nothing but make:
# a copy of the minimal Debian 12 root of scripts/fresh-root.sh, afresh for
# every run.  The committed tree (git archive HEAD) goes in; `make run` and then
# `make check` run inside with /proc, /sys and /dev mounted.  The exit
# status is theirs.  Not part of `make check`: it takes long.
#
# usage: scripts/fresh-check.sh [--keep] [-- COMMAND...]
#   --keep      leave the run root (build/fresh/run) for inspection
#   COMMAND     what to run instead of the two commands (e.g. bash -c '...')
# environment: ALTTCP_MIRROR (default: the host's bookworm mirror)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
run=$top/build/fresh/run
src=/srv/alttcp

die() { echo "fresh-check: error: $*" >&2; exit 2; }
note() { echo "fresh-check: $*" >&2; }

keep=0
while (($# > 0)); do
	case $1 in
	--keep) keep=1; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [--keep] [-- COMMAND...]" >&2; exit 2 ;;
	esac
done
[[ $(id -u) == 0 ]] || die "needs root (debootstrap, chroot, mounts)"
git -C "$top" rev-parse --verify -q HEAD >/dev/null || die "$top is not a git checkout with a commit"

# shellcheck source=scripts/chroot.sh
. "$top/scripts/chroot.sh"
cleanup() {
	chroot_umount
	((keep == 1)) || chroot_clear "$run"
}

base=$("$top/scripts/fresh-root.sh")

chroot_clear "$run"
note "copying the pristine root"
cp -a "$base" "$run"
trap cleanup EXIT

mkdir -p "$run$src"
git -C "$top" archive HEAD | tar -x -C "$run$src"
note "HEAD $(git -C "$top" rev-parse --short HEAD) in $run$src"

chroot_mount "$run"
inside() { chroot_run "$run" "cd $src && $1"; }

if (($# > 0)); then
	inside "$(printf '%q ' "$@")"
	exit
fi

rc=0
for cmd in "make run" "make check"; do
	note "===== $cmd ====="
	t0=$(date +%s)
	if inside "$cmd"; then
		note "$cmd: passed in $(($(date +%s) - t0)) s"
	else
		rc=$?
		note "$cmd: FAILED (exit $rc) after $(($(date +%s) - t0)) s"
		break
	fi
done
exit $rc
