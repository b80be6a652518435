#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The suite tests the tree's module even with another rri installed (by
# DKMS or make install) in the /lib/modules the VM shares with the host.
# An "installed" rri is made here: a copy of the tree's module that says
# version 9.9.9, put where DKMS puts it (updates/dkms) in an overlay of
# /lib/modules/$(uname -r), with depmod run. Then:
#   - modprobe would load it (the setup is real),
#   - looking the genl family up with rri unloaded (what rri_load.sh does)
#     does not autoload it, thanks to the VM's "blacklist rri",
#   - rri_load loads the tree's module and checks that it did,
#   - without the blacklist the same lookup does load the installed one
#     (what the blacklist prevents, and what this test would catch).
source "$(dirname "$0")/lib.sh"

kver=$(uname -r)
moddir=/lib/modules/$kver
tmp=$(mktemp -d /tmp/rri-installed.XXXXXX)
guard=/etc/modprobe.d/rri-selftests.conf
mounted=0

cleanup() {
	rri_cleanup
	rri_is_loaded && rmmod rri
	[ -f "$tmp/guard" ] && cp "$tmp/guard" "$guard"
	[ "$mounted" = 1 ] && umount "$moddir"
	rm -rf "$tmp"
}
trap cleanup EXIT

[ -f "$guard" ] || { fail "the VM has no $guard"; rri_exit; }
rri_is_loaded && { fail "rri is loaded before the test"; rri_exit; }
cp "$guard" "$tmp/guard"

# The installed module: same code, another version in its modinfo.
ver=$(modinfo -F version "$RRI_KO")
[ "${#ver}" = 5 ] || { fail "version '$ver' is not X.Y.Z"; rri_exit; }
sed "s/version=$ver/version=9.9.9/" "$RRI_KO" > "$tmp/rri.ko"
check_eq "the fake installed module says 9.9.9" 9.9.9 "$(modinfo -F version "$tmp/rri.ko")"

# /lib/modules/KVER is the host's, read-only: an overlay takes the module
# and depmod's indexes for the time of the test.
mkdir -p "$tmp/upper" "$tmp/work"
if mount -t overlay overlay -o "lowerdir=$moddir,upperdir=$tmp/upper,workdir=$tmp/work" "$moddir"; then
	mounted=1
else
	fail "overlay on $moddir"
	rri_exit
fi
mkdir -p "$moddir/updates/dkms"
cp "$tmp/rri.ko" "$moddir/updates/dkms/rri.ko"
# depmod of the whole tree over 9p takes a minute under TCG: index a tree
# of just the installed module (rri depends on no other) and put its
# indexes in place. Until the overlay goes, modprobe knows only rri.
mini=$tmp/mini/lib/modules/$kver
mkdir -p "$mini/updates/dkms"
cp "$tmp/rri.ko" "$mini/updates/dkms/rri.ko"
cp "$moddir"/modules.builtin* "$moddir/modules.order" "$mini/" 2>/dev/null
check "depmod" depmod -b "$tmp/mini" "$kver"
cp "$mini"/modules.* "$moddir/"
check_eq "modprobe would load the installed one" 9.9.9 "$(modinfo -F version rri)"

# A family lookup with rri unloaded, as rri_load.sh makes after rmmod.
check_match "family lookup with rri unloaded: not found" "*not loaded*" \
	"$("$RRICTL" version 2>&1)"
check "and nothing was autoloaded" eval '! rri_is_loaded'

check "rri_load" rri_load
check_eq "the loaded rri is the tree's (version)" "$ver" "$(cat /sys/module/rri/version)"
check_eq "the loaded rri is the tree's (srcversion)" "$(modinfo -F srcversion "$RRI_KO")" \
	"$(cat /sys/module/rri/srcversion)"
check "rmmod" rri_unload

# Without the blacklist the lookup loads the installed module: the failure
# the guard prevents.
rm -f "$guard"
"$RRICTL" version >/dev/null 2>&1
check_eq "without the blacklist: the lookup autoloads the installed rri" 9.9.9 \
	"$(cat /sys/module/rri/version 2>/dev/null)"
check_match "and rri_load refuses to run the tests on it" "*File exists*" \
	"$(rri_load 2>&1)"
rmmod rri
cp "$tmp/guard" "$guard"

rri_exit
