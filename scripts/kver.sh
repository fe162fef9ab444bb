#!/bin/sh
# Print the version of the newest installed Debian kernel that has both an
# image and headers.  Never `uname -r`: the host's kernel is another one.
for dir in $(ls -d /lib/modules/*/ 2>/dev/null | sort -rV); do
	kver=$(basename "$dir")
	if [ -e "/boot/vmlinuz-$kver" ] && [ -e "$dir/build/Makefile" ]; then
		echo "$kver"
		exit 0
	fi
done
exit 1
