#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lost answers: rri's rtnetlink socket is made too small for the kernel's
# answers (rtnl_rcvbuf=4096 holds two or three of a batch of 32), so most
# of rri's route messages go unanswered and rri must learn from the FIB
# what they did. Each round moves N routes between a device route and a
# gateway route on the same device. The old route's removal names the
# prefix and the device only; sent again once the new route is in the FIB
# (its first answer lost), it would take the new route's entry. After each
# move, with no further command, the FIB must hold exactly the N routes of
# the new shape, stay so, and rri must show them installed. Deleting the
# map, whose last removals may get no answer either, leaves no route and
# no nexthop object of rri's.
#
#   +----------------------- gw -----------------------+  +- rt -+
#   | gw0 192.0.2.1/24                                  |--| rt0  |
#   | N policies 10.0.0.0/24 -> 10.100.i.0/24 (static)  |  +------+
#   | map m: nexthop dev gw0 <-> gateway 192.0.2.254    |
#   +---------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

N=${RRI_LOST_POLICIES:-64}
ROUNDS=4
GW=rri-gw-$$ RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
insmod "$RRI_KO" rtnl_rcvbuf=4096 && rri_loaded_here=1 || {
	fail "insmod rri.ko rtnl_rcvbuf=4096"
	rri_exit
}

for ((i = 1; i <= N; i++)); do
	echo "xfrm policy add src 10.0.0.0/24 dst 10.100.$i.0/24 dir out" \
		"tmpl src 192.0.2.1 dst 203.0.113.1 proto esp reqid 1 mode tunnel"
done > "$route_tmp/pol"
ip -n "$GW" -batch "$route_tmp/pol" || fail "policies"

# shape: "ROUTES VIA_GATEWAY ON_GW0" of the FIB's rri routes.
shape() {
	fib_both "$GW" proto 201 | jq -s -r 'add |
		"\(length) \([.[] | select(.gateway == "192.0.2.254")] | length)" +
		" \([.[] | select(.dev == "gw0")] | length)"'
}
# installed: how many routes rri shows installed, and how many in all.
installed() {
	rrictl_ns "$GW" -j route show |
		jq -r '"\([.[] | select(.state == "installed")] | length) of \(length)"'
}

check "map add m mode static nexthop dev gw0" \
	rrictl_ns "$GW" map add m mode static nexthop dev gw0
check_poll "the FIB holds the $N device routes" "$N 0 $N" shape
errors0=$(rri_stat "$GW" route_error)
for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then
		nh="gateway 192.0.2.254 dev gw0" want="$N $N $N"
	else
		nh="dev gw0" want="$N 0 $N"
	fi
	check "round $r: map set m nexthop $nh" rrictl_ns "$GW" map set m nexthop $nh
	check_poll "round $r: the FIB holds the $N new routes" "$want" shape
	check_poll "round $r: rri shows them installed" "$N of $N" installed
	# A removal sent again late would take routes away after this point.
	sleep 2
	check_eq "round $r: and the FIB still does, 2 s later" "$want" "$(shape)"
done
errors=$(($(rri_stat "$GW" route_error) - errors0))
log "# unanswered or failed route messages: $errors"
check "answers were lost ($errors route errors)" test "$errors" -gt 0

check "the routes name nexthop objects" test -n "$(rri_nexthops "$GW")"
rrictl_ns "$GW" map del m
check_poll "map del: the FIB holds none of them" "0 0 0" shape
check_poll "and no nexthop object of rri's is left, answers lost or not" "" rri_nexthops "$GW"
rri_exit
