#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing rri needs on Debian 12, as root. Safe to
# run again: when every package is present it only says so.
set -eu

packages=(
	# build: module and rrictl
	build-essential kmod libelf-dev linux-headers-amd64 sparse
	libnl-3-dev libnl-genl-3-dev pkg-config
	# kselftest framework and checkpatch come from the kernel source
	linux-source-6.1 xz-utils
	# the debug kernel (make check-debug) is built from that source
	flex bison bc libssl-dev
	# the test VM: Debian's kernel under qemu, a busybox initramfs
	linux-image-amd64 qemu-system-x86 busybox-static cpio file
	# tools the tests drive inside the VM
	iproute2 jq procps util-linux iputils-ping
	# rrictl's man page check
	man-db groff-base
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run 'make deps' as root" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
