#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Route identity and reference counting. SAs and policies that exist
# before the module is loaded, or before any map, are adopted at `map add`.
# Two policies (to different peers) with the same remote proxy make one
# route with refs 2, which stays while either has an SA and goes with the
# last. An IKE rekey (new SA, then the old one deleted), five times over,
# and updates of the SA and the policy that change nothing rri uses, cause
# no route event at all.
#
#   +---------------------------- gw -----------------------------+  +- rt -+
#   | gw0 192.0.2.1/24 2001:db8::1/64, peers 203.0.113.x and      |--| rt0  |
#   | 2001:db8:f::x via rt                                        |  +------+
#   | adoption: 10.61.1.0/24, 2001:db8:61:1::/64 (before insmod), |
#   |           10.61.2.0/24 (before map add)                     |
#   | refcount: 10.0.0.0/24 and 10.0.1.0/24 -> 10.62.0.0/24 via   |
#   |           peers .3 and .4 (and the same in IPv6)            |
#   | rekey:    10.63.1.0/24 via .6, 2001:db8:63:1::/64 via f::6  |
#   +-------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
R4="via 192.0.2.254 dev gw0"
R6="via 2001:db8::fe dev gw0"

if rri_is_loaded; then
	rri_unload || { fail "rmmod rri (adoption needs it unloaded)"; rri_exit; }
fi
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }

# Adoption.
pol_add "$GW" 10.0.0.0/24 10.61.1.0/24 192.0.2.1 203.0.113.1 1
sa_add "$GW" 192.0.2.1 203.0.113.1 0x611 1
pol_add "$GW" 2001:db8:1::/64 2001:db8:61:1::/64 2001:db8::1 2001:db8:f::1 1
sa_add "$GW" 2001:db8::1 2001:db8:f::1 0x612 1
rri_load || { fail "insmod rri.ko"; rri_exit; }
pol_add "$GW" 10.0.0.0/24 10.61.2.0/24 192.0.2.1 203.0.113.2 2
sa_add "$GW" 192.0.2.1 203.0.113.2 0x613 2
settle "$GW"
check_eq "adoption: no map, no route" "" "$(fib_rri "$GW")"
check "map add ad" rrictl_ns "$GW" map add ad remote 10.61.0.0/16
check "map add ad6" rrictl_ns "$GW" map add ad6 remote 2001:db8:61::/48
check_eq "adoption: map add installs routes for what existed before insmod and before the map" \
	"10.61.1.0/24 $R4 proto 201 metric 0 table main; 10.61.2.0/24 $R4 proto 201 metric 0 table main; 2001:db8:61:1::/64 $R6 proto 201 metric 1024 table main" \
	"$(fib_rri "$GW")"
check_eq "adoption: map show counts them" "2 2 1 1" \
	"$(rrictl_ns "$GW" -j map show | jq -r '[.[] | .policies, .routes] | join(" ")')"

# Two policies, one route.
check "map add rc" rrictl_ns "$GW" map add rc remote 10.62.0.0/16
check "map add rc6" rrictl_ns "$GW" map add rc6 remote 2001:db8:62::/48
pol_add "$GW" 10.0.0.0/24 10.62.0.0/24 192.0.2.1 203.0.113.3 3
pol_add "$GW" 10.0.1.0/24 10.62.0.0/24 192.0.2.1 203.0.113.4 4
pol_add "$GW" 2001:db8:1::/64 2001:db8:62::/64 2001:db8::1 2001:db8:f::3 3
pol_add "$GW" 2001:db8:2::/64 2001:db8:62::/64 2001:db8::1 2001:db8:f::4 4
sa_add "$GW" 192.0.2.1 203.0.113.3 0x621 3
sa_add "$GW" 2001:db8::1 2001:db8:f::3 0x623 3
check_fib "refcount: the first SA installs the route" \
	"$GW" 4 10.62.0.0/24 "10.62.0.0/24 $R4 proto 201 metric 0"
check_fib "IPv6 refcount: likewise" \
	"$GW" 6 2001:db8:62::/64 "2001:db8:62::/64 $R6 proto 201 metric 1024"
sa_add "$GW" 192.0.2.1 203.0.113.4 0x622 4
sa_add "$GW" 2001:db8::1 2001:db8:f::4 0x624 4
# shellcheck disable=SC2317 # called by check_poll
refs() {
	rrictl_ns "$GW" -j route show |
		jq -r '[.[] | select(.prefix == "10.62.0.0/24" or .prefix == "2001:db8:62::/64")
			| "\(.prefix) \(.state) refs \(.refs)"] | sort | join(", ")'
}
check_poll "refcount: one route per family, refs 2" \
	"10.62.0.0/24 installed refs 2, 2001:db8:62::/64 installed refs 2" refs
