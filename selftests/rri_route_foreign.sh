#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Routes rri did not install. An identical foreign route (same table,
# prefix and metric, whatever its next hop) stays untouched: rri shows state
# conflict and counts route_conflict (other routes programmed in the same
# batch are installed), and installs its own only after the foreign route is
# gone and the map changes. A foreign route with another metric coexists with
# rri's. rri never deletes a foreign route: not when the SA of a
# conflicting route goes, not when the admin replaced rri's route with
# their own, not on module unload (which removes every rri route).
#
#   +------------------------------ gw --------------------------------+  +- rt -+
#   | gw0 192.0.2.1/24 2001:db8::1/64; peers 203.0.113.x and            |--| rt0  |
#   | 2001:db8:f::1 via rt                                              |  +------+
#   | foreign routes (proto static): 10.51.1.0/24 metric 0,             |
#   |   2001:db8:51:1::/64 metric 1024 via ::fd, 10.51.2.0/24 metric 5, |
#   |   10.51.3.0/24 (replacing rri's), 10.51.4.0/24                    |
#   | map f (no match key: every policy, both families)                 |
#   +-------------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

R4="via 192.0.2.254 dev gw0"
R6="via 2001:db8::fe dev gw0"
X4=10.51.1.0/24 X6=2001:db8:51:1::/64
FOREIGN4="$X4 $R4 proto static metric 0"
# The IPv6 one has another gateway: identity is table, prefix and metric.
FOREIGN6="$X6 via 2001:db8::fd dev gw0 proto static metric 1024"

ip -n "$GW" route add $X4 via 192.0.2.254 proto static
ip -n "$GW" -6 route add $X6 via 2001:db8::fd proto static
pol_add "$GW" 10.0.0.0/24 $X4 192.0.2.1 203.0.113.1 1
pol_add "$GW" 2001:db8:1::/64 $X6 2001:db8::1 2001:db8:f::1 1
sa_add "$GW" 192.0.2.1 203.0.113.1 0x511 1
sa_add "$GW" 2001:db8::1 2001:db8:f::1 0x512 1
# And one route without a foreign twin, so that the map add sends a batch
# whose answers differ: each must reach its own route.
pol_add "$GW" 10.0.0.0/24 10.51.9.0/24 192.0.2.1 203.0.113.9 9
sa_add "$GW" 192.0.2.1 203.0.113.9 0x519 9
settle "$GW"
conflicts=$(rri_stat "$GW" route_conflict)
# One map for both families: every map change retries every conflicting
# route, so the counts below hold only with a single map.
check "map add f" rrictl_ns "$GW" map add f
check_eq "conflict: the foreign route stays as it was" "$FOREIGN4" "$(fib "$GW" 4 $X4)"
check_eq "IPv6 conflict: likewise" "$FOREIGN6" "$(fib "$GW" 6 $X6)"
check_eq "conflict: rri shows state conflict" \
	"$X4 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map f peer 203.0.113.1 state conflict refs 1 kind proxy" \
	"$(rri_route "$GW" $X4)"
check_eq "IPv6 conflict: likewise" \
	"$X6 via 2001:db8::fe dev gw0 table 254 metric 1024 proto 201 map f peer 2001:db8:f::1 state conflict refs 1 kind proxy" \
	"$(rri_route "$GW" $X6)"
check_eq "conflict: counted once per route" $((conflicts + 2)) "$(rri_stat "$GW" route_conflict)"
check_eq "conflict: the route without a twin is installed in the same batch" \
	"10.51.9.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.51.9.0/24)"
check_eq "conflict: map show counts only that one installed" "1" \
	"$(rrictl_ns "$GW" -j map show | jq -r '[.[].routes] | join(" ")')"

check "map set f (foreign route still there)" rrictl_ns "$GW" map set f metric 0
check_eq "map set retries: still a conflict, counted again (both routes)" \
	"conflict $((conflicts + 4))" \
	"$(rri_state "$GW" $X4) $(rri_stat "$GW" route_conflict)"
check_eq "and the foreign route is untouched" "$FOREIGN4" "$(fib "$GW" 4 $X4)"

