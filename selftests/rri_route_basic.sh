#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The basic life of an rri route, for IPv4 and IPv6: in mode dynamic it
# exists while the policy has a VALID SA (of the template's reqid), in mode
# static while the policy exists; its next hop is the router toward the
# tunnel endpoint, or the endpoint itself when that is on-link; its
# protocol is 201; `ip xfrm state flush` takes every dynamic route,
# `ip xfrm policy flush` every route. A remote proxy of length 0 is skipped;
# transport-mode, inbound and forward policies are ignored.
#
#   +------------------- gw --------------------+  +------ rt -------+
#   | gw0 192.0.2.1/24 2001:db8::1/64           |--| rt0 .254 / ::fe |
#   | 203.0.113.0/24  via 192.0.2.254           |  +-----------------+
#   | 2001:db8:f::/48 via 2001:db8::fe          |
#   | maps: dyn4 remote 10.81.0.0/16            |  peers 203.0.113.1 and
#   |       st4  remote 10.82.0.0/16 static     |  2001:db8:f::1 via rt,
#   |       dyn6 remote 2001:db8:81::/48        |  192.0.2.7 and 2001:db8::7
#   |       st6  remote 2001:db8:82::/48 static |  on-link
#   |       zero4, zero6 (added last) static    |
#   +-------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

# Addresses of family $1 (4 or 6).
family() {
	if [ "$1" = 4 ]; then
		F=inet LNET=10.0.0.0/24 SRC=192.0.2.1 PEER=203.0.113.1
		ROUTER=192.0.2.254 LPEER=192.0.2.7 M=0
		DYN1=10.81.2.0/29 DYN2=10.81.3.0/24
		DYN3=10.81.4.0/24 ST1=10.82.5.0/24 ZERO=0.0.0.0/0
		IGN_T=10.83.0.0/24 IGN_I=10.84.0.0/24 IGN_F=10.85.0.0/24
		DYN_NET=10.81.0.0/16 ST_NET=10.82.0.0/16
	else
		F=inet6 LNET=2001:db8:1::/64 SRC=2001:db8::1 PEER=2001:db8:f::1
		ROUTER=2001:db8::fe LPEER=2001:db8::7 M=1024
		DYN1=2001:db8:81:2::/64 DYN2=2001:db8:81:3::/64
		DYN3=2001:db8:81:4::/64 ST1=2001:db8:82:5::/64 ZERO=::/0
		IGN_T=2001:db8:83::/64 IGN_I=2001:db8:84::/64 IGN_F=2001:db8:85::/64
		DYN_NET=2001:db8:81::/48 ST_NET=2001:db8:82::/48
	fi
	V=$1
}

# Up to the flushes, once per family.
lifecycle() {
	family "$1"
	local base=$((0x1000 * V))

	check "map add dyn$V (dynamic)" rrictl_ns "$GW" map add "dyn$V" remote "$DYN_NET"
	check "map add st$V (static)" rrictl_ns "$GW" map add "st$V" remote "$ST_NET" mode static

	# Dynamic: the policy alone gives nothing.
	pol_add "$GW" "$LNET" "$DYN1" "$SRC" "$PEER" 1
	settle "$GW"
	check_eq "IPv$V dynamic: a policy without SA installs no route" "" "$(fib "$GW" "$V" "$DYN1")"
	check_eq "IPv$V dynamic: and rri derives none" "" "$(rri_route "$GW" "$DYN1")"

	sa_add "$GW" "$SRC" "$PEER" $((base + 1)) 1
	check_fib "IPv$V dynamic: the SA brings the route, via the router, proto 201" \
		"$GW" "$V" "$DYN1" "$DYN1 via $ROUTER dev gw0 proto 201 metric $M"
	check_rri "IPv$V dynamic: rri shows it installed" "$GW" "$DYN1" \
		"$DYN1 via $ROUTER dev gw0 table 254 metric $M proto 201 map dyn$V peer $PEER state installed refs 1 kind proxy"

	if [ "$V" = 4 ]; then
		local since text
		since=$(rrictl_ns "$GW" -j route show | jq --arg p "$DYN1" '.[] | select(.prefix == $p) | .since')
		check "since is the time the route was installed" \
			test "$since" -le "$(date +%s)" -a "$since" -gt $(($(date +%s) - 120))
		text="$DYN1 via $ROUTER dev gw0 table 254 metric 0 proto 201 map dyn4 peer $PEER"
		text+=" state installed since $(date -u -d "@$since" +%Y-%m-%dT%H:%M:%SZ) refs 1"
		check_eq "rrictl route show (text) says the same" "$text" \
			"$(rrictl_ns "$GW" route show | grep "^$DYN1 ")"
		check_eq "rrictl map show (text)" \
			"map dyn4 mode dynamic nexthop peer table 254 metric 0 proto 201|    match remote $DYN_NET|    policies 1 routes 1 shadowed 0" \
			"$(rrictl_ns "$GW" map show dyn4 | paste -sd '|')"
	fi

	sa_del "$GW" "$SRC" "$PEER" $((base + 1))
	check_fib "IPv$V dynamic: deleting the SA removes the route" "$GW" "$V" "$DYN1" ""
	check_rri "IPv$V dynamic: and rri forgets it" "$GW" "$DYN1" ""

	sa_add "$GW" "$SRC" "$PEER" $((base + 2)) 1
	check_fib "IPv$V dynamic: a new SA brings it back" \
		"$GW" "$V" "$DYN1" "$DYN1 via $ROUTER dev gw0 proto 201 metric $M"
	pol_del "$GW" "$LNET" "$DYN1"
	check_fib "IPv$V dynamic: deleting the policy removes the route, SA or not" \
		"$GW" "$V" "$DYN1" ""
	check_rri "IPv$V dynamic: and rri forgets it" "$GW" "$DYN1" ""

	# The template's reqid must match the SA's.
	pol_add "$GW" "$LNET" "$DYN3" "$SRC" "$PEER" 4
	sa_add "$GW" "$SRC" "$PEER" $((base + 3)) 5
	settle "$GW"
	check_eq "IPv$V dynamic: an SA of another reqid does not satisfy the template" \
		"" "$(fib "$GW" "$V" "$DYN3")"
	sa_add "$GW" "$SRC" "$PEER" $((base + 4)) 4
	check_fib "IPv$V dynamic: an SA of the template's reqid does" \
		"$GW" "$V" "$DYN3" "$DYN3 via $ROUTER dev gw0 proto 201 metric $M"

	# On-link peer: via the peer itself.
	pol_add "$GW" "$LNET" "$DYN2" "$SRC" "$LPEER" 2
	sa_add "$GW" "$SRC" "$LPEER" $((base + 5)) 2
	check_fib "IPv$V dynamic: an on-link peer is the next hop itself" \
		"$GW" "$V" "$DYN2" "$DYN2 via $LPEER dev gw0 proto 201 metric $M"
	check_rri "IPv$V dynamic: rri agrees" "$GW" "$DYN2" \
		"$DYN2 via $LPEER dev gw0 table 254 metric $M proto 201 map dyn$V peer $LPEER state installed refs 1 kind proxy"

	# Static: the policy alone is enough.
	pol_add "$GW" "$LNET" "$ST1" "$SRC" "$LPEER" 3
	check_fib "IPv$V static: the policy alone brings the route" \
		"$GW" "$V" "$ST1" "$ST1 via $LPEER dev gw0 proto 201 metric $M"
	check_rri "IPv$V static: rri shows it installed" "$GW" "$ST1" \
		"$ST1 via $LPEER dev gw0 table 254 metric $M proto 201 map st$V peer $LPEER state installed refs 1 kind proxy"
}

