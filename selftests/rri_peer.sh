#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Preferred peers (WIP, issue 12), without an IKE daemon: the map's peer
# list and its refusals; which peer is current: (1) a VALID outbound SA to
# a listed peer makes it current, (2) an ACQUIRE whose larval state
# expires without an SA moves to the next peer, (3) the last SA to the
# current peer gone without replacement makes the default current (a
# rekey does not); peer reset; sa clear expires the SAs to a peer as a
# hard lifetime would (XFRM_MSG_EXPIRE on the wire of `ip xfrm monitor`)
# and leaves others' alone; every change of current is an event.
#
#   +---------------- gw ----------------+
#   | d0 192.0.2.1/24 (dummy)            |  peers 192.0.2.10 (default),
#   | 10.9.0.0/16 dev d0                 |  192.0.2.20; 192.0.2.30 is none
#   | trap policy 192.0.2.1 -> 10.9/16   |
#   |   tmpl to 192.0.2.10, reqid 5      |
#   +------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
ns_add "$GW" || { fail "namespace"; rri_exit; }
ip -n "$GW" link add d0 type dummy
ip -n "$GW" addr add 192.0.2.1/24 dev d0
ip -n "$GW" link set d0 up
ip -n "$GW" route add 10.9.0.0/16 dev d0
rri_load || { fail "insmod rri.ko"; rri_exit; }

P1=192.0.2.10 P2=192.0.2.20
current() { rrictl_ns "$GW" -j peer show map m | jq -r '.[0].current'; }
peer_key() { rrictl_ns "$GW" -j peer show map m | jq -r --arg a "$1" ".[0].peers[] | select(.address == \$a) | .$2"; }
sa() { ip -n "$GW" xfrm state "$1" src 192.0.2.1 dst "$2" proto esp spi "$3" "${@:4}"; }

# The list and its refusals.
refused() {
	local what=$1 want=$2
	shift 2
	check_eq "$what" "$want" "$(rrictl_out "$GW" "$@")"
}
refused "only the first peer may be the default" "exit 1: rrictl: only the first peer may be the default" \
	map add x remote 10.8.0.0/16 peer $P1 peer $P2 default
refused "a peer address twice" "exit 1: rrictl: a peer address given twice" \
	map add x remote 10.8.0.0/16 peer $P1 peer $P1
refused "idle-time range" "exit 1: rrictl: idle-time must be 60..86400 seconds" \
	map add x remote 10.8.0.0/16 peer $P1 idle-time 30
refused "idle-time needs peers" "exit 1: rrictl: idle-time needs a peer list" \
	map add x remote 10.8.0.0/16 idle-time 60
check "map add m with two peers" \
	rrictl_ns "$GW" map add m remote 10.9.0.0/16 peer $P1 default conn gw1 peer $P2 conn gw2
check_eq "peer show: the first peer is current, the default" "$P1 $P1" \
	"$(rrictl_ns "$GW" -j peer show | jq -r '.[0] | "\(.current) \(.default)"')"
check_eq "save has the list" "map add m remote 10.9.0.0/16 mode dynamic nexthop peer table 254 metric 0 proto 201 peer $P1 default conn gw1 peer $P2 conn gw2" \
	"$(rrictl_ns "$GW" save | grep '^map add m ')"

mon_file=$route_tmp/events
rrictl_ns "$GW" monitor > "$mon_file" 2>&1 &
rri_bg_pids+=($!)

# (1) An SA to the second peer.
sa add $P2 0x200 reqid 1 mode tunnel enc cipher_null ""
check_poll "(1) a VALID SA to $P2 makes it current" $P2 current
# (3) A rekey keeps it; the last SA gone makes the default current.
sa add $P2 0x201 reqid 1 mode tunnel enc cipher_null ""
sa delete $P2 0x200
check_poll "(3) a rekey (new SA, then the old one goes) keeps $P2" $P2 current
sa delete $P2 0x201
check_poll "(3) its last SA gone: the default is current" $P1 current

# (2) A failed attempt: the trap's ACQUIRE (an ACQUIRE listener must exist
# for the kernel to keep a larval state) expires without an SA.
ip netns exec "$GW" sysctl -qw net.core.xfrm_acq_expires=2
ip -n "$GW" xfrm policy add src 192.0.2.1/32 dst 10.9.0.0/16 dir out \
	tmpl src 192.0.2.1 dst $P1 proto esp reqid 5 mode tunnel
ip -n "$GW" xfrm monitor acquire > /dev/null 2>&1 &
rri_bg_pids+=($!)
# Until the listener is there, the kernel keeps no larval state.
larval() {
	ip netns exec "$GW" ping -c1 -W1 -I 192.0.2.1 10.9.0.1 > /dev/null 2>&1
	ip -n "$GW" xfrm state list dst $P1 | grep -q '^src'
}
check "(2) a packet for the trap: ACQUIRE, a larval state to $P1" busywait 10000 larval
check_poll "(2) the attempt to $P1 expired without an SA: $P2 is current" $P2 current
check_eq "(2) counted: attempts and one failure for $P1" "yes 1" \
	"$([ "$(peer_key $P1 attempts)" -ge 1 ] && echo yes) $(peer_key $P1 failures)"

