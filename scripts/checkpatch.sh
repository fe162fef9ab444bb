#!/bin/sh
# Run the kernel's checkpatch.pl over the module's C sources.  Debian ships
# it only inside linux-source-*.tar.xz; extract it once into build/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dest=$top/build/checkpatch
if [ ! -x "$dest/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$tarball" ]; then
		echo "Error: no /usr/src/linux-source-*.tar.xz; apt-get install linux-source" >&2
		exit 1
	fi
	mkdir -p "$dest"
	tar -xJf "$tarball" -C "$dest" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
cd "$top"
# CONSTANT_COMPARISON misreads "LINUX_VERSION_CODE >= KERNEL_VERSION(...)",
# the kernel's own idiom, which kmod/compat.h is made of.
# shellcheck disable=SC2046 # one argument per file
exec "$dest/scripts/checkpatch.pl" --no-tree --terse --show-types \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	-f $(git ls-files 'kmod/*.c' 'kmod/*.h' 'include/*.h' | grep -v '^kmod/core/tests/')
