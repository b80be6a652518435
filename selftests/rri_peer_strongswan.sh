#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Preferred peer with strongSwan: a site with a connection to each of two
# head-end gateways, rri on the site with both as the map's peers (gw1 the
# default; gw2 by the DNS name gw2.test, dynamic; idle-time 60 default),
# and `rrictl agent strongswan` keeping only the current peer's trap
# installed in the site's charon. The gateways run rri and BIRD, so core
# routes HQ's answers to whichever gateway holds the site's tunnel. Checked against the kernel's truth (the
# site's SAs and trap policy, ESP packet counts) and the event stream:
#
#  (a) traffic from the site's LAN brings the tunnel up to gw1 (default);
#  (b) gw1 dies (charon SIGKILLed, links down, its XFRM state flushed as
#      a reboot would): DPD clears the site's SAs, the
#      default (gw1) stays current, the next attempt's larval state
#      expires (net.core.xfrm_acq_expires), gw2 becomes current, rri asks
#      for gw2.test to be resolved again and the agent answers, the agent
#      moves the trap and traffic flows via gw2;
#  (c) gw1 returns; once the tunnel to gw2 was idle for 60 s rri expires
#      its SAs, the agent closes charon's IKE_SA (charon re-creates a hard
#      expired CHILD_SA), gw1 is current again and the next traffic goes
#      to gw1;
#  (d) the agent re-installs the trap after the site's charon restarted,
#      and refuses to start without a charon to talk to.
#
# The times from gw1's death to traffic via gw2 and from the idle expiry
# to traffic via gw1 are printed as diagnostics. Network: lib_ike.sh's.
#
#   soho1 LAN 10.81.2.0/29: charon (soho1-gw1, soho1-gw2), rri map hq,
#   |                        rrictl agent strongswan
#   inet
#   |-- gw1 198.51.100.1: charon, rri, BIRD --+
#   |-- gw2 198.51.100.5: charon, rri, BIRD --+-- core (BIRD) -- hq 10.1.1.10

ROUTE_WAIT_MS=${ROUTE_WAIT_MS:-30000}
source "$(dirname "$0")/lib_route.sh"
# The site finds a dead peer within seconds (DPD 2 s, 3 quick retransmits).
IKE_QUICK=soho1
source "$(dirname "$0")/lib_ike.sh"
source "$(dirname "$0")/lib_peer.sh"

IDLE=60
# Idle time plus a tick, the expiry, and the slack of a busy VM.
IDLE_MS=${IDLE_MS:-150000}

ike_require || rri_exit
peer_setup "$ike_tmp/soho1"

# The site's connections: one per gateway, the same traffic selectors,
# DPD every 2 s of silence, CHILD_SAs closed when the peer is dead. None
# starts by itself: the agent installs the current peer's trap.
site_conf() {
	local gw

	echo "connections {"
	for gw in gw1 gw2; do
		cat <<-EOF
		soho1-$gw {
			version = 2
			local_addrs = $P1
			remote_addrs = ${IKE_OUT[$gw]}
			proposals = $IKE_PROPOSALS
			dpd_delay = 2s
			local {
				auth = psk
			}
			remote {
				auth = psk
			}
			children {
				soho1-$gw {
					local_ts = ${IKE_LAN[soho1]}
					remote_ts = $IKE_HQ_NET
					dpd_action = clear
					$(ike_child_opts)
				}
			}
		}
		EOF
	done
	cat <<-EOF
	}
	secrets {
		ike-any {
			secret = $IKE_PSK
		}
	}
	EOF
}

agent_start() {
	# ip netns exec, unshare, sh and env exec: $! is rrictl.
	site_dns env STRONGSWAN_CONF="$ike_tmp/soho1/strongswan.conf" \
		"$RRICTL" agent strongswan uri "$(ike_vici soho1)" >> "$agent_log" 2>&1 &
	agent_pid=$!
	rri_bg_pids+=("$agent_pid")
}

peer_maps --dns idle-time "$IDLE" default

for box in gw1 gw2 core; do
	ike_bird_start "$box"
done
for box in gw1 gw2 soho1; do
	ike_charon_start "$box"
done
site_conf > "$ike_tmp/soho1/swanctl.conf"
for box in gw1 gw2 core; do
	ike_bird_wait "$box" || rri_exit
done
ike_charons_ready gw1 gw2 soho1 || rri_exit
ike_wait "core: OSPF adjacencies with gw1 and gw2 Full" "$IKE_WAIT_MS" ospf_full core 2 ||
	rri_exit
