# SPDX-License-Identifier: GPL-2.0
#
# Cut a kernel log (printk lines, timestamps optional) into sanitizer and
# debug reports, print each in full, and end with one "summary" line per
# kind. run.sh fails a debug-kernel run on any report this prints.
#
#   awk -f kernel-reports.awk [-v kcsan_scope=alttcp] LOG...
#
# A report starts at a header line and ends at its closing rule, an end of
# trace, or after max_lines lines. KCSAN reports in which no frame is
# alttcp's (ends in "[alttcp]") are races of the kernel itself: with kcsan_scope set they are
# counted apart ("outside") and do not fail the run.

function kind_of(line)
{
	if (line ~ /BUG: KASAN:/) return "kasan"
	if (line ~ /BUG: KCSAN:/) return "kcsan"
	if (line ~ /UBSAN:/) return "ubsan"
	if (line ~ /BUG: sleeping function called from invalid context/) return "atomic-sleep"
	if (line ~ /WARNING: (possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|possible irq lock inversion|lock held when returning|bad unlock balance|held lock freed|Nested lock was not taken|possible deadlock)/) return "lockdep"
	if (line ~ /BUG: (workqueue lockup|soft lockup|scheduling while atomic|unable to handle|kernel NULL pointer|Bad page|Bad rss)/) return "bug"
	if (line ~ /INFO: (task .* blocked for more than|rcu_.* detected stalls|possible recursive locking)/) return "hang"
	if (line ~ /ODEBUG:/) return "debugobjects"
	if (line ~ /refcount_t:/) return "refcount"
	if (line ~ /WARNING: CPU: [0-9]+ PID: [0-9]+ at /) return "warning"
	if (line ~ /BUG:|Oops|general protection fault|Kernel panic/) return "bug"
	if (line ~ /kmemleak: [0-9]+ new suspected memory leaks|^unreferenced object 0x/) return "kmemleak"
	return ""
}

function flush(   i, fails)
{
	if (!n)
		return
	fails = !(kind == "kcsan" && kcsan_scope != "" && !in_scope)
	if (fails) {
		count[kind]++
		print "---- " kind " report ----"
		for (i = 1; i <= n; i++)
			print buf[i]
	} else {
		outside[kind]++
		title[kind "|" buf[1]]++
	}
	n = 0
}

BEGIN { max_lines = 80 }

{
	line = $0
	sub(/\r$/, "", line)
	body = line
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", body)
	k = kind_of(body)
	# Lockdep and KASAN quote the WARNING that follows them; a header inside
	# an open report of a different kind starts a new report only when the
	# open one is a plain warning's tail.
	if (k != "" && !(n && k == "warning" && kind != "warning")) {
		flush()
		kind = k
		in_scope = 0
	}
	if (kind == "" )
		next
	if (n < max_lines)
		buf[++n] = body
	# A module's frames end in "[name]"; the bare name would also match
	# the release ("6.1.192-alttcp-kcsan") every report's CPU line shows.
	if (kcsan_scope != "" && index(body, "[" kcsan_scope "]"))
		in_scope = 1
	if (n > 1 && (body ~ /^=+$/ || body ~ /---\[ end trace/)) {
		flush()
		kind = ""
	}
}

END {
	flush()
	for (k in count)
		printf "summary: %d %s report(s)\n", count[k], k
	for (k in outside)
		printf "summary: %d %s report(s) outside %s, not failing the run\n", outside[k], k, kcsan_scope
	for (t in title) {
		split(t, part, "|")
		printf "outside: %dx %s\n", title[t], part[2]
	}
}
