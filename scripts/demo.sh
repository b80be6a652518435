#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo `make demo` runs inside the test VM: a head-end gateway in its
# own namespace, tunnels coming up and going down as an IKE daemon would
# make them with `ip xfrm`, and rri injecting and withdrawing the routes to
# the remote sites. Exits 0 only if every step behaved. The helpers sa_add
# and sa_del stand for the IKE daemon (ip xfrm state add/delete).
#
#   gw (192.0.2.1) --veth-- inet (192.0.2.254) ... peers 203.0.113.1-3
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
rrictl=$top/tools/rrictl/rrictl
gw=rridemo-gw
inet=rridemo-inet
failed=0

step() { printf '\n==> %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
routes() { ip -n $gw -j route show proto 201 | jq -r '[.[].dst] | sort | join(" ")'; }
expect_routes() {
	local want=$1 got i
	for i in $(seq 100); do
		got=$(routes)
		[ "$got" = "$want" ] && { echo "    ok: rri routes are: ${want:-none}"; return; }
		sleep 0.05
	done
	echo "    FAILED: rri routes are '$got', expected '$want'"
	failed=1
}
cleanup() { ip netns del $gw 2>/dev/null; ip netns del $inet 2>/dev/null; rmmod rri 2>/dev/null; }
trap cleanup EXIT

key=0x0102030405060708090a0b0c0d0e0f1011121314
sa_add() {
	ip -n $gw xfrm state add src 192.0.2.1 dst 203.0.113.$1 proto esp spi "$2" \
		reqid "$1" mode tunnel aead 'rfc4106(gcm(aes))' $key 128
}
sa_del() {
	ip -n $gw xfrm state delete src 192.0.2.1 dst 203.0.113.$1 proto esp spi "$2"
}

# What `make install` does on a gateway: name protocol 201 "rri" for
# iproute2 (the VM's /etc is a scratch overlay).
mkdir -p /etc/iproute2/rt_protos.d
cp "$top/etc/rt_protos.d-rri.conf" /etc/iproute2/rt_protos.d/rri.conf

step "Load the module"
show insmod "$top/kmod/rri.ko" || exit 1
show "$rrictl" version

step "A head-end gateway and its upstream router"
ip netns add $gw
ip netns add $inet
ip link add eth0 netns $gw type veth peer name eth0 netns $inet
ip -n $gw addr add 192.0.2.1/24 dev eth0
ip -n $inet addr add 192.0.2.254/24 dev eth0
ip -n $gw link set eth0 up
ip -n $inet link set eth0 up
show ip -n $gw route add 203.0.113.0/24 via 192.0.2.254

step "rri: inject routes for the home-user pool 10.81.0.0/16"
show "$rrictl" -n $gw map add homes remote 10.81.0.0/16
show "$rrictl" -n $gw map show

step "Three remote sites connect: the IKE daemon installs policies and SAs"
for i in 1 2 3; do
	show ip -n $gw xfrm policy add src 10.0.0.0/24 dst 10.81.$i.0/29 dir out \
		tmpl src 192.0.2.1 dst 203.0.113.$i proto esp reqid $i mode tunnel
	show sa_add $i 0x10$i
done
expect_routes "10.81.1.0/29 10.81.2.0/29 10.81.3.0/29"
show "$rrictl" -n $gw route show
show ip -n $gw route show proto rri

step "Site 2 rekeys: a new SA, then the old one goes; the routes stay put"
ip -n $gw monitor route > /tmp/rridemo-monitor 2>&1 &
mon=$!
show sa_add 2 0x202
show sa_del 2 0x102
expect_routes "10.81.1.0/29 10.81.2.0/29 10.81.3.0/29"
kill $mon
if [ -s /tmp/rridemo-monitor ]; then
	echo "    FAILED: route events during the rekey:"; cat /tmp/rridemo-monitor
	failed=1
else
	echo "    ok: no route event during the rekey"
fi

step "Site 3's tunnel goes down (DPD deletes its SA): its route leaves"
show sa_del 3 0x103
expect_routes "10.81.1.0/29 10.81.2.0/29"

step "The IKE daemon dies and someone flushes the SAs: every rri route leaves"
show ip -n $gw xfrm state flush
expect_routes ""
show "$rrictl" -n $gw stats

step "Unload"
show rmmod rri

echo
if [ $failed = 0 ]; then
	echo "demo: every step behaved"
else
	echo "demo: FAILED"
fi
exit $failed
