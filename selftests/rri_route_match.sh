#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Map match keys: reqid, if_id, mark V/M, remote, local and family each
# select exactly the policies they describe, alone and together; a map
# without keys selects every policy. Routes of a map appear before
# `map add` returns and go before `map del` returns. When maps overlap, the
# one added first owns the policy and the later one shows it as shadowed;
# narrowing or deleting the first hands the policy to the next, whose
# settings the route then follows. In mode dynamic the SA must carry the
# policy's mark and if_id. With nexthop peer, a policy with an if_id is
# routed into its XFRM interface, and a mark-scoped one gets no route
# (state unresolved, reason mark): only marked traffic would match it.
#
#   +---------------------------- gw -----------------------------+  +- rt -+
#   | gw0 192.0.2.1/24 2001:db8::1/64, 203.0.113.0/24 via rt      |--| rt0  |
#   | outbound tunnel policies to peer 203.0.113.1 (static maps): |  +------+
#   |   A 10.0.0.0/24 -> 10.91.1.0/24 reqid 11                    |
#   |   B 10.0.0.0/24 -> 10.91.2.0/24 reqid 12                    |
#   |   C 10.0.0.0/24 -> 10.92.1.0/24 reqid 13 if_id 7            |
#   |   D 10.0.0.0/24 -> 10.93.1.0/24 reqid 14 mark 0x115         |
#   |   E 10.0.0.0/24 -> 10.93.2.0/24 reqid 14 mark 0x215         |
#   |   G 10.0.2.0/24 -> 10.94.1.0/24 reqid 15                    |
#   |   F 2001:db8:1::/64 -> 2001:db8:91::/64 reqid 11 (to f::1)  |
#   |   H 2001:db8:2::/64 -> 2001:db8:94::/64 reqid 16 (to f::1)  |
#   | and to 203.0.113.9, mode dynamic:                           |
#   |   M 10.0.0.0/24 -> 10.95.1.0/24 reqid 21 mark 0x5 if_id 9   |
#   | XFRM interfaces xfrm7 (if_id 7) and xfrm9 (if_id 9)         |
#   +-------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
for i in 7 9; do
	ip -n "$GW" link add xfrm$i type xfrm dev gw0 if_id $i &&
		ip -n "$GW" link set xfrm$i up || { fail "xfrm interface $i"; rri_exit; }
done
rri_load || { fail "insmod rri.ko"; rri_exit; }

P4=203.0.113.1
P6=2001:db8:f::1
A=10.91.1.0/24 B=10.91.2.0/24 C=10.92.1.0/24 D=10.93.1.0/24 E=10.93.2.0/24
G=10.94.1.0/24 F=2001:db8:91::/64 H=2001:db8:94::/64
pol_add "$GW" 10.0.0.0/24 $A 192.0.2.1 $P4 11
pol_add "$GW" 10.0.0.0/24 $B 192.0.2.1 $P4 12
pol_add "$GW" 10.0.0.0/24 $C 192.0.2.1 $P4 13 if_id 7
pol_add "$GW" 10.0.0.0/24 $D 192.0.2.1 $P4 14 mark 0x115
pol_add "$GW" 10.0.0.0/24 $E 192.0.2.1 $P4 14 mark 0x215
pol_add "$GW" 10.0.2.0/24 $G 192.0.2.1 $P4 15
pol_add "$GW" 2001:db8:1::/64 $F 2001:db8::1 $P6 11
pol_add "$GW" 2001:db8:2::/64 $H 2001:db8::1 $P6 16
# No map yet: nothing is derived, and the map adds below adopt the policies.
settle "$GW"
check_eq "no map, no route" "" "$(fib_rri_prefixes "$GW")"

sorted() { tr ' ' '\n' <<< "$*" | LC_ALL=C sort | paste -sd ' '; }
ALL4=$(sorted $A $B $C $D $E $G)
ALL=$(sorted $A $B $C $D $E $G $F $H)

# selects DESCRIPTION "PREFIX..." KEY...: a static map with KEYs routes
# exactly PREFIXes, at once; it is deleted again (a route it left behind
# fails the next case). The mark-scoped D and E are in rri's list, but
# unresolved: never in the kernel's.
selects() {
	local what=$1 want fibwant p
	want=$(sorted "$2")
	fibwant=$(for p in $want; do [ "$p" = $D ] || [ "$p" = $E ] || echo "$p"; done)
	shift 2
	if ! rrictl_ns "$GW" map add m mode static "$@"; then
		fail "$what: map add m $*"
		return
	fi
	check_eq "$what: rri's routes" "$want" "$(rri_routes "$GW")"
	check_eq "$what: the kernel's routes" "$(sorted $fibwant)" "$(fib_rri_prefixes "$GW")"
	rrictl_ns "$GW" map del m || fail "$what: map del m"
}

selects "no key selects every tunnel policy" "$ALL"
selects "reqid 11" "$A $F" reqid 11
selects "reqid 11 family inet" "$A" reqid 11 family inet
selects "reqid 12 remote 10.91.0.0/16" "$B" reqid 12 remote 10.91.0.0/16
selects "reqid 11 remote 10.92.0.0/16 (keys that exclude each other)" "" \
	reqid 11 remote 10.92.0.0/16
