#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rri with a real IKE daemon and a real routing protocol: strongSwan
# brings tunnels from two remote sites up and down on two head-end
# gateways, rri turns each tunnel into a route on the gateway, BIRD
# announces those routes (and only those) into OSPF, and the core router
# behind the gateways learns them. Checked with the kernel's truth
# (`ip route`, `ip xfrm state`, `ip monitor route`, tcpdump):
#
#  1. soho1's tunnel to gw1 brings 10.81.2.0/29 (proto 201) on gw1 and
#     the OSPF route on core via gw1; HQ reaches the site, as ESP between
#     gw1 and soho1.
#  2. The CHILD_SA rekeys (every few seconds): SPIs change, pings keep
#     being answered, gw1 sees no route event at all.
#  3. soho2 on gw2 at the same time: core reaches each site via its own
#     gateway. Terminating soho1's CHILD_SA removes the route on gw1 and
#     on core; soho1 moves to gw2 and core follows.
#  4. soho2's charon is killed: gw2's DPD clears the SAs and the route
#     goes. gw2's charon is killed: its SAs stay in the kernel and so does
#     the route (and traffic flows); `ip xfrm state flush` removes every
#     rri route on gw2, and core forgets them.
#
#   soho1 LAN 10.81.2.0/29 (lan0 .1)          soho2 LAN 10.81.2.8/29 (lan0 .9)
#   +-- soho1: charon --+                     +-- soho2: charon --+
#   | s0 203.0.113.1/30 |                     | s0 203.0.113.5/30 |
#   +---------|---------+                     +---------|---------+
#   +---------|----------------- inet ------------------|---------+
#   | is1 203.0.113.2/30  ig1 198.51.100.2/30  ig2 .6/30  is2 .6  |
#   +---------------------------|----------------|----------------+
#   +-- gw1 --------------------|--+  +-- gw2 ---|----------------+
#   | out0 198.51.100.1/30         |  | out0 198.51.100.5/30      |
#   | charon (responder, any peer) |  | charon, rri map sites     |
#   | rri map sites remote         |  | remote 10.81.0.0/16, BIRD |
#   |   10.81.0.0/16               |  | OSPF (exports proto 201)  |
#   | BIRD OSPF (exports proto 201)|  |                           |
#   | in0 10.1.255.1/30            |  | in0 10.1.255.5/30         |
#   +---------------|--------------+  +-----------|---------------+
#   +---------------|---- core: BIRD OSPF --------|---------------+
#   | cg1 10.1.255.2/30                      cg2 10.1.255.6/30    |
#   | chq 10.1.1.1/24 --- hq: h0 10.1.1.10/24, default via core   |
#   +-------------------------------------------------------------+
#
# Tunnels: site LAN <-> HQ 10.1.0.0/16, IKEv2 PSK; the gateways accept
# remote_ts 10.81.0.0/16 and install the site's narrower selector.

# OSPF re-originates an LSA at most every 5 s: give route checks time.
ROUTE_WAIT_MS=${ROUTE_WAIT_MS:-30000}
source "$(dirname "$0")/lib_route.sh"
source "$(dirname "$0")/lib_ike.sh"

# soho1-gw1's CHILD_SA rekey interval (s); REKEYS rekeys must fit in
# REKEY_MS.
REKEY_S=${REKEY_S:-6}
REKEYS=${REKEYS:-3}
REKEY_MS=${REKEY_MS:-60000}

ike_require || rri_exit
ike_topo "$$" || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

GW1=${IKE_NS[gw1]} GW2=${IKE_NS[gw2]}
LAN1=${IKE_LAN[soho1]} LAN2=${IKE_LAN[soho2]}
P1=${IKE_OUT[soho1]} P2=${IKE_OUT[soho2]} G1=${IKE_OUT[gw1]} G2=${IKE_OUT[gw2]}
VIA1="via 198.51.100.2 dev out0 proto 201"
VIA2="via 198.51.100.6 dev out0 proto 201"
CORE1="via ${IKE_IN[gw1]} dev cg1 proto bird"
CORE2="via ${IKE_IN[gw2]} dev cg2 proto bird"

check "gw1: rrictl map add sites remote 10.81.0.0/16" \
	rrictl_ns "$GW1" map add sites remote 10.81.0.0/16
check "gw2: rrictl map add sites remote 10.81.0.0/16" \
	rrictl_ns "$GW2" map add sites remote 10.81.0.0/16

for box in gw1 gw2 core; do
	ike_bird_start "$box"
done
for box in gw1 gw2 soho2; do
	ike_charon_start "$box"
