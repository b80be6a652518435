#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The FIB is the truth: when the kernel loses or changes rri's routes by
# itself, rri notices and converges, and `route show` never claims a route
# the FIB does not hold. (a) The underlay link goes down: the kernel
# flushes the routes, rri no longer shows them installed; up again (and
# the router route back) they return with the right next hop. (b) An
# admin deletes an rri route: rri re-adds it and counts route_restored.
# (c) The route toward the peers changes gateway: rri's routes follow.
# (d) A conflicting foreign route goes: rri's route is installed without
# any map change. (e) The VRF of a map is deleted: no route left in its
# table, rri shows them unresolved (reason dev). (f) The device of
# `nexthop dev` goes down and up. (g) `ip route flush proto 201` and
# `ip nexthop flush proto 201`: every route comes back. Deleting the maps
# then leaves no route of rri's in any table.
#
#   +---------------------------------- gw ------------------------------+  +------- rt -------+
#   | gw0 192.0.2.1/24 2001:db8::1/64 (keeps its IPv6 address when down) |--| rt0 192.0.2.254  |
#   |   203.0.113.0/24 via 192.0.2.254, 2001:db8:f::/48 via 2001:db8::fe |  |  and .253, ::fe  |
#   |   (then via 192.0.2.253 / 2001:db8::fd, then back)                 |  |  and ::fd        |
#   | d1 (dummy) 100.64.1.1/24            nexthop dev d1 (f)             |  +------------------+
#   | vrf-red (table 300) <- vr0 (dummy) 100.64.3.1/24      (e)          |
#   | one map per scenario, remote 10.4X.0.0/16 (2001:db8:4X::/48):      |
#   |   a flap, b del, c path, d cf, e vrf + vrfp, f dv                  |
#   | peers 203.0.113.x and 2001:db8:f::x via rt, 192.0.2.7 on-link      |
#   +--------------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
# Without this IPv6 forgets the address of a link that goes down, and the
# flap of (a) would test address removal instead.
ip netns exec "$GW" sysctl -qw net.ipv6.conf.gw0.keep_addr_on_down=1
ip -n "$RT" addr add 192.0.2.253/24 dev rt0
ip -n "$RT" addr add 2001:db8::fd/64 dev rt0 nodad
ip -n "$GW" link add d1 type dummy
ip -n "$GW" addr add 100.64.1.1/24 dev d1
ip -n "$GW" link set d1 up
ip -n "$GW" link add vrf-red type vrf table 300
ip -n "$GW" link set vrf-red up
ip -n "$GW" link add vr0 type dummy
ip -n "$GW" link set vr0 master vrf-red
ip -n "$GW" addr add 100.64.3.1/24 dev vr0
ip -n "$GW" link set vr0 up || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

L4=10.0.0.0/24 S4=192.0.2.1
L6=2001:db8:1::/64 S6=2001:db8::1
R4="via 192.0.2.254 dev gw0"
R6="via 2001:db8::fe dev gw0"

# tunnel PREFIX SRC PEER REQID SPI: an outbound policy to PREFIX and its SA.
tunnel() {
	local lnet=$L4

	[[ $1 != *:* ]] || lnet=$L6
	pol_add "$GW" "$lnet" "$1" "$2" "$3" "$4" && sa_add "$GW" "$2" "$3" "$5" "$4"
}

# rri_sr NS PREFIX: "STATE[ REASON]" of rri's route(s) to PREFIX.
rri_sr() {
	rrictl_ns "$1" -j route show | jq -r --arg p "$2" \
		'[.[] | select(.prefix == $p) | .state + (if .reason then " " + .reason else "" end)]
		 | join("; ")'
}

# rri_reason NS PREFIX: the reason key of rri's route to PREFIX ("" if none).
rri_reason() {
	rrictl_ns "$1" -j route show |
		jq -r --arg p "$2" '[.[] | select(.prefix == $p) | .reason // ""] | join(" ")'
}