check "peer reset m" rrictl_ns "$GW" peer reset m
check_eq "peer reset: the first peer is current" $P1 "$(current)"
rrictl_ns "$GW" map add n remote 10.7.0.0/16
refused "peer reset of a map without peers" "exit 1: rrictl: the map has no peer list" peer reset n

# sa clear: expires the SAs to and from $P2, not the one to a non-peer.
sa add $P2 0x300 reqid 1 mode tunnel enc cipher_null ""
ip -n "$GW" xfrm state add src $P2 dst 192.0.2.1 proto esp spi 0x302 reqid 1 mode tunnel enc cipher_null ""
ip -n "$GW" xfrm state add src 192.0.2.1 dst 192.0.2.30 proto esp spi 0x301 reqid 2 mode tunnel enc cipher_null ""
check_poll "an SA to $P2 again" $P2 current
exp_file=$route_tmp/expire
ip -n "$GW" xfrm monitor expire > "$exp_file" 2>&1 &
rri_bg_pids+=($!)
# The listener is there once it reports an SA with a hard lifetime of 1 s.
marker_seen() {
	grep -q "^Expired src 192.0.2.1 dst 192.0.2.40" "$exp_file" && return 0
	ip -n "$GW" xfrm state list dst 192.0.2.40 | grep -q '^src' ||
		ip -n "$GW" xfrm state add src 192.0.2.1 dst 192.0.2.40 proto esp spi 0x303 \
			reqid 3 mode tunnel enc cipher_null "" limit time-hard 1
	return 1
}
check "xfrm monitor expire listens" busywait 20000 marker_seen
check "sa clear map m peer $P2" rrictl_ns "$GW" sa clear map m peer $P2
check_poll "the SAs to and from $P2 are gone, the one to a non-peer stays" "192.0.2.1 192.0.2.30" \
	sh -c "ip -n $GW xfrm state | sed -n 's/^src \([0-9.]*\) dst \([0-9.]*\)$/\1 \2/p' | paste -sd ' '"
check "the IKE daemon heard a hard expiry of both" \
	eval "grep -q '^Expired src 192.0.2.1 dst $P2' $exp_file && grep -q '^Expired src $P2 dst 192.0.2.1' $exp_file"
check_poll "and the default is current" $P1 current

# DNS names: rrictl resolves them (here from a hosts file of its own,
# bound over /etc/hosts for the one command); a dynamic peer is resolved
# again when rri asks, or with peer resolve.
hosts=$route_tmp/hosts
echo "192.0.2.60 peer-a.test" > "$hosts"
# shellcheck disable=SC2016
dns() { unshare -m sh -c 'mount --bind "$0" /etc/hosts && shift && exec "$@"' "$hosts" x "$RRICTL" -n "$GW" "$@"; }
dns_out() {
	local err rc
	err=$(dns "$@" 2>&1 >/dev/null)
	rc=$?
	echo "exit $rc: $(head -n 1 <<< "$err")"
}
d_peer() { rrictl_ns "$GW" -j peer show map d | jq -r ".[0].peers[0] | $1"; }
check_match "a name that does not resolve stops map add" "exit 1: rrictl: map add: peer nothere.test does not resolve: *" \
	"$(dns_out map add d remote 10.6.0.0/16 peer nothere.test)"
check "map add d: peer peer-a.test dynamic default, peer 192.0.2.70" \
	dns map add d remote 10.6.0.0/16 peer peer-a.test dynamic default peer 192.0.2.70
check_eq "the name's address, and the name" "192.0.2.60 peer-a.test true" \
	"$(d_peer '"\(.address) \(.name) \(.default)"')"
check_eq "save names the peer by its name" \
	"map add d remote 10.6.0.0/16 mode dynamic nexthop peer table 254 metric 0 proto 201 peer peer-a.test dynamic default peer 192.0.2.70" \
	"$(rrictl_ns "$GW" save | grep '^map add d ')"
echo "192.0.2.61 peer-a.test" > "$hosts"
check "peer resolve d peer-a.test" dns peer resolve d peer-a.test
check_eq "the peer has its new address" "192.0.2.61" "$(d_peer .address)"
check_eq "peer resolve of a name the map has not" "exit 1: rrictl: no peer of the map has that name" \
	"$(dns_out peer resolve d 192.0.2.70)"
: > "$hosts"
check_match "peer resolve of a name that no longer resolves" \
	"exit 1: rrictl: peer resolve: peer-a.test does not resolve: *" \
	"$(dns_out peer resolve d peer-a.test)"
check_eq "... is a failure of that peer: the next one is current" "1 192.0.2.70" \
	"$(d_peer .failures) $(rrictl_ns "$GW" -j peer show map d | jq -r '.[0].current')"
check "peer reset d" rrictl_ns "$GW" peer reset d
check_poll "a dynamic peer made current asks to be resolved again (peer resolve on the stream)" \
	"peer resolve d peer 192.0.2.61 (peer-a.test)" \
	sh -c "sed -n 's/^[^ ]* \(peer resolve d .*\)$/\1/p' $mon_file | tail -n 1"

check_eq "every change was an event" \
	"peer up m;peer lost m;peer failed m;peer reset m;peer up m;peer cleared m peer $P2;peer lost m" \
	"$(sed -n 's/^[^ ]* \(peer [a-z]* m.*\)$/\1/p' "$mon_file" | paste -sd ';')"
rri_exit
