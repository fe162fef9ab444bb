#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash  # busybox ash; closest dialect shellcheck knows
#
# PID 1 of the test VM (copied into the initramfs as /init by run.sh).
#
# Reaches the host root over virtio-9p, makes the parts of it that programs
# expect to write to writable (tmpfs), and runs guest-runner.sh with the
# host's bash in a chroot. Busybox is only used here, never for tests: its
# applets (ip, tc, ping) shadow the real tools.

export PATH=/bin:/sbin
/bin/busybox --install -s /bin 2>/dev/null

# Anything going wrong before the runner starts must end the VM at once
# (no status file => the host reports failure) instead of hanging until the
# host watchdog fires.
fatal() {
	echo "vm-init: FATAL: $*"
	echo o >/proc/sysrq-trigger
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

while read -r m; do
	insmod "/modules/$m" || fatal "insmod $m failed"
done </modules/order

# msize: larger 9p messages make exec/read of host binaries faster.
# The out share stays uncached so results reach the host as they are
# written, even if the guest later panics.
opts=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$opts" alttcpout /out || fatal "cannot mount 9p results dir"
[ -f /out/vm.env ] || fatal "vm.env missing in results share"
# shellcheck source=/dev/null
. /out/vm.env
mount -t 9p -o "$opts,ro,cache=$ROOT_CACHE" hostroot /newroot || fatal "cannot mount 9p root"

# A second view of the host root without the tmpfs mounts on top, to bring
# back paths that those mounts would hide (KEEP, set by run.sh).
mount --bind /newroot /ro

TMPFS_DIRS="tmp run var/tmp var/log root home"
for d in $TMPFS_DIRS; do
	mount -t tmpfs -o mode=0755 tmpfs "/newroot/$d" || fatal "tmpfs on /$d"
done
chmod 1777 /newroot/tmp /newroot/var/tmp
mkdir -p /newroot/run/lock /newroot/run/netns
chmod 1777 /newroot/run/lock

for p in $KEEP; do
	for d in $TMPFS_DIRS; do
		case $p in
		"/$d"/*)
			mkdir -p "/newroot$p"
			mount --bind "/ro$p" "/newroot$p" || fatal "cannot keep $p visible"
			;;
		esac
	done
done

# A kernel built by the project (run.sh ALTTCP_VM_KERNEL_DIR) has its
# module tree in the build directory, not in the host's /lib/modules.
if [ -n "$MODDIR" ]; then
	mount -t tmpfs -o mode=0755 tmpfs /newroot/lib/modules || fatal "tmpfs on /lib/modules"
	mkdir -p "/newroot/lib/modules/$KVER"
	mount --bind "/ro$MODDIR" "/newroot/lib/modules/$KVER" || fatal "cannot mount $MODDIR"
fi

mkdir -p "/newroot$ALTTCP_OUT" 2>/dev/null
mount --move /out "/newroot$ALTTCP_OUT" || fatal "cannot mount results at $ALTTCP_OUT"

mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
# devtmpfs has no /dev/fd: bash's process substitution needs it.
ln -sf /proc/self/fd /newroot/dev/fd
ln -sf /proc/self/fd/0 /newroot/dev/stdin
ln -sf /proc/self/fd/1 /newroot/dev/stdout
ln -sf /proc/self/fd/2 /newroot/dev/stderr
mount -t devpts -o newinstance,ptmxmode=0666 devpts /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm
mount -t debugfs debugfs /newroot/sys/kernel/debug
mount -t tracefs tracefs /newroot/sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup 2>/dev/null
mount -t bpf bpf /newroot/sys/fs/bpf 2>/dev/null

# The kernel runs its modprobe helper in this initramfs root, which has no
# modules; the wrapper runs the host's modprobe inside the shared root.
echo /sbin/modprobe-chroot >/proc/sys/kernel/modprobe

hostname alttcp-vm
ip link set lo up

# The runner is watched from here rather than under a pipe: an orphaned
# test child holding a pipe open would keep init waiting forever.
#
# It gets its own mount namespace whose root is the shared root moved onto
# "/" (as switch_root does), not a chroot: the kernel refuses to create
# user namespaces from inside a chroot, and the tests need them.  PID 1
# keeps its own view, for the watchdog and the modprobe wrapper.
unshare -m --propagation private -- /bin/sh -c \
	'cd /newroot && mount --move . / && exec chroot . "$@"' sh \
	/usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb LANG=C.UTF-8 \
	/bin/bash "$RUNNER" "$ALTTCP_OUT/vm.env" </dev/null >/dev/console 2>&1 &
rpid=$!
(
	sleep "$GUEST_WATCHDOG"
	touch /watchdog-fired
	kill -9 "$rpid"
) &
wpid=$!
wait "$rpid"
kill "$wpid" 2>/dev/null

if [ -f /watchdog-fired ]; then
	echo "vm-init: guest watchdog expired after ${GUEST_WATCHDOG}s; tasks in D state:"
	echo w >/proc/sysrq-trigger
	sleep 1
	chroot /newroot dmesg >"/newroot$ALTTCP_OUT/dmesg.txt" 2>&1
	echo "ALTTCP-VM-DONE status=timeout"
fi

sync
poweroff -f