# not_installed NS PREFIX: "not installed" if rri shows its route to PREFIX
# in a state other than installed; else what it shows.
not_installed() {
	local s

	s=$(rri_state "$1" "$2")
	if [ -n "$s" ] && [ "$s" != installed ]; then
		echo "not installed"
	else
		echo "state '$s'"
	fi
}

# none_installed NS PREFIX...: rri shows a route to each PREFIX, none of
# them installed.
# shellcheck disable=SC2317 # called by busywait
none_installed() {
	local ns=$1
	shift
	rrictl_ns "$ns" -j route show | jq -e --args \
		'[.[] | select(.prefix as $p | $ARGS.positional | index($p))] as $r
		 | ($r | map(.prefix) | unique | length) == ($ARGS.positional | length)
		   and ($r | all(.state != "installed"))' "$@" >/dev/null
}

# restored_above N: wait (bounded) until route_restored is above N.
# shellcheck disable=SC2317 # called by check
restored_above() {
	[ -n "$(rri_stat "$GW" route_restored)" ] &&
		busywait "$ROUTE_WAIT_MS" stat_above "$GW" route_restored "$1"
}

# check_claims DESCRIPTION: `route show` claims installed exactly the
# routes of protocol 201 that the FIB holds (every table, both families).
check_claims() {
	check_eq "$1: rri shows installed exactly the routes of protocol 201 in the FIB" \
		"$(fib_rri_prefixes "$GW")" \
		"$(rrictl_ns "$GW" -j route show |
			jq -r '[.[] | select(.state == "installed") | .prefix] | sort | join(" ")')"
}

line4() { echo "$1 $2 table 254 metric 0 proto 201 map $3 peer $4 state installed refs 1 kind proxy"; }
line6() { echo "$1 $2 table 254 metric 1024 proto 201 map $3 peer $4 state installed refs 1 kind proxy"; }

# Each step below waits (bounded) once for the whole of what it expects,
# then checks each part at once: a module that never converges fails every
# check without spending the wait on each.

# (a) The underlay link flaps.
check "map add flap" rrictl_ns "$GW" map add flap remote 10.41.0.0/16
check "map add flap6" rrictl_ns "$GW" map add flap6 remote 2001:db8:41::/48
tunnel 10.41.1.0/24 $S4 203.0.113.1 41 0x411
tunnel 10.41.2.0/24 $S4 192.0.2.7 42 0x412
tunnel 2001:db8:41:1::/64 $S6 2001:db8:f::1 41 0x413
A1="10.41.1.0/24 $R4 proto 201 metric 0"
A2="10.41.2.0/24 via 192.0.2.7 dev gw0 proto 201 metric 0"
A6="2001:db8:41:1::/64 $R6 proto 201 metric 1024"
poll_eq "$A1 table main; $A2 table main; $A6 table main" \
	fib_rri_of "$GW" 10.41.1.0/24 10.41.2.0/24 2001:db8:41:1::/64
check_eq "flap: installed via the router" "$A1" "$(fib "$GW" 4 10.41.1.0/24)"
check_eq "flap: installed via the on-link peer" "$A2" "$(fib "$GW" 4 10.41.2.0/24)"
check_eq "IPv6 flap: installed via the router" "$A6" "$(fib "$GW" 6 2001:db8:41:1::/64)"

ip -n "$GW" link set gw0 down
check_eq "gw0 down: the kernel flushed the routes via gw0, the router route too" "" \
	"$(fib_rri "$GW")$(fib "$GW" 4 203.0.113.0/24)"
busywait "$ROUTE_WAIT_MS" none_installed "$GW" 10.41.1.0/24 10.41.2.0/24 2001:db8:41:1::/64
check_eq "gw0 down: rri no longer shows the route via the router installed" \
	"not installed" "$(not_installed "$GW" 10.41.1.0/24)"
check_eq "gw0 down: nor the one via the on-link peer" \
	"not installed" "$(not_installed "$GW" 10.41.2.0/24)"
