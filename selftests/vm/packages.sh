#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove the .deb packages as a user meets them.  In a copy of the minimal
# Debian 12 root (scripts/fresh-root.sh): install the kernels, then
# alttcp-dkms and alttcpctl with apt; check that DKMS built and installed
# the module for every kernel; then boot each kernel in the VM on that
# root and run selftests/packaged.sh, which loads the DKMS build with
# `modprobe alttcp` and checks a sysctl.d setting, the tool and one
# connection.
#
# usage: selftests/vm/packages.sh [-o OUTDIR] DEBDIR KVER...
#   DEBDIR  holds alttcp-dkms_<version>_all.deb and alttcpctl_<version>_amd64.deb
#   KVER    kernels to install and boot (their image and headers packages,
#           linux-image-KVER and linux-headers-KVER, come from apt)
# The last line is "packages: N passed, N failed, N skipped".

set -uo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$VM_DIR/../.." && pwd -P)
root=$REPO/build/pkgroot

die() { echo "packages: error: $*" >&2; exit 2; }
note() { echo "packages: $*" >&2; }

outdir=$REPO/build/vm/packages
if [[ ${1:-} == -o ]]; then
	outdir=$2
	shift 2
fi
(($# >= 2)) || die "usage: $0 [-o OUTDIR] DEBDIR KVER..."
debdir=$(realpath "$1")
shift
kernels=("$@")
[[ $(id -u) == 0 ]] || die "needs root (chroot, mounts)"

version=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$REPO/debian/changelog")
debs=("$debdir/alttcp-dkms_${version}_all.deb" "$debdir/alttcpctl_${version}_amd64.deb")
for d in "${debs[@]}"; do
	[[ -f $d ]] || die "$d missing: make deb"
done
[[ -x $REPO/selftests/alttcp_connect ]] || die "selftests/alttcp_connect missing: make selftests-tools"

passed=0 failed=0
result() {
	if (($1 == 0)); then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		echo "not ok - $2"
	fi
}
finish() {
	echo "packages: $passed passed, $failed failed, 0 skipped"
	((failed == 0))
	exit
}

# shellcheck source=scripts/chroot.sh
. "$REPO/scripts/chroot.sh"
trap chroot_umount EXIT

base=$("$REPO/scripts/fresh-root.sh") || die "no fresh root"
chroot_clear "$root"
cp -a "$base" "$root"
chroot_mount "$root"
# The host has already downloaded most of these packages (make deps).
chroot_bind /var/cache/apt/archives "$root/var/cache/apt/archives"
mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
log=$outdir/install.log
mkdir -p "$outdir"
: >"$log"

# The kernels first, as on a user's machine; installing the packages then
# has DKMS build for each of them.  bookworm-backports at its default
# priority, as make deps adds it, for the 6.12 series.
kpkgs=""
for k in "${kernels[@]}"; do kpkgs+=" linux-image-$k linux-headers-$k"; done
mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' "$root/etc/apt/sources.list")
echo "deb $mirror bookworm-backports main" >"$root/etc/apt/sources.list.d/backports.list"
note "installing kernels:$kpkgs"
chroot_run "$root" "apt-get update -q && apt-get install -y -q --no-install-recommends $kpkgs" \
	>>"$log" 2>&1
result $? "apt installs the kernels" || { tail -n 30 "$log"; finish; }

note "installing ${debs[*]##*/}"
chroot_run "$root" "apt-get install -y -q --no-install-recommends /tmp/debs/*.deb" >>"$log" 2>&1
result $? "apt installs alttcp-dkms and alttcpctl" || { tail -n 30 "$log"; finish; }

status=$(chroot_run "$root" "dkms status alttcp" 2>&1)
echo "$status" | sed 's/^/# dkms status: /'
for k in "${kernels[@]}"; do
	grep -qx "alttcp/$version, $k, x86_64: installed" <<<"$status"
	result $? "dkms built and installed alttcp/$version for $k"
done

# A setting the user made before the module was ever loaded.
sysctl_setting=tw_timeout=17
echo "net.alttcp.${sysctl_setting%%=*} = ${sysctl_setting#*=}" \
	>"$root/etc/sysctl.d/70-alttcp-selftest.conf"

# The guest runs the selftest from this checkout's path inside the root.
mkdir -p "$root$REPO/selftests/vm"
cp "$REPO"/selftests/{lib.sh,packaged.sh,alttcp_connect} "$root$REPO/selftests/"
cp "$VM_DIR/guest-runner.sh" "$root$REPO/selftests/vm/"
chroot_umount

for k in "${kernels[@]}"; do
	note "===== kernel $k, DKMS's module ====="
	ALTTCP_TEST_PKG_VERSION=$version ALTTCP_TEST_PKG_SYSCTL=$sysctl_setting \
		ALTTCP_VM_KVER=$k ALTTCP_VM_QUIET=1 \
		"$VM_DIR/run.sh" -r "$root" -m '' -o "$outdir/$k" packaged.sh
	rc=$?
	sed 's/^/# /' "$outdir/$k/packaged.sh.log" 2>/dev/null
	result $rc "$k: modprobe of the DKMS module, sysctl.d, tool and a connection"
done
finish
