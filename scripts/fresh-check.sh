#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove the README's two commands on a machine that has nothing but make:
# a minimal Debian 12 root (debootstrap --variant=minbase, plus make), made
# once and kept pristine under build/fresh/base, copied afresh for every
# run.  The committed tree (git archive HEAD) goes in; `make run` and then
# `make check` run inside with /proc, /sys and /dev mounted.  The exit
# status is theirs.  Not part of `make check`: it takes long.
#
# usage: scripts/fresh-check.sh [--keep] [-- COMMAND...]
#   --keep      leave the run root (build/fresh/run) for inspection
#   COMMAND     what to run instead of the two commands (e.g. bash -c '...')
# environment: ALTTCP_MIRROR (default: the host's bookworm mirror)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
fresh=$top/build/fresh
base=$fresh/base
run=$fresh/run
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
command -v debootstrap >/dev/null || die "debootstrap missing: apt-get install debootstrap (make deps has it)"
git -C "$top" rev-parse --verify -q HEAD >/dev/null || die "$top is not a git checkout with a commit"

mirror=${ALTTCP_MIRROR:-$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)}
if [[ -z $mirror ]]; then
	mirror=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
security=${mirror%/debian}/debian-security

# What a freshly installed Debian 12 has: the release, its updates and the
# security suite; nothing of alttcp's.
make_base() {
	local tmp=$fresh/base.tmp
	rm -rf "$tmp"
	mkdir -p "$fresh"
	note "debootstrap --variant=minbase bookworm from $mirror (once)"
	debootstrap --variant=minbase bookworm "$tmp" "$mirror" >"$fresh/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$fresh/debootstrap.log" >&2; die "debootstrap failed (log: $fresh/debootstrap.log)"; }
	cat >"$tmp/etc/apt/sources.list" <<-SOURCES
		deb $mirror bookworm main
		deb $mirror bookworm-updates main
		deb $security bookworm-security main
	SOURCES
	cp /etc/resolv.conf "$tmp/etc/resolv.conf"
	chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q make && apt-get clean' \
		>>"$fresh/debootstrap.log" 2>&1 || die "installing make failed (log: $fresh/debootstrap.log)"
	touch "$tmp/.alttcp-fresh-base"
	mv "$tmp" "$base"
}

mounted=()
cleanup() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount -l "${mounted[i]}" 2>/dev/null || true
	done
	if ((keep == 0)); then
		rm -rf --one-file-system "$run"
	fi
}

[[ -f $base/.alttcp-fresh-base ]] || make_base

# A previous run's mounts would otherwise be copied or deleted through.
for m in dev/pts dev sys proc; do
	mountpoint -q "$run/$m" 2>/dev/null && umount -l "$run/$m"
done
rm -rf --one-file-system "$run"
note "copying the pristine root"
cp -a "$base" "$run"
trap cleanup EXIT

mkdir -p "$run$src"
git -C "$top" archive HEAD | tar -x -C "$run$src"
note "HEAD $(git -C "$top" rev-parse --short HEAD) in $run$src"

mount -t proc proc "$run/proc" && mounted+=("$run/proc")
mount --rbind /sys "$run/sys" && mount --make-rslave "$run/sys" && mounted+=("$run/sys")
mount --rbind /dev "$run/dev" && mount --make-rslave "$run/dev" && mounted+=("$run/dev")
cp /etc/resolv.conf "$run/etc/resolv.conf"

inside() {
	chroot "$run" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		${CI:+CI=$CI} bash -c "cd $src && $1" </dev/null
}

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