check_eq "refcount: still one route in the FIB" \
	"10.62.0.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.62.0.0/24)"
mon_start "$GW"
sa_del "$GW" 192.0.2.1 203.0.113.3 0x621
sa_del "$GW" 2001:db8::1 2001:db8:f::3 0x623
check_poll "refcount: one SA gone, refs 1" \
	"10.62.0.0/24 installed refs 1, 2001:db8:62::/64 installed refs 1" refs
check_no_events "refcount: the route stays untouched while a policy still justifies it" "$GW"
sa_del "$GW" 192.0.2.1 203.0.113.4 0x622
sa_del "$GW" 2001:db8::1 2001:db8:f::4 0x624
check_fib "refcount: the last SA takes the route" "$GW" 4 10.62.0.0/24 ""
check_fib "IPv6 refcount: likewise" "$GW" 6 2001:db8:62::/64 ""
mon_events "$GW"
check_eq "refcount: exactly one deletion per family" \
	"Deleted 10.62.0.0/24 $R4 proto 201|Deleted 2001:db8:62::/64 $R6 proto 201 metric 1024 pref medium" \
	"$(paste -sd '|' <<< "$mon_out")"

# Rekeys.
check "map add rk" rrictl_ns "$GW" map add rk remote 10.63.0.0/16
check "map add rk6" rrictl_ns "$GW" map add rk6 remote 2001:db8:63::/48
pol_add "$GW" 10.0.0.0/24 10.63.1.0/24 192.0.2.1 203.0.113.6 6
pol_add "$GW" 2001:db8:1::/64 2001:db8:63:1::/64 2001:db8::1 2001:db8:f::6 6
sa_add "$GW" 192.0.2.1 203.0.113.6 0x630 6
sa_add "$GW" 2001:db8::1 2001:db8:f::6 0x640 6
check_fib "rekey: the route is installed" "$GW" 4 10.63.1.0/24 "10.63.1.0/24 $R4 proto 201 metric 0"
check_fib "IPv6 rekey: likewise" "$GW" 6 2001:db8:63:1::/64 \
	"2001:db8:63:1::/64 $R6 proto 201 metric 1024"
mon_events "$GW"
rekeyed() {
	rrictl_ns "$GW" -j route show |
		jq -r '[.[] | select(.prefix | startswith("10.63.") or startswith("2001:db8:63:"))
			| "\(.prefix) \(.state) refs \(.refs) since \(.since)"] | sort | join(", ")'
}
before=$(rekeyed)
adds=$(rri_stat "$GW" route_add)
dels=$(rri_stat "$GW" route_del)
for i in 1 2 3 4 5; do
	sa_add "$GW" 192.0.2.1 203.0.113.6 $((0x630 + i)) 6
	sa_add "$GW" 2001:db8::1 2001:db8:f::6 $((0x640 + i)) 6
	sa_del "$GW" 192.0.2.1 203.0.113.6 $((0x630 + i - 1))
	sa_del "$GW" 2001:db8::1 2001:db8:f::6 $((0x640 + i - 1))
done
ip -n "$GW" xfrm state update src 192.0.2.1 dst 203.0.113.6 proto esp spi 0x635 reqid 6 \
	mode tunnel aead 'rfc4106(gcm(aes))' "$ROUTE_KEY" 128 limit time-hard 3600
ip -n "$GW" xfrm policy update src 10.0.0.0/24 dst 10.63.1.0/24 dir out priority 100 \
	tmpl src 192.0.2.1 dst 203.0.113.6 proto esp reqid 6 mode tunnel
check_no_events "rekey x5, then an SA and a policy update: no route event at all" "$GW"
check_eq "rekey x5: the routes are the same records (state, refs, since)" "$before" "$(rekeyed)"
check_eq "rekey x5: route_add and route_del did not move" "$adds $dels" \
	"$(rri_stat "$GW" route_add) $(rri_stat "$GW" route_del)"
check_eq "rekey x5: one SA per tunnel is left" "1 1" \
	"$(ip -n "$GW" xfrm state list dst 203.0.113.6 | grep -c '^src') $(ip -n "$GW" xfrm state list dst 2001:db8:f::6 | grep -c '^src')"
check_eq "rekey x5: the route is still in the FIB" \
	"10.63.1.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.63.1.0/24)"

rri_exit
