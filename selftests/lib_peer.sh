# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Preferred peer with a real IKE daemon (rri_peer_strongswan.sh,
# rri_peer_libreswan.sh): lib_ike.sh's network, where the site soho1 has
# one connection per head-end gateway, rri's map "hq" lists both gateways
# as its peers, and `rrictl agent` steers the site's daemon. What the
# kernel, rri and the agent say on the site, and traffic from the site's
# LAN to HQ. Source it after lib_ike.sh.

# How long a larval (ACQUIRE) state lives on the site: a failed attempt is
# known after this long.
ACQ_EXPIRES=${ACQ_EXPIRES:-10}
# How long traffic may take to flow again after a failure.
FAILOVER_MS=${FAILOVER_MS:-120000}

# peer_setup DIR: lib_ike.sh's network and rri; S1 (the site's namespace),
# GW1, P1 (the site's outside address), G1 and G2 (the gateways'), SITE and
# HQ (the hosts that ping); the agent's log and the event stream go to
# DIR; the site's larval states live ACQ_EXPIRES seconds.
peer_setup() {
	command -v jq >/dev/null || skip_test "jq is not installed"
	ike_topo "$$" || { fail "topology"; rri_exit; }
	rri_load || { fail "insmod rri.ko"; rri_exit; }
	S1=${IKE_NS[soho1]} GW1=${IKE_NS[gw1]}
	P1=${IKE_OUT[soho1]} G1=${IKE_OUT[gw1]} G2=${IKE_OUT[gw2]}
	SITE=${IKE_HOST[soho1]} HQ=${IKE_HOST[hq]}
	agent_log=$1/agent.log
	events=$1/events
	peer_hosts=$1/hosts
	echo "$G2 gw2.test" > "$peer_hosts"
	ip netns exec "$S1" sysctl -qw net.core.xfrm_acq_expires="$ACQ_EXPIRES"
	# Each ping asks for packet timestamps, and the kernel patches its code
	# (a static key) when the first socket asks and when the last one is
	# gone. The tests run hundreds of pings; under TCG that patching once
	# met a CPU on the int3 it leaves (an Oops in netif_rx_internal, no rri
	# code on the stack). One ping that lives as long as the test keeps
	# the key on.
	ip netns exec "$S1" ping -q -i 10 127.0.0.1 >/dev/null 2>&1 &
	rri_bg_pids+=($!)
}

# site_dns COMMAND [ARG]...: COMMAND in the site's namespace, where the
# name gw2.test resolves (a hosts file of its own over /etc/hosts).
site_dns() {
	# shellcheck disable=SC2016
	ip netns exec "$S1" unshare -m \
		sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$peer_hosts" "$@"
}

# peer_maps [--dns] [OPTION]...: the gateways' maps for the sites, the
# site's map hq with gw1 (the default) and gw2 as its peers (and OPTIONs),
# and peer_monitor. With --dns, gw2 is the DNS name gw2.test, dynamic.
peer_maps() {
	local box gw2=("$G2")

	if [ "${1:-}" = --dns ]; then
		gw2=(gw2.test dynamic)
		shift
	fi
	for box in gw1 gw2; do
		check "$box: rrictl map add sites remote 10.81.0.0/16" \
			rrictl_ns "${IKE_NS[$box]}" map add sites remote 10.81.0.0/16
	done
	check "soho1: map hq with peers gw1 (default) and ${gw2[*]}${*:+, $*}" \
		site_dns "$RRICTL" map add hq remote "$IKE_HQ_NET" \
			peer "$G1" default conn soho1-gw1 peer "${gw2[@]}" conn soho1-gw2 "$@"
	peer_monitor
}

# peer_gw1_dies: charon SIGKILLed, links down, and its kernel's IPsec
# state gone, as after a reboot.
peer_gw1_dies() {
	ike_charon_kill gw1
	ip -n "$GW1" link set out0 down
	ip -n "$GW1" link set in0 down
	ip -n "$GW1" xfrm state flush
	ip -n "$GW1" xfrm policy flush
}

# peer_gw1_returns: links and routes back, charon started and loaded, core
# hears gw1 again.
peer_gw1_returns() {
	ip -n "$GW1" link set out0 up
	ip -n "$GW1" link set in0 up
	ip -n "$GW1" route replace default via 198.51.100.2
	ip -n "$GW1" route replace "$IKE_HQ_NET" via 10.1.255.2
	ike_charon_start gw1
	ike_charons_ready gw1 || rri_exit
	ike_wait "core: OSPF adjacency with gw1 Full again" "$IKE_WAIT_MS" ospf_full core 2 ||
		rri_exit
}

# peer_monitor: rri's events on the site, as JSON lines, into $events.
peer_monitor() {
	rrictl_ns "$S1" -j monitor > "$events" 2>&1 &
	rri_bg_pids+=($!)
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# One ping from the site's LAN to HQ, answered.
site_ping() {
	ip netns exec "$S1" ping -n -q -c 1 -W 1 -I "$SITE" "$HQ" >/dev/null 2>&1
}
ping_rc() { site_ping; echo $?; }

# site_reaches_hq_via GW START_MS: ping until HQ answers and the site has an
# SA to GW, at most FAILOVER_MS after START_MS; site_t is when it did.
# shellcheck disable=SC2034 # for the caller
site_t=
site_reaches_hq_via() {
	local gw=$1 start=$2

	while [ $(($(now_ms) - start)) -lt "$FAILOVER_MS" ]; do
		if site_ping && [ "$(sa_count "$gw")" -ge 1 ]; then
			# shellcheck disable=SC2034 # for the caller
			site_t=$(now_ms)
			return 0
		fi
	done
	return 1
}

current() { rrictl_ns "$S1" -j peer show map hq | jq -r '.[0].current'; }
# peer_key ADDR KEY: KEY of the peer ADDR in peer show.
peer_key() {
	rrictl_ns "$S1" -j peer show map hq |
		jq -r --arg a "$1" ".[0].peers[] | select(.address == \$a) | .$2"
}
# The tunnel endpoint of the site's outbound policy to HQ (trap or SA's).
trap_dst() {
	ip -n "$S1" xfrm policy list dir out dst "$IKE_HQ_NET" |
		awk '$1 == "tmpl" { print $5; exit }'
}
# sa_count GW: the site's outbound ESP SAs to GW.
sa_count() { ip -n "$S1" xfrm state list src "$P1" dst "$1" proto esp | grep -c '^src'; }
agent_said() { grep -qF -- "$1" "$agent_log"; }
agent_said_times() { [ "$(grep -cF -- "$2" "$agent_log")" -ge "$1" ]; }
event_seen() { jq -r 'select(.event == "'"$1"'") | .event' "$events" 2>/dev/null | grep -q .; }

# peer_diag: after a failure, what the agent did and rri said.
peer_diag() {
	[ "${rri_failed:-0}" = 0 ] && return
	echo "---- the agent's log ----"
	tail -n 40 "$agent_log" 2>/dev/null
	echo "---- rri's peer events ----"
	jq -c 'select(.event | startswith("peer")) | [.time, .event, .map.name, .peer]' "$events" 2>/dev/null |
		tail -n 20
}
