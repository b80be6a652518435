#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Nexthop objects. rri's routes with a device go through kernel nexthop
# objects that rri adds, one per family, gateway and device, shared by
# every route of that next hop, and removes with their last route. What
# the kernel, an admin or the device does to them, rri follows:
# (a) IPv4 and IPv6 routes of two peers behind one router share one object
#     per family (protocol 201); a map with a realm keeps classic routes.
# (b) `ip nexthop del` of rri's object takes its routes: rri adds both
#     again.
# (c) `ip nexthop replace` of rri's object with another gateway: rri puts
#     its own back.
# (d) The underlay loses its carrier: the kernel removes the objects and
#     their routes; rri adds the routes again, carrying their next hop
#     themselves (the kernel refuses an object on a link without carrier),
#     and with the carrier back a new route uses an object again.
# (e) An id rri would take is someone else's: rri takes another and never
#     touches that object.
# (f) nexthop_objects=N: new routes carry their next hop themselves.
# Deleting the maps leaves no object and no route of rri's.
#
#   +----------------- gw -----------------+  +-- rt --+
#   | gw0 192.0.2.1/24 2001:db8::1/64      |--| rt0    |
#   |   203.0.113.0/24 via .254             |  | .254   |
#   |   2001:db8:f::/48 via 2001:db8::fe    |  | ::fe   |
#   | d1 100.64.1.1/24 (a foreign object)   |  +--------+
#   | maps: m 10.50/16, m6 2001:db8:50::/48 |
#   |       tag 10.51/16 (realm 7)          |
#   +---------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$ RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
ip netns exec "$GW" sysctl -qw net.ipv6.conf.gw0.keep_addr_on_down=1
# An id rri would give its first object (RRI_NEXTHOP_ID_BASE) is taken,
# on a device that keeps its carrier throughout.
ID0=$((0x0f520000))
ip -n "$GW" link add d1 type dummy
ip -n "$GW" addr add 100.64.1.1/24 dev d1
ip -n "$GW" link set d1 up
ip -n "$GW" nexthop add id $ID0 via 100.64.1.254 dev d1 ||
	{ fail "a foreign nexthop object"; rri_exit; }
foreign0=$(ip -n "$GW" -j nexthop show id $ID0)
rri_load || { fail "insmod rri.ko"; rri_exit; }

L4=10.0.0.0/24 S4=192.0.2.1
L6=2001:db8:1::/64 S6=2001:db8::1
for i in 1 2; do
	pol_add "$GW" $L4 10.50.$i.0/24 $S4 203.0.113.$i $i
	pol_add "$GW" $L6 2001:db8:50:$i::/64 $S6 2001:db8:f::$i $i
done
pol_add "$GW" $L4 10.51.1.0/24 $S4 203.0.113.1 3

# nh_of NS PREFIX: the nexthop object id of the route to PREFIX, or "-".
nh_of() {
	local fam=-4

	[[ $2 != *:* ]] || fam=-6
	ip -n "$1" -j $fam route show exact "$2" | jq -r '.[0].nhid // "-"'
}
# nh_line NS ID: a nexthop object as "ID GATEWAY DEV PROTO", or "".
nh_line() {
	ip -n "$1" -j nexthop show id "$2" 2>/dev/null |
		jq -r '.[0] | "\(.id) \(.gateway // "-") \(.dev) \(.protocol | tostring | if . == "rri" then "201" else . end)"' 2>/dev/null
}

# (a) Shared objects, per family; a realm keeps routes classic.
check "map add m" rrictl_ns "$GW" map add m remote 10.50.0.0/16 mode static
check "map add m6" rrictl_ns "$GW" map add m6 remote 2001:db8:50::/48 mode static
check "map add tag realm 7" rrictl_ns "$GW" map add tag remote 10.51.0.0/16 mode static tag 7
check_fib "(a) IPv4 route as before" "$GW" 4 10.50.1.0/24 "10.50.1.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0"
check_fib "(a) IPv6 route as before" "$GW" 6 2001:db8:50:1::/64 "2001:db8:50:1::/64 via 2001:db8::fe dev gw0 proto 201 metric 1024"
nh4=$(nh_of "$GW" 10.50.1.0/24) nh6=$(nh_of "$GW" 2001:db8:50:1::/64)
check_eq "(a) both IPv4 routes name one object" "$nh4" "$(nh_of "$GW" 10.50.2.0/24)"
check_eq "(a) both IPv6 routes name one object" "$nh6" "$(nh_of "$GW" 2001:db8:50:2::/64)"
check "(a) not the foreign id, and one per family ($nh4 $nh6)" \
	test "$nh4" != - -a "$nh6" != - -a "$nh4" != $ID0 -a "$nh4" != "$nh6"
