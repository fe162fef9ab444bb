#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A minimal Debian 12 root, as a new user's machine is before anything of
# alttcp's: debootstrap --variant=minbase plus make, with the release, its
# updates and the security suite in sources.list.  Made once under
# build/fresh/base and kept pristine; users copy it (cp -a) and work in the
# copy.  Prints the base's path.
#
# usage: scripts/fresh-root.sh
# environment: ALTTCP_MIRROR (default: the host's bookworm mirror)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
fresh=$top/build/fresh
base=$fresh/base

die() { echo "fresh-root: error: $*" >&2; exit 2; }

if [[ -f $base/.alttcp-fresh-base ]]; then
	echo "$base"
	exit 0
fi
[[ $(id -u) == 0 ]] || die "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap missing: apt-get install debootstrap"

mirror=${ALTTCP_MIRROR:-$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)}
if [[ -z $mirror ]]; then
	mirror=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
security=${mirror%/debian}/debian-security

mkdir -p "$fresh"
exec 9>"$fresh/.lock"
flock 9
[[ -f $base/.alttcp-fresh-base ]] && { echo "$base"; exit 0; }

tmp=$fresh/base.tmp
log=$fresh/debootstrap.log
rm -rf --one-file-system "$tmp"
echo "fresh-root: debootstrap --variant=minbase bookworm from $mirror (once)" >&2
debootstrap --variant=minbase bookworm "$tmp" "$mirror" >"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; die "debootstrap failed (log: $log)"; }
cat >"$tmp/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SOURCES
cp /etc/resolv.conf "$tmp/etc/resolv.conf"
chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c \
	'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q make && apt-get clean' \
	>>"$log" 2>&1 || die "installing make failed (log: $log)"
touch "$tmp/.alttcp-fresh-base"
mv "$tmp" "$base"
echo "$base"