done
ike_charon_start soho1 "$REKEY_S"
for box in gw1 gw2 core; do
	ike_bird_wait "$box" || rri_exit
done
ike_charons_ready gw1 gw2 soho1 soho2 || rri_exit
ike_wait "core: OSPF adjacencies with gw1 and gw2 Full" "$IKE_WAIT_MS" ospf_full core 2 ||
	rri_exit
pass "daemons up: BIRD on gw1, gw2, core (OSPF Full), charon on gw1, gw2, soho1, soho2"
check_eq "core: no route to the sites before any tunnel" "" \
	"$(ike_route core "$LAN1")$(ike_route core "$LAN2")"
# A route of another protocol that BIRD must keep out of OSPF.
ip -n "$GW1" route add 10.81.99.0/24 via 198.51.100.2 proto static

# 1. soho1 -> gw1.
check "soho1: swanctl --initiate --child soho1-gw1" ike_initiate soho1 soho1-gw1
check_poll "gw1: the tunnel brings a route to soho1's LAN toward the peer, proto 201" \
	"$VIA1" ike_route gw1 "$LAN1"
check_eq "gw1: rri shows it installed for peer soho1" \
	"$LAN1 via 198.51.100.2 dev out0 table 254 metric 0 proto 201 map sites peer $P1 state installed refs 1 kind proxy" \
	"$(rri_route "$GW1" "$LAN1")"
check_eq "gw1: the route comes from the outbound policy charon installed" \
	"src 10.1.0.0/16 dst $LAN1" \
	"$(ip -n "$GW1" xfrm policy list dir out | grep "dst $LAN1" | sed 's/ *$//')"
check_poll "core: learns soho1's LAN by OSPF via gw1's inside address" \
	"$CORE1" ike_route core "$LAN1"
check_eq "core: gw1's route of protocol static was not exported" "" \
	"$(ike_route core 10.81.99.0/24)"

ike_capture_start inet ig1 "esp or icmp"
check "hq pings soho1's host 10.81.2.1" ike_ping hq "${IKE_HOST[soho1]}" 5
busywait 5000 capture_has 10 "ESP"
check_eq "inet: 5 requests and 5 replies, all as ESP between gw1 and soho1" "5 5" \
	"$(ike_capture_count "$G1 > $P1: ESP") $(ike_capture_count "$P1 > $G1: ESP")"
check_eq "inet: no clear ICMP between HQ and the site" 0 "$(ike_capture_count ICMP)"
ike_capture_stop

