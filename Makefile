# SPDX-License-Identifier: GPL-2.0
#
# rri: kernel module (kmod/), CLI (tools/rrictl/), selftests run in a VM.
#
#   make            build kmod/rri.ko, tools/rrictl/rrictl and
#                   tools/rri-syncd/rri-syncd
#   make demo       set up, boot the test VM and show rri at work
#   make check      set up, build and run every selftest in the VM
#   make check-kernel what check-debug and the daemon scenarios leave out
#                   (CI's run on 6.1)
#   make install    install the module, rrictl and its man page
#   make check-debug the selftests on a debug kernel (KASAN, lockdep,
#                   kmemleak) built once from Debian's kernel source
#
# KVER/KDIR pick the kernel to build against and to test on (default: the
# newest installed Debian kernel that has image, modules and headers), e.g.
# make check KVER=6.1.0-56-amd64; W=1 and C=1 reach the module build as usual.

KVER ?= $(shell selftests/vm/kernel-image --version 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
# The test VM boots the kernel the module is built for.
export RRI_KVER := $(KVER)
KSRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
BUILD := $(CURDIR)/build
KSFT := $(BUILD)/linux/tools/testing/selftests
VM := selftests/vm/run
# Tests check-debug runs: the ones that drive module load and unload and
# namespace teardown (rri_load), the address notifiers and HA groups
# (rri_group),
# stateful failover (rri_sync: the takeover hold in the worker, the sync
# state that a daemon's closing socket ends, the dump of a group's SAs),
# preferred peers' idle tick (rri_peer_idle, which runs only here: its
# minutes of idling once are enough), allocation failures (rri_fault) and
# the netlink surface's rejections (rri_genl_malformed). The debug kernel
# runs several times slower than Debian's (3 to 4 times on CI's machine):
# the others check semantics, scale, churn and daemons over the same
# kernel paths and run on Debian's kernels, to keep CI within its time.
# DEBUG_TESTS= (empty) runs everything.
DEBUG_TESTS ?= rri_load.sh rri_genl_malformed.sh rri_group.sh rri_sync.sh \
	rri_fault.sh rri_peer_idle.sh

all: module rrictl rri-syncd

module:
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)': run 'make deps'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

rrictl:
	$(MAKE) -C tools/rrictl

rri-syncd:
	$(MAKE) -C tools/rri-syncd

deps:
	scripts/deps.sh

# The kselftest framework and checkpatch, from Debian's linux-source package;
# only these few files are unpacked, into build/.
$(KSFT)/lib.mk:
	@test -f $(KSRC_TAR) || { echo "$(KSRC_TAR) missing: run 'make deps'" >&2; exit 1; }
	mkdir -p $(BUILD)/linux
	tar -xJf $(KSRC_TAR) -C $(BUILD)/linux --strip-components=1 \
		linux-source-6.1/tools/testing/selftests/lib.mk \
		linux-source-6.1/tools/testing/selftests/kselftest.h \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	touch $@

# The benchmark's timing helper: bench/bench.sh builds it with this, and
# so does make check, whose rri_bench runs the benchmark's rows small.
bench-helper:
	@mkdir -p $(BUILD)/bench
	$(CC) -O2 -Wall -Wextra -o $(BUILD)/bench/rri-bench bench/rri-bench.c

selftests: $(KSFT)/lib.mk
	$(MAKE) -C selftests KSFT=$(KSFT) OUTPUT=$(CURDIR)/selftests

# The DKMS build and the install run on the host, the rest in the VM; all
# always run. TESTS= runs only those selftests.
check: deps
	$(MAKE) all selftests bench-helper
	rc=0; selftests/host_dkms.sh || rc=1; selftests/host_install.sh || rc=1; \
	$(VM) -- selftests/run_tests.sh $(TESTS) || rc=1; exit $$rc

# CI's run on Debian's other kernel, 6.1 (make check runs the newest, and
# check-debug's kernel is a 6.1 too): what differs between the kernels
# (kmod/compat.h: the dumps' attributes, the event group's CAP_NET_ADMIN;
# rri_perm, rri_monitor) and a pass over the paths every feature takes:
# routes and the FIB check, the event queue, churn against the invariant,
# IKE with strongSwan, and stateful failover's channel and SA copies.
KERNEL_TESTS := rri_perm.sh rri_monitor.sh rri_route_basic.sh rri_route_fib.sh \
	rri_events.sh rri_stress.sh rri_ike_strongswan.sh rri_sync_channel.sh
check-kernel:
	$(MAKE) check TESTS="$(KERNEL_TESTS)"

