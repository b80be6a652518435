#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo `make demo` runs inside the test VM: the head-end deployment of
# Cisco's "dynamic crypto maps + RRI" configuration, with real daemons.
# Two home sites bring up IPsec tunnels (strongSwan) to two head-end
# gateways that accept any peer; rri on each gateway turns the tunnels'
# policies into routes; BIRD on the gateways announces those routes (and
# only those, protocol rri) into OSPF, and the core router learns them, so
# HQ's traffic to a site goes to the gateway that has its tunnel. The
# topology is the one of selftests/lib_ike.sh:
#
#   soho1 10.81.2.0/29        soho2 10.81.2.8/29      (charon, initiators)
#        \                      /
#         +------ inet --------+                       ("the internet")
#        /                      \
#   gw1 198.51.100.1        gw2 198.51.100.5   (charon for any peer, rri,
#        \                      /               BIRD: OSPF, proto rri out)
#         +------ core --------+                (BIRD: OSPF -> kernel)
#                  |
#             hq 10.1.1.10                      (the CallManager)
#
# Act 2 makes gw1 and gw2 an HA pair (selftests/lib_ha.sh): one outside and
# one inside LAN, keepalived (VRRP) holding a VIP on each, the sites'
# tunnels to the outside VIP, and an rri group that follows it on both
# gateways, so only the master injects. gw1 then dies; the VIPs move, the
# sites' DPD brings the tunnels up on gw2, gw2 injects, core's OSPF route
# moves, and the outage hq's pings saw is printed.
#
# Exits 0 only if every step behaved.
# OSPF re-originates an LSA at most every 5 s: give route checks time.
export ROUTE_WAIT_MS=30000
source "$(dirname "$0")/../selftests/lib_route.sh"
source "$RRI_TOP/selftests/lib_ike.sh"
source "$RRI_TOP/selftests/lib_ha.sh"

step() { printf '\n==> %s\n' "$*"; }

# show BOX COMMAND [ARG]...: print the command as typed on BOX, run it there.
show() {
	local box=$1
	shift
	printf '%s# %s\n' "$box" "$*"
	case $1 in
	rrictl) shift; "$RRICTL" -n "${IKE_NS[$box]}" "$@" ;;
	*) ip netns exec "${IKE_NS[$box]}" "$@" ;;
	esac 2>&1 | sed 's/^/    /'
}

# expect DESCRIPTION EXPECTED COMMAND [ARG]...: wait (bounded) for
# COMMAND's output to be EXPECTED; say ok or FAIL.
expect() {
	check_poll "$@"
}

# What `make install` does on a gateway: name protocol 201 "rri" for
# iproute2 (the VM's /etc is a scratch overlay).
mkdir -p /etc/iproute2/rt_protos.d
cp "$RRI_TOP/etc/rt_protos.d-rri.conf" /etc/iproute2/rt_protos.d/rri.conf

step "Build the network: 7 namespaces (soho1, soho2, inet, gw1, gw2, core, hq)"
ike_require || rri_exit
ike_topo demo || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }
echo "    rri $(cat /sys/module/rri/version) loaded; strongSwan $(dpkg-query -W -f '${Version}' strongswan-charon); $("$IKE_BIRD" --version 2>&1)"

step "On each gateway, one rri map: the home sites' pool, next hop toward the peer"
show gw1 rrictl map add sites remote 10.81.0.0/16
show gw2 rrictl map add sites remote 10.81.0.0/16
show gw1 rrictl map show

step "Start BIRD (OSPF) on gw1, gw2, core and charon on gw1, gw2, soho1, soho2"
for box in gw1 gw2 core; do
	ike_bird_start "$box"
done
for box in gw1 gw2 soho1 soho2; do
	ike_charon_start "$box"
done
for box in gw1 gw2 core; do
	ike_bird_wait "$box" || rri_exit
done
ike_charons_ready gw1 gw2 soho1 soho2 || rri_exit
ike_wait "core: OSPF adjacencies with gw1 and gw2" "$IKE_WAIT_MS" ospf_full core 2 || rri_exit
echo "    daemons up; core has two OSPF neighbours; no route to the sites yet:"
show core ip route show root 10.81.0.0/16

step "soho1 brings its tunnel up to gw1"
show soho1 swanctl --initiate --child soho1-gw1 --uri "$(ike_vici soho1)" --timeout 60 |
	tail -n 3
expect "gw1 has a route to soho1's LAN, protocol rri, toward the peer" \
	"via 198.51.100.2 dev out0 proto 201" ike_route gw1 10.81.2.0/29
show gw1 rrictl route show
show gw1 ip route show proto rri

step "core learns it from OSPF, with gw1 as the next hop"
expect "core routes soho1's LAN via gw1" \
	"via 10.1.255.1 dev cg1 proto bird" ike_route core 10.81.2.0/29
show core ip route show root 10.81.0.0/16