# 2. Rekeys: the route must not flicker.
mon_start "$GW1"
declare -A spis_seen=()
spis_first=$(ike_sa_spis gw1 "$G1" "$P1")
# rekeyed N: gw1 has had more than N outbound SAs to soho1 since the start.
# shellcheck disable=SC2317 # (called by busywait)
rekeyed() {
	local spi
	for spi in $(ike_sa_spis gw1 "$G1" "$P1"); do
		spis_seen[$spi]=1
	done
	[ ${#spis_seen[@]} -gt "$1" ]
}
# answered_more N: the ping log shows more than N answers.
# shellcheck disable=SC2317
answered_more() {
	[ "$(grep -c 'bytes from' "$ping_log")" -gt "$1" ]
}
ping_log=$ike_tmp/hq/ping.rekey
ip netns exec "${IKE_NS[hq]}" ping -n -i 0.5 -W 2 "${IKE_HOST[soho1]}" > "$ping_log" 2>&1 &
ping_pid=$!
rri_bg_pids+=("$ping_pid")
t0=$(date +%s)
if busywait "$REKEY_MS" rekeyed "$REKEYS"; then
	pass "soho1-gw1 rekeyed $REKEYS times in $(($(date +%s) - t0)) s (rekey_time ${REKEY_S}s): gw1's outbound SPIs $spis_first -> $(printf '%s\n' "${!spis_seen[@]}" | sort | paste -sd ' ')"
else
	fail "soho1-gw1 did not rekey $REKEYS times within $((REKEY_MS / 1000)) s: SPIs seen ${!spis_seen[*]}"
fi
# One more answer after the last rekey, then the summary. A request sent
# just before the interrupt counts as sent and unanswered: allow one.
busywait 10000 answered_more "$(grep -c 'bytes from' "$ping_log")"
kill -INT "$ping_pid"
wait "$ping_pid" 2>/dev/null
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$ping_log")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$ping_log")
check "pings from hq kept working across the rekeys ($got of $sent answered)" \
	test "${got:-0}" -gt 0 -a "${got:-0}" -ge "$((${sent:-0} - 1))"
check_no_events "gw1: no route event for soho1's LAN across the rekeys" "$GW1"
check_eq "gw1: the route is still there" "$VIA1" "$(ike_route gw1 "$LAN1")"
check_eq "gw1: rri installed it once" 1 "$(rri_stat "$GW1" route_add)"

# 3. Two head-ends: soho2 on gw2 while soho1 is on gw1.
check "soho2: swanctl --initiate --child soho2-gw2" ike_initiate soho2 soho2-gw2
check_poll "gw2: route to soho2's LAN, proto 201" "$VIA2" ike_route gw2 "$LAN2"
check_poll "core: soho2's LAN via gw2" "$CORE2" ike_route core "$LAN2"
check_eq "core: soho1's LAN still via gw1" "$CORE1" "$(ike_route core "$LAN1")"
check_eq "gw1 has no route to soho2's LAN, gw2 none to soho1's" "" \
	"$(ike_route gw1 "$LAN2")$(ike_route gw2 "$LAN1")"
esp_before=$(ike_sa_packets gw2 "$G2" "$P2")
check "hq pings soho2's host 10.81.2.9" ike_ping hq "${IKE_HOST[soho2]}" 3
esp_after=$(ike_sa_packets gw2 "$G2" "$P2")
check "gw2's outbound SA to soho2 carried the replies ($esp_before -> $esp_after packets)" \
	test "$esp_after" -ge $((esp_before + 3))

check "soho1: swanctl --terminate --child soho1-gw1" ike_terminate soho1 --child soho1-gw1
check_poll "gw1: terminating the CHILD_SA removes the route" "" ike_route gw1 "$LAN1"
check_eq "gw1: and its SAs to soho1 are gone" "" "$(ike_sa_spis gw1 "$G1" "$P1")"
check_eq "gw1: rri shows no route" "" "$(rri_routes "$GW1")"
mon_events "$GW1"
check_eq "gw1: ip monitor route saw exactly its deletion" \
	"Deleted $LAN1 $VIA1" "$mon_out"
check_poll "core: the OSPF route to soho1's LAN is withdrawn" "" ike_route core "$LAN1"

check "soho1: swanctl --initiate --child soho1-gw2 (moves to gw2)" ike_initiate soho1 soho1-gw2
check_poll "gw2: route to soho1's LAN, proto 201" "$VIA2" ike_route gw2 "$LAN1"
check_poll "core: soho1's LAN now via gw2" "$CORE2" ike_route core "$LAN1"
check_eq "gw1: still no route to soho1's LAN" "" "$(ike_route gw1 "$LAN1")"
check "hq pings soho1's host through gw2" ike_ping hq "${IKE_HOST[soho1]}" 3

# 4. Dead peer: soho2's charon dies without a word; gw2's DPD notices.
check "soho2: charon killed (SIGKILL)" ike_charon_kill soho2
t0=$(date +%s)
check_poll "gw2: DPD clears soho2's SAs" "" ike_sa_spis gw2 "$G2" "$P2"
log "gw2's DPD took $(($(date +%s) - t0)) s (dpd_delay 2s, 3 retransmits)"
check_poll "gw2: and the route to soho2's LAN goes" "" ike_route gw2 "$LAN2"
check_poll "core: the OSPF route to soho2's LAN is withdrawn" "" ike_route core "$LAN2"
check_eq "gw2: soho1's route stays" "$VIA2" "$(ike_route gw2 "$LAN1")"

# The gateway's own charon dies: the kernel keeps its SAs, rri its route.
check "gw2: charon killed (SIGKILL)" ike_charon_kill gw2
settle "$GW2"
check "gw2: the SAs with soho1 outlive charon" test -n "$(ike_sa_spis gw2 "$G2" "$P1")"
check_eq "gw2: the rri routes are those of the SAs that exist" "$LAN1" "$(fib_rri_prefixes "$GW2")"
check_eq "gw2: rri agrees" "$LAN1" "$(rri_routes "$GW2")"
check "hq still reaches soho1 through gw2's orphaned SAs" ike_ping hq "${IKE_HOST[soho1]}" 3
ip -n "$GW2" xfrm state flush
check_poll "gw2: ip xfrm state flush removes every rri route" "" fib_rri "$GW2"
check_eq "gw2: rri shows no route" "" "$(rri_routes "$GW2")"
check_poll "core: no route to the sites left" "" ike_route core "$LAN1"
check_eq "no route failed to program on gw1 or gw2" "0 0" \
	"$(rri_stat "$GW1" route_error) $(rri_stat "$GW2" route_error)"

rri_exit
