#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload rri.ko 20 times while SAs and policies exist in three
# namespaces and change under it: every load and unload succeeds, rri adopts
# nothing it should not and leaves every SA and policy exactly as it found
# them, and (checked by the runner after the test) the kernel logs no
# warning and no leaked slab object. Also: a namespace dies while events for
# it are queued, and the module unloads right after.
source "$(dirname "$0")/lib.sh"

NS_a=rri-a-$$
ns_add "$NS_a"
NS_b=rri-b-$$
ns_add "$NS_b"

populate() {
	local ns=$1 i
	for i in 1 2 3 4 5; do
		xfrm_sa_add "$ns" 192.0.2.1 "192.0.2.$((10 + i))" "0x$((100 + i))" || return 1
		xfrm_policy_add "$ns" out "10.1.$i.0/24" "10.10.$i.0/24" \
			192.0.2.1 "192.0.2.$((10 + i))" || return 1
	done
}

snapshot() {
	{
		ip -n "$1" xfrm state
		ip -n "$1" xfrm policy
	} | sed '/^\s*\(lastused\|add\|current\|use\)/d'
}

check "SAs and policies in ns a" populate "$NS_a"
check "SAs and policies in ns b" populate "$NS_b"
before_a=$(snapshot "$NS_a")
before_b=$(snapshot "$NS_b")

loads=0
for i in $(seq 20); do
	rri_load || break
	# Queue events, then unload at once: some may still be pending.
	xfrm_sa_add "$NS_a" 192.0.2.1 192.0.2.99 0x999
	xfrm_sa_add "$NS_b" 192.0.2.1 192.0.2.99 0x999
	ip -n "$NS_a" xfrm state delete src 192.0.2.1 dst 192.0.2.99 proto esp spi 0x999
	ip -n "$NS_b" xfrm state delete src 192.0.2.1 dst 192.0.2.99 proto esp spi 0x999
	"$RRICTL" stats >/dev/null || break
	rri_unload || break
	! rri_is_loaded || break
	loads=$((loads + 1))
done
check_eq "20 load/unload cycles with SAs present" 20 "$loads"
check_eq "ns a SAs and policies untouched" "$before_a" "$(snapshot "$NS_a")"
check_eq "ns b SAs and policies untouched" "$before_b" "$(snapshot "$NS_b")"

# A namespace dies with events queued for it; then the module goes.
rri_load || fail "insmod"
NS_c=rri-c-$$
ns_add "$NS_c"
populate "$NS_c"
ip -n "$NS_c" xfrm state flush
ns_del "$NS_c"
check "module unloads after a namespace died with events queued" rri_unload

# The module's generic netlink family leaves with it.
err=$("$RRICTL" stats 2>&1)
check_eq "rrictl fails once the module is gone" 1 "$?"
check_match "and says the module is not loaded" '*not loaded*' "$err"

rri_exit