pass "daemons up: BIRD on gw1, gw2, core; charon on gw1, gw2, soho1"

out=$(ip netns exec "$S1" "$RRICTL" agent strongswan uri unix:///nonexistent/charon.vici 2>&1)
check_eq "the agent refuses to start without charon" \
	"1: rrictl: agent: cannot reach charon at /nonexistent/charon.vici: No such file or directory" \
	"$?: $out"
agent_start
ike_wait "the agent installs soho1-gw1's trap" "$IKE_WAIT_MS" \
	agent_said "swanctl --install soho1-gw1: done"
check_eq "soho1: the only trap leads to gw1, the default" "$G1" "$(trap_dst)"

# (a) Traffic brings the tunnel up to gw1.
check_poll "(a) traffic from the site's LAN reaches HQ" 0 \
	ping_rc
check_eq "(a) ... through an SA to gw1; none to gw2" "1 0" "$(sa_count "$G1") $(sa_count "$G2")"
check_eq "(a) gw1 is current, with one SA and one attempt" "$G1 1 1" \
	"$(current) $(peer_key "$G1" sas) $(peer_key "$G1" attempts)"
check_poll "(a) core routes the site via gw1 (rri's route, OSPF)" \
	"via ${IKE_IN[gw1]} dev cg1 proto bird" ike_route core "${IKE_LAN[soho1]}"

# (b) gw1 dies, and comes back later as after a reboot: without its
# kernel's IPsec state.
t0=$(now_ms)
peer_gw1_dies
check "(b) traffic flows again, via gw2" site_reaches_hq_via "$G2" "$t0"
log "# gw1 died -> traffic via gw2: $((site_t - t0)) ms"
check_eq "(b) gw2 is current; gw1 failed once at least" "$G2 yes" \
	"$(current) $([ "$(peer_key "$G1" failures)" -ge 1 ] && echo yes)"
check "(b) the stream said: peer failed" event_seen peer_failed
check "(b) the agent terminated soho1-gw1's attempt" \
	agent_said "swanctl --terminate soho1-gw1"
check "(b) ... and moved the trap" agent_said "swanctl --install soho1-gw2: done"
check "(b) rri asked for gw2.test anew, and the agent answered" \
	eval 'agent_said "resolving gw2.test" && event_seen peer_resolved'
check_eq "(b) the site's outbound policy leads to gw2" "$G2" "$(trap_dst)"
before=$(ike_sa_packets soho1 "$P1" "$G2")
check "(b) HQ answers again" site_ping
check_eq "(b) ... as ESP to gw2" yes \
	"$([ "$(ike_sa_packets soho1 "$P1" "$G2")" -gt "$before" ] && echo yes)"

# (c) gw1 returns; the tunnel to gw2 idles out and traffic goes to gw1.
peer_gw1_returns
ike_wait "(c) after $IDLE s without traffic rri expires the SAs to gw2" "$IDLE_MS" \
	event_seen peer_idle || rri_exit
t2=$(now_ms)
check "(c) the next traffic goes to gw1" site_reaches_hq_via "$G1" "$t2"
log "# idle expiry -> traffic via gw1: $((site_t - t2)) ms"
check_eq "(c) gw1 is current again" "$G1" "$(current)"
check "(c) the agent closed charon's IKE_SA to gw2" agent_said "swanctl --terminate soho1-gw2"
check_poll "(c) no SA to gw2 is left" 0 sa_count "$G2"
check_eq "(c) the trap leads to gw1" "$G1" "$(trap_dst)"

# (d) The site's charon restarts: the agent installs the trap again.
ike_terminate soho1 --ike soho1-gw1 >/dev/null
ike_charon_kill soho1
ike_wait "the agent notices charon's death" "$IKE_WAIT_MS" agent_said "charon went away"
ike_charon_start soho1
site_conf > "$ike_tmp/soho1/swanctl.conf"
ike_charons_ready soho1 || rri_exit
ike_wait "(d) the agent re-applies after charon's restart" "$IKE_WAIT_MS" \
	agent_said_times 3 "swanctl --install soho1-gw1: done"
check_eq "(d) the trap leads to gw1 again" "$G1" "$(trap_dst)"
check_poll "(d) traffic flows through gw1" 0 ping_rc
check "the agent still runs" kill -0 "$agent_pid"

peer_diag
rri_exit
