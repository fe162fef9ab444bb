#!/bin/sh
# run_status.sh STATUS TEXT CMD [ARGS...]
# Runs CMD; passes when it exits with STATUS and its stderr contains TEXT
# (a fixed string; empty matches anything).  For ctest, which can check an
# exit status of 0 or not-0 only.
want=$1
text=$2
shift 2
err=$(mktemp) || exit 2
"$@" 2>"$err"
got=$?
cat "$err" >&2
fail=0
if [ "$got" -ne "$want" ]; then
	echo "run_status: exit status $got, want $want" >&2
	fail=1
fi
if [ -n "$text" ] && ! grep -qF -- "$text" "$err"; then
	echo "run_status: stderr lacks \"$text\"" >&2
	fail=1
fi
rm -f "$err"
exit $fail
