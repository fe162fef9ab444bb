# SPDX-License-Identifier: GPL-2.0
#
# alttcp: the one entry point.  `make run` and `make check` are the two
# commands a fresh Debian 12 machine needs (see README.md).
#
# Everything that depends on which kernels are installed is worked out when
# it is used, not when make reads this file: `make check` installs kernels
# (deps) and only then builds for them, in a second make.

# The kernels the module is for are Debian's installed ones, not the host's
# running kernel (which cannot load modules here).  KVERS: all of them;
# KVER: the newest, for `make run` and `make selftest`.
KVERS ?= $(shell scripts/kver.sh --all 2>/dev/null)
KVER  ?= $(lastword $(sort $(KVERS)))
JOBS  ?= $(shell nproc)

# The release, written once: the newest entry of debian/changelog.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)

CTL_BUILD  := ctl/build
CORE_TESTS := kmod/core/tests
CORE_BUILD := $(CORE_TESTS)/build
KMOD_BUILD := build/kmod
VM_OUT     ?= build/vm

# A kernel's module tree and its built module.
kmod_tree = $(KMOD_BUILD)/$(1)
kmod_ko   = $(KMOD_BUILD)/$(1)/kmod/alttcp.ko
kbuild_in = $(MAKE) -C $(2) M=$(CURDIR)/$(KMOD_BUILD)/$(1)/kmod \
	    ALTTCP_VERSION=$(VERSION) W=1 CONFIG_DEBUG_INFO_BTF_MODULES=
kbuild    = $(call kbuild_in,$(1),/lib/modules/$(1)/build)

# Sanitizer kernels built from linux-source-6.1 (scripts/debug-kernel.sh):
# FLAVOUR is one of selftests/debug/*.config but common.
FLAVOUR    ?= kasan
DEBUG_KDIR := build/debug-kernel/$(FLAVOUR)
DEBUG_TREE := debug-$(FLAVOUR)
# The tests run a second time with alttcp's allocations failing (FAULTS=1).
FAULT_TESTS := interop.sh,many.sh

.PHONY: all deps module modules ctl core-tests selftests-tools check check-unit \
	check-vm check-packages selftest run run-built sparse checkpatch bench-core clean help need-kernel \
	deb install uninstall sysctl-example install-kmod-dkms install-kmod-ko \
	deps-debug debug-kernel modules-debug check-debug check-debug-built

all: modules ctl core-tests selftests-tools

help:
	@echo "make deps        install every Debian package the project needs"
	@echo "make             build alttcp.ko (every kernel), alttcpctl, the unit tests"
	@echo "make run         build, boot the VM, load the module, show it working"
	@echo "make check       every test: unit (ctest) and VM selftests on every kernel"
	@echo "make check-unit  unit tests only"
	@echo "make check-vm    VM selftests only, on every kernel (KVERS=... to choose)"
	@echo "make check-packages  the .debs in a fresh root, DKMS's module booted on every kernel"
	@echo "make selftest T=config.sh   one named VM selftest (newest kernel, or KVER=...)"
	@echo "make check-debug every VM selftest on a sanitizer kernel (FLAVOUR=kasan|kcsan,"
	@echo "                 FAULTS=1 adds a pass with alttcp's allocations failing)"
	@echo "make debug-kernel  build that kernel only (build/debug-kernel/FLAVOUR)"
	@echo "make sparse      build the module under sparse (C=2)"
	@echo "make checkpatch  the kernel's checkpatch.pl over kmod/ (needs linux-source)"
	@echo "make bench-core  the protocol core's benchmark"
	@echo "make fuzz        libFuzzer on the core, FUZZ_SECONDS=60 per target, FUZZ_JOBS=1"
	@echo "make fuzz-smoke  every fuzz target for a few seconds (in check-unit)"
	@echo "make fuzz-cov    line coverage of kmod/core/*.c by the fuzz corpora"
	@echo "make deb         build/deb/: alttcp-dkms and alttcpctl .debs, lintian-checked"
	@echo "make install     (root) tool, library, header, man page, completion, sysctl.d"
	@echo "                 example, modprobe.d rule and the module (DKMS if present);"
	@echo "                 DESTDIR=, PREFIX=/usr, KMOD_INSTALL=dkms|ko"
	@echo "make uninstall   (root) remove all that again"
	@echo "installed kernels: $(KVERS)"

deps:
	@scripts/deps.sh

need-kernel:
	@test -n "$(strip $(KVERS))" || \
		{ echo "Error: no installed kernel with headers; run 'make deps'" >&2; exit 1; }

