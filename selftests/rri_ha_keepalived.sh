#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HA groups that follow keepalived's VIP, with real daemons: two head-end
# gateways share an outside VIP (where the sites' IKE goes) and an inside
# VIP, both held by keepalived (VRRP, one sync group); rri on each gateway
# has group "ha" follow the outside VIP and its maps inject only while the
# group is active; BIRD announces rri's routes into OSPF; strongSwan on
# both gateways answers on the VIP, the sites reach it with DPD. Checked
# with the kernel's truth (`ip route` of gateways and core, `ip xfrm`, the
# VIPs) and pings from hq:
#
#  1. Static map (routes exist while the policy does): the same XFRM
#     policy on both gateways, no IKE at all. Only the master, gw1,
#     injects; gw2 holds the route back (state standby, none in its FIB);
#     core routes via gw1. keepalived on gw1 stops cleanly (SIGTERM): the
#     VIPs move to gw2 and the route with them, on both FIBs and on core;
#     keepalived on gw1 starts again, preempts, and the route moves back.
#  2. The sites bring tunnels up to the VIP (gw1): only gw1 injects their
#     LANs, core routes them via gw1, hq reaches them. gw1 fails hard
#     (charon and keepalived SIGKILLed, links down): the VIPs move to gw2,
#     the sites' DPD brings their tunnels up again there, gw2 injects, core
#     follows, hq's pings (every 100 ms) resume. The outage hq saw is
#     printed, not checked: only that traffic resumes within a generous
#     bound.
#  3. gw1 comes back (as after a reboot) and preempts: gw2 still has the
#     SAs of its tunnels but holds their routes back (standby, none in its
#     FIB); the sites move back to gw1 and so does the traffic (outage
#     printed); gw2's DPD clears the stale SAs and their routes go.
#  4. Split brain: the gateways lose sight of each other (their switch
#     ports isolated), both become master, both hold the VIPs, both inject.
#     Once they see each other again, gw2 withdraws.
#
# The network is lib_ha.sh's: the sites and the gateways' outside LAN
# behind "inet", the gateways' inside LAN in front of core, hq behind core.

# OSPF re-originates an LSA at most every 5 s: give route checks time.
ROUTE_WAIT_MS=${ROUTE_WAIT_MS:-30000}
source "$(dirname "$0")/lib_route.sh"
source "$(dirname "$0")/lib_ike.sh"
source "$(dirname "$0")/lib_ha.sh"

# The bound on an outage: not a timing check, a "traffic came back" one.
HA_RESUME_MS=${HA_RESUME_MS:-60000}
# The gateways' DPD: long enough that a former master keeps its SAs (and
# rri its standby routes) well past the takeover.
GW_DPD_S=10

ha_require || rri_exit
ike_topo_ha "$$" || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

GW1=${IKE_NS[gw1]} GW2=${IKE_NS[gw2]}
VIP=$IKE_VIP_OUT VIPS="$IKE_VIP_OUT $IKE_VIP_IN"
LAN1=${IKE_LAN[soho1]} LAN2=${IKE_LAN[soho2]}
IN1=${IKE_IN[gw1]} IN2=${IKE_IN[gw2]}
# The static map's remote proxy, and its tunnel endpoint (never reached).
BRANCH=10.82.1.0/24 BRANCH_PEER=203.0.113.9
# rri's route on either gateway: toward the tunnel endpoint, via inet.
VIA="via 198.51.100.254 dev out0 proto 201"

# branch_policy BOX: the static map's policy: HQ to the branch, tunnel
# from the VIP (as an IKE daemon would install it on either gateway).
branch_policy() {
	pol_add "${IKE_NS[$1]}" "$IKE_HQ_NET" "$BRANCH" "$VIP" "$BRANCH_PEER" 9
}

# group_line NS: group ha as "name kind vip role".
group_line() {
	rrictl_ns "$1" -j group show ha |
		jq -r '.[] | "\(.name) \(.kind) \(.vip) \(.role)"'
}

# roles: the role of group ha on gw1, then on gw2.
roles() {
	echo "$(rrictl_ns "$GW1" -j group show ha | jq -r '.[0].role')" \
		"$(rrictl_ns "$GW2" -j group show ha | jq -r '.[0].role')"
}

# vips: the VIPs of gw1 and of gw2, "gw1: ...; gw2: ...".
# shellcheck disable=SC2317 # (called by busywait)
vips() {
	echo "gw1: $(ha_vips gw1); gw2: $(ha_vips gw2)"
}