check_eq "IPv6 gw0 down: nor the IPv6 one" \
	"not installed" "$(not_installed "$GW" 2001:db8:41:1::/64)"
log "# gw0 down: rri shows '$(rri_sr "$GW" 10.41.1.0/24)', '$(rri_sr "$GW" 10.41.2.0/24)', '$(rri_sr "$GW" 2001:db8:41:1::/64)'"
check_eq "gw0 down: and rri did not put them back into the FIB" "" "$(fib_rri "$GW")"
check_claims "gw0 down"

ip -n "$GW" link set gw0 up
# The kernel flushed the router routes with the link: put them back, as a
# routing daemon would.
busywait 5000 ip -n "$GW" route replace 203.0.113.0/24 via 192.0.2.254 ||
	fail "gw0 up: could not restore the route to 203.0.113.0/24"
busywait 5000 ip -n "$GW" -6 route replace 2001:db8:f::/48 via 2001:db8::fe ||
	fail "gw0 up: could not restore the route to 2001:db8:f::/48"
poll_eq "$A1 table main; $A2 table main; $A6 table main" \
	fib_rri_of "$GW" 10.41.1.0/24 10.41.2.0/24 2001:db8:41:1::/64
check_eq "gw0 up: back in the FIB via the router" "$A1" "$(fib "$GW" 4 10.41.1.0/24)"
check_eq "gw0 up: back via the on-link peer" "$A2" "$(fib "$GW" 4 10.41.2.0/24)"
check_eq "IPv6 gw0 up: back via the router" "$A6" "$(fib "$GW" 6 2001:db8:41:1::/64)"
check_eq "gw0 up: rri shows it installed" "$(line4 10.41.1.0/24 "$R4" flap 203.0.113.1)" \
	"$(rri_route "$GW" 10.41.1.0/24)"
check_eq "gw0 up: and the on-link one" \
	"$(line4 10.41.2.0/24 "via 192.0.2.7 dev gw0" flap 192.0.2.7)" \
	"$(rri_route "$GW" 10.41.2.0/24)"
check_eq "IPv6 gw0 up: and the IPv6 one" "$(line6 2001:db8:41:1::/64 "$R6" flap6 2001:db8:f::1)" \
	"$(rri_route "$GW" 2001:db8:41:1::/64)"
check_claims "gw0 up"

# (b) An admin deletes rri's routes by hand.
check "map add del" rrictl_ns "$GW" map add del remote 10.42.0.0/16
check "map add del6" rrictl_ns "$GW" map add del6 remote 2001:db8:42::/48
tunnel 10.42.1.0/24 $S4 203.0.113.2 43 0x421
tunnel 2001:db8:42:1::/64 $S6 2001:db8:f::2 43 0x422
B4="10.42.1.0/24 $R4 proto 201 metric 0"
B6="2001:db8:42:1::/64 $R6 proto 201 metric 1024"
check_poll "del: installed" "$B4 table main; $B6 table main" \
	fib_rri_of "$GW" 10.42.1.0/24 2001:db8:42:1::/64
restored0=$(rri_stat "$GW" route_restored)
check_match "stats has route_restored" "[0-9]*" "${restored0:-missing}"
check "ip route del 10.42.1.0/24 proto 201" ip -n "$GW" route del 10.42.1.0/24 proto 201
check "ip -6 route del 2001:db8:42:1::/64 proto 201" \
	ip -n "$GW" -6 route del 2001:db8:42:1::/64 proto 201
poll_eq "$B4 table main; $B6 table main" fib_rri_of "$GW" 10.42.1.0/24 2001:db8:42:1::/64
check_eq "del: rri put the route back" "$B4" "$(fib "$GW" 4 10.42.1.0/24)"
check_eq "IPv6 del: rri put the route back" "$B6" "$(fib "$GW" 6 2001:db8:42:1::/64)"
check_eq "del: rri shows it installed" "$(line4 10.42.1.0/24 "$R4" del 203.0.113.2)" \
	"$(rri_route "$GW" 10.42.1.0/24)"
