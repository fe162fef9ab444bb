#!/bin/sh
# Install every Debian package alttcp needs to build, boot its test VM and
# run its tests.  Idempotent: with everything present it touches nothing.
set -eu

PACKAGES="
	make gcc g++ cmake pkg-config
	linux-image-amd64 linux-headers-amd64
	libnl-3-dev libnl-genl-3-dev
	googletest libgtest-dev libbenchmark-dev
	sparse valgrind python3-docutils
	qemu-system-x86 busybox-static kmod cpio xz-utils
	iproute2 procps util-linux jq python3 tcpdump iperf3 nftables curl
"

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086 # the list is meant to split into words
$SUDO apt-get install -y -q --no-install-recommends $missing
