#!/bin/sh
# The installed Debian kernels alttcp can be built for and booted in its
# test VM: those with both an image and headers.  Never `uname -r`: the
# host's running kernel is another one.
#
#   scripts/kver.sh          the newest
#   scripts/kver.sh --all    every one, oldest first
all=0
case ${1:-} in
--all) all=1 ;;
"") ;;
*) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac
found=$(for dir in /lib/modules/*/; do
	kver=$(basename "$dir")
	if [ -e "/boot/vmlinuz-$kver" ] && [ -e "$dir/build/Makefile" ]; then
		echo "$kver"
	fi
done | sort -V)
[ -n "$found" ] || exit 1
if [ $all -eq 1 ]; then
	echo "$found"
else
	echo "$found" | tail -n 1
fi