# The SA of a conflicting route goes: rri forgets it, the foreign route stays.
sa_del "$GW" 192.0.2.1 203.0.113.1 0x511
check_rri "conflict, SA deleted: rri has no route" "$GW" $X4 ""
settle "$GW"
check_eq "conflict, SA deleted: the foreign route is still there" "$FOREIGN4" "$(fib "$GW" 4 $X4)"
sa_add "$GW" 192.0.2.1 203.0.113.1 0x513 1
check_rri "conflict again with a new SA" "$GW" $X4 \
	"$X4 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map f peer 203.0.113.1 state conflict refs 1 kind proxy"

# The foreign route goes; the next map change installs rri's.
ip -n "$GW" route del $X4 via 192.0.2.254 proto static
ip -n "$GW" -6 route del $X6 via 2001:db8::fd proto static
check "map set f" rrictl_ns "$GW" map set f metric 0
check_eq "after the foreign route left: rri's route" "$X4 $R4 proto 201 metric 0" "$(fib "$GW" 4 $X4)"
check_eq "IPv6: likewise" "$X6 $R6 proto 201 metric 1024" "$(fib "$GW" 6 $X6)"
check_eq "and rri shows it installed" \
	"$X4 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map f peer 203.0.113.1 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" $X4)"

# Another metric: both routes live side by side.
ip -n "$GW" route add 10.51.2.0/24 via 192.0.2.254 proto static metric 5
pol_add "$GW" 10.0.0.0/24 10.51.2.0/24 192.0.2.1 203.0.113.2 2
sa_add "$GW" 192.0.2.1 203.0.113.2 0x521 2
check_fib "another metric: rri's route next to the foreign one" "$GW" 4 10.51.2.0/24 \
	"10.51.2.0/24 $R4 proto 201 metric 0; 10.51.2.0/24 $R4 proto static metric 5"
sa_del "$GW" 192.0.2.1 203.0.113.2 0x521
check_fib "another metric: the SA takes rri's route only" "$GW" 4 10.51.2.0/24 \
	"10.51.2.0/24 $R4 proto static metric 5"

# The admin replaces rri's route with their own: rri must not delete it.
pol_add "$GW" 10.0.0.0/24 10.51.3.0/24 192.0.2.1 203.0.113.3 3
pol_add "$GW" 2001:db8:1::/64 2001:db8:51:3::/64 2001:db8::1 2001:db8:f::3 3
sa_add "$GW" 192.0.2.1 203.0.113.3 0x531 3
sa_add "$GW" 2001:db8::1 2001:db8:f::3 0x532 3
check_fib "replaced: rri's route first" "$GW" 4 10.51.3.0/24 "10.51.3.0/24 $R4 proto 201 metric 0"
check_fib "IPv6 replaced: rri's route first" "$GW" 6 2001:db8:51:3::/64 \
	"2001:db8:51:3::/64 $R6 proto 201 metric 1024"
ip -n "$GW" route replace 10.51.3.0/24 via 192.0.2.254 proto static
ip -n "$GW" -6 route replace 2001:db8:51:3::/64 via 2001:db8::fe proto static metric 1024
sa_del "$GW" 192.0.2.1 203.0.113.3 0x531
sa_del "$GW" 2001:db8::1 2001:db8:f::3 0x532
settle "$GW"
check_eq "replaced: the SA's end leaves the admin's route" \
	"10.51.3.0/24 $R4 proto static metric 0" "$(fib "$GW" 4 10.51.3.0/24)"
check_eq "IPv6 replaced: likewise" \
	"2001:db8:51:3::/64 $R6 proto static metric 1024" "$(fib "$GW" 6 2001:db8:51:3::/64)"

# Module unload: every rri route goes, every other route stays, including
# one rri is in conflict with.
ip -n "$GW" route add 10.51.4.0/24 via 192.0.2.254 proto static
pol_add "$GW" 10.0.0.0/24 10.51.4.0/24 192.0.2.1 203.0.113.4 4
sa_add "$GW" 192.0.2.1 203.0.113.4 0x541 4
check_poll "one more conflict" conflict rri_state "$GW" 10.51.4.0/24
check_eq "before unload: rri's routes" \
	"$X4 $R4 proto 201 metric 0 table main; 10.51.9.0/24 $R4 proto 201 metric 0 table main; $X6 $R6 proto 201 metric 1024 table main" \
	"$(fib_rri "$GW")"
foreign=$(fib_foreign "$GW")
check "rmmod rri" rri_unload
check_eq "after unload: no rri route left" 0 "$(fib_rri_count "$GW")"
check_eq "after unload: every other route is as it was" "$foreign" "$(fib_foreign "$GW")"

rri_exit
