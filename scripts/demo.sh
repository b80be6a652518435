#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo `make demo` runs inside the test VM: load rri, play an IKE daemon
# with `ip xfrm` in a gateway namespace, and watch rri's counters follow.
# Exits 0 only if every step behaved.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
rrictl=$top/tools/rrictl/rrictl
gw=rridemo
failed=0

step() { printf '\n==> %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
expect() {
	local key=$1 want=$2 got i
	for i in $(seq 100); do
		got=$("$rrictl" -n $gw -j stats | jq ".$key")
		[ "$got" = "$want" ] && { echo "    ok: $key = $want"; return; }
		sleep 0.05
	done
	echo "    FAILED: $key is $got, expected $want"
	failed=1
}
cleanup() { ip netns del $gw 2>/dev/null; rmmod rri 2>/dev/null; }
trap cleanup EXIT

key=0x0102030405060708090a0b0c0d0e0f1011121314

step "Load the module"
show insmod "$top/kmod/rri.ko" || exit 1
show "$rrictl" version

step "A gateway network namespace, as a fresh IPsec head-end"
show ip netns add $gw
show "$rrictl" -n $gw stats

step "Tunnels come up: an IKE daemon would install these SAs and policies"
for i in 1 2 3; do
	show ip -n $gw xfrm state add src 192.0.2.1 dst 203.0.113.$i proto esp \
		spi 0x10$i reqid $i mode tunnel aead 'rfc4106(gcm(aes))' $key 128
	show ip -n $gw xfrm policy add src 10.0.0.0/24 dst 10.81.$i.0/24 dir out \
		tmpl src 192.0.2.1 dst 203.0.113.$i proto esp reqid $i mode tunnel
done
expect sa_add 3
expect policy_add 3
show "$rrictl" -n $gw stats

step "A tunnel goes down"
show ip -n $gw xfrm state delete src 192.0.2.1 dst 203.0.113.2 proto esp spi 0x102
show ip -n $gw xfrm policy delete src 10.0.0.0/24 dst 10.81.2.0/24 dir out
expect sa_delete 1
expect policy_delete 1

step "The daemon is stopped and flushes everything"
show ip -n $gw xfrm state flush
show ip -n $gw xfrm policy flush
expect sa_flush 1
expect policy_flush 1
show "$rrictl" -n $gw -p stats

step "Unload"
show rmmod rri

echo
if [ $failed = 0 ]; then
	echo "demo: every step behaved"
else
	echo "demo: FAILED"
fi
exit $failed
