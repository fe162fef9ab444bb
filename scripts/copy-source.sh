#!/bin/sh
# Copy the source tree, without build output, to DEST: what git sees
# (tracked and new files, uncommitted edits included) in a checkout, or,
# in an unpacked `git archive` (scripts/fresh-check.sh) that has no .git,
# everything but what .gitignore names.  `make deb` builds from the copy,
# so no stale build directory leaks into the packages.
#
#   scripts/copy-source.sh DEST
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
dest=$1
mkdir -p "$dest"
cd "$top"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done; :' sh |
		cpio -0 -pdm --quiet "$dest"
	exit 0
fi

# .gitignore's patterns as tar's: "/x/" is anchored at the top, others
# match a name anywhere.  The destination itself is left out too.
set -- --exclude="./${dest#"$top"/}"
while read -r pat; do
	case $pat in
	"" | "#"*) ;;
	/*) pat=${pat#/}; set -- "$@" --exclude="./${pat%/}" ;;
	*) set -- "$@" --exclude="${pat%/}" ;;
	esac
done <.gitignore
tar -c "$@" -f - . | tar -x -C "$dest"
