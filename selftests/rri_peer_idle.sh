#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# idle-time (Cisco's "set security-association idle-time 60 default") with
# hand-keyed SAs that carry real traffic, and the idle tick's lifetime:
#
#  1. a tunnel to peer 192.0.2.20 in use (a ping every 5 s) stays up well
#     past idle-time: no idle event, its SAs stay, the peer stays current;
#  2. once the pings stop, within idle-time and a tick rri expires the SAs
#     to and from the peer (hard EXPIREs on `ip xfrm monitor`), the routes
#     go, and the default peer 192.0.2.10 is current;
#  3. a namespace whose map has idle-time (the tick armed) is deleted, and
#     at the end the module is unloaded with the tick armed in another: the
#     runner's kernel-log scan (KASAN, lockdep, kmemleak on the debug
#     kernel) says whether that was clean.
#
#   +------------- gw -------------+        +----------- peer ------------+
#   | lan0 10.9.1.1/24 (dummy)     |        | lo 10.8.0.1/32              |
#   | a0 192.0.2.1/24 ------------ veth --- b0 192.0.2.20/24             |
#   | map m remote 10.8.0.0/16     |        | 10.9.1.0/24 via 192.0.2.1   |
#   |   peer .10 default, peer .20 |        |                             |
#   |   idle-time 60 default       |        |                             |
#   +------------------------------+        +-----------------------------+
#   ESP (cipher_null) 192.0.2.1 <=> 192.0.2.20 for 10.9.1.0/24 <=> 10.8.0.0/16
source "$(dirname "$0")/lib_route.sh"

IDLE=60
# Idle time, a tick (10 s) and a busy VM's slack.
IDLE_MS=${IDLE_MS:-120000}
command -v jq >/dev/null || skip_test "jq is not installed"

GW=rri-gw-$$ PEER=rri-peer-$$ Q=rri-q-$$
P1=192.0.2.10 P2=192.0.2.20
ns_add "$GW" && ns_add "$PEER" && ns_add "$Q" || { fail "namespaces"; rri_exit; }
ip -n "$GW" link add a0 type veth peer name b0 netns "$PEER"
ip -n "$GW" link add lan0 type dummy
ip -n "$GW" addr add 10.9.1.1/24 dev lan0
ip -n "$GW" addr add 192.0.2.1/24 dev a0
ip -n "$PEER" addr add 192.0.2.20/24 dev b0
ip -n "$PEER" addr add 10.8.0.1/32 dev lo
for ns in "$GW" "$PEER"; do
	ip -n "$ns" link set dev "$(ip -n "$ns" -o link show type veth | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }')" up
done
ip -n "$GW" link set lan0 up
ip -n "$PEER" route add 10.9.1.0/24 via 192.0.2.1

# tunnel NS LOCAL REMOTE LNET RNET OUT_SPI IN_SPI: policies and SAs of one end.
tunnel() {
	local ns=$1 l=$2 r=$3 lnet=$4 rnet=$5 out=$6 in=$7 dir

	ip -n "$ns" xfrm state add src "$l" dst "$r" proto esp spi "$out" reqid 1 \
		mode tunnel enc cipher_null ""
	ip -n "$ns" xfrm state add src "$r" dst "$l" proto esp spi "$in" reqid 1 \
		mode tunnel enc cipher_null ""
	ip -n "$ns" xfrm policy add src "$lnet" dst "$rnet" dir out \
		tmpl src "$l" dst "$r" proto esp reqid 1 mode tunnel
	for dir in in fwd; do
		ip -n "$ns" xfrm policy add src "$rnet" dst "$lnet" dir "$dir" \
			tmpl src "$r" dst "$l" proto esp reqid 1 mode tunnel
	done
}

rri_load || { fail "insmod rri.ko"; rri_exit; }
check "map add m remote 10.8.0.0/16 peer $P1 default peer $P2 idle-time $IDLE default" \
	rrictl_ns "$GW" map add m remote 10.8.0.0/16 peer $P1 default peer $P2 \
		idle-time $IDLE default