step "hq pings a host on soho1's LAN: core -> gw1 -> ESP to soho1"
show hq ping -c 3 -W 2 10.81.2.1
check "hq reaches soho1's LAN through the tunnel" ike_ping hq 10.81.2.1 2
echo "    gw1's outbound SA to soho1 has carried $(ike_sa_packets gw1 198.51.100.1 203.0.113.1) packets"

step "soho2 brings its tunnel up to gw2: core reaches each site by its own gateway"
check "soho2: swanctl --initiate --child soho2-gw2" ike_initiate soho2 soho2-gw2
expect "gw2 has a route to soho2's LAN" \
	"via 198.51.100.6 dev out0 proto 201" ike_route gw2 10.81.2.8/29
expect "core routes soho2's LAN via gw2" \
	"via 10.1.255.5 dev cg2 proto bird" ike_route core 10.81.2.8/29
show core ip route show root 10.81.0.0/16
check "hq reaches soho2's LAN through gw2" ike_ping hq 10.81.2.9 2

step "soho1's tunnel goes down: its routes leave gw1 and core"
show soho1 swanctl --terminate --child soho1-gw1 --uri "$(ike_vici soho1)" --timeout 60 |
	tail -n 2
expect "gw1 has no route to soho1's LAN" "" ike_route gw1 10.81.2.0/29
expect "core has no route to soho1's LAN" "" ike_route core 10.81.2.0/29
show gw1 rrictl route show
show core ip route show root 10.81.0.0/16
show gw1 rrictl stats

# Act 2: the head-ends become an HA pair. The first network goes (its
# daemons and namespaces); lib_ha.sh builds the pair's: gw1 and gw2 on one
# outside and one inside LAN, keepalived (VRRP) moving the VIPs.
step "Act 2: gw1 and gw2 become an HA pair: keepalived holds the VIPs, rri follows them"
for pid in "${ike_charon_pid[@]}" "${ike_bird_pid[@]}"; do
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
ike_charon_pid=() ike_bird_pid=()
for box in "${!IKE_NS[@]}"; do
	ns_del "${IKE_NS[$box]}"
done
rm -rf "${ike_tmp:?}"/*
ike_topo_ha demo-ha || { fail "HA topology"; rri_exit; }
VIP=$IKE_VIP_OUT
echo "    sites -> inet -> one outside LAN (gw1 198.51.100.1, gw2 198.51.100.2, VIP $VIP)"
echo "    gw1, gw2 -> one inside LAN (VIP $IKE_VIP_IN) -> core -> hq; keepalived: gw1 priority 150, gw2 100"
for gw in gw1 gw2; do
	show "$gw" rrictl group add ha vip "$VIP"
	show "$gw" rrictl map add sites remote 10.81.0.0/16 group ha
done
ha_daemons_start 10 || rri_exit
show gw1 rrictl group show
show gw2 rrictl group show

step "Both sites bring their tunnels up to the VIP: only the master injects"
for site in soho1 soho2; do
	check "$site: swanctl --initiate --child $site-vip (to $VIP)" ike_initiate "$site" "$site-vip"
done
expect "gw1 routes soho1's LAN toward the tunnel" \
	"via 198.51.100.254 dev out0 proto 201" ike_route gw1 10.81.2.0/29
expect "core routes the sites via gw1" "10.1.255.1" ha_core_via 10.81.2.0/29
show gw1 rrictl route show
show gw2 rrictl route show
show core ip route show root 10.81.0.0/16

step "hq pings both sites every 100 ms; then gw1 dies (charon and keepalived killed, links down)"
ha_ping_start soho1 hq 10.81.2.1
ha_ping_start soho2 hq 10.81.2.9
for site in soho1 soho2; do
	busywait 10000 grep -q 'icmp_seq=5 ' "$ike_tmp/hq/ping.$site" ||
		fail "hq's pings to $site are not answered"
done
t0=$(date +%s%N)
ha_gw_crash gw1
expect "gw2 takes both VIPs (VRRP)" "$VIP $IKE_VIP_IN" ha_vips gw2
echo "    VIPs on gw2 after $((($(date +%s%N) - t0) / 1000000)) ms"
show gw2 rrictl group show
ROUTE_WAIT_MS=60000 expect "the sites' DPD brings their tunnels up to gw2; gw2 injects" \
	"via 198.51.100.254 dev out0 proto 201" ike_route gw2 10.81.2.8/29
expect "core routes the sites via gw2 now" "10.1.255.2" ha_core_via 10.81.2.8/29
for site in soho1 soho2; do
	busywait 60000 ha_resumed "$ike_tmp/hq/ping.$site" ||
		fail "hq's pings to $site did not resume"
done
ha_ping_stop soho1
ha_ping_stop soho2
show gw2 rrictl route show
show core ip route show root 10.81.0.0/16
for site in soho1 soho2; do
	read -r -a w <<< "$(ha_outage "$ike_tmp/hq/ping.$site")"
	echo "    hq's outage to $site: ${w[0]} s (${w[1]} pings lost); the seed's lab figure: 23 to 31 s"
done

echo
if [ "$rri_failed" = 0 ]; then
	echo "demo: every step behaved"
else
	echo "demo: some step did not behave (see FAIL above)"
fi
rri_exit