check_eq "(a) the IPv4 object" "$nh4 192.0.2.254 gw0 201" "$(nh_line "$GW" "$nh4")"
check_eq "(a) the IPv6 object" "$nh6 2001:db8::fe gw0 201" "$(nh_line "$GW" "$nh6")"
check_eq "(a) rri's objects are those two" "$(echo "$nh4 $nh6" | tr ' ' '\n' | sort | paste -sd ' ')" "$(rri_nexthops "$GW")"
check_fib "(a) the route with a realm" "$GW" 4 10.51.1.0/24 "10.51.1.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0 realm 7"
check_eq "(a) carries its next hop itself" "-" "$(nh_of "$GW" 10.51.1.0/24)"
check_eq "(e) the foreign object with rri's first id is untouched" "$foreign0" \
	"$(ip -n "$GW" -j nexthop show id $ID0)"

# (b) An admin deletes rri's object, and with it its routes.
ip -n "$GW" nexthop del id "$nh4"
check_fib "(b) nexthop del: the route is back" "$GW" 4 10.50.1.0/24 "10.50.1.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0"
check_fib "(b) both routes" "$GW" 4 10.50.2.0/24 "10.50.2.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0"
check_eq "(b) through the object, added again" "$nh4 $nh4 $nh4 192.0.2.254 gw0 201" \
	"$(nh_of "$GW" 10.50.1.0/24) $(nh_of "$GW" 10.50.2.0/24) $(nh_line "$GW" "$nh4")"
check_eq "(b) rri shows them installed" "installed installed" \
	"$(rri_state "$GW" 10.50.1.0/24) $(rri_state "$GW" 10.50.2.0/24)"

# (c) An admin points rri's object elsewhere.
ip -n "$GW" nexthop replace id "$nh4" via 192.0.2.253 dev gw0
check_poll "(c) nexthop replace: rri puts its next hop back" "$nh4 192.0.2.254 gw0 201" nh_line "$GW" "$nh4"
check_eq "(c) the routes still name it" "$nh4 $nh4" "$(nh_of "$GW" 10.50.1.0/24) $(nh_of "$GW" 10.50.2.0/24)"

# (d) Carrier loss: the kernel removes the objects and their routes.
ip -n "$RT" link set rt0 down
check_poll "(d) carrier lost: the IPv4 object is gone" "" nh_line "$GW" "$nh4"
check_fib "(d) the route is back, without carrier" "$GW" 4 10.50.1.0/24 \
	"10.50.1.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0"
check_fib "(d) the IPv6 route too" "$GW" 6 2001:db8:50:1::/64 \
	"2001:db8:50:1::/64 via 2001:db8::fe dev gw0 proto 201 metric 1024"
check_eq "(d) carrying their next hop themselves" "- -" \
	"$(nh_of "$GW" 10.50.1.0/24) $(nh_of "$GW" 2001:db8:50:1::/64)"
check_eq "(d) rri shows them installed" "installed installed" \
	"$(rri_state "$GW" 10.50.1.0/24) $(rri_state "$GW" 2001:db8:50:1::/64)"
ip -n "$RT" link set rt0 up
pol_add "$GW" $L4 10.50.3.0/24 $S4 203.0.113.3 4
check_fib "(d) carrier back: a new route" "$GW" 4 10.50.3.0/24 "10.50.3.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0"
nh4=$(nh_of "$GW" 10.50.3.0/24)
check_eq "(d) goes through an object again" "$nh4 192.0.2.254 gw0 201" "$(nh_line "$GW" "$nh4")"

# (f) Off for routes added from now on.
echo N > /sys/module/rri/parameters/nexthop_objects
pol_add "$GW" $L4 10.50.4.0/24 $S4 203.0.113.4 5
check_fib "(f) nexthop_objects=N: a new route" "$GW" 4 10.50.4.0/24 "10.50.4.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0"
check_eq "(f) carries its next hop itself" "-" "$(nh_of "$GW" 10.50.4.0/24)"
echo Y > /sys/module/rri/parameters/nexthop_objects

check "map del m" rrictl_ns "$GW" map del m
check "map del m6" rrictl_ns "$GW" map del m6
check "map del tag" rrictl_ns "$GW" map del tag
check_poll "no route of rri's is left" "0" fib_rri_count "$GW"
check_eq "no object of rri's is left" "" "$(rri_nexthops "$GW")"
check_eq "(e) the foreign object is still there, as it was" "$foreign0" \
	"$(ip -n "$GW" -j nexthop show id $ID0)"
rri_exit
