#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Preferred peer with libreswan on the site: as rri_peer_strongswan.sh,
# but the site runs pluto with a connection to each gateway (keyingtries=1,
# none routed by itself) and `rrictl agent libreswan` routes only the
# current peer's (whack --route/--unroute). The gateways run strongSwan,
# rri and BIRD as there. Checked against the kernel's truth:
#
#  (a) traffic from the site's LAN brings the tunnel up to gw1 (default);
#  (b) gw1 dies (charon SIGKILLed, links down, XFRM state flushed): pluto's
#      liveness check clears the site's SAs, the next attempt's larval state
#      expires, gw2 becomes current, the agent terminates the attempt to gw1,
#      unroutes it, routes gw2, and traffic flows via gw2;
#  (c) gw1 returns; `rrictl sa clear map hq` expires the SAs to gw2 in the
#      kernel; pluto takes that as a hard expiry (it deletes the child and
#      does not re-create it), gw1 (the default) becomes current, and the
#      next traffic goes to gw1;
#  (d) after pluto's restart the agent routes soho1-gw1 again.
#
# The time from gw1's death to traffic via gw2 is printed as a diagnostic.

ROUTE_WAIT_MS=${ROUTE_WAIT_MS:-30000}
source "$(dirname "$0")/lib_route.sh"
source "$(dirname "$0")/lib_ike.sh"
source "$(dirname "$0")/lib_peer.sh"
source "$(dirname "$0")/lib_libreswan.sh"

ike_require || rri_exit
ls_require
peer_setup "$ls_tmp"
# The connections pluto routes (trap, or SA): libreswan's trap policies
# name no peer.
routed() {
	ls_whack soho1 --status 2>/dev/null |
		sed -n 's/^[0-9 ]*"\([^"]*\)":.* erouted;.*/\1/p' | sort -u | paste -sd ' '
}

ls_init soho1 || { fail "libreswan: NSS database"; rri_exit; }
# One connection per gateway, the same subnets; liveness checks every 2 s
# of silence, given up after 5 s; one keying try: the agent picks the next.
{
	printf 'config setup\n\tuniqueids=yes\n'
	for gw in gw1 gw2; do
		printf '\nconn soho1-%s\n' "$gw"
		printf '\t%s\n' authby=secret "left=$P1" "leftsubnet=${IKE_LAN[soho1]}" \
			leftupdown=%disabled "right=${IKE_OUT[$gw]}" "rightsubnet=$IKE_HQ_NET" \
			ike=aes128-sha2_256-modp2048 esp=aes128-sha2_256 pfs=no keyingtries=1 \
			dpddelay=2 retransmit-timeout=5s dpdaction=clear auto=ignore
	done
} | ls_conf soho1
ls_secrets soho1 <<EOF
%any %any : PSK "$IKE_PSK"
EOF

peer_maps

for box in gw1 gw2 core; do
	ike_bird_start "$box"
done
for box in gw1 gw2; do
	ike_charon_start "$box"
done
for box in gw1 gw2 core; do
	ike_bird_wait "$box" || rri_exit
done
ike_charons_ready gw1 gw2 || rri_exit
check "pluto starts in soho1" ls_start soho1 "$S1"
check "soho1 loads its connections" ls_add soho1 soho1-gw1 soho1-gw2
ike_wait "core: OSPF adjacencies with gw1 and gw2 Full" "$IKE_WAIT_MS" ospf_full core 2 ||
	rri_exit

ip netns exec "$S1" "$RRICTL" agent libreswan whack "$LS_WHACK" ctl "$(ls_ctl soho1)" \
	>> "$agent_log" 2>&1 &
agent_pid=$!
rri_bg_pids+=("$agent_pid")
ike_wait "the agent routes soho1-gw1" "$IKE_WAIT_MS" \
	agent_said "whack --route soho1-gw1: done"
check_eq "soho1: pluto routes soho1-gw1 alone" soho1-gw1 "$(routed)"

# (a) Traffic brings the tunnel up to gw1.
check_poll "(a) traffic from the site's LAN reaches HQ" 0 ping_rc
check_eq "(a) ... through an SA to gw1; none to gw2" "1 0" "$(sa_count "$G1") $(sa_count "$G2")"
check_eq "(a) gw1 is current" "$G1" "$(current)"

# (b) gw1 dies.
t0=$(now_ms)
peer_gw1_dies
check "(b) traffic flows again, via gw2" site_reaches_hq_via "$G2" "$t0"
log "# gw1 died -> traffic via gw2: $((site_t - t0)) ms"
check_eq "(b) gw2 is current; gw1 failed once at least" "$G2 yes" \
	"$(current) $([ "$(peer_key "$G1" failures)" -ge 1 ] && echo yes)"
check "(b) the stream said: peer failed" event_seen peer_failed
check "(b) the agent terminated and unrouted soho1-gw1" \
	agent_said "whack --unroute soho1-gw1: done"
check "(b) ... and routed soho1-gw2" agent_said "whack --route soho1-gw2: done"
check_eq "(b) pluto routes soho1-gw2 alone" soho1-gw2 "$(routed)"

# (c) gw1 returns; sa clear sends the site back to its default peer.
peer_gw1_returns
check "(c) rrictl sa clear map hq" rrictl_ns "$S1" sa clear map hq
check_poll "(c) pluto deleted the child and made none anew: no SA to gw2" 0 sa_count "$G2"
check_poll "(c) gw1, the default, is current" "$G1" current
t2=$(now_ms)
check "(c) the next traffic goes to gw1" site_reaches_hq_via "$G1" "$t2"
log "# sa clear -> traffic via gw1: $((site_t - t2)) ms"

# (d) pluto restarts (a new pid, its connections loaded anew, none
# routed): the agent routes the current peer's again.
ls_down soho1 soho1-gw1 >/dev/null
check "(d) pluto is killed" ls_kill soho1
ike_wait "(d) the agent notices pluto's death" "$IKE_WAIT_MS" agent_said "pluto went away"
check "(d) pluto starts again" ls_start soho1 "$S1"
check "(d) ... with its connections" ls_add soho1 soho1-gw1 soho1-gw2
ike_wait "(d) the agent routes soho1-gw1 again" "$IKE_WAIT_MS" \
	agent_said_times 3 "whack --route soho1-gw1: done"
check_poll "(d) pluto routes soho1-gw1 alone" soho1-gw1 routed
check_poll "(d) traffic flows through gw1" 0 ping_rc
check "the agent still runs" kill -0 "$agent_pid"

peer_diag
if [ "$rri_failed" != 0 ]; then
	ls_whack soho1 --status 2>&1 | grep '"soho1-' | tail -n 8
	ls_log soho1 60
fi
rri_exit
