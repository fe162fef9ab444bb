#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the distribution kernel in QEMU and run alttcp selftests inside it.
#
# usage: selftests/vm/run.sh [-m MODULE.ko] [-o OUTDIR] [-r ROOT] [-t TIMEOUT_S] [TEST ...]
#
# The host kernel cannot load modules, so everything kernel-side happens in a
# throw-away VM: the host root is shared read-only over virtio-9p (so the guest
# runs the host's own ip/tc/python/... and the repo at its real path), OUTDIR
# is shared writable for results. See selftests/vm/README.

set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
SELFTESTS=$(cd "$VM_DIR/.." && pwd -P)
REPO=$(cd "$SELFTESTS/.." && pwd -P)

die() { echo "vm: error: $*" >&2; exit 2; }
note() { echo "vm: $*" >&2; }

usage() {
	cat <<EOF
usage: $0 [-m MODULE.ko] [-o OUTDIR] [-r ROOT] [-t TIMEOUT_S] [TEST ...]
  -m MODULE.ko  module to insmod before the tests (default: the kernel's build,
                $REPO/build/kmod/KVER/kmod/alttcp.ko, if it exists; -m '' loads nothing)
  -o OUTDIR     writable results dir (default: $REPO/build/vm)
  -r ROOT       the guest's root filesystem (default: the host's /); it must
                hold this checkout's selftests/ at the same path
  -t TIMEOUT_S  whole-VM watchdog (default: sum of per-test timeouts + 60)
  TEST          script under selftests/ (e.g. config.sh, vm/smoke.sh); default:
                everything in selftests/TESTS
environment: ALTTCP_VM_KVM=1 use KVM; ALTTCP_VM_CACHE=DIR kernel/initramfs cache;
             ALTTCP_VM_KVER=VER kernel version; ALTTCP_VM_QUIET=1 no live console;
             ALTTCP_VM_RMMOD=1 rmmod the module after the tests (unload check);
             ALTTCP_VM_TEST_TIMEOUT=S override selftests/settings timeout;
             ALTTCP_VM_SMP=N vCPUs (default 2); ALTTCP_VM_9P_CACHE=none|loose
             ALTTCP_VM_KERNEL_DIR=DIR boot a kernel of scripts/debug-kernel.sh
             (DIR/bzImage, DIR/release, DIR/modroot) in debug mode: kernel
             reports are collected instead of panicking, kmemleak is scanned
             after the suite and after rmmod, and any report fails the run;
             ALTTCP_VM_FAULTS=TEST,... inject allocation failures into alttcp
             (failslab on its caches only) during
             those tests (selftests/vm/faults.sh)
EOF
}

# ---------------------------------------------------------------- arguments

module_set=0
module=""
outdir="$REPO/build/vm"
vm_timeout=""
guest_root=/
while getopts "m:o:r:t:h" opt; do
	case $opt in
	m) module_set=1; module=$OPTARG ;;
	o) outdir=$OPTARG ;;
	r) guest_root=$OPTARG ;;
	t) vm_timeout=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [[ -n $vm_timeout && ! $vm_timeout =~ ^[0-9]+$ ]]; then
	die "-t wants whole seconds, got '$vm_timeout'"
fi

# Paths reach the guest through a sourced env file and the 9p mount table;
# whitespace and shell metacharacters would need quoting at every hop, and no
# real checkout needs them.
check_path() {
	[[ $1 =~ ^[A-Za-z0-9_./+@:-]+$ ]] || die "unsupported characters in path '$1'"
}


mkdir -p "$outdir"
outdir=$(realpath "$outdir")
check_path "$outdir"
check_path "$REPO"
[[ $outdir != / ]] || die "refusing to use / as OUTDIR"
[[ -d $guest_root ]] || die "root '$guest_root' is not a directory"
guest_root=$(realpath "$guest_root")
check_path "$guest_root"
if [[ $guest_root != / ]]; then
	[[ -f $guest_root$VM_DIR/guest-runner.sh ]] ||
		die "$guest_root has no $VM_DIR/guest-runner.sh: copy the selftests in first"
	# The guest mounts the results share at the same path in its root.
	mkdir -p "$guest_root$outdir"
fi