check "del: route_restored went up by two" restored_above $((${restored0:-0} + 1))
check_eq "del: route_restored in the JSON agrees with the text" \
	"$(rri_stat "$GW" route_restored)" \
	"$(rrictl_ns "$GW" -j stats | jq -r '.route_restored // "missing"')"
check_claims "del"

# (c) The underlay path to the peers changes gateway.
check "map add path" rrictl_ns "$GW" map add path remote 10.43.0.0/16
check "map add path6" rrictl_ns "$GW" map add path6 remote 2001:db8:43::/48
tunnel 10.43.1.0/24 $S4 203.0.113.3 44 0x431
tunnel 2001:db8:43:1::/64 $S6 2001:db8:f::3 44 0x432
check_poll "path: installed via 192.0.2.254 and 2001:db8::fe" \
	"10.43.1.0/24 $R4 proto 201 metric 0 table main; 2001:db8:43:1::/64 $R6 proto 201 metric 1024 table main" \
	fib_rri_of "$GW" 10.43.1.0/24 2001:db8:43:1::/64
ip -n "$GW" route replace 203.0.113.0/24 via 192.0.2.253
ip -n "$GW" -6 route replace 2001:db8:f::/48 via 2001:db8::fd
C4="10.43.1.0/24 via 192.0.2.253 dev gw0 proto 201 metric 0"
C6="2001:db8:43:1::/64 via 2001:db8::fd dev gw0 proto 201 metric 1024"
poll_eq "$C4 table main; $C6 table main" fib_rri_of "$GW" 10.43.1.0/24 2001:db8:43:1::/64
check_eq "path: the route follows to 192.0.2.253, the old one is gone" \
	"$C4" "$(fib "$GW" 4 10.43.1.0/24)"
check_eq "IPv6 path: the route follows to 2001:db8::fd, the old one is gone" \
	"$C6" "$(fib "$GW" 6 2001:db8:43:1::/64)"
check_eq "path: rri shows the new gateway" \
	"$(line4 10.43.1.0/24 "via 192.0.2.253 dev gw0" path 203.0.113.3)" \
	"$(rri_route "$GW" 10.43.1.0/24)"
check_eq "path: the other route via the router followed too" \
	"10.41.1.0/24 via 192.0.2.253 dev gw0 proto 201 metric 0" "$(fib "$GW" 4 10.41.1.0/24)"
check_eq "path: the one via the on-link peer stayed" "$A2" "$(fib "$GW" 4 10.41.2.0/24)"
check_claims "path"
ip -n "$GW" route replace 203.0.113.0/24 via 192.0.2.254
ip -n "$GW" -6 route replace 2001:db8:f::/48 via 2001:db8::fe
check_poll "path: and back to 192.0.2.254 and 2001:db8::fe" \
	"10.43.1.0/24 $R4 proto 201 metric 0 table main; 2001:db8:43:1::/64 $R6 proto 201 metric 1024 table main" \
	fib_rri_of "$GW" 10.43.1.0/24 2001:db8:43:1::/64

# (d) A conflict that resolves by itself: the foreign route goes.
check "map add cf" rrictl_ns "$GW" map add cf remote 10.44.0.0/16
check "map add cf6" rrictl_ns "$GW" map add cf6 remote 2001:db8:44::/48
ip -n "$GW" route add 10.44.1.0/24 via 192.0.2.254 proto static
ip -n "$GW" -6 route add 2001:db8:44:1::/64 via 2001:db8::fe proto static
tunnel 10.44.1.0/24 $S4 203.0.113.4 45 0x441
tunnel 2001:db8:44:1::/64 $S6 2001:db8:f::4 45 0x442
check_poll "cf: rri shows conflict" conflict rri_sr "$GW" 10.44.1.0/24
check_poll "IPv6 cf: rri shows conflict" conflict rri_sr "$GW" 2001:db8:44:1::/64
check_eq "cf: the FIB keeps the foreign route" "10.44.1.0/24 $R4 proto static metric 0" \
	"$(fib "$GW" 4 10.44.1.0/24)"
