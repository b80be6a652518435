#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How XFRM's own life cycle reaches the routes, beyond add and delete: a
# larval SA (allocspi, as an IKE responder makes) is not VALID and gives no
# route until it is updated with keys; hard expiry of an SA and of a policy
# removes their routes; a template of reqid 0 accepts a VALID SA of any
# reqid, whenever it came, and a flush takes it away;
# with nested templates the outermost tunnel's endpoint is the peer; a
# policy update that moves the tunnel moves the route's next hop; selector
# protocol and ports do not narrow the route (two policies that differ
# only there share one route); IPv4 selectors over an IPv6 tunnel and the
# reverse give a device route toward the peer.
#
#   +------------------------------- gw --------------------------------+  +- rt -+
#   | gw0 192.0.2.1/24 2001:db8::1/64; peers 203.0.113.x, 2001:db8:f::1 |--| rt0  |
#   |   via rt; 192.0.2.7 on-link                                       |  +------+
#   | map dyn remote 10.30.0.0/16 (dynamic), st remote 10.31.0.0/16     |
#   | (static), xf remote 10.32.0.0/16 and xf6 remote 2001:db8:32::/48  |
#   | (static, cross-family tunnels)                                    |
#   +-------------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

S=192.0.2.1 L=10.0.0.0/24
R4="via 192.0.2.254 dev gw0"
check "map add dyn" rrictl_ns "$GW" map add dyn remote 10.30.0.0/16
check "map add st" rrictl_ns "$GW" map add st remote 10.31.0.0/16 mode static
check "map add xf" rrictl_ns "$GW" map add xf remote 10.32.0.0/16 mode static
check "map add xf6" rrictl_ns "$GW" map add xf6 remote 2001:db8:32::/48 mode static

# A larval SA, then the update that makes it VALID.
pol_add "$GW" $L 10.30.1.0/24 $S 203.0.113.11 11
spi=$(ip -n "$GW" xfrm state allocspi src $S dst 203.0.113.11 proto esp mode tunnel reqid 11 |
	sed -n 's/.* spi \(0x[0-9a-f]*\).*/\1/p')
check_match "allocspi gives a larval SA" "0x*" "$spi"
settle "$GW"
check_eq "larval SA: no route" "" "$(fib "$GW" 4 10.30.1.0/24)"
check_eq "larval SA: rri derives none" "" "$(rri_route "$GW" 10.30.1.0/24)"
ip -n "$GW" xfrm state update src $S dst 203.0.113.11 proto esp spi "$spi" reqid 11 \
	mode tunnel aead 'rfc4106(gcm(aes))' "$ROUTE_KEY" 128
check_fib "the update that makes it VALID brings the route" "$GW" 4 10.30.1.0/24 \
	"10.30.1.0/24 $R4 proto 201 metric 0"

# Hard expiry of an SA (dynamic) and of a policy (static).
adds=$(rri_stat "$GW" route_add)
dels=$(rri_stat "$GW" route_del)
pol_add "$GW" $L 10.30.2.0/24 $S 203.0.113.12 12
pol_add "$GW" $L 10.31.2.0/24 $S 203.0.113.13 13 limit time-hard 5
sa_add "$GW" $S 203.0.113.12 0x1201 12 limit time-hard 5
ROUTE_WAIT_MS=30000 poll_eq $((dels + 2)) rri_stat "$GW" route_del
check_eq "hard expiry of the SA and of the policy: both routes were installed, then removed" \
	"$((adds + 2)) $((dels + 2))" "$(rri_stat "$GW" route_add) $polled"
check_eq "SA expired: no route" "" "$(fib "$GW" 4 10.30.2.0/24)"
check_eq "policy expired: no route" "" "$(fib "$GW" 4 10.31.2.0/24)"
check_eq "rri forgot both" "" "$(rri_route "$GW" 10.30.2.0/24)$(rri_route "$GW" 10.31.2.0/24)"

# Template reqid 0.
pol_add "$GW" $L 10.30.3.0/24 $S 203.0.113.14 0
settle "$GW"
check_eq "template reqid 0, no SA: no route" "" "$(fib "$GW" 4 10.30.3.0/24)"
sa_add "$GW" $S 203.0.113.14 0x1401 77
check_fib "template reqid 0: an SA of reqid 77 satisfies it" "$GW" 4 10.30.3.0/24 \
	"10.30.3.0/24 $R4 proto 201 metric 0"
sa_del "$GW" $S 203.0.113.14 0x1401
check_fib "template reqid 0: and its end removes the route" "$GW" 4 10.30.3.0/24 ""
# rri indexes the VALID SAs while such templates exist: an SA that was
# there before the policy, a larval one, an SA of another tunnel, a flush.
pol_del "$GW" $L 10.30.3.0/24
settle "$GW"
sa_add "$GW" $S 203.0.113.18 0x1801 78
spi=$(ip -n "$GW" xfrm state allocspi src $S dst 203.0.113.19 proto esp mode tunnel reqid 79 |
	sed -n 's/.* spi \(0x[0-9a-f]*\).*/\1/p')