events=$route_tmp/events
rrictl_ns "$GW" -j monitor > "$events" 2>&1 &
rri_bg_pids+=($!)
expires=$route_tmp/expires
ip -n "$GW" xfrm monitor expire > "$expires" 2>&1 &
rri_bg_pids+=($!)

tunnel "$GW" 192.0.2.1 $P2 10.9.1.0/24 10.8.0.0/16 0x1001 0x2001
tunnel "$PEER" $P2 192.0.2.1 10.8.0.0/16 10.9.1.0/24 0x2001 0x1001
current() { rrictl_ns "$GW" -j peer show map m | jq -r '.[0].current'; }
peer_sas() { ip -n "$GW" xfrm state list | grep -c "^src .*$P2"; }
idle_seen() { grep -q '"event":"peer_idle"' "$events"; }
ping_ok() { ip netns exec "$GW" ping -n -q -c 1 -W 2 -I 10.9.1.1 10.8.0.1 >/dev/null 2>&1; }

check_poll "the SA to $P2 makes it current" $P2 current
check_poll "rri's route to the site leads to $P2" \
	"10.8.0.0/16 via $P2 dev a0 proto 201 metric 0 table main" fib_rri "$GW"
check "a ping crosses the tunnel" busywait 10000 ping_ok
# sa_packets SPI: packets the gateway's SA of that SPI carried.
sa_packets() {
	ip -n "$GW" -s xfrm state list spi "$1" |
		sed -n 's/^[[:space:]]*[0-9]*(bytes), \([0-9]*\)(packets)$/\1/p'
}
check_eq "... as ESP: both SAs counted it" "yes yes" \
	"$([ "$(sa_packets 0x1001)" -ge 1 ] && echo yes) $([ "$(sa_packets 0x2001)" -ge 1 ] && echo yes)"

# 3. A namespace with the tick armed goes away.
check "map add in a namespace that will go, with idle-time" \
	rrictl_ns "$Q" map add q remote 10.7.0.0/16 peer 192.0.2.30 idle-time $IDLE
ns_del "$Q"
pass "the namespace went with its idle tick armed"

# 1. In use: a ping every 5 s for longer than idle-time and a tick.
start=$(date +%s)
ip netns exec "$GW" ping -n -q -c 16 -i 5 -W 2 -I 10.9.1.1 10.8.0.1 > "$route_tmp/ping" 2>&1
check_eq "16 pings answered over $(($(date +%s) - start)) s" \
	"16 packets transmitted, 16 received" "$(grep -o '^16 packets transmitted, [0-9]* received' "$route_tmp/ping")"
check_eq "a tunnel in use is not idle: no idle event, its 2 SAs stay, $P2 current" \
	"no 2 $P2" "$(idle_seen && echo yes || echo no) $(peer_sas) $(current)"

# 2. Idle.
check "no traffic for $IDLE s: rri says the SAs to $P2 were idle" busywait "$IDLE_MS" idle_seen
check_poll "the SAs to and from $P2 are gone" 0 peer_sas
check "... as hard expiries the IKE daemon would hear of" \
	eval "grep -q '^Expired src 192.0.2.1 dst $P2' $expires && grep -q '^Expired src $P2 dst 192.0.2.1' $expires"
check_poll "the default $P1 is current" $P1 current
check_poll "rri's route went with the SAs" "" fib_rri "$GW"
check_eq "the events: up, idle naming $P2, lost" "peer_up;peer_idle $P2;peer_lost" \
	"$(jq -r 'select(.event | startswith("peer")) | .event + (if .peer then " " + .peer else "" end)' "$events" | paste -sd ';')"
check_eq "the default and idle time kept" "$IDLE" \
	"$(rrictl_ns "$GW" -j peer show map m | jq -r '.[0].idle_time')"

# The module goes with the tick armed in $GW (map m has idle-time).
rri_exit