# ---------------------------------------------------------------- tests

# Accept "config.sh", "selftests/config.sh", "/abs/.../selftests/config.sh",
# "config" and "vm/smoke.sh"; the canonical name is relative to selftests/
# because the runner cds there, as kselftest does.
resolve_test() {
	local t=$1 p
	for p in "$t" "$SELFTESTS/$t" "$REPO/$t" "$SELFTESTS/$t.sh"; do
		if [[ -f $p ]]; then
			p=$(realpath "$p")
			[[ $p == "$SELFTESTS"/* ]] || die "test '$t' is not under $SELFTESTS"
			echo "${p#"$SELFTESTS"/}"
			return
		fi
	done
	die "test '$t' not found under $SELFTESTS"
}

tests=()
if (($# > 0)); then
	for t in "$@"; do tests+=("$(resolve_test "$t")"); done
elif [[ -f $SELFTESTS/TESTS ]]; then
	while read -r line; do
		line=${line%%#*}
		line=${line//[[:space:]]/}
		[[ -n $line ]] && tests+=("$(resolve_test "$line")")
	done <"$SELFTESTS/TESTS"
else
	for p in "$SELFTESTS"/*.sh; do
		[[ -x $p && ${p##*/} != lib.sh ]] && tests+=("${p##*/}")
	done
