# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the scripts that work in a copy of the fresh root: mount what
# a running system has into it, run commands there with a clean
# environment, and undo the mounts in reverse order.

chroot_mounts=()

chroot_mount() {
	local root=$1
	mount -t proc proc "$root/proc" && chroot_mounts+=("$root/proc")
	mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys" &&
		chroot_mounts+=("$root/sys")
	mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" &&
		chroot_mounts+=("$root/dev")
	cp /etc/resolv.conf "$root/etc/resolv.conf"
}

# Extra bind mounts (a package cache, say) that chroot_umount undoes too.
chroot_bind() {
	mkdir -p "$2"
	mount --bind "$1" "$2" && chroot_mounts+=("$2")
}

chroot_umount() {
	local i
	for ((i = ${#chroot_mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${chroot_mounts[i]}" 2>/dev/null || true
	done
	chroot_mounts=()
}

# A root left mounted by a killed run: unmount before copying or deleting,
# or cp and rm would walk into the host's /dev and /sys.
chroot_clear() {
	local root=$1 m
	[[ -d $root ]] || return 0
	while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done < <(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r)
	rm -rf --one-file-system "$root"
}

# chroot_run ROOT SCRIPT: run SCRIPT with bash inside ROOT, environment
# reset to what a login on a new machine has.
chroot_run() {
	chroot "$1" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		${CI:+CI=$CI} DEBIAN_FRONTEND=noninteractive bash -c "$2" </dev/null
}
