#!/bin/sh
# Lay out the module's source tree at DEST as Kbuild builds it: DEST/kmod
# (the glue and core/) and DEST/include (the uapi header it includes).
# This one list of files serves the per-kernel build trees (symlinks, so an
# edit is seen at once and each kernel keeps its own objects) and the DKMS
# source package (--copy).
#
#   scripts/stage-kmod.sh [--copy] DEST
set -eu
mode=link
if [ "${1:-}" = --copy ]; then
	mode=copy
	shift
fi
[ $# -eq 1 ] || { echo "usage: $0 [--copy] DEST" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
dest=$1

place() {
	mkdir -p "$dest/$(dirname "$1")"
	if [ $mode = copy ]; then
		cp "$top/$1" "$dest/$1"
	else
		ln -sfn "$top/$1" "$dest/$1"
	fi
}

cd "$top"
for f in kmod/Kbuild kmod/*.c kmod/*.h kmod/core/*.c kmod/core/*.h \
	include/uapi/linux/alttcp.h; do
	place "$f"
done
# A file deleted from the tree must not linger as a dangling link.
if [ $mode = link ]; then
	find "$dest" -xtype l -delete
fi
