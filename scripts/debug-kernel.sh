#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once per machine) a debug kernel from Debian's linux-source-6.1:
# defconfig + kvm_guest.config + selftests/config + selftests/config.debug
# (KASAN, lockdep, kmemleak, debug objects, refcount trackers), everything
# the suite needs built in. The tree is cached outside the repository,
# keyed by the source package version and the config fragments, and kept
# whole because rri.ko is built against it.
#
#   scripts/debug-kernel.sh          build if needed; print the tree's path
#
# $RRI_CACHE sets the cache directory (default /var/cache/rri).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tar=/usr/src/linux-source-6.1.tar.xz
cache=${RRI_CACHE:-/var/cache/rri}

[ -f "$tar" ] || { echo "debug-kernel: $tar missing; run 'make deps'" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( { echo "$srcver"; sed 's/=m$/=y/' "$top/selftests/config"; cat "$top/selftests/config.debug"; } |
	sha256sum | cut -c1-12)
tree=$cache/debug-kernel-$key

if [ -f "$tree/.rri-built" ]; then
	echo "$tree"
	exit 0
fi

log=$cache/debug-kernel-$key.log
mkdir -p "$cache"
echo "debug-kernel: building $srcver into $tree (log: $log); about 10 min on 2 cores" >&2
rm -rf "$tree"
mkdir -p "$tree"
tar -xJf "$tar" -C "$tree" --strip-components=1

{
	cd "$tree"
	make defconfig kvm_guest.config
	sed 's/=m$/=y/' "$top/selftests/config" > .rri-config
	cat "$top/selftests/config.debug" >> .rri-config
	scripts/kconfig/merge_config.sh -m .config .rri-config
	make olddefconfig
	# A fragment option kconfig dropped means the build would not test
	# what it claims to.
	missing=0
	while IFS= read -r line; do
		case $line in CONFIG_*=y) ;; *) continue ;; esac
		grep -qx "$line" .config || { echo "debug-kernel: $line did not stick"; missing=1; }
	done < .rri-config
	[ "$missing" = 0 ]
} > "$log" 2>&1 || { echo "debug-kernel: configuration failed, see $log" >&2; tail -5 "$log" >&2; exit 1; }

start=$(date +%s)
(
	cd "$tree"
	make -j"$(nproc)" bzImage modules_prepare > "$log.build" 2>&1 &
	pid=$!
	# A line a minute so a long build is visibly alive.
	while kill -0 $pid 2>/dev/null; do
		sleep 60 &
		wait $! 2>/dev/null
		kill -0 $pid 2>/dev/null &&
			echo "debug-kernel: $((($(date +%s) - start) / 60)) min, $(grep -c '^  CC' "$log.build") files compiled" >&2
	done
	wait $pid
) || { echo "debug-kernel: build failed, see $log.build" >&2; tail -20 "$log.build" >&2; exit 1; }

echo "debug-kernel: built in $((($(date +%s) - start) / 60)) min" >&2
touch "$tree/.rri-built"
echo "$tree"
