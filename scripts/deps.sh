#!/bin/sh
# Install every Debian package alttcp needs to build, boot its test VM,
# run its tests and build its packages.  Idempotent: with everything
# present it touches nothing.
#
# Two kernels are tested: Debian 12's own (linux-image-amd64, 6.1) and the
# 6.12 series that bookworm-backports carries.  The backports suite is
# added at its default pin priority (100), so it only supplies packages
# asked for by name and never upgrades anything else.
set -eu

PACKAGES="
	make gcc g++ build-essential cmake pkg-config git
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	libnl-3-dev libnl-genl-3-dev
	googletest libgtest-dev libbenchmark-dev
	sparse valgrind python3-docutils file
	qemu-system-x86 busybox-static kmod cpio xz-utils
	iproute2 procps util-linux jq python3 tcpdump iperf3 nftables curl
	debhelper dh-dkms dkms lintian fakeroot debootstrap
	clang libclang-rt-14-dev llvm
"
# make debug-kernel / check-debug (deps.sh --debug): Debian's 6.1 source
# and what building a kernel from it takes.
DEBUG_PACKAGES="
	linux-source-6.1 flex bison bc libelf-dev libssl-dev dwarves rsync
"
if [ "${1:-}" = --debug ]; then
	PACKAGES="$PACKAGES $DEBUG_PACKAGES"
fi

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive

# The mirror the system already uses for bookworm, so that backports come
# from the same place (a proxy or local mirror keeps working).
bookworm_mirror() {
	{
		cat /etc/apt/sources.list 2>/dev/null
		cat /etc/apt/sources.list.d/*.list 2>/dev/null
	} | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }'
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' "$f"
	done
}

need_update=0
if ! grep -rqsE '(^|[[:space:]])bookworm-backports([[:space:]]|$)' \
	/etc/apt/sources.list /etc/apt/sources.list.d/; then
	mirror=$(bookworm_mirror | head -n 1)
	mirror=${mirror:-http://deb.debian.org/debian}
	echo "deps: adding bookworm-backports from $mirror (pin priority 100)"
	echo "deb $mirror bookworm-backports main" |
		$SUDO tee /etc/apt/sources.list.d/alttcp-bookworm-backports.list >/dev/null
	need_update=1
fi

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

if [ -z "$missing" ] && [ "$need_update" -eq 0 ]; then
	echo "deps: all packages present"
	exit 0
fi

$SUDO apt-get update -q
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	# shellcheck disable=SC2086 # the list is meant to split into words
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi
