#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The shape of rri's routes: nexthop gateway ADDR [dev DEV] (and a gateway
# the kernel refuses: state error), nexthop dev DEV, remote-peer host routes
# along the resolved path (via the router, or on-link; shared by the
# policies of one peer), a peer without a route or a tunnel source that is
# not local (state unresolved, nothing in the FIB) that resolves on the
# next `map set` once the underlay allows, table ID (below and above 255),
# vrf DEV and back, metric, tag (IPv4 realm) and proto N. `map set` with
# settings that do not change a route causes no route event; one that does
# replaces it. Deleting the maps removes routes of every shape.
#
#   +---------------------------------- gw -----------------------------------+  +- rt -+
#   | gw0 192.0.2.1/24 2001:db8::1/64                                         |--| rt0  |
#   |   203.0.113.0/24 via 192.0.2.254, 2001:db8:f::/48 via 2001:db8::fe      |  +------+
#   |   (no route to 198.18.0.0/15 or 2001:db8:e::/48 until the test adds it) |
#   | d1 (dummy) 100.64.1.1/24 2001:db8:d1::1/64                              |
#   | vrf-blue (table 200) <- vb0 (dummy) 100.64.2.1/24                       |
#   | one policy 10.0.0.0/24 -> 10.7X.1.0/24 (2001:db8:7X:1::/64) per case    |
#   +-------------------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
ip -n "$GW" link add d1 type dummy
ip -n "$GW" addr add 100.64.1.1/24 dev d1
ip -n "$GW" addr add 2001:db8:d1::1/64 dev d1 nodad
ip -n "$GW" link set d1 up
ip -n "$GW" link add vrf-blue type vrf table 200
ip -n "$GW" link set vrf-blue up
ip -n "$GW" link add vb0 type dummy
ip -n "$GW" link set vb0 master vrf-blue
ip -n "$GW" addr add 100.64.2.1/24 dev vb0
ip -n "$GW" link set vb0 up || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

L4=10.0.0.0/24 S4=192.0.2.1 P4=203.0.113.1
L6=2001:db8:1::/64 S6=2001:db8::1 P6=2001:db8:f::1
R4="via 192.0.2.254 dev gw0"
R6="via 2001:db8::fe dev gw0"

# nexthop gateway, with and without dev.
pol_add "$GW" $L4 10.71.1.0/24 $S4 $P4 1
check "map add gw1 nexthop gateway 192.0.2.253" \
	rrictl_ns "$GW" map add gw1 remote 10.71.0.0/16 mode static nexthop gateway 192.0.2.253
check_eq "gateway: via the given address" \
	"10.71.1.0/24 via 192.0.2.253 dev gw0 proto 201 metric 0" "$(fib "$GW" 4 10.71.1.0/24)"
check_eq "gateway: rri shows the gateway (and no device it was not given)" \
	"10.71.1.0/24 via 192.0.2.253 table 254 metric 0 proto 201 map gw1 peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.71.1.0/24)"
check "map set gw1 nexthop gateway 100.64.1.254 dev d1" \
	rrictl_ns "$GW" map set gw1 nexthop gateway 100.64.1.254 dev d1
check_eq "gateway dev: the route moved to the new next hop, the old one is gone" \
	"10.71.1.0/24 via 100.64.1.254 dev d1 proto 201 metric 0" "$(fib "$GW" 4 10.71.1.0/24)"
check_eq "gateway dev: rri agrees" \
	"10.71.1.0/24 via 100.64.1.254 dev d1 table 254 metric 0 proto 201 map gw1 peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.71.1.0/24)"
check_eq "gateway dev: map show" '"gateway" "100.64.1.254" "d1"' \
	"$(rrictl_ns "$GW" -j map show gw1 | jq -c '.[0] | .nexthop, .gateway, .dev' | paste -sd ' ')"

# A gateway the kernel cannot reach: it refuses the route.
errors0=$(rri_stat "$GW" route_error)
pol_add "$GW" $L4 10.70.1.0/24 $S4 $P4 1
check "map add gwx nexthop gateway 10.255.255.1 (no route to it)" \
	rrictl_ns "$GW" map add gwx remote 10.70.0.0/16 mode static nexthop gateway 10.255.255.1
check_eq "unreachable gateway: rri shows state error" \
	"10.70.1.0/24 via 10.255.255.1 table 254 metric 0 proto 201 map gwx peer $P4 state error refs 1 kind proxy" \
	"$(rri_route "$GW" 10.70.1.0/24)"
check_eq "unreachable gateway: counted as a route error, nothing in the FIB" \
	"$((errors0 + 1)) " "$(rri_stat "$GW" route_error) $(fib "$GW" 4 10.70.1.0/24)"
check "map set gwx nexthop gateway 192.0.2.253" \
	rrictl_ns "$GW" map set gwx nexthop gateway 192.0.2.253
check_eq "a reachable gateway: the route is installed" \
	"10.70.1.0/24 via 192.0.2.253 dev gw0 proto 201 metric 0" "$(fib "$GW" 4 10.70.1.0/24)"

pol_add "$GW" $L6 2001:db8:71:1::/64 $S6 $P6 1
check "map add gw6 nexthop gateway 2001:db8::fd" \
	rrictl_ns "$GW" map add gw6 remote 2001:db8:71::/48 mode static nexthop gateway 2001:db8::fd
check_eq "IPv6 gateway: via the given address" \
	"2001:db8:71:1::/64 via 2001:db8::fd dev gw0 proto 201 metric 1024" \
	"$(fib "$GW" 6 2001:db8:71:1::/64)"

# nexthop dev.
pol_add "$GW" $L4 10.72.1.0/24 $S4 $P4 1
pol_add "$GW" $L6 2001:db8:72:1::/64 $S6 $P6 1
check "map add dv nexthop dev d1" \
	rrictl_ns "$GW" map add dv remote 10.72.0.0/16 mode static nexthop dev d1
check "map add dv6 nexthop dev d1" \
	rrictl_ns "$GW" map add dv6 remote 2001:db8:72::/48 mode static nexthop dev d1
check_eq "dev: a device route" \
	"10.72.1.0/24 dev d1 proto 201 metric 0 scope link" "$(fib "$GW" 4 10.72.1.0/24)"
check_eq "IPv6 dev: a device route" \
	"2001:db8:72:1::/64 dev d1 proto 201 metric 1024" "$(fib "$GW" 6 2001:db8:72:1::/64)"
check_eq "dev: rri agrees" \
	"10.72.1.0/24 dev d1 table 254 metric 0 proto 201 map dv peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.72.1.0/24)"

# remote-peer (dynamic): a host route to the peer along the same path.
check "map add rp remote-peer" rrictl_ns "$GW" map add rp remote 10.73.0.0/16 remote-peer
check "map add rp6 remote-peer" rrictl_ns "$GW" map add rp6 remote 2001:db8:73::/48 remote-peer
pol_add "$GW" $L4 10.73.1.0/24 $S4 203.0.113.5 5
pol_add "$GW" $L4 10.73.2.0/24 $S4 192.0.2.8 5
pol_add "$GW" $L6 2001:db8:73:1::/64 $S6 2001:db8:f::5 5
pol_add "$GW" $L6 2001:db8:73:2::/64 $S6 2001:db8::8 5
sa_add "$GW" $S4 203.0.113.5 0x731 5
sa_add "$GW" $S4 192.0.2.8 0x732 5
sa_add "$GW" $S6 2001:db8:f::5 0x733 5
sa_add "$GW" $S6 2001:db8::8 0x734 5
check_fib "remote-peer: the proxy route via the router" \
	"$GW" 4 10.73.1.0/24 "10.73.1.0/24 $R4 proto 201 metric 0"
check_fib "remote-peer: a host route to the peer via the router" \
	"$GW" 4 203.0.113.5/32 "203.0.113.5/32 $R4 proto 201 metric 0"
check_eq "remote-peer: rri shows it as kind peer" \
	"203.0.113.5/32 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map rp peer 203.0.113.5 state installed refs 1 kind peer" \
	"$(rri_route "$GW" 203.0.113.5/32)"
check_fib "remote-peer, on-link peer: the proxy route via the peer" \
	"$GW" 4 10.73.2.0/24 "10.73.2.0/24 via 192.0.2.8 dev gw0 proto 201 metric 0"
check_fib "remote-peer, on-link peer: a device route to the peer" \
	"$GW" 4 192.0.2.8/32 "192.0.2.8/32 dev gw0 proto 201 metric 0 scope link"
check_fib "IPv6 remote-peer: a host route to the peer via the router" \
	"$GW" 6 2001:db8:f::5/128 "2001:db8:f::5/128 $R6 proto 201 metric 1024"
check_fib "IPv6 remote-peer: and the proxy route" \
	"$GW" 6 2001:db8:73:1::/64 "2001:db8:73:1::/64 $R6 proto 201 metric 1024"
check_fib "IPv6 remote-peer, on-link peer: the proxy route via the peer" \
	"$GW" 6 2001:db8:73:2::/64 "2001:db8:73:2::/64 via 2001:db8::8 dev gw0 proto 201 metric 1024"
check_fib "IPv6 remote-peer, on-link peer: a device route to the peer" \
	"$GW" 6 2001:db8::8/128 "2001:db8::8/128 dev gw0 proto 201 metric 1024"
pol_add "$GW" $L4 10.73.3.0/24 $S4 203.0.113.5 5
check_poll "remote-peer: a second policy to the same peer shares its host route (refs 2)" \
	"203.0.113.5/32 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map rp peer 203.0.113.5 state installed refs 2 kind peer" \
	rri_route "$GW" 203.0.113.5/32
sa_del "$GW" $S4 203.0.113.5 0x731
check_fib "remote-peer: the SA's end takes the proxy routes" "$GW" 4 10.73.1.0/24 ""
check_fib "remote-peer: both of them" "$GW" 4 10.73.3.0/24 ""
check_fib "remote-peer: and the host route to the peer" "$GW" 4 203.0.113.5/32 ""
check_eq "remote-peer: the other peer's routes stay" \
	"192.0.2.8/32 dev gw0 proto 201 metric 0 scope link" "$(fib "$GW" 4 192.0.2.8/32)"

# An unreachable peer: unresolved until the underlay has a route and the
# map changes.
unresolved0=$(rri_stat "$GW" route_unresolved)
check "map add un" rrictl_ns "$GW" map add un remote 10.74.0.0/16
check "map add un6" rrictl_ns "$GW" map add un6 remote 2001:db8:74::/48
pol_add "$GW" $L4 10.74.1.0/24 $S4 198.18.7.1 7
pol_add "$GW" $L6 2001:db8:74:1::/64 $S6 2001:db8:e::1 7
sa_add "$GW" $S4 198.18.7.1 0x741 7
sa_add "$GW" $S6 2001:db8:e::1 0x742 7
# A tunnel source that is no local address: the peer is looked up from it.
pol_add "$GW" $L4 10.74.2.0/24 192.0.2.99 $P4 7
sa_add "$GW" 192.0.2.99 $P4 0x743 7
check_rri "unresolved: a tunnel source that is not local" "$GW" 10.74.2.0/24 \
	"10.74.2.0/24 table 254 metric 0 proto 201 map un peer $P4 state unresolved refs 1 kind proxy"
check_rri "unresolved: rri shows the route unresolved, without next hop" "$GW" 10.74.1.0/24 \
	"10.74.1.0/24 table 254 metric 0 proto 201 map un peer 198.18.7.1 state unresolved refs 1 kind proxy"
check_rri "IPv6 unresolved: likewise" "$GW" 2001:db8:74:1::/64 \
	"2001:db8:74:1::/64 table 254 metric 1024 proto 201 map un6 peer 2001:db8:e::1 state unresolved refs 1 kind proxy"