# lan_states NS: rri's state of the route to soho1's LAN, then soho2's.
# shellcheck disable=SC2317 # (called by busywait)
lan_states() {
	echo "$(rri_state "$1" "$LAN1") $(rri_state "$1" "$LAN2")"
}

# in_fib BOX PREFIX...: those of the PREFIXes BOX's main table routes.
in_fib() {
	local box=$1 p res=""
	shift
	for p in "$@"; do
		[ -z "$(ike_route "$box" "$p")" ] || res+="${res:+ }$p"
	done
	echo "$res"
}

# tunnels BOX: the sites BOX has an outbound ESP SA to, from the VIP.
tunnels() {
	local site res=""

	for site in soho1 soho2; do
		[ -z "$(ike_sa_spis "$1" "$VIP" "${IKE_OUT[$site]}")" ] || res+="${res:+ }$site"
	done
	echo "$res"
}

# elapsed T0: seconds since T0 (date +%s%N), one decimal.
elapsed() {
	local ms=$((($(date +%s%N) - $1) / 1000000))
	printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# ike_initiate_all: both sites bring their tunnel up to the VIP, at once.
ike_initiate_all() {
	local site pids=() i=0 rc=0

	for site in soho1 soho2; do
		ike_initiate "$site" "$site-vip" > "$ike_tmp/$site/initiate.out" 2>&1 &
		pids+=($!)
	done
	for site in soho1 soho2; do
		if wait "${pids[i]}"; then
			pass "$site: swanctl --initiate --child $site-vip (to the VIP $VIP)"
		else
			fail "$site: $(cat "$ike_tmp/$site/initiate.out")"
			rc=1
		fi
		i=$((i + 1))
	done
	return $rc
}

# outage NAME: report the outage of ping log NAME (of hq) after a
# takeover: resumed within the bound since t0, and how long it was.
outage() {
	local name=$1 what=$2 file=$ike_tmp/hq/ping.$1 left w

	left=$((HA_RESUME_MS - ($(date +%s%N) - t0) / 1000000))
	[ "$left" -gt 0 ] || left=1
	if busywait "$left" ha_resumed "$file"; then
		pass "hq's pings to $name answered again within $((HA_RESUME_MS / 1000)) s of $what"
	else
		fail "hq's pings to $name not answered again within $((HA_RESUME_MS / 1000)) s of $what: $(ha_outage "$file")"
	fi
	read -r -a w <<< "$(ha_outage "$file")"
	log "outage $name ($what): ${w[0]} s (${w[1]} of hq's pings every ${HA_PING_INTERVAL} s unanswered)"
}

for gw in gw1 gw2; do
	ns=${IKE_NS[$gw]}
	check "$gw: rrictl group add ha vip $VIP" rrictl_ns "$ns" group add ha vip "$VIP"
	check "$gw: rrictl map add sites remote $IKE_SITES_NET group ha" \
		rrictl_ns "$ns" map add sites remote "$IKE_SITES_NET" group ha
	check "$gw: rrictl map add branches remote 10.82.0.0/16 mode static group ha" \
		rrictl_ns "$ns" map add branches remote 10.82.0.0/16 mode static group ha
done
check_eq "gw1, gw2: group ha (vip $VIP) is standby while the VIP is nowhere" \
	"ha vip $VIP standby|ha vip $VIP standby" "$(group_line "$GW1")|$(group_line "$GW2")"

t_start=$(date +%s%N)
ha_daemons_start "$GW_DPD_S" || rri_exit
pass "daemons up in $(elapsed "$t_start") s: BIRD on gw1, gw2, core; charon on gw1, gw2, soho1, soho2; keepalived on gw1 (MASTER), gw2 (BACKUP)"
check_eq "gw2 holds no VIP" "" "$(ha_vips gw2)"
check_poll "group ha: active on gw1 (the VIP is there), standby on gw2" "active standby" roles

# 1. The static map: the VIP alone decides, before any IKE.
for gw in gw1 gw2; do
	check "$gw: static policy HQ -> $BRANCH, tunnel $VIP -> $BRANCH_PEER" branch_policy "$gw"
done
check_poll "gw1 (master): the static map's route to $BRANCH, proto 201" \
	"$VIA" ike_route gw1 "$BRANCH"
check_poll "gw2 (backup): rri holds it back, state standby" standby rri_state "$GW2" "$BRANCH"
check_eq "gw2: no route to $BRANCH in its FIB" "" "$(ike_route gw2 "$BRANCH")"
check_poll "core: routes $BRANCH via gw1's inside address (OSPF)" "$IN1" ha_core_via "$BRANCH"
check_eq "no SA on either gateway: no IKE has happened" "0 0" \
	"$(xfrm_count "$GW1" state) $(xfrm_count "$GW2" state)"

t0=$(date +%s%N)
check "gw1: keepalived stopped cleanly (SIGTERM: it gives up the VIPs)" ha_keepalived_stop gw1
check_poll "gw2 takes both VIPs" "$VIPS" ha_vips gw2
log "the VIPs were on gw2 $(elapsed "$t0") s after gw1's keepalived was told to stop"
check_eq "gw1 holds none" "" "$(ha_vips gw1)"
check_poll "group ha: standby on gw1, active on gw2" "standby active" roles
check_poll "gw1: the route to $BRANCH leaves its FIB" "" ike_route gw1 "$BRANCH"
check_eq "gw1: rri keeps it, standby" standby "$(rri_state "$GW1" "$BRANCH")"
check_poll "gw2: the route to $BRANCH enters its FIB, proto 201" "$VIA" ike_route gw2 "$BRANCH"
check_eq "gw2: rri shows it installed" installed "$(rri_state "$GW2" "$BRANCH")"
check_poll "core: routes $BRANCH via gw2's inside address" "$IN2" ha_core_via "$BRANCH"
check_eq "still no SA on either gateway" "0 0" \
	"$(xfrm_count "$GW1" state) $(xfrm_count "$GW2" state)"

ha_keepalived_start gw1
check_poll "gw1's keepalived back: it preempts, both VIPs on gw1" "$VIPS" ha_vips gw1
check_poll "gw2 gives them up" "" ha_vips gw2
check_poll "gw1: the route to $BRANCH is back in its FIB" "$VIA" ike_route gw1 "$BRANCH"
check_poll "gw2: standby again, the route out of its FIB" "" ike_route gw2 "$BRANCH"
check_eq "gw2: rri shows it standby" standby "$(rri_state "$GW2" "$BRANCH")"
check_poll "core: routes $BRANCH via gw1 again" "$IN1" ha_core_via "$BRANCH"

# 2. Dynamic map, real tunnels: gw1 fails hard.
ike_initiate_all
for site in soho1 soho2; do
	check_poll "gw1: route to $site's LAN ${IKE_LAN[$site]}, proto 201" \
		"$VIA" ike_route gw1 "${IKE_LAN[$site]}"
	check_poll "core: routes $site's LAN via gw1" "$IN1" ha_core_via "${IKE_LAN[$site]}"
done
check_eq "gw1: the tunnels are from the VIP, to soho1 and soho2" "soho1 soho2" "$(tunnels gw1)"
check_eq "gw2: no SA, rri has nothing for the sites' LANs (only $BRANCH), its FIB neither" \
	"0|$BRANCH|" "$(xfrm_count "$GW2" state)|$(rri_routes "$GW2")|$(in_fib gw2 "$LAN1" "$LAN2")"
check "hq pings soho1's host ${IKE_HOST[soho1]}" ike_ping hq "${IKE_HOST[soho1]}" 3
check "hq pings soho2's host ${IKE_HOST[soho2]}" ike_ping hq "${IKE_HOST[soho2]}" 3

ha_ping_start soho1 hq "${IKE_HOST[soho1]}"
ha_ping_start soho2 hq "${IKE_HOST[soho2]}"
# answered NAME...: each of hq's ping logs NAME has 5 replies or more.
# shellcheck disable=SC2317 # (called by busywait)
answered() {
	local name
	for name in "$@"; do
		[ "$(grep -c 'bytes from' "$ike_tmp/hq/ping.$name")" -ge 5 ] || return 1
	done
}
ike_wait "hq's pings every 100 ms answered" "$IKE_WAIT_MS" answered soho1 soho2

t0=$(date +%s%N)
check "gw1 fails: charon and keepalived SIGKILLed, links down" ha_gw_crash gw1
check_poll "gw2 takes both VIPs" "$VIPS" ha_vips gw2
log "the VIPs were on gw2 $(elapsed "$t0") s after gw1 failed"
check_eq "gw2: group ha active" active "$(roles | cut -d' ' -f2)"
ROUTE_WAIT_MS=$HA_RESUME_MS check_poll "the sites' DPD brings their tunnels up again, to gw2" \
	"soho1 soho2" tunnels gw2
log "gw2 had both tunnels $(elapsed "$t0") s after gw1 failed"
for site in soho1 soho2; do
	check_poll "gw2: route to $site's LAN, proto 201" "$VIA" ike_route gw2 "${IKE_LAN[$site]}"
	check_eq "gw2: rri shows it installed" installed "$(rri_state "$GW2" "${IKE_LAN[$site]}")"
	check_poll "core: routes $site's LAN via gw2" "$IN2" ha_core_via "${IKE_LAN[$site]}"
done
check_poll "gw2: the static map's route to $BRANCH too" "$VIA" ike_route gw2 "$BRANCH"
outage soho1 "gw1's failure"
outage soho2 "gw1's failure"
ha_ping_stop soho1
ha_ping_stop soho2

# 3. gw1 comes back and takes over again.
ha_gw_reboot gw1 && branch_policy gw1
check "gw1 back as after a reboot: no SA, no VIP, links up, static policy" \
	test "$(xfrm_count "$GW1" state)|$(ha_vips gw1)" = "0|"
ike_charon_start gw1 "$GW_DPD_S"
ike_charons_ready gw1 || rri_exit
ha_ping_start soho1-back hq "${IKE_HOST[soho1]}"
ha_ping_start soho2-back hq "${IKE_HOST[soho2]}"
ike_wait "hq's pings every 100 ms answered" "$IKE_WAIT_MS" answered soho1-back soho2-back
t0=$(date +%s%N)
ha_keepalived_start gw1
check_poll "gw1's keepalived preempts: both VIPs on gw1" "$VIPS" ha_vips gw1
check_poll "gw2 gives them up" "" ha_vips gw2
check_eq "gw2 still has the SAs of the sites' tunnels" "soho1 soho2" "$(tunnels gw2)"
check_poll "gw2: yet none of its routes in its FIB" "" in_fib gw2 "$LAN1" "$LAN2" "$BRANCH"
check_poll "gw2: rri holds the sites' routes back, standby" "standby standby" lan_states "$GW2"
ROUTE_WAIT_MS=$HA_RESUME_MS check_poll "the sites' DPD brings their tunnels up to gw1" \
	"soho1 soho2" tunnels gw1
for site in soho1 soho2; do
	check_poll "gw1: route to $site's LAN, proto 201" "$VIA" ike_route gw1 "${IKE_LAN[$site]}"
	check_poll "core: routes $site's LAN via gw1" "$IN1" ha_core_via "${IKE_LAN[$site]}"
done
outage soho1-back "gw1's return"
outage soho2-back "gw1's return"
ha_ping_stop soho1-back
ha_ping_stop soho2-back
ROUTE_WAIT_MS=$HA_RESUME_MS check_poll "gw2: its DPD clears the stale SAs, rri drops their routes (only $BRANCH left)" \
	"$BRANCH" rri_routes "$GW2"

# 4. Split brain.
check "the gateways lose sight of each other (switch ports isolated)" ha_isolate on
check_poll "gw2 becomes master too: both VIPs on gw2" "$VIPS" ha_vips gw2
check_eq "and on gw1" "$VIPS" "$(ha_vips gw1)"
check_poll "group ha active on both" "active active" roles
check_poll "gw1 injects the route to $BRANCH" "$VIA" ike_route gw1 "$BRANCH"
check_poll "gw2 injects it too" "$VIA" ike_route gw2 "$BRANCH"
# What core does with the two announcements: the same type 2 external
# route (metric 10000) from two routers at the same distance. BIRD merges
# equal external routes from different LSAs only with "merge external"
# (off by default): it keeps the LSA of the higher router ID, gw2's; HQ's
# traffic goes to gw2 alone, whichever gateway the sites' tunnels are on.
check_poll "core: one route to $BRANCH, via gw2 (higher router ID wins the tie)" \
	"$IN2" ha_core_via "$BRANCH"
log "core during the split brain: $(ip -n "${IKE_NS[core]}" route show proto bird | paste -sd ';')"
check "the gateways see each other again" ha_isolate off
check_poll "gw2 falls back to BACKUP: the VIPs only on gw1" "gw1: $VIPS; gw2: " vips
check_poll "group ha: active on gw1, standby on gw2" "active standby" roles
check_poll "gw2: the route to $BRANCH out of its FIB" "" ike_route gw2 "$BRANCH"
check_poll "core: routes $BRANCH via gw1 alone" "$IN1" ha_core_via "$BRANCH"

check_eq "no route failed to program on gw1 or gw2" "0 0" \
	"$(rri_stat "$GW1" route_error) $(rri_stat "$GW2" route_error)"
log "the whole scenario took $(elapsed "$t_start") s after the topology"
rri_exit
