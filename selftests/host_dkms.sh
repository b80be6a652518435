#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's part on the host (building needs no VM): Debian's dkms
# builds and installs rri from the sources make dkms-source stages, for the
# kernel under test ($RRI_KVER), in trees of its own under /tmp so the
# system's DKMS state is not touched. The installed module must be for
# that kernel, of the tree's version and built from the same sources as
# the tree's kmod/rri.ko (same srcversion); dkms remove takes it away.
# Prints TAP and a count line, as selftests/run_tests.sh does.
source "$(dirname "$0")/lib_host.sh"

top=$host_top
kver=${RRI_KVER:-$("$top/selftests/vm/kernel-image" --version)}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
tmp=$(mktemp -d /tmp/rri-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# dkms ACTION [ARG]...: dkms on the test's own trees, output to the log.
dkms_t() {
	local action=$1
	shift
	(cd "$tmp" && dkms "$action" -m rri -v "$ver" --sourcetree "$tmp/src" \
		--dkmstree "$tmp/dkms" --installtree "$tmp/modules" "$@") >> "$tmp/log" 2>&1
}

host_begin "dkms build and install of rri $ver for $kver"

if ! command -v dkms >/dev/null; then
	bad "dkms is not installed (make deps)"
elif ! make -s -C "$top" dkms-source DKMS_SRC="$tmp/src/rri-$ver" >> "$tmp/log" 2>&1; then
	bad "make dkms-source"
else
	ok "make dkms-source staged the sources"
	mkdir -p "$tmp/dkms" "$tmp/modules/$kver"
	if dkms_t add && dkms_t build -k "$kver" && dkms_t install -k "$kver"; then
		ok "dkms add, build, install for $kver"
	else
		bad "dkms add, build, install for $kver"
		sed 's/^/#     /' "$tmp/log" | tail -20
	fi
	ko=$(find "$tmp/modules/$kver" -name 'rri.ko*' | head -n 1)
	check_eq "installed where DKMS installs updates" \
		"$tmp/modules/$kver/updates/dkms" "$(dirname "${ko:-/none/x}")"
	if [ -n "$ko" ]; then
		check_eq "built for $kver" "$kver" "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)"
		check_eq "of version $ver" "$ver" "$(modinfo -F version "$ko")"
		if [ -f "$top/kmod/rri.ko" ]; then
			check_eq "from the tree's sources (srcversion of kmod/rri.ko)" \
				"$(modinfo -F srcversion "$top/kmod/rri.ko")" "$(modinfo -F srcversion "$ko")"
		fi
	fi
	dkms_t remove -k "$kver" || bad "dkms remove"
	check_eq "dkms remove takes it away" "" "$(find "$tmp/modules/$kver" -name 'rri.ko*')"
fi

host_end
