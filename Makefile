# SPDX-License-Identifier: GPL-2.0
#
# alttcp: the one entry point.  `make run` and `make check` are the two
# commands a fresh Debian 12 machine needs (see README.md).

# The kernel the module is for is Debian's installed linux-image-amd64, not
# the host's running kernel (which cannot load modules here).
KVER ?= $(shell scripts/kver.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
JOBS ?= $(shell nproc)

CTL_BUILD  := ctl/build
CORE_TESTS := kmod/core/tests
CORE_BUILD := $(CORE_TESTS)/build
VM_OUT     ?= build/vm

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR)/kmod W=1 CONFIG_DEBUG_INFO_BTF_MODULES=

.PHONY: all deps module ctl core-tests selftests-tools check check-unit check-vm selftest \
	run sparse checkpatch bench-core clean help

all: module ctl core-tests selftests-tools

help:
	@echo "make deps        install every Debian package the project needs"
	@echo "make             build alttcp.ko, alttcpctl and the unit tests"
	@echo "make run         build, boot the VM, load the module, show it working"
	@echo "make check       every test: unit (ctest) and VM selftests"
	@echo "make check-unit  unit tests only"
	@echo "make check-vm    VM selftests only"
	@echo "make selftest T=config.sh   one named VM selftest"
	@echo "make sparse      build the module under sparse (C=2)"
	@echo "make checkpatch  the kernel's checkpatch.pl over kmod/ (needs linux-source)"
	@echo "make bench-core  the protocol core's benchmark"

deps:
	@scripts/deps.sh

module:
	@test -n "$(KVER)" || { echo "Error: no installed kernel found; run 'make deps'" >&2; exit 1; }
	$(MAKE) $(KBUILD_ARGS) modules

sparse:
	$(MAKE) $(KBUILD_ARGS) C=2 modules

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

check: deps all
	$(MAKE) check-unit
	$(MAKE) check-vm

check-unit:
	ctest --test-dir $(CTL_BUILD) --output-on-failure
	@if [ -f $(CORE_BUILD)/CTestTestfile.cmake ]; then \
		ctest --test-dir $(CORE_BUILD) --output-on-failure -j$(JOBS); \
	fi

check-vm: module ctl selftests-tools
	selftests/vm/run.sh -m kmod/alttcp.ko -o $(VM_OUT)

selftest: module ctl selftests-tools
	@test -n "$(T)" || { echo "Error: name the test: make selftest T=config.sh" >&2; exit 1; }
	selftests/vm/run.sh -m kmod/alttcp.ko -o $(VM_OUT) $(T)

run: deps module ctl selftests-tools
	selftests/vm/run.sh -m kmod/alttcp.ko -o build/run demo.sh

clean:
	-$(MAKE) $(KBUILD_ARGS) clean 2>/dev/null
	-$(MAKE) -C selftests clean
	rm -rf build $(CTL_BUILD) $(CORE_BUILD) kmod/core/bench/build
