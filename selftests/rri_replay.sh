#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# replay-interval (Cisco: crypto map redundancy replay-interval inbound N
# outbound M): a group's setting becomes the XFRM async-event threshold
# (replay_maxdiff) of its SAs, so a sync daemon listening to XFRM aevents
# sees replay counters at that granularity. The proof is what such a
# listener receives: `ip xfrm monitor aevent` on the gateway counts the
# "replay update" events (those the threshold triggers; the 1 s timer's
# are counted apart) of the inbound and the outbound SA while 600 pings
# go through the tunnel. Without a group the kernel's default (2 packets:
# hundreds of events); with inbound 100 a handful for the inbound SA; with
# outbound 1000 none for the outbound SA (fewer than 1000 packets); with
# inbound 0 none at all. SAs present when the map joins the group and
# SAs added later (a rekey) both get the thresholds.
#
#   +------------ gw -------------+        +----------- site ------------+
#   | lo 10.0.0.1                 |        | lo 10.81.1.1                |
#   | g0 192.0.2.1/24 ------------+--------+- s0 192.0.2.2/24            |
#   | rri map m remote 10.81/16   |  ESP   | 10.0.0.0/24 via 192.0.2.1   |
#   +-----------------------------+        +-----------------------------+
source "$(dirname "$0")/lib_route.sh"
require ping

GW=rri-gw-$$
SITE=rri-site-$$
ns_add "$GW" && ns_add "$SITE" || { fail "namespaces"; rri_exit; }
ip -n "$GW" link add g0 type veth peer name s0 netns "$SITE"
ip -n "$GW" addr add 192.0.2.1/24 dev g0
ip -n "$SITE" addr add 192.0.2.2/24 dev s0
ip -n "$GW" addr add 10.0.0.1/32 dev lo
ip -n "$SITE" addr add 10.81.1.1/32 dev lo
ip -n "$GW" link set g0 up
ip -n "$SITE" link set s0 up
ip -n "$SITE" route add 10.0.0.0/24 via 192.0.2.1
rri_load || { fail "insmod rri.ko"; rri_exit; }

# tunnel NS SRC DST: policies out/in/fwd of NS's side of the tunnel
# between the two LANs (10.0.0.0/24 at the gateway, 10.81.1.0/24 at the site).
tunnel() {
	local ns=$1 src=$2 dst=$3 lnet=$4 rnet=$5 dir

	ip -n "$ns" xfrm policy add src "$lnet" dst "$rnet" dir out \
		tmpl src "$src" dst "$dst" proto esp reqid 1 mode tunnel
	for dir in in fwd; do
		ip -n "$ns" xfrm policy add src "$rnet" dst "$lnet" dir "$dir" \
			tmpl src "$dst" dst "$src" proto esp reqid 1 mode tunnel
	done
}
tunnel "$GW" 192.0.2.1 192.0.2.2 10.0.0.0/24 10.81.1.0/24
tunnel "$SITE" 192.0.2.2 192.0.2.1 10.81.1.0/24 10.0.0.0/24

# sas OUT_SPI IN_SPI: the SA pair (gw -> site OUT_SPI, back IN_SPI), in both.
sas() {
	local ns
	for ns in "$GW" "$SITE"; do
		sa_add "$ns" 192.0.2.1 192.0.2.2 "$1" 1 replay-window 32
		sa_add "$ns" 192.0.2.2 192.0.2.1 "$2" 1 replay-window 32
	done
}
# sas_del OUT_SPI IN_SPI
sas_del() {
	local ns
	for ns in "$GW" "$SITE"; do
		sa_del "$ns" 192.0.2.1 192.0.2.2 "$1"
		sa_del "$ns" 192.0.2.2 192.0.2.1 "$2"
	done
}
sas 0x1001 0x1002

check "map add m remote 10.81.0.0/16" rrictl_ns "$GW" map add m remote 10.81.0.0/16
check_fib "rri routes the site into the tunnel" "$GW" 4 10.81.1.0/24 \
	"10.81.1.0/24 via 192.0.2.2 dev g0 proto 201 metric 0"
check "a ping goes through the tunnel" \
	ip netns exec "$GW" ping -q -c 1 -W 5 -I 10.0.0.1 10.81.1.1

# The aevent listener (its presence is what makes XFRM send them at all).
aev=$route_tmp/aevents
# Appending, so that flood() can truncate the file under it.
ip -n "$GW" xfrm monitor aevent >> "$aev" 2>&1 &
rri_bg_pids+=($!)
busywait 5000 test -e "$aev"
sleep 0.5

# flood: 600 echo requests and their replies through the SA pair; then
# wait for the last events (the timer's) to come.
flood() {
	: > "$aev"
	ip netns exec "$GW" ping -q -c 600 -i 0.002 -W 5 -I 10.0.0.1 10.81.1.1 >/dev/null
	sleep 1.5
}