demo: deps
	$(MAKE) all
	$(VM) -t 300 -- scripts/demo.sh

# The debug kernel (KASAN, lockdep, kmemleak, ...): built once per machine
# into $(RRI_CACHE), about 10 minutes; the module is rebuilt against it.
debug-kernel: deps
	@scripts/debug-kernel.sh >/dev/null

# The module is built for the debug kernel in a copy of the sources, so
# kmod/rri.ko stays the one for Debian's kernel.
DEBUG_MOD := $(BUILD)/debug-module
# slub_debug of the debug kernel: rri's caches and socket buffers get the
# usual checks and may be made to fail (rri_fault.sh). The other caches
# are left to KASAN, which checks what slub_debug would (use after free,
# overruns, double frees) at the access itself; slub_debug on all of them
# as well made the suite 40% slower (rri_events 235 s -> 170 s without).
DEBUG_SLUB := FZPUa,rri_*,skbuff_head_cache
check-debug: debug-kernel
	$(MAKE) rrictl rri-syncd selftests
	rm -rf $(DEBUG_MOD) && mkdir -p $(DEBUG_MOD)
	cp -r Kbuild kmod include $(DEBUG_MOD)/
	$(MAKE) -C $$(scripts/debug-kernel.sh) M=$(DEBUG_MOD) modules
	$(VM) -t 3600 -s '$(DEBUG_SLUB)' -k $$(scripts/debug-kernel.sh)/arch/x86/boot/bzImage -- \
		env RRI_KO=$(DEBUG_MOD)/kmod/rri.ko RRI_TIMEOUT=1200 \
		selftests/run_tests.sh $(DEBUG_TESTS)

# The benchmark (bench/, not part of check): one VM run with slub_debug
# off, a table of ratios on stdout and in build/bench.txt.
bench: deps
	$(MAKE) all
	bench/bench.sh

checkpatch: $(KSFT)/lib.mk
	$(BUILD)/linux/scripts/checkpatch.pl --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
		-f $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h include/uapi/linux/rri.h

# Where make install puts rrictl, the systemd units and the completion; the
# units are found by systemd under /usr/local/lib as under /usr/lib.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install: all install-tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)

# Everything but the module (which DKMS may provide instead).
install-tools: rrictl rri-syncd
	$(MAKE) -C tools/rrictl install PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	$(MAKE) -C tools/rri-syncd install PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	install -D -m 0644 etc/rt_protos.d-rri.conf $(DESTDIR)/etc/iproute2/rt_protos.d/rri.conf
	install -d $(DESTDIR)/etc/rri $(BUILD)
	for u in rri.service rri@.service rri-agent.service rri-agent@.service \
		 rri-syncd.service rri-syncd@.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' etc/$$u > $(BUILD)/$$u && \
		install -D -m 0644 $(BUILD)/$$u $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -D -m 0644 etc/rrictl.bash-completion $(DESTDIR)$(COMPLETIONDIR)/rrictl

# DKMS: the module's sources under /usr/src/rri-VERSION, built and installed
# by dkms for every kernel that has its headers, and again for each new one.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC ?= $(DESTDIR)/usr/src/rri-$(DKMS_VERSION)
# Kernels with headers installed, which dkms can build for.
DKMS_KERNELS ?= $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build)))

dkms-source:
	@grep -q '"$(DKMS_VERSION)"' kmod/version.h || \
		{ echo "dkms.conf has version $(DKMS_VERSION), kmod/version.h another" >&2; exit 1; }
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/kmod $(DKMS_SRC)/include/uapi/linux
	install -m 0644 dkms.conf Kbuild $(DKMS_SRC)/
	install -m 0644 kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h \
		$(DKMS_SRC)/kmod/
	install -m 0644 include/uapi/linux/rri.h $(DKMS_SRC)/include/uapi/linux/

dkms-install: dkms-source install-tools
	dkms status -m rri -v $(DKMS_VERSION) | grep -q . || dkms add -m rri -v $(DKMS_VERSION)
	for k in $(DKMS_KERNELS); do \
		dkms install --force -m rri -v $(DKMS_VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	-dkms remove -m rri -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/rrictl clean
	$(MAKE) -C tools/rri-syncd clean
	$(MAKE) -C selftests clean KSFT=$(KSFT) OUTPUT=$(CURDIR)/selftests 2>/dev/null || true
	rm -rf $(BUILD)

.PHONY: all module rrictl rri-syncd deps selftests check check-kernel demo debug-kernel check-debug bench-helper \
	bench checkpatch install install-tools dkms-source dkms-install \
	dkms-uninstall clean