module modules: need-kernel
	@set -e; for k in $(KVERS); do \
		test -e /lib/modules/$$k/build/Makefile || \
			{ echo "Error: no headers for kernel $$k" >&2; exit 1; }; \
		scripts/stage-kmod.sh $(call kmod_tree,$$k); \
		echo "  MODULE  $$k"; \
		$(call kbuild,$$k) modules; \
	done

sparse: need-kernel
	scripts/stage-kmod.sh $(call kmod_tree,$(KVER))
	$(call kbuild,$(KVER)) C=2 modules

checkpatch:
	scripts/checkpatch.sh

selftests-tools:
	$(MAKE) -C selftests

ctl:
	cmake -S ctl -B $(CTL_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(CTL_BUILD) -j$(JOBS)

core-tests:
	@if [ -f $(CORE_TESTS)/CMakeLists.txt ]; then \
		cmake -S $(CORE_TESTS) -B $(CORE_BUILD) && \
		cmake --build $(CORE_BUILD) -j$(JOBS); \
	fi

bench-core:
	cmake -S kmod/core/bench -B kmod/core/bench/build -DCMAKE_BUILD_TYPE=Release
	cmake --build kmod/core/bench/build -j$(JOBS)
	kmod/core/bench/build/core_bench

# --- Fuzzing the protocol core (libFuzzer; kmod/core/fuzz/run.sh) -----------
#
# fuzz:       every target FUZZ_SECONDS (per target) with FUZZ_JOBS jobs, the
#             committed seeds copied to build/fuzz/corpus/; fails on any
#             crash, leak or timeout (inputs in build/fuzz/artifacts/)
# fuzz-smoke: every target for a few seconds (part of check-unit)
# fuzz-cov:   the corpora replayed in a coverage build: line coverage of
#             kmod/core/*.c (build/fuzz/cov/)
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FUZZ_ENV      = FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_OUT=build/fuzz

.PHONY: fuzz fuzz-smoke fuzz-cov

fuzz:
	$(FUZZ_ENV) FUZZ_SECONDS=$(FUZZ_SECONDS) kmod/core/fuzz/run.sh fuzz

fuzz-smoke:
	$(FUZZ_ENV) FUZZ_SECONDS=4 kmod/core/fuzz/run.sh smoke

fuzz-cov:
	$(FUZZ_ENV) kmod/core/fuzz/run.sh cov

check: deps
	$(MAKE) all
	$(MAKE) check-unit
	$(MAKE) check-vm
	$(MAKE) check-packages

check-unit:
	ctest --test-dir $(CTL_BUILD) --output-on-failure
	@if [ -f $(CORE_BUILD)/CTestTestfile.cmake ]; then \
		ctest --test-dir $(CORE_BUILD) --output-on-failure -j$(JOBS); \
	fi
	$(MAKE) --no-print-directory fuzz-smoke
	selftests/vm/kernel-reports-test.sh

check-vm: modules ctl selftests-tools
	selftests/vm/run-kernels.sh -o $(VM_OUT) $(foreach k,$(KVERS),$(k)=$(call kmod_ko,$(k)))

# The .debs as a user installs them: into a fresh root, DKMS building the
# module for each kernel, each kernel booted on that root.
check-packages: need-kernel deb selftests-tools
	selftests/vm/packages.sh -o $(VM_OUT)/packages $(DEB_OUT) $(KVERS)

# --- Sanitizer kernels: make check-debug ------------------------------------
# Not part of `make check` (a kernel build, and a slower suite): every change
# to kmod/*.c runs it before it lands.

deps-debug:
	@scripts/deps.sh --debug

debug-kernel:
	scripts/debug-kernel.sh $(FLAVOUR)

modules-debug: debug-kernel
	scripts/stage-kmod.sh $(call kmod_tree,$(DEBUG_TREE))
	$(call kbuild_in,$(DEBUG_TREE),$(CURDIR)/$(DEBUG_KDIR)/obj) modules

check-debug: deps-debug
	$(MAKE) check-debug-built

# KASAN+lockdep under TCG ran sysctl.sh 7 times and many.sh's setup 26
# times slower than the stock kernel, packetdrill.sh 5-8 times (1,665 s for
# its 46 scripts, the CPU shared): the per-test timeout is 2400 s and
# the harness's waits for work to end (ALTTCP_TEST_WAIT_SCALE,
# selftests/lib.sh) quadrupled; the tests' timing tolerances are unchanged
# but packetdrill.sh's, which Linux TCP's runs of the same scripts share.
# Two scale tests run smaller, their code paths the same: observe_scale.sh
# dumps 10,000 rows instead of 100,000 (in its 150 s, KASAN set up 3,541 of
# 100,000 alttcp ends and 18,712 of Linux TCP's), and many.sh opens 2,000
# connections instead of 10,000 (their retransmission and TIME_WAIT timers,
# all due at once, kept the timer softirq of both CPUs spinning on the
# namespace's lock for 23-37 s, past the soft-lockup watchdog's 20 s).
check-debug-built: modules-debug ctl selftests-tools
	ALTTCP_VM_KERNEL_DIR=$(DEBUG_KDIR) ALTTCP_VM_RMMOD=1 ALTTCP_VM_TEST_TIMEOUT=2400 \
	ALTTCP_TEST_WAIT_SCALE=4 ALTTCP_TEST_SCALE_ROWS=10000 ALTTCP_TEST_MANY_CONNS=2000 \
	ALTTCP_VM_FAULTS=$(if $(filter 1,$(FAULTS)),$(FAULT_TESTS)) \
		selftests/vm/run.sh -m $(call kmod_ko,$(DEBUG_TREE)) \
		-o $(VM_OUT)/$(DEBUG_TREE)$(if $(filter 1,$(FAULTS)),-faults) $(T)

selftest: need-kernel ctl selftests-tools
	@test -n "$(T)" || { echo "Error: name the test: make selftest T=config.sh" >&2; exit 1; }
	$(MAKE) modules KVERS=$(KVER)
	ALTTCP_VM_KVER=$(KVER) selftests/vm/run.sh -m $(call kmod_ko,$(KVER)) \
		-o $(VM_OUT)/$(KVER) $(T)

run: deps
	$(MAKE) run-built

run-built: need-kernel ctl selftests-tools
	$(MAKE) modules KVERS=$(KVER)
	ALTTCP_VM_KVER=$(KVER) selftests/vm/run.sh -m $(call kmod_ko,$(KVER)) -o build/run demo.sh

clean:
	-$(MAKE) -C selftests clean
	rm -rf build $(CTL_BUILD) $(CORE_BUILD) kmod/core/bench/build

# --- Installing: make deb, make install, make uninstall ---------------------

PREFIX  ?= /usr
# sysctl.d(5) and modprobe.d(5) are read from /etc whatever PREFIX is, and
# DKMS sources from /usr/src, modules from /lib/modules.
SYSCONFDIR ?= /etc
# The module goes in through DKMS when there is one (it rebuilds it for each
# new kernel), else as the .ko built here for each installed kernel.
KMOD_INSTALL ?= $(if $(shell command -v dkms),dkms,ko)
DKMS_SRC := $(DESTDIR)/usr/src/alttcp-$(VERSION)

PKG_BUILD      := build/pkg
SYSCTL_EXAMPLE := $(PKG_BUILD)/60-alttcp.conf
DEB_OUT        := build/deb
# The package build needs no unit tests (`make check-unit` runs them), and
# no -dbgsym package: the two packages are the product.
DEB_BUILD_OPTIONS ?= nocheck noautodbgsym

# Generated from AT_PARAMS, so that it lists every sysctl with the module's
# own default (debian/rules uses this rule too).
sysctl-example: $(SYSCTL_EXAMPLE)

$(SYSCTL_EXAMPLE): packaging/gen-sysctl-conf.c kmod/core/params.h
	@mkdir -p $(PKG_BUILD)
	$(CC) -Wall -Wextra -Werror -Ikmod/core -o $(PKG_BUILD)/gen-sysctl-conf $<
	$(PKG_BUILD)/gen-sysctl-conf > $@.tmp && mv $@.tmp $@

# Built from a copy of the source tree (scripts/copy-source.sh: what git
# sees, or all but .gitignore's patterns in a tree without .git), so the
# packages hold what is here and no stale build directory leaks into them.
deb:
	rm -rf $(DEB_OUT)
	scripts/copy-source.sh $(CURDIR)/$(DEB_OUT)/src
	cd $(DEB_OUT)/src && DEB_BUILD_OPTIONS="$(DEB_BUILD_OPTIONS)" dpkg-buildpackage -us -uc -b -j$(JOBS)
	rm -rf $(DEB_OUT)/src
	lintian --fail-on error,warning $(DEB_OUT)/*.changes
	@ls -l $(DEB_OUT)/*.deb

# Only what is installed is built: the unit tests are `make check-unit`'s.
install: sysctl-example
	@command -v rst2man >/dev/null || \
		{ echo "Error: the man page needs rst2man: install python3-docutils" >&2; exit 1; }
	cmake -S ctl -B $(CTL_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(CTL_BUILD) -j$(JOBS) --target alttcpctl alttcp_preload man
	DESTDIR="$(DESTDIR)" cmake --install $(CTL_BUILD) --prefix $(PREFIX)
	install -D -m 644 include/uapi/linux/alttcp.h $(DESTDIR)$(PREFIX)/include/linux/alttcp.h
	install -D -m 644 packaging/modprobe.d/alttcp.conf $(DESTDIR)$(SYSCONFDIR)/modprobe.d/alttcp.conf
	@# A reinstall must not undo the administrator's settings.
	@f=$(DESTDIR)$(SYSCONFDIR)/sysctl.d/60-alttcp.conf; \
	if [ -e $$f ] && ! cmp -s $(SYSCTL_EXAMPLE) $$f; then \
		echo "  KEEP    $$f (edited)"; \
	else \
		echo "install -D -m 644 $(SYSCTL_EXAMPLE) $$f"; \
		install -D -m 644 $(SYSCTL_EXAMPLE) $$f; \
	fi
	@$(MAKE) --no-print-directory install-kmod-$(KMOD_INSTALL)

# DKMS builds from its own copy under /usr/src.  Into a DESTDIR the source is
# only staged: registering it is for the machine it ends up on.
install-kmod-dkms:
	@set -e; if [ -z "$(DESTDIR)" ]; then \
		test -n "$(strip $(KVERS))" || { echo "Error: no kernel headers" >&2; exit 1; }; \
		if [ -n "$$(dkms status -m alttcp -v $(VERSION))" ]; then \
			echo "dkms remove alttcp/$(VERSION) --all"; \
			dkms remove alttcp/$(VERSION) --all; \
		fi; \
	fi
	rm -rf $(DKMS_SRC)
	scripts/stage-kmod.sh --copy $(DKMS_SRC)
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DKMS_SRC)/dkms.conf
	@set -e; if [ -z "$(DESTDIR)" ]; then \
		echo "dkms add alttcp/$(VERSION)"; dkms add alttcp/$(VERSION); \
		for k in $(KVERS); do \
			echo "dkms install alttcp/$(VERSION) -k $$k"; \
			dkms install alttcp/$(VERSION) -k $$k || { rc=$$?; \
				[ $$rc -eq 77 ] || exit $$rc; echo "  (too old: skipped)"; }; \
		done; \
	else \
		echo "  DKMS    source staged in $(DKMS_SRC); not registered (DESTDIR)"; \
	fi

install-kmod-ko: modules
	@set -e; for k in $(KVERS); do \
		d=$(DESTDIR)/lib/modules/$$k/updates; \
		echo "  INSTALL $$d/alttcp.ko"; \
		install -D -m 644 $(call kmod_ko,$$k) $$d/alttcp.ko; \
		strip --strip-debug $$d/alttcp.ko; \
		if [ -z "$(DESTDIR)" ]; then depmod $$k; fi; \
	done

# Whichever way the module went in, both are undone.
uninstall:
	@set -e; if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null && \
		[ -n "$$(dkms status -m alttcp -v $(VERSION))" ]; then \
		echo "dkms remove alttcp/$(VERSION) --all"; \
		dkms remove alttcp/$(VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)
	@set -e; for d in $(DESTDIR)/lib/modules/*/updates; do \
		[ -e $$d/alttcp.ko ] || continue; \
		echo "rm -f $$d/alttcp.ko"; rm -f $$d/alttcp.ko; \
		rmdir --ignore-fail-on-non-empty $$d; \
		if [ -z "$(DESTDIR)" ]; then depmod $$(basename $$(dirname $$d)); fi; \
	done
	rm -f $(DESTDIR)$(PREFIX)/sbin/alttcpctl \
		$(DESTDIR)$(PREFIX)/lib/alttcp/libalttcp_preload.so \
		$(DESTDIR)$(PREFIX)/include/linux/alttcp.h \
		$(DESTDIR)$(PREFIX)/share/man/man8/alttcpctl.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/alttcpctl \
		$(DESTDIR)$(SYSCONFDIR)/sysctl.d/60-alttcp.conf \
		$(DESTDIR)$(SYSCONFDIR)/modprobe.d/alttcp.conf
	@if [ -d $(DESTDIR)$(PREFIX)/lib/alttcp ]; then rmdir $(DESTDIR)$(PREFIX)/lib/alttcp; fi