fi
((${#tests[@]} > 0)) || die "no tests to run"
fault_tests=()
if [[ -n ${ALTTCP_VM_FAULTS:-} ]]; then
	for t in ${ALTTCP_VM_FAULTS//,/ }; do fault_tests+=("$(resolve_test "$t")"); done
fi
for t in "${tests[@]}" "${fault_tests[@]}"; do check_path "$t"; done

# kselftest "settings" file: the only key we honour is timeout=N.
test_timeout=300
if [[ -f $SELFTESTS/settings ]]; then
	v=$(sed -n 's/^[[:space:]]*timeout[[:space:]]*=[[:space:]]*\([0-9]\+\).*/\1/p' \
		"$SELFTESTS/settings" | tail -n1)
	[[ -n $v ]] && test_timeout=$v
fi
test_timeout=${ALTTCP_VM_TEST_TIMEOUT:-$test_timeout}
[[ $test_timeout =~ ^[0-9]+$ ]] || die "bad per-test timeout '$test_timeout'"
if [[ -z $vm_timeout ]]; then
	vm_timeout=$((test_timeout * (${#tests[@]} + ${#fault_tests[@]}) + 60))
fi

# ---------------------------------------------------------------- kernel

# The host runs a different kernel than the one we boot, so uname -r is
# meaningless: pick the newest installed version that has both modules
# and a bootable image.
find_kver() {
	local d v best=""
	for d in /lib/modules/*/; do
		v=$(basename "$d")
		[[ -f /boot/vmlinuz-$v && -d $d/kernel ]] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n1)
	done
	[[ -n $best ]] || die "no kernel in /lib/modules with a matching /boot/vmlinuz-*"
	echo "$best"
}
# A module only loads into the kernel it was built for: prefer that one
# when it is installed (e.g. right after a kernel update, before a rebuild).
KVER=${ALTTCP_VM_KVER:-}
# Without -m, the build of the chosen (or newest) kernel (`make modules`).
if ((module_set == 0)); then
	[[ -n $KVER ]] || KVER=$(find_kver)
	if [[ -f $REPO/build/kmod/$KVER/kmod/alttcp.ko ]]; then
		module=$REPO/build/kmod/$KVER/kmod/alttcp.ko
	fi
fi
if [[ -n $module ]]; then
	[[ -f $module ]] || die "module '$module' not found"
	module=$(realpath "$module")
	check_path "$module"
fi
if [[ -z $KVER && -n $module ]]; then
	v=$(modinfo -F vermagic "$module" 2>/dev/null | cut -d' ' -f1)
	if [[ -n $v && -f /boot/vmlinuz-$v && -d /lib/modules/$v ]]; then
		KVER=$v
	fi
fi
# A kernel built by scripts/debug-kernel.sh is not installed on the host:
# its image, release and module tree (modules.builtin for modprobe) come
# from its build directory, and the guest mounts that tree.
kernel_dir=${ALTTCP_VM_KERNEL_DIR:-}
moddir=""
if [[ -n $kernel_dir ]]; then
	kernel_dir=$(realpath "$kernel_dir")
	check_path "$kernel_dir"
	[[ -s $kernel_dir/bzImage && -s $kernel_dir/release ]] ||
		die "$kernel_dir holds no built kernel (make debug-kernel)"
	KVER=$(cat "$kernel_dir/release")
	moddir=$kernel_dir/modroot/lib/modules/$KVER
	[[ -d $moddir ]] || die "$moddir missing"
	if [[ -n $module ]]; then
		v=$(modinfo -F vermagic "$module" 2>/dev/null | cut -d' ' -f1)
		[[ $v == "$KVER" ]] || die "module $module is for '$v', not the debug kernel $KVER"
	fi
fi
[[ -n $KVER ]] || KVER=$(find_kver)
((${#fault_tests[@]} == 0)) || [[ -n $kernel_dir ]] ||
	die "ALTTCP_VM_FAULTS needs a debug kernel (ALTTCP_VM_KERNEL_DIR)"
if [[ -z $kernel_dir ]]; then
	[[ -f /boot/vmlinuz-$KVER ]] || die "/boot/vmlinuz-$KVER missing"
	[[ -r /boot/vmlinuz-$KVER ]] || die "/boot/vmlinuz-$KVER not readable"
fi

cache=${ALTTCP_VM_CACHE:-$REPO/build/vm/cache}/$KVER
mkdir -p "$cache"
cache=$(realpath "$cache")

# Cache builds happen under a lock and land by rename, so concurrent runs
# (several engineers share this tree) never see a half-written file.
exec 8>"$cache/.lock"
flock 8

# Debian ships a bzImage whose XZ payload is a PVH-capable ELF vmlinux.
# Booting that directly skips ~5 s of in-guest decompression under TCG.
extract_vmlinux() {
	local img=$1 dst=$2 off magic tool
	for magic in 'xz:\xfd7zXZ\x00' 'gzip:\x1f\x8b\x08' 'zstd:\x28\xb5\x2f\xfd'; do
		tool=${magic%%:*}
		command -v "$tool" >/dev/null || continue
		# shellcheck disable=SC2013  # one byte offset per line, no spaces
		for off in $(LC_ALL=C grep -obUaP "${magic#*:}" "$img" | cut -d: -f1); do
			# --single-stream/-q: the payload is followed by unrelated bytes.
			case $tool in
			xz) tail -c +$((off + 1)) "$img" | xz -dc --single-stream >"$dst.tmp" 2>/dev/null || true ;;
			gzip) tail -c +$((off + 1)) "$img" | gzip -dcq >"$dst.tmp" 2>/dev/null || true ;;
			zstd) tail -c +$((off + 1)) "$img" | zstd -dcq >"$dst.tmp" 2>/dev/null || true ;;
			esac
			if [[ $(head -c4 "$dst.tmp" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; then
				mv "$dst.tmp" "$dst"
				return 0
			fi
		done
	done
	rm -f "$dst.tmp"
	return 1
}

kernel_img=$cache/vmlinux
if [[ -n $kernel_dir ]]; then
	kernel_img=$kernel_dir/bzImage
elif [[ ! -s $kernel_img ]]; then
	note "extracting ELF vmlinux from /boot/vmlinuz-$KVER (once per kernel)"
	if ! extract_vmlinux "/boot/vmlinuz-$KVER" "$kernel_img"; then
		note "no ELF payload found; booting the bzImage (slower)"
		kernel_img=/boot/vmlinuz-$KVER
	fi
fi

# ---------------------------------------------------------------- initramfs

# Only what is needed to reach the 9p root: everything else (veth, netem,
# conntrack, ...) is autoloaded from the real /lib/modules via the chroot.
BOOT_MODULES=(virtio_pci 9pnet_virtio 9p)

modlist() {
	local m
	for m in "${BOOT_MODULES[@]}"; do
		modprobe -S "$KVER" ${moddir:+-d "$kernel_dir/modroot"} --show-depends "$m" ||
			die "modprobe cannot resolve $m for $KVER"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

mods=$(modlist)
# Key the image on its inputs, so an edit to guest-init.sh or a kernel
# update rebuilds it without anyone clearing caches by hand.
initrd_key=$(
	{ cat "$VM_DIR/guest-init.sh"; echo "$mods"; ls -l /usr/bin/busybox 2>/dev/null || ls -l /bin/busybox; } |
		sha256sum | cut -c1-16
)
initrd=$cache/initramfs-$initrd_key.cpio.gz

build_initramfs() {
	local root m name bb
	bb=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
	file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
		die "$bb is not static; install busybox-static"
	root=$(mktemp -d "$cache/initramfs.XXXXXX")
	mkdir -p "$root"/{bin,dev,proc,sys,newroot,out,ro,modules,sbin}
	cp "$bb" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$VM_DIR/guest-init.sh" "$root/init"
	chmod 755 "$root/init"
	# The kernel runs the modprobe helper in the initramfs root; send it into
	# the shared host root, where /lib/modules and the real modprobe live.
	printf '#!/bin/sh\nexec /bin/busybox chroot /newroot /sbin/modprobe "$@"\n' \
		>"$root/sbin/modprobe-chroot"
	chmod 755 "$root/sbin/modprobe-chroot"
	# Decompress here: busybox insmod does not understand every format.
	: >"$root/modules/order"
	while read -r m; do
		[[ -n $m ]] || continue
		name=$(basename "$m")
		case $m in
		*.ko.xz) xz -dc "$m" >"$root/modules/${name%.xz}"; name=${name%.xz} ;;
		*.ko.gz) gzip -dc "$m" >"$root/modules/${name%.gz}"; name=${name%.gz} ;;
		*.ko.zst) zstd -dcq "$m" >"$root/modules/${name%.zst}"; name=${name%.zst} ;;
		*) cp "$m" "$root/modules/" ;;
		esac
		echo "$name" >>"$root/modules/order"
	done <<<"$mods"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$root"
}

if [[ ! -s $initrd ]]; then
	note "building initramfs for $KVER"
	rm -f "$cache"/initramfs-*.cpio.gz
	build_initramfs
fi
flock -u 8

# ---------------------------------------------------------------- outdir

# Results of one run only: wipe what a previous run left, but only in a
# directory this script created (marker file), never in an arbitrary -o.
exec 9>"$outdir/.lock"
if ! flock -n 9; then
	note "another run is using $outdir; waiting (use -o for a separate dir)"
	flock 9
fi
if [[ -z $(find "$outdir" -mindepth 1 -maxdepth 1 ! -name .lock ! -name cache) ]]; then
	touch "$outdir/.alttcp-vm"
fi
if [[ -f $outdir/.alttcp-vm ]]; then
	find "$outdir" -mindepth 1 -maxdepth 1 \
		! -name cache ! -name .lock ! -name .alttcp-vm -exec rm -rf {} +
else
	note "$outdir was not created by run.sh: not wiping it, removing only known files"
	rm -f "$outdir"/{results.tap,status,dmesg.txt,console.log,vm.env}
	for t in "${tests[@]}"; do rm -f "$outdir/${t//\//_}.log"; done
fi

# ---------------------------------------------------------------- guest config

# Sourced by the guest's init (busybox sh) and runner (bash): plain
# assignments only, paths already restricted by check_path.
{
	echo "# generated by $0"
	echo "KVER=$KVER"
	echo "ALTTCP_ROOT=$REPO"
	echo "ALTTCP_OUT=$outdir"
	echo "ALTTCP_MODULE=$module"
	echo "TEST_TIMEOUT=$test_timeout"
	# Init's own watchdog fires before the host's, so a hung guest still
	# leaves dmesg.txt and a blocked-task dump behind.
	echo "GUEST_WATCHDOG=$((vm_timeout > 40 ? vm_timeout - 15 : vm_timeout * 3 / 4))"
	echo "RUNNER=$VM_DIR/guest-runner.sh"
	echo "RMMOD=${ALTTCP_VM_RMMOD:-0}"
	echo "ROOT_CACHE=${ALTTCP_VM_9P_CACHE:-loose}"
	echo "MODDIR=$moddir"
	echo "DEBUG_CHECKS=${kernel_dir:+1}"
	echo "FAULT_TESTS='${fault_tests[*]}'"
	echo "TESTS='${tests[*]}'"
	# Paths that tmpfs mounts in the guest would hide and that must stay
	# visible (a repo in /home, a module in /tmp, ...).
	echo "KEEP='$REPO $VM_DIR${module:+ $(dirname "$module")}'"
	# Test knobs (ALTTCP_TEST_*) pass from the host's environment.
	while IFS='=' read -r name _; do
		[[ $name == ALTTCP_TEST_* ]] && printf 'export %s=%q\n' "$name" "${!name}"
	done < <(env)
} >"$outdir/vm.env"

# ---------------------------------------------------------------- boot

# shellcheck disable=SC2054  # commas are QEMU option syntax
accel=(-accel tcg,thread=multi -cpu max)
if [[ ${ALTTCP_VM_KVM:-0} == 1 ]]; then
	[[ -w /dev/kvm ]] || die "ALTTCP_VM_KVM=1 but /dev/kvm is not usable"
	accel=(-accel kvm -cpu host)
fi

# printk.time makes kernel lines recognisable in the console log, which
# also carries test output. Everything else is from vm-notes: turn any
# kernel warning into an immediate, visible failure.
cmdline="console=ttyS0 printk.time=1 oops=panic panic=-1"
cmdline+=" rdinit=/init mitigations=off"
if [[ -n $kernel_dir ]]; then
	# A sanitizer kernel reports and goes on: the run collects every
	# report and fails at the end, rather than stopping at the first.
	# failslab only fails caches marked by slub_debug's A flag: alttcp's.
	cmdline+=" kmemleak=on slub_debug=A,alttcp*,ALTTCP"
	# Seen once with 5-level paging (TCG's -cpu max has LA57): a KASAN
	# wild-memory-access in handle_edge_irq during cpu_detect, at boot;
	# its taint turns lockdep off for the whole run.
	cmdline+=" no5lvl"
else
	cmdline+=" panic_on_warn=1"
fi
# Keep every slab cache apart so that /proc/slabinfo counts alttcp's own
# objects exactly (the many-connections test compares them to a baseline).
cmdline+=" slab_nomerge"

console=$outdir/console.log
: >"$console"
note "kernel $KVER, ${#tests[@]} test(s), per-test timeout ${test_timeout}s, watchdog ${vm_timeout}s"
note "module: ${module:-none}; output: $outdir"

qemu=(
	qemu-system-x86_64
	"${accel[@]}"
	-nodefaults -no-reboot -nographic
	-m 2G -smp "${ALTTCP_VM_SMP:-2}"
	-kernel "$kernel_img" -initrd "$initrd" -append "$cmdline"
	-serial "file:$console"
	-virtfs "local,path=$guest_root,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$outdir,mount_tag=alttcpout,security_model=none,multidevs=remap"
)

start=$(date +%s.%N)
# No stdin for QEMU, and timeout with --foreground is unnecessary: the
# console goes to a file, so QEMU never touches the terminal.
timeout --kill-after=5 "$vm_timeout" "${qemu[@]}" </dev/null &
qpid=$!
# timeout runs in its own process group, so ^C on the terminal does not
# reach it: forward it (timeout passes TERM on to QEMU), or QEMU would
# keep running until the watchdog.
trap 'kill -TERM "$qpid" 2>/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [[ ${ALTTCP_VM_QUIET:-0} != 1 ]]; then
	# Live view of the serial console; ends by itself when QEMU is gone.
	tail -n +1 -s 0.3 -F --pid="$qpid" "$console" 2>/dev/null | tr -d '\r' &
	tpid=$!
fi
qrc=0
wait "$qpid" || qrc=$?
[[ -n ${tpid:-} ]] && { wait "$tpid" || true; }
end=$(date +%s.%N)
trap - EXIT INT TERM

# ---------------------------------------------------------------- verdict

fail=0
echo
if ((qrc == 124 || qrc == 137)); then
	note "QEMU killed by the ${vm_timeout}s watchdog"
	fail=1
elif ((qrc != 0)); then
	note "QEMU exited with status $qrc"
	fail=1
fi

status=""
if [[ -f $outdir/status ]]; then
	status=$(tr -dc '0-9' <"$outdir/status")
fi
if [[ -z $status ]]; then
	note "no status file: the guest did not finish (timeout, panic or crash)"
	fail=1
elif ((status != 0)); then
	fail=1
fi

# Kernel lines only: the console also carries test output, which may quote
# these words; printk timestamps tell the two apart.
bad_re='BUG:|WARNING:|Oops|general protection|Kernel panic|KASAN|UBSAN|refcount_t:|kmemleak'
bad=""
[[ -n $kernel_dir ]] || bad=$(
	{
		tr -d '\r' <"$console" | grep -aE '\[ *[0-9]+\.[0-9]+\] ' | grep -aE "$bad_re" || true
		if [[ -f $outdir/dmesg.txt ]]; then grep -aE "$bad_re" "$outdir/dmesg.txt" || true; fi
	} | sed -E 's/^.*(\[ *[0-9]+\.[0-9]+\])/\1/' | awk '!seen[$0]++'
)
if [[ -n $bad ]]; then
	note "guest kernel reported problems:"
	while read -r l; do echo "vm:   $l"; done <<<"$bad" >&2
	fail=1
fi

# A debug kernel's reports in full, kmemleak's scans included. KCSAN races
# with no alttcp frame are the kernel's own; they are listed, not failed.
if [[ -n $kernel_dir ]]; then
	reports=$outdir/kernel-reports.txt
	{
		tr -d '\r' <"$console" | grep -aE '^\[ *[0-9]+\.[0-9]+\] ' || true
		# none on a kernel without kmemleak (KCSAN's): with pipefail a
		# failed cat ended run.sh here, silently, with status 1
		for f in "$outdir"/kmemleak-*.txt; do
			[[ ! -f $f ]] || cat "$f"
		done
	} | awk -v kcsan_scope=alttcp -f "$VM_DIR/kernel-reports.awk" >"$reports"
	if grep -q '^---- ' "$reports"; then
		note "debug kernel reports (all in $reports):"
		sed 's/^/vm:   /' "$reports" >&2
		fail=1
	else
		sed 's/^/vm: /' "$reports" >&2
	fi
	for f in "$outdir"/kmemleak-*.txt; do
		[[ -f $f ]] || continue
		note "kmemleak ${f##*/kmemleak-}: $(grep -c '^unreferenced object' "$f") unreferenced object(s)"
	done
fi

passed=0 failed=0 skipped=0
if [[ -f $outdir/results.tap ]]; then
	grep -h '^Bail out!' "$outdir/results.tap" | sed 's/^/vm: /' >&2 || true
	passed=$(grep -cE '^ok [0-9]+ ' "$outdir/results.tap" || true)
	skipped=$(grep -cE '^ok [0-9]+ .*# (SKIP|skip)' "$outdir/results.tap" || true)
	failed=$(grep -cE '^not ok [0-9]+ ' "$outdir/results.tap" || true)
	passed=$((passed - skipped))
fi
# Tests that never reported (crash, hang) count as failed.
missing=$((${#tests[@]} + ${#fault_tests[@]} - passed - skipped - failed))
if ((missing > 0)); then
	note "$missing test(s) did not report a result"
	failed=$((failed + missing))
fi
((failed == 0)) || fail=1

# The console interleaves every test and the kernel log; repeat each
# failed subtest with its diagnostics last, where a CI log's tail shows it.
if ((failed > 0)); then
	for t in "${tests[@]}"; do
		log=$outdir/${t//\//_}.log
		[[ -f $log ]] || continue
		awk -v t="$t" '
			/^not ok / { show = 1; print "vm: " t ": " $0; next }
			show && /^#/ { print "vm: " t ":   " $0; next }
			{ show = 0 }' "$log" >&2
	done
fi

boot=$(sed -n 's/.*ALTTCP-VM-FIRST-TEST uptime=\([0-9.]*\).*/\1/p' "$console" | head -n1)
note "wall time $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')s," \
	"guest boot to first test ${boot:-?}s; logs in $outdir"
echo "vm: $passed passed, $failed failed, $skipped skipped"
exit "$fail"