lifecycle 4
lifecycle 6

want_static="10.82.5.0/24 via 192.0.2.7 dev gw0 proto 201 metric 0 table main; "
want_static+="2001:db8:82:5::/64 via 2001:db8::7 dev gw0 proto 201 metric 1024 table main"
check_eq "before the flushes: 2 dynamic and 1 static route per family" 6 "$(fib_rri_count "$GW")"

ip -n "$GW" xfrm state flush
check_poll "state flush removes every dynamic route, static ones stay" \
	"$want_static" fib_rri "$GW"
check_eq "rri shows only the static routes" "10.82.5.0/24 2001:db8:82:5::/64" "$(rri_routes "$GW")"

# The SAs again, then the policies go all at once.
for V in 4 6; do
	family $V
	base=$((0x1000 * V))
	sa_add "$GW" "$SRC" "$PEER" $((base + 6)) 4
	sa_add "$GW" "$SRC" "$LPEER" $((base + 7)) 2
done
check_poll "new SAs bring the dynamic routes back" 6 fib_rri_count "$GW"
ip -n "$GW" xfrm policy flush
check_poll "policy flush removes every rri route" "" fib_rri "$GW"
check_eq "rri shows no route" "" "$(rri_routes "$GW")"

# Prefix length 0, transport mode, inbound and forward policies, under a
# map that selects everything.
for V in 4 6; do
	family $V
	check "map add zero$V (static, $F)" rrictl_ns "$GW" map add "zero$V" family "$F" mode static
	pol_add "$GW" "$LNET" "$ZERO" "$SRC" "$PEER" 1
	check_rri "IPv$V: a remote proxy of length 0 is skipped" "$GW" "$ZERO" \
		"$ZERO via $ROUTER dev gw0 table 254 metric $M proto 201 map zero$V peer $PEER state skipped refs 1 kind proxy"
	check_eq "IPv$V: and not installed" "" "$(fib "$GW" "$V" "$ZERO")"

	ip -n "$GW" xfrm policy add src "$LNET" dst "$IGN_T" dir out \
		tmpl src "$SRC" dst "$PEER" proto esp reqid 1 mode transport
	ip -n "$GW" xfrm policy add src "$IGN_I" dst "$LNET" dir in \
		tmpl src "$PEER" dst "$SRC" proto esp reqid 1 mode tunnel
	ip -n "$GW" xfrm policy add src "$LNET" dst "$IGN_I" dir in \
		tmpl src "$PEER" dst "$SRC" proto esp reqid 1 mode tunnel
	ip -n "$GW" xfrm policy add src "$LNET" dst "$IGN_F" dir fwd \
		tmpl src "$SRC" dst "$PEER" proto esp reqid 1 mode tunnel
	settle "$GW"
	check_eq "IPv$V: transport-mode, inbound and forward policies give no route" \
		"$ZERO" "$(rri_routes "$GW" map "zero$V")"
	check_eq "IPv$V: the map owns only the tunnel-mode outbound policy" 1 \
		"$(rri_map "$GW" "zero$V" policies)"
done
check_eq "no rri route in the FIB at all" "" "$(fib_rri "$GW")"
ip -n "$GW" xfrm policy flush
check_poll "policy flush: rri shows nothing" "" rri_routes "$GW"
check_eq "no route failed to program" 0 "$(rri_stat "$GW" route_error)"

rri_exit