pol_add "$GW" $L 10.30.7.0/24 $S 203.0.113.19 0
pol_add "$GW" $L 10.30.8.0/24 $S 203.0.113.18 0
check_fib "template reqid 0: an SA that came first satisfies it" "$GW" 4 10.30.8.0/24 \
	"10.30.8.0/24 $R4 proto 201 metric 0"
check_eq "template reqid 0: a larval SA does not" "" "$(fib "$GW" 4 10.30.7.0/24)"
ip -n "$GW" xfrm state update src $S dst 203.0.113.19 proto esp spi "$spi" reqid 79 \
	mode tunnel aead 'rfc4106(gcm(aes))' "$ROUTE_KEY" 128
check_fib "template reqid 0: until it becomes VALID" "$GW" 4 10.30.7.0/24 \
	"10.30.7.0/24 $R4 proto 201 metric 0"
check_eq "template reqid 0: the other tunnel's route stays" \
	"10.30.8.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.30.8.0/24)"
ip -n "$GW" xfrm state flush
check_fib "template reqid 0: a flush removes both" "$GW" 4 10.30.7.0/24 ""
check_eq "template reqid 0: both" "" "$(fib "$GW" 4 10.30.8.0/24)"
sa_add "$GW" $S 203.0.113.18 0x1802 80
check_fib "template reqid 0: an SA after the flush brings it back" "$GW" 4 10.30.8.0/24 \
	"10.30.8.0/24 $R4 proto 201 metric 0"
sa_del "$GW" $S 203.0.113.18 0x1802
pol_del "$GW" $L 10.30.7.0/24
pol_del "$GW" $L 10.30.8.0/24
check_fib "template reqid 0: gone with the SA" "$GW" 4 10.30.8.0/24 ""

# Nested tunnels: inner to the on-link 192.0.2.7, outer to 203.0.113.15.
ip -n "$GW" xfrm policy add src $L dst 10.31.4.0/24 dir out \
	tmpl src $S dst 192.0.2.7 proto esp reqid 14 mode tunnel \
	tmpl src $S dst 203.0.113.15 proto esp reqid 15 mode tunnel
check_rri "nested templates: the outermost tunnel's endpoint is the peer" "$GW" 10.31.4.0/24 \
	"10.31.4.0/24 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map st peer 203.0.113.15 state installed refs 1 kind proxy"
check_fib "nested templates: routed toward it" "$GW" 4 10.31.4.0/24 \
	"10.31.4.0/24 $R4 proto 201 metric 0"

# A policy update moves the tunnel.
pol_add "$GW" $L 10.31.5.0/24 $S 192.0.2.7 16
check_fib "before the update: via the on-link peer" "$GW" 4 10.31.5.0/24 \
	"10.31.5.0/24 via 192.0.2.7 dev gw0 proto 201 metric 0"
ip -n "$GW" xfrm policy update src $L dst 10.31.5.0/24 dir out \
	tmpl src $S dst 203.0.113.16 proto esp reqid 16 mode tunnel
check_fib "policy update to another peer: the route follows, the old one is gone" \
	"$GW" 4 10.31.5.0/24 "10.31.5.0/24 $R4 proto 201 metric 0"
check_rri "policy update: rri names the new peer" "$GW" 10.31.5.0/24 \
	"10.31.5.0/24 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map st peer 203.0.113.16 state installed refs 1 kind proxy"

# Protocol and ports.
ip -n "$GW" xfrm policy add src $L dst 10.30.6.0/24 proto tcp dport 443 dir out \
	tmpl src $S dst 203.0.113.17 proto esp reqid 17 mode tunnel
ip -n "$GW" xfrm policy add src $L dst 10.30.6.0/24 proto udp dport 53 dir out \
	tmpl src $S dst 203.0.113.17 proto esp reqid 17 mode tunnel
sa_add "$GW" $S 203.0.113.17 0x1701 17
check_rri "selector protocol and ports do not narrow: one route, refs 2" "$GW" 10.30.6.0/24 \
	"10.30.6.0/24 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map dyn peer 203.0.113.17 state installed refs 2 kind proxy"
check_eq "and one route in the FIB" "10.30.6.0/24 $R4 proto 201 metric 0" "$(fib "$GW" 4 10.30.6.0/24)"

# Cross-family tunnels.
ip -n "$GW" xfrm policy add src $L dst 10.32.1.0/24 dir out \
	tmpl src 2001:db8::1 dst 2001:db8:f::1 proto esp reqid 18 mode tunnel
ip -n "$GW" xfrm policy add src 2001:db8:1::/64 dst 2001:db8:32:1::/64 dir out \
	tmpl src $S dst 203.0.113.18 proto esp reqid 18 mode tunnel
check_fib "IPv4 over an IPv6 tunnel: a device route toward the peer" "$GW" 4 10.32.1.0/24 \
	"10.32.1.0/24 dev gw0 proto 201 metric 0 scope link"
check_fib "IPv6 over an IPv4 tunnel: likewise" "$GW" 6 2001:db8:32:1::/64 \
	"2001:db8:32:1::/64 dev gw0 proto 201 metric 1024"
check_eq "no route failed to program" 0 "$(rri_stat "$GW" route_error)"

rri_exit