selects "if_id 7" "$C" if_id 7
selects "mark 0x100/0xf00" "$D" mark 0x100/0xf00
selects "mark 0x215 (mask 0xffffffff)" "$E" mark 0x215
selects "mark 0x15/0xff" "$D $E" mark 0x15/0xff
selects "remote 10.91.0.0/16" "$A $B" remote 10.91.0.0/16
selects "remote 10.91.1.0/24 (the proxy itself)" "$A" remote 10.91.1.0/24
selects "remote 10.91.1.0/25 (narrower than the proxy)" "" remote 10.91.1.0/25
selects "remote 2001:db8:91::/48" "$F" remote 2001:db8:91::/48
selects "remote 2001:db8:90::/44" "$F $H" remote 2001:db8:90::/44
selects "local 10.0.2.0/24" "$G" local 10.0.2.0/24
selects "local 10.0.0.0/16" "$ALL4" local 10.0.0.0/16
selects "local 2001:db8:2::/48" "$H" local 2001:db8:2::/48
selects "family inet" "$ALL4" family inet
selects "family inet6" "$(sorted $F $H)" family inet6
check_eq "map del took every route" "" "$(fib_rri_prefixes "$GW")"

# Route-based: into the XFRM interface of the if_id; nothing for a mark.
rrictl_ns "$GW" map add m mode static
check_eq "if_id 7: a device route into xfrm7" \
	"$C dev xfrm7 proto 201 metric 0 scope link" "$(fib "$GW" 4 $C)"
check_eq "mark 0x115: unresolved, reason mark" "unresolved mark" \
	"$(rrictl_ns "$GW" -j route show | jq -r --arg p $D '.[] | select(.prefix == $p) | "\(.state) \(.reason)"')"
rrictl_ns "$GW" map del m

# Overlap: the map added first owns, whatever the later maps say.
rrictl_ns "$GW" map add first mode static remote 10.91.0.0/16 metric 10
rrictl_ns "$GW" map add second mode static reqid 11 metric 20
rrictl_ns "$GW" map add third mode static remote $A metric 30
check_eq "overlap: the first map's route for A" \
	"$A via 192.0.2.254 dev gw0 proto 201 metric 10" "$(fib "$GW" 4 $A)"
check_eq "overlap: rri has A once, from map first" \
	"$A via 192.0.2.254 dev gw0 table 254 metric 10 proto 201 map first peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" $A)"
check_eq "overlap: F goes to the second map" \
	"$F via 2001:db8::fe dev gw0 proto 201 metric 20" "$(fib "$GW" 6 $F)"
counts() {
	rrictl_ns "$GW" -j map show | jq -r '[.[] | "\(.name) \(.policies)/\(.shadowed)"] | join(", ")'
}
check_eq "overlap: map show counts owned/shadowed policies" \
	"first 2/0, second 1/1, third 0/1" "$(counts)"
rrictl_ns "$GW" map set third metric 31
check_eq "overlap: map set keeps a map's place in the order" \
	"first 2/0, second 1/1, third 0/1" "$(counts)"
check "map set first remote 10.91.2.0/24 (narrower)" \
	rrictl_ns "$GW" map set first remote 10.91.2.0/24
check_eq "narrowing the first map hands A to the second (metric 20)" \
	"$A via 192.0.2.254 dev gw0 proto 201 metric 20" "$(fib "$GW" 4 $A)"
check_eq "and map show agrees" "first 1/0, second 2/0, third 0/1" "$(counts)"
check "map set first remote 10.91.0.0/16 (wide again)" \
	rrictl_ns "$GW" map set first remote 10.91.0.0/16
check_eq "widening it takes A back (metric 10)" \
	"$A via 192.0.2.254 dev gw0 proto 201 metric 10" "$(fib "$GW" 4 $A)"
check "map del first" rrictl_ns "$GW" map del first
check_eq "after map del first: A follows map second (metric 20)" \
	"$A via 192.0.2.254 dev gw0 proto 201 metric 20" "$(fib "$GW" 4 $A)"
check_eq "after map del first: rri has A from map second" \
	"$A via 192.0.2.254 dev gw0 table 254 metric 20 proto 201 map second peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" $A)"
check_eq "after map del first: B, selected by no other map, is gone" "" "$(fib "$GW" 4 $B)"
check_eq "after map del first: third is still shadowed by second" \
	"second 2/0, third 0/1" "$(counts)"
check "map del second" rrictl_ns "$GW" map del second
check_eq "after map del second: A follows map third (metric 31)" \
	"$A via 192.0.2.254 dev gw0 proto 201 metric 31" "$(fib "$GW" 4 $A)"
check_eq "after map del second: only third's route is left" \
	"$A via 192.0.2.254 dev gw0 proto 201 metric 31 table main" "$(fib_rri "$GW")"
rrictl_ns "$GW" map del third

# Dynamic: the SA must carry the policy's mark and if_id.
M=10.95.1.0/24 PM=203.0.113.9
pol_add "$GW" 10.0.0.0/24 $M 192.0.2.1 $PM 21 mark 0x5 if_id 9
check "map add dynm (dynamic)" rrictl_ns "$GW" map add dynm remote 10.95.0.0/16
sa_add "$GW" 192.0.2.1 $PM 0x501 21 mark 0x6 if_id 9
sa_add "$GW" 192.0.2.1 $PM 0x502 21 mark 0x5 if_id 8
settle "$GW"
check_eq "dynamic: SAs of another mark or if_id do not satisfy the policy" "" "$(fib "$GW" 4 $M)"
sa_add "$GW" 192.0.2.1 $PM 0x503 21 mark 0x5 if_id 9
check_fib "dynamic: an SA of the policy's mark and if_id does" \
	"$GW" 4 $M "$M dev xfrm9 proto 201 metric 0 scope link"
sa_del "$GW" 192.0.2.1 $PM 0x503 mark 0x5
check_fib "dynamic: and the route goes with it" "$GW" 4 $M ""
check_eq "no route failed to program" 0 "$(rri_stat "$GW" route_error)"

rri_exit