# aevents KIND SPI: events of KIND ("replay update", those the threshold
# triggers, or "timer expired") for the SA with this SPI since flood. Each
# event is a line "Async event (0x10) replay update" and one "src ... SPI X".
aevents() {
	awk -v kind="$1" -v spi="$2" '
		/Async event/ { ev = index($0, kind) > 0; next }
		/ SPI / { if (ev && $NF == spi) n++; ev = 0 }
		END { print n + 0 }' "$aev"
}
updates() { aevents "replay update" "$1"; }
timers() { aevents "timer expired" "$1"; }

flood
in=$(updates 0x1002) out=$(updates 0x1001)
echo "# no group: replay updates inbound $in, outbound $out (timer: $(timers 0x1002)/$(timers 0x1001))"
check "no group: the kernel's default threshold, hundreds of inbound events" test "$in" -ge 150
check "no group: and of outbound events" test "$out" -ge 150

# The group with replay-interval; the SAs exist already.
check "group add ha manual replay-interval inbound 100 outbound 1000" \
	rrictl_ns "$GW" group add ha manual replay-interval inbound 100 outbound 1000
check "group set ha active" rrictl_ns "$GW" group set ha active
check "map set m group ha" rrictl_ns "$GW" map set m group ha
check_eq "group show: replay-interval" '{"inbound":100,"outbound":1000}' \
	"$(rrictl_ns "$GW" -j group show ha | jq -c '.[0].replay_interval')"
check_fib "the route stays (the group is active)" "$GW" 4 10.81.1.0/24 \
	"10.81.1.0/24 via 192.0.2.2 dev g0 proto 201 metric 0"
flood
in=$(updates 0x1002) out=$(updates 0x1001)
echo "# inbound 100 outbound 1000: replay updates inbound $in, outbound $out"
check "inbound 100: 600 packets give a handful of inbound events" test "$in" -ge 3 -a "$in" -le 8
check "outbound 1000: 600 packets give no outbound update event" test "$out" -eq 0

# A rekey: the new SAs get the thresholds as their events are applied.
sas 0x2001 0x2002
settle "$GW"
sas_del 0x1001 0x1002
flood
in=$(updates 0x2002) out=$(updates 0x2001)
echo "# after a rekey: replay updates inbound $in, outbound $out"
check "new inbound SA: a handful" test "$in" -ge 3 -a "$in" -le 8
check "new outbound SA: none" test "$out" -eq 0

# An IKE daemon adds a tunnel's SAs before its policies: a new tunnel
# (reqid 3, the site's 10.81.3.0/24) whose SAs come first still gets the
# thresholds once the map takes its policy.
ip -n "$SITE" addr add 10.81.3.1/32 dev lo
for ns in "$GW" "$SITE"; do
	sa_add "$ns" 192.0.2.1 192.0.2.2 0x3001 3 replay-window 32
	sa_add "$ns" 192.0.2.2 192.0.2.1 0x3002 3 replay-window 32
done
settle "$GW"
ip -n "$GW" xfrm policy add src 10.0.0.0/24 dst 10.81.3.0/24 dir out \
	tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 3 mode tunnel
for dir in in fwd; do
	ip -n "$GW" xfrm policy add src 10.81.3.0/24 dst 10.0.0.0/24 dir "$dir" \
		tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 3 mode tunnel
done
ip -n "$SITE" xfrm policy add src 10.81.3.0/24 dst 10.0.0.0/24 dir out \
	tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 3 mode tunnel
for dir in in fwd; do
	ip -n "$SITE" xfrm policy add src 10.0.0.0/24 dst 10.81.3.0/24 dir "$dir" \
		tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 3 mode tunnel
done
check_fib "the new tunnel's route" "$GW" 4 10.81.3.0/24 \
	"10.81.3.0/24 via 192.0.2.2 dev g0 proto 201 metric 0"
: > "$aev"
ip netns exec "$GW" ping -q -c 600 -i 0.002 -W 5 -I 10.0.0.1 10.81.3.1 >/dev/null
sleep 1.5
in=$(updates 0x3002) out=$(updates 0x3001)
echo "# SAs before their policy: replay updates inbound $in, outbound $out"
check "SAs added before their policy: a handful of inbound events" test "$in" -ge 3 -a "$in" -le 8
check "and no outbound update event" test "$out" -eq 0

# inbound 0: no events for the inbound SA at all.
check "group set ha replay-interval inbound 0" \
	rrictl_ns "$GW" group set ha replay-interval inbound 0
flood
in=$(( $(updates 0x2002) + $(timers 0x2002) ))
echo "# inbound 0: inbound events $in"
check "inbound 0: no inbound event (at most one timer already armed)" test "$in" -le 1
check "the ping still goes through" \
	ip netns exec "$GW" ping -q -c 1 -W 5 -I 10.0.0.1 10.81.1.1

rri_exit
