#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a sanitizer kernel from Debian's linux-source-6.1 for the VM tests.
#
# usage: scripts/debug-kernel.sh FLAVOUR      (kasan or kcsan)
#
# Base: x86_64 defconfig + kvm_guest.config, then selftests/debug/
# common.config and FLAVOUR.config. Everything the guest needs is built in,
# so the VM boots it without an initramfs module list. The result is cached
# under build/debug-kernel/FLAVOUR and rebuilt only when the source package
# or a config fragment changes:
#   obj/       the kernel build tree (modules build against it: make -C obj M=...)
#   bzImage    the image QEMU boots (its PVH ELF entry did not boot this
#              kernel: QEMU printed nothing at all)
#   release    `uname -r` of the kernel
#   modroot/   lib/modules/RELEASE (modules.builtin etc. for the guest's modprobe)

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
FRAGMENTS=$REPO/selftests/debug
TARBALL=${ALTTCP_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}

die() { echo "debug-kernel: error: $*" >&2; exit 2; }
note() { echo "debug-kernel: $*" >&2; }

flavour=${1:-}
[[ -n $flavour ]] || die "usage: $0 FLAVOUR (one of: $(cd "$FRAGMENTS" && ls ./*.config | sed 's|^\./||; s|\.config$||' | grep -vx common | tr '\n' ' '))"
[[ $flavour != common && -f $FRAGMENTS/$flavour.config ]] ||
	die "no config fragment $FRAGMENTS/$flavour.config"
[[ -f $TARBALL ]] || die "$TARBALL missing: make deps-debug (apt-get install linux-source-6.1)"

top=$REPO/build/debug-kernel
out=$top/$flavour
src_tag=$(stat -c '%s-%Y' "$TARBALL")
src=$top/src/$(basename "$TARBALL" .tar.xz)
mkdir -p "$top" "$out"

exec 9>"$out/.lock"
flock 9

key=$(cat "$TARBALL.sha256" 2>/dev/null || echo "$src_tag"; cat "$FRAGMENTS/common.config" "$FRAGMENTS/$flavour.config")
key=$(sha256sum <<<"$key" | cut -c1-16)
if [[ -f $out/key && $(cat "$out/key") == "$key" && -s $out/bzImage ]]; then
	note "$flavour kernel $(cat "$out/release") is up to date"
	exit 0
fi

# One unpacked source for every flavour (builds are out of tree), replaced
# when the package is.
exec 8>"$top/.src.lock"
flock 8
if [[ ! -f $src/.alttcp-src && -d $src ]] || [[ -f $src/.alttcp-src && $(cat "$src/.alttcp-src") != "$src_tag" ]]; then
	rm -rf "$src"
fi
if [[ ! -d $src ]]; then
	note "unpacking $TARBALL"
	mkdir -p "$top/src"
	tar -C "$top/src" -xf "$TARBALL"
	echo "$src_tag" >"$src/.alttcp-src"
fi
flock -u 8

rm -f "$out/key"
obj=$out/obj
mkdir -p "$obj"
start=$(date +%s)
kmake() { make -C "$src" O="$obj" -s "$@"; }

note "configuring $flavour"
kmake defconfig
frags=("$src/kernel/configs/kvm_guest.config" "$FRAGMENTS/common.config" "$FRAGMENTS/$flavour.config")
KCONFIG_CONFIG=$obj/.config "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
	"$obj/.config" "${frags[@]}" >"$out/merge.log"
kmake olddefconfig

# merge_config only warns when a request does not survive (an unmet
# dependency, a misspelt symbol): here that is an error, or the kernel
# would silently lack a sanitizer.
missing=$(
	grep -hE '^CONFIG_[A-Z0-9_]+=' "$FRAGMENTS/common.config" "$FRAGMENTS/$flavour.config" |
		while IFS= read -r want; do
			sym=${want%%=*} val=${want#*=}
			if [[ $val == n ]]; then
				grep -qE "^$sym=[ym]" "$obj/.config" && echo "$want (got $(grep -E "^$sym=" "$obj/.config"))"
			else
				grep -qxF "$want" "$obj/.config" || echo "$want (got $(grep -E "^(# )?$sym[= ]" "$obj/.config" || echo unset))"
			fi
		done || true
)
[[ -z $missing ]] || die "config requests that did not survive the merge:"$'\n'"$missing"

note "building $flavour ($(nproc) jobs)"
kmake -j"$(nproc)" bzImage modules
release=$(kmake -s kernelrelease)
rm -rf "$out/modroot"
kmake INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod modules_install
rm -f "$out/modroot/lib/modules/$release/build" "$out/modroot/lib/modules/$release/source"
cp "$obj/arch/x86/boot/bzImage" "$out/bzImage.tmp"
mv "$out/bzImage.tmp" "$out/bzImage"
rm -f "$out/vmlinux"
echo "$release" >"$out/release"
echo "$key" >"$out/key"
elapsed=$(($(date +%s) - start))
echo "$elapsed" >"$out/build-seconds"
note "$flavour kernel $release built in $((elapsed / 60)) min $((elapsed % 60)) s"