check_eq "unresolved: nothing in the FIB" "" "$(fib "$GW" 4 10.74.1.0/24)"
check_eq "IPv6 unresolved: nothing in the FIB" "" "$(fib "$GW" 6 2001:db8:74:1::/64)"
check "unresolved: counted" stat_above "$GW" route_unresolved $((unresolved0 + 1))
ip -n "$GW" route add 198.18.0.0/15 via 192.0.2.254
ip -n "$GW" -6 route add 2001:db8:e::/48 via 2001:db8::fe
ip -n "$GW" addr add 192.0.2.99/24 dev gw0
check "map set un (no change) retries" rrictl_ns "$GW" map set un mode dynamic
check "map set un6 (no change) retries" rrictl_ns "$GW" map set un6 mode dynamic
check_eq "resolved: the route is installed via the new underlay path" \
	"10.74.1.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.74.1.0/24)"
check_eq "IPv6 resolved: likewise" \
	"2001:db8:74:1::/64 $R6 proto 201 metric 1024" "$(fib "$GW" 6 2001:db8:74:1::/64)"
check_eq "resolved: the tunnel source is local now, so is its route" \
	"10.74.2.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.74.2.0/24)"
check_eq "resolved: rri shows it installed" \
	"10.74.1.0/24 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map un peer 198.18.7.1 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.74.1.0/24)"

# Tables.
pol_add "$GW" $L4 10.75.1.0/24 $S4 $P4 1
check "map add t100 table 100" rrictl_ns "$GW" map add t100 remote 10.75.0.0/16 mode static table 100
check_eq "table 100: the route is there" \
	"10.75.1.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.75.1.0/24 100)"
check_eq "table 100: and not in main" "" "$(fib "$GW" 4 10.75.1.0/24)"
check "map set t100 table 1000" rrictl_ns "$GW" map set t100 table 1000
check_eq "table 1000 (beyond rtm_table's 8 bits): the route moved there" \
	"10.75.1.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.75.1.0/24 1000)"
check_eq "table 1000: and left table 100" "" "$(fib "$GW" 4 10.75.1.0/24 100)"
check_eq "table 1000: rri agrees" \
	"10.75.1.0/24 via 192.0.2.254 dev gw0 table 1000 metric 0 proto 201 map t100 peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.75.1.0/24)"

check "map set t100 vrf vrf-blue" rrictl_ns "$GW" map set t100 vrf vrf-blue
check_eq "vrf instead of table: the route moved to the VRF's table" \
	"10.75.1.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.75.1.0/24 200)"
check_eq "vrf instead of table: and left table 1000" "" "$(fib "$GW" 4 10.75.1.0/24 1000)"
check "map set t100 table 1000" rrictl_ns "$GW" map set t100 table 1000
check_eq "table instead of vrf: map show has table 1000 and no vrf" '1000 null' \
	"$(rrictl_ns "$GW" -j map show t100 | jq -c '.[0] | .table, .vrf' | paste -sd ' ')"
check_eq "table instead of vrf: the route is back in table 1000" \
	"10.75.1.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.75.1.0/24 1000)"

# VRF.
pol_add "$GW" $L4 10.76.1.0/24 $S4 $P4 1
check "map add v vrf vrf-blue" rrictl_ns "$GW" map add v remote 10.76.0.0/16 mode static \
	vrf vrf-blue nexthop gateway 100.64.2.254 dev vb0
check_eq "vrf: the route is in the VRF's table" \
	"10.76.1.0/24 via 100.64.2.254 dev vb0 proto 201 metric 0" "$(fib "$GW" 4 10.76.1.0/24 200)"
check_eq "vrf: ip route show vrf agrees" \
	"10.76.1.0/24 via 100.64.2.254 dev vb0 proto 201" \
	"$(ip -n "$GW" route show vrf vrf-blue 10.76.1.0/24 | sed 's/ nhid [0-9]*//; s/ proto rri / proto 201 /; s/ *$//')"
check_eq "vrf: not in main" "" "$(fib "$GW" 4 10.76.1.0/24)"
check_eq "vrf: map show names the VRF and its table" '"vrf-blue" 200' \
	"$(rrictl_ns "$GW" -j map show v | jq -c '.[0] | .vrf, .table' | paste -sd ' ')"

