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
	# the test VM: Debian's kernels under qemu, a busybox initramfs. rri is
	# built and tested for 6.1 and for 6.12 (from bookworm-security).
	linux-image-amd64 linux-image-6.12.107+deb12-amd64
	linux-headers-6.12.107+deb12-amd64
	qemu-system-x86 busybox-static cpio file
	# make dkms-install and its test
	dkms
	# tools the tests drive inside the VM
	iproute2 jq procps util-linux iputils-ping
	# rrictl's man page check, and its bash completion's test
	man-db groff-base bash-completion
	# the IKE, routing and VRRP daemons of the end-to-end tests and the demo
	strongswan-charon strongswan-swanctl bird2 frr keepalived tcpdump
	# strongSwan's HA plugin (libstrongswan-ha.so), for stateful failover
	libcharon-extra-plugins
	# libreswan's libraries (libreswan itself conflicts with strongSwan's
	# packages: it is unpacked into the cache below, not installed)
	libnss3 libnss3-tools libunbound8 libldns3 libevent-core-2.1-7
	libevent-pthreads-2.1-7 libcurl3-nss libcap-ng0 libaudit1 libpam0g
	dns-root-data
)

# libreswan's binaries, unpacked from Debian's package (bookworm has 4.10)
# into the cache; selftests find them through RRI_LIBRESWAN, default below.
libreswan_dir=${RRI_CACHE:-/var/cache/rri}/libreswan-4.10

libreswan_unpack() {
	local tmp
	[ -x "$libreswan_dir/usr/libexec/ipsec/pluto" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: libreswan not unpacked in $libreswan_dir; run 'make deps' as root" >&2
		return 1
	fi
	echo "deps: unpacking libreswan into $libreswan_dir"
	tmp=$(mktemp -d)
	chmod 755 "$tmp"	# apt's _apt user downloads into it
	(cd "$tmp" && apt-get download -q libreswan) || {
		apt-get update -q
		(cd "$tmp" && apt-get download -q libreswan)
	} || { rm -rf "$tmp"; return 1; }
	mkdir -p "$libreswan_dir"
	dpkg -x "$tmp"/libreswan_*.deb "$libreswan_dir"
	rm -rf "$tmp"
}

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages present"
	libreswan_unpack
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run 'make deps' as root" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The daemons run only inside the test VM: do not let their packages start
# services on this machine (unless a policy is already in place).
rc_d=/usr/sbin/policy-rc.d
if [ ! -e "$rc_d" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$rc_d"
	chmod 755 "$rc_d"
	trap 'rm -f "$rc_d"' EXIT
fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
libreswan_unpack