check_eq "IPv6 cf: likewise" "2001:db8:44:1::/64 $R6 proto static metric 1024" \
	"$(fib "$GW" 6 2001:db8:44:1::/64)"
ip -n "$GW" route del 10.44.1.0/24 via 192.0.2.254 proto static
ip -n "$GW" -6 route del 2001:db8:44:1::/64 via 2001:db8::fe proto static
D4="10.44.1.0/24 $R4 proto 201 metric 0"
D6="2001:db8:44:1::/64 $R6 proto 201 metric 1024"
poll_eq "$D4 table main; $D6 table main" fib_rri_of "$GW" 10.44.1.0/24 2001:db8:44:1::/64
check_eq "cf: the foreign route gone, rri's is installed (no map change)" \
	"$D4" "$(fib "$GW" 4 10.44.1.0/24)"
check_eq "IPv6 cf: likewise" "$D6" "$(fib "$GW" 6 2001:db8:44:1::/64)"
check_eq "cf: rri shows it installed" "$(line4 10.44.1.0/24 "$R4" cf 203.0.113.4)" \
	"$(rri_route "$GW" 10.44.1.0/24)"
check_claims "cf"

# (e) The VRF of a map is deleted. Its table keeps routes whose next hop
# is outside the VRF: the one via the underlay is rri's to withdraw.
check "map add vrf vrf-red nexthop gateway 100.64.3.254 dev vr0" rrictl_ns "$GW" \
	map add vrf remote 10.45.0.0/16 vrf vrf-red nexthop gateway 100.64.3.254 dev vr0
check "map add vrfp vrf vrf-red (nexthop peer)" rrictl_ns "$GW" \
	map add vrfp remote 10.46.0.0/16 vrf vrf-red
tunnel 10.45.1.0/24 $S4 203.0.113.5 46 0x451
tunnel 10.46.1.0/24 $S4 203.0.113.6 47 0x461
check_poll "vrf: installed in table 300, via vr0 and via the underlay" \
	"10.45.1.0/24 via 100.64.3.254 dev vr0 proto 201 metric 0 table 300; 10.46.1.0/24 $R4 proto 201 metric 0 table 300" \
	fib_rri_of "$GW" 10.45.1.0/24 10.46.1.0/24
check "ip link del vrf-red" ip -n "$GW" link del vrf-red
check_eq "vrf deleted: the kernel took the route via vr0 out of table 300" "" \
	"$(fib "$GW" 4 10.45.1.0/24 300)"
# shellcheck disable=SC2317 # called by poll_eq
vrf_gone() {
	echo "$(fib_rri_of "$GW" 10.45.1.0/24 10.46.1.0/24)|$(rri_sr "$GW" 10.45.1.0/24)|$(rri_sr "$GW" 10.46.1.0/24)"
}
poll_eq "|unresolved dev|unresolved dev" vrf_gone
check_eq "vrf deleted: rri shows the route via vr0 unresolved, reason dev" "unresolved dev" \
	"$(rri_sr "$GW" 10.45.1.0/24)"
check_eq "vrf deleted: rri withdrew its route via the underlay from table 300" "" \
	"$(fib "$GW" 4 10.46.1.0/24 300)"
check_eq "vrf deleted: and shows it unresolved, reason dev" "unresolved dev" \
	"$(rri_sr "$GW" 10.46.1.0/24)"
check_eq "vrf deleted: no route of rri's to either prefix in any table" "" \
	"$(fib_rri_of "$GW" 10.45.1.0/24 10.46.1.0/24)"
check_claims "vrf deleted"