# Metric, tag, proto (123: a number iproute2 has no name for).
pol_add "$GW" $L4 10.77.1.0/24 $S4 $P4 1
pol_add "$GW" $L6 2001:db8:77:1::/64 $S6 $P6 1
pol_add "$GW" $L4 10.78.1.0/24 $S4 $P4 1
pol_add "$GW" $L4 10.79.1.0/24 $S4 $P4 1
rrictl_ns "$GW" map add mt remote 10.77.0.0/16 mode static metric 77
rrictl_ns "$GW" map add mt6 remote 2001:db8:77::/48 mode static metric 77
rrictl_ns "$GW" map add tg remote 10.78.0.0/16 mode static tag 5
rrictl_ns "$GW" map add pr remote 10.79.0.0/16 mode static proto 123
check_eq "metric 77" "10.77.1.0/24 $R4 proto 201 metric 77" "$(fib "$GW" 4 10.77.1.0/24)"
check_eq "IPv6 metric 77" "2001:db8:77:1::/64 $R6 proto 201 metric 77" \
	"$(fib "$GW" 6 2001:db8:77:1::/64)"
check_eq "tag 5: the route's realm" "10.78.1.0/24 $R4 proto 201 metric 0 realm 5" \
	"$(fib "$GW" 4 10.78.1.0/24)"
check_match "tag 5: ip route says realm 5" "*realm 5*" "$(ip -n "$GW" route show 10.78.1.0/24)"
check_eq "tag 5: rri shows the tag" \
	"10.78.1.0/24 via 192.0.2.254 dev gw0 table 254 metric 0 tag 5 proto 201 map tg peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.78.1.0/24)"
check_eq "proto 123" "10.79.1.0/24 $R4 proto 123 metric 0" "$(fib "$GW" 4 10.79.1.0/24)"
check_eq "proto 123: rri agrees" \
	"10.79.1.0/24 via 192.0.2.254 dev gw0 table 254 metric 0 proto 123 map pr peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.79.1.0/24)"

# map set that changes no route: no route event at all.
before=$(fib_all "$GW")
mon_start "$GW"
check "map set with unchanged settings (gw1, dv, rp, un, t100, v, mt, mt6, tg)" bash -c "
	set -e
	r() { '$RRICTL' -n '$GW' \"\$@\"; }
	r map set gw1 nexthop gateway 100.64.1.254 dev d1
	r map set dv nexthop dev d1 mode static
	r map set rp remote-peer remote 10.73.0.0/16
	r map set un nexthop peer
	r map set t100 table 1000
	r map set v vrf vrf-blue
	r map set mt metric 77
	r map set mt6 metric 77 family inet6
	r map set tg tag 5"
check_no_events "map set that changes no route: no route event" "$GW"
check_eq "and the FIB is as it was" "$before" "$(fib_all "$GW")"
check "map set mt metric 78" rrictl_ns "$GW" map set mt metric 78
mon_events "$GW"
check_eq "a map set that changes a route: the old one deleted, the new one added" \
	"Deleted 10.77.1.0/24 $R4 proto 201 metric 77|10.77.1.0/24 $R4 proto 201 metric 78" \
	"$(paste -sd '|' <<< "$mon_out")"

# Back to nexthop peer: the gateway and device are forgotten.
check "map set gw1 nexthop peer" rrictl_ns "$GW" map set gw1 nexthop peer
check_eq "nexthop peer again: via the router" \
	"10.71.1.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.71.1.0/24)"
check_eq "nexthop peer again: map show has no gateway or dev" '"peer" null null' \
	"$(rrictl_ns "$GW" -j map show gw1 | jq -c '.[0] | .nexthop, .gateway, .dev' | paste -sd ' ')"

# Deleting the maps removes every route, whatever its shape: rri's
# RTM_DELROUTE must match each (gateway, device, table, VRF, realm, proto).
for map in $(rrictl_ns "$GW" -j map show | jq -r '.[].name'); do
	rrictl_ns "$GW" map del "$map" || fail "map del $map"
done
check_eq "every map deleted: no route of protocol 201 in any table" "" "$(fib_rri "$GW")"
check_eq "nor of protocol 123" "" "$(fib_rri "$GW" 123)"
check_eq "rri shows no route" "" "$(rri_routes "$GW")"
check_eq "the only route error was the unreachable gateway" $((errors0 + 1)) \
	"$(rri_stat "$GW" route_error)"

rri_exit
