#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# FRR redistributes rri's routes, and only those. FRR 8.4 (Debian 12)
# turns every kernel route of a protocol it does not own into a plain
# "kernel" route and keeps nothing a route-map could tell rri's apart by,
# so the map puts its routes in a table of their own (table 201) and zebra
# imports that table ("ip import-table 201": into its RIB and the main
# table, as protocol zebra), which ospfd redistributes ("redistribute
# table 201"). Proven here: core learns the route of a tunnel from gw over
# OSPF and forgets it when the SA goes; a foreign static route in gw's main
# table and one in another table never reach core; gw itself forwards to
# the site along zebra's copy in main, into the encrypting path. rri's
# route names a nexthop object: zebra ignores objects with ids it keeps for
# itself, and then drops the routes naming them.
#
#   rt --- gw0 [ gw: rri, zebra, ospfd ] gc0 --- cg0 [ core: zebra, ospfd ]
#          192.0.2.1/24          10.255.1.1/30   10.255.1.2/30
source "$(dirname "$0")/lib_route.sh"
require vtysh
id frr >/dev/null 2>&1 || skip_test "FRR's user frr is missing"

FRR=/usr/lib/frr
[ -x "$FRR/zebra" ] && [ -x "$FRR/ospfd" ] || skip_test "FRR is not installed"
GW=rri-gw-$$
RT=rri-rt-$$
CORE=rri-core-$$
PEER=203.0.113.1 SRC=192.0.2.1
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
ns_add "$CORE" || { fail "namespace $CORE"; rri_exit; }
ip -n "$GW" link add gc0 type veth peer name cg0 netns "$CORE" &&
	ip -n "$GW" addr add 10.255.1.1/30 dev gc0 &&
	ip -n "$CORE" addr add 10.255.1.2/30 dev cg0 &&
	ip -n "$GW" link set gc0 up && ip -n "$CORE" link set cg0 up ||
	{ fail "core link"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

# frr_start NS BOX: zebra and ospfd in NS with their files in a directory
# of their own; point-to-point link, hello 1, dead 4: adjacency in seconds.
frr_start() {
	local ns=$1 box=$2 dir=$route_tmp/frr-$2 id=$3 ifname=$4 extra=$5

	# The daemons drop to Debian's frr user, which must reach the files.
	mkdir -p "$dir"
	chmod 755 "$route_tmp"
	chown frr:frr "$dir"
	cat > "$dir/zebra.conf" <<-EOF
	hostname $box
	log file $dir/zebra.log
	$([ "$box" = gw ] && echo "ip import-table 201")
	EOF
	cat > "$dir/ospfd.conf" <<-EOF
	hostname $box
	log file $dir/ospfd.log
	interface $ifname
	 ip ospf network point-to-point
	 ip ospf hello-interval 1
	 ip ospf dead-interval 4
	 ip ospf area 0
	router ospf
	 ospf router-id $id
	 timers throttle spf 0 50 500
	$extra
	EOF
	ip netns exec "$ns" "$FRR/zebra" -d -u frr -g frr -f "$dir/zebra.conf" \
		-i "$dir/zebra.pid" -z "$dir/zserv.api" --vty_socket "$dir" \
		2>> "$dir/start.log" &&
	ip netns exec "$ns" "$FRR/ospfd" -d -u frr -g frr -f "$dir/ospfd.conf" \
		-i "$dir/ospfd.pid" -z "$dir/zserv.api" --vty_socket "$dir" \
		2>> "$dir/start.log"
}

frr_stop() {
	local box pid
	for box in gw core; do
		for pid in "$route_tmp/frr-$box"/*.pid; do
			[ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null
		done
	done
}
trap 'frr_stop; route_cleanup' EXIT

vty() {
	local box=$1
	shift
	vtysh --vty_socket "$route_tmp/frr-$box" -c "$*" 2>/dev/null
}

check "FRR on gw (import table 201, redistribute table 201)" \
	frr_start "$GW" gw 10.255.1.1 gc0 " redistribute table 201"
check "FRR on core" frr_start "$CORE" core 10.255.1.2 cg0 ""
full() { vty core show ip ospf neighbor | grep -q Full; }
busywait 60000 full
check "OSPF adjacency gw - core" full

check "map add sites remote 10.81.0.0/16 table 201" \
	rrictl_ns "$GW" map add sites remote 10.81.0.0/16 table 201
# Foreign routes FRR must leave alone: static in main, and in another table.
ip -n "$GW" route add 10.99.0.0/24 via 192.0.2.254
ip -n "$GW" route add 10.98.0.0/24 via 192.0.2.254 table 200
pol_add "$GW" 10.1.0.0/24 10.81.1.0/24 "$SRC" "$PEER" 1
sa_add "$GW" "$SRC" "$PEER" 0x1001 1

# OSPF takes some seconds more than rri to follow (LSAs, SPF) under TCG.
ROUTE_WAIT_MS=60000
check_fib "gw: rri's route in table 201" "$GW" 4 10.81.1.0/24 \
	"10.81.1.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0" 201
check_match "gw: it names rri's nexthop object (which zebra must know to import it)" \
	"[1-9]*" "$(ip -n "$GW" -j route show table 201 10.81.1.0/24 | jq -r '.[0].nhid // empty')"
# core: via gw over OSPF (an external route; ip shows FRR's ospf as 188).
core_route() { fib "$CORE" 4 10.81.1.0/24 | sed 's/proto ospf/proto 188/'; }
check_poll "core learns the site over OSPF, via gw" \
	"10.81.1.0/24 via 10.255.1.1 dev cg0 proto 188 metric 20" core_route
check_poll "gw forwards to the site along zebra's copy in main" \
	"10.81.1.0/24 via 192.0.2.254 dev gw0 proto zebra metric 20" \
	fib "$GW" 4 10.81.1.0/24
check_match "the site's outbound policy, which encrypts what that route carries, is in place" \
	"*10.81.1.0/24*dir out*" \
	"$(ip -n "$GW" xfrm policy get src 10.1.0.0/24 dst 10.81.1.0/24 dir out 2>&1)"
check_eq "core: the foreign static route in gw's main table is not redistributed" "" \
	"$(fib "$CORE" 4 10.99.0.0/24)"
check_eq "core: nor the one in gw's table 200" "" "$(fib "$CORE" 4 10.98.0.0/24)"
check_eq "core: ospfd has exactly one external route from gw" 1 \
	"$(vty core show ip ospf database external | grep -c 'Link State ID')"

sa_del "$GW" "$SRC" "$PEER" 0x1001
check_fib "the SA goes: rri removes its route from table 201" "$GW" 4 10.81.1.0/24 "" 201
check_poll "core forgets the site" "" core_route
check_poll "and gw's zebra copy goes with it" "" fib "$GW" 4 10.81.1.0/24

rri_exit