# (f) The device of nexthop dev goes down, then up.
check "map add dv nexthop dev d1" rrictl_ns "$GW" map add dv remote 10.47.0.0/16 nexthop dev d1
check "map add dv6 nexthop dev d1" rrictl_ns "$GW" map add dv6 remote 2001:db8:47::/48 nexthop dev d1
tunnel 10.47.1.0/24 $S4 203.0.113.7 48 0x471
tunnel 2001:db8:47:1::/64 $S6 2001:db8:f::7 48 0x472
F4="10.47.1.0/24 dev d1 proto 201 metric 0 scope link"
F6="2001:db8:47:1::/64 dev d1 proto 201 metric 1024"
check_poll "dv: installed on d1" "$F4 table main; $F6 table main" \
	fib_rri_of "$GW" 10.47.1.0/24 2001:db8:47:1::/64
ip -n "$GW" link set d1 down
check_eq "d1 down: the kernel flushed both" "" \
	"$(fib "$GW" 4 10.47.1.0/24)$(fib "$GW" 6 2001:db8:47:1::/64)"
busywait "$ROUTE_WAIT_MS" none_installed "$GW" 10.47.1.0/24 2001:db8:47:1::/64
check_eq "d1 down: rri no longer shows it installed" "not installed" \
	"$(not_installed "$GW" 10.47.1.0/24)"
check_eq "d1 down: reason dev" dev "$(rri_reason "$GW" 10.47.1.0/24)"
check_eq "IPv6 d1 down: likewise" "not installed" "$(not_installed "$GW" 2001:db8:47:1::/64)"
check_eq "IPv6 d1 down: reason dev" dev "$(rri_reason "$GW" 2001:db8:47:1::/64)"
check_eq "d1 down: nothing of it back in the FIB" "" \
	"$(fib_rri_of "$GW" 10.47.1.0/24 2001:db8:47:1::/64)"
check_claims "d1 down"
ip -n "$GW" link set d1 up
poll_eq "$F4 table main; $F6 table main" fib_rri_of "$GW" 10.47.1.0/24 2001:db8:47:1::/64
check_eq "d1 up: installed again" "$F4" "$(fib "$GW" 4 10.47.1.0/24)"
check_eq "IPv6 d1 up: installed again" "$F6" "$(fib "$GW" 6 2001:db8:47:1::/64)"
check_eq "d1 up: rri shows it installed" "$(line4 10.47.1.0/24 "dev d1" dv 203.0.113.7)" \
	"$(rri_route "$GW" 10.47.1.0/24)"
check_claims "d1 up"

# (g) An admin flushes every route of rri's.
before=$(fib_rri "$GW")
n=$(grep -o 'table main' <<< "$before" | wc -l)
check_eq "flush: rri's routes in main before (a 3, b 2, c 2, d 2, f 2)" 11 "$n"
restored0=$(rri_stat "$GW" route_restored)
# rri may put routes back while iproute2 flushes, which then gives up
# after 10 rounds: what counts is where the FIB ends up. A route that
# names a nexthop object goes with the object (iproute2's route flush
# sends back the gateway the kernel shows with the object's id, which
# the kernel refuses).
ip -n "$GW" route flush proto 201 >/dev/null 2>&1
ip -n "$GW" -6 route flush proto 201 >/dev/null 2>&1
ip -n "$GW" nexthop flush proto 201 >/dev/null 2>&1
check_poll "flush: every route came back as it was" "$before" fib_rri "$GW"
check "flush: route_restored went up by at least $n" restored_above $((${restored0:-0} + n - 1))
check_claims "flush"
check_eq "flush: no installed route has a reason" "" \
	"$(rrictl_ns "$GW" -j route show |
		jq -r '[.[] | select(.state == "installed" and has("reason")) | .prefix] | join(" ")')"

# Deleting the maps removes every route of rri's, whatever became of it.
for map in $(rrictl_ns "$GW" -j map show | jq -r '.[].name'); do
	rrictl_ns "$GW" map del "$map" || fail "map del $map"
done
check_eq "every map deleted: no route of protocol 201 in any table" "" "$(fib_rri "$GW")"
check_eq "rri shows no route" "" "$(rri_routes "$GW")"

rri_exit
