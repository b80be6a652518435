#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stateful failover with rri-syncd, counter sync, hand-keyed SAs
# (lib_sync.sh's network): gw1 carries the traffic, rri-syncd streams the
# SAs' replay state to gw2, and when the VIP moves to gw2 the group's hold
# keeps its routes back while gw2's outbound sequence numbers jump ahead,
# then rri-syncd releases it. The site's kernel counts no replay error and
# the ping stream from the site to hq goes on; gw1 comes back as standby,
# resyncs in full, and the failover back works too. Also the hold itself
# without a daemon (running out, released by hand), and the sync state in
# group show and on the event stream, down when a daemon is killed. The
# module's side of all this (the hold in the worker, the sync state a
# closing socket ends, the dump of a group's SAs) is why this test also
# runs on the debug kernel; rri_sync_channel.sh has the rest.
source "$(dirname "$0")/lib_sync.sh"

# --- a hold without a daemon: the routes wait for it to run out ---
check "group set ha hold 4000" rrictl_ns "$GW1" group set ha hold 4000
check_eq "group show: hold" "4000 0" \
	"$(rrictl_ns "$GW1" -j group show ha | jq -r '.[0] | "\(.hold) \(.hold_expired)"')"
check_match "a standby group is not released" "rrictl: the group is standby*" \
	"$(rrictl_ns "$GW1" group set ha release 2>&1)"
sa_add "$GW1" "$VIP" 192.0.2.100 0x999 1
ip -n "$GW1" addr add "$VIP/24" dev g1
check_eq "active with a hold: held" "active true" \
	"$(rrictl_ns "$GW1" -j group show ha | jq -r '.[0] | "\(.role) \(.held)"')"
check_eq "held: no route yet" "" "$(fib "$GW1" 4 10.81.1.0/24)"
check "the hold runs out: the route goes in" busywait 10000 has_fib "$GW1"
check_eq "hold_expired counts it" "false 1" \
	"$(rrictl_ns "$GW1" -j group show ha | jq -r '.[0] | "\(.held) \(.hold_expired)"')"
ip -n "$GW1" addr del "$VIP/24" dev g1
check_eq "standby: the route goes" "" "$(fib "$GW1" 4 10.81.1.0/24)"
check "group set ha hold 10000" rrictl_ns "$GW1" group set ha hold 10000
ip -n "$GW1" addr add "$VIP/24" dev g1
check_eq "held again" "true" "$(rrictl_ns "$GW1" -j group show ha | jq -r '.[0].held')"
check "group set ha release" rrictl_ns "$GW1" group set ha release
check_eq "released at once, hold_expired unchanged" "false 1" \
	"$(rrictl_ns "$GW1" -j group show ha | jq -r '.[0] | "\(.held) \(.hold_expired)"')"
check "released: the route is in" test -n "$(fib "$GW1" 4 10.81.1.0/24)"
ip -n "$GW1" addr del "$VIP/24" dev g1
sa_del "$GW1" "$VIP" 192.0.2.100 0x999
check "group set ha hold 3000 (gw1)" rrictl_ns "$GW1" group set ha hold 3000
check "group set ha hold 3000 (gw2)" rrictl_ns "$GW2" group set ha hold 3000

# --- counter sync ---
sas 0x2000
vip_to 1
links_up 2
ip -n "$GW2" addr del "$VIP/24" dev g2 2>/dev/null
rrictl_ns "$GW2" monitor > "$tmp/mon2" 2>&1 &
rri_bg_pids+=($!)
syncd_start 1
syncd_start 2
sync_sas() { [ "$(rrictl_ns "$1" -j group show ha | jq -r '.[0].sync | "\(.state) \(.sas)"')" = "$2" ]; }
check "gw1 active: up, with the group's 4 SAs" busywait 20000 sync_sas "$GW1" "up 4"
check "gw2 standby: in step" busywait 20000 sync_is 2 up
stream_start a
check "the stream flows through gw1" replies_grow "$tmp/a.a" 60
check "gw2 follows gw1's inbound sequence numbers" busywait 10000 in_seq_gt "$GW2" 0x2002 20
check_match "group show on gw2: sync up, 4 SAs, the peer, a lag" "up 4 198.51.100.1:7801 [0-9]*" \
	"$(rrictl_ns "$GW2" -j group show ha | jq -r '.[0].sync | "\(.state) \(.sas) \(.peer) \(.lag)"')"
errs=$(seq_errors)
o1=$(oseq "$GW1" 0x2001) o1e=$(oseq "$GW1" 0x2003)
# gw1 dies: its daemon with it.
syncd_kill 1 KILL
vip_to 2
check "the stream goes on through gw2" replies_grow "$tmp/a.a" 40
check "the ESN tunnel's stream too" replies_grow "$tmp/a.b" 40
check_eq "the site counted no sequence error" "$errs" "$(seq_errors)"
o2=$(oseq "$GW2" 0x2001) o2e=$(oseq "$GW2" 0x2003)
echo "# outbound sequence at gw1's death $o1 (ESN $o1e), on gw2 after takeover $o2 (ESN $o2e)"
check "gw2's outbound sequence jumped past gw1's" test "$o2" -gt "$((o1 + 1000))"
check "and the ESN SA's" test "$o2e" -gt "$((o1e + 1000))"
check "takeover logged before the release" grep -q "takeover: 2 outbound SAs moved ahead, 2 inbound set, 0 without a synced state.*group released" "$tmp/syncd2.log"
check "the route is in on gw2" busywait 5000 has_fib "$GW2"
check_eq "released by rri-syncd, not by the hold's end" "0" \
	"$(rrictl_ns "$GW2" -j group show ha | jq -r '.[0].hold_expired')"
echo "# failover gw1 -> gw2: longest gap $(gap "$tmp/a.a") ms (non-ESN), $(gap "$tmp/a.b") ms (ESN)"
check "gw2 active: no standby, sync down" busywait 5000 sync_is 2 down
check "the event stream told the sync state" grep -q "group sync ha" "$tmp/mon2"

# gw1's daemon died: the module marked its state down itself.
check_eq "gw1's sync state went down with its daemon" "down" "$(sync_state 1)"

# --- gw1 comes back as standby and resyncs in full ---
links_up 1
syncd_start 1
check "gw1 standby: in step again" busywait 20000 sync_is 1 up
check "gw1's copy of the outbound SA has gw2's counters" busywait 10000 oseq_ge "$GW1" 0x2001 "$o2"
check_eq "gw2 active: sync up" "up" "$(sync_state 2)"

# --- and back: gw2 dies, gw1 takes over ---
errs=$(seq_errors)
syncd_kill 2 KILL
vip_to 1
check "the stream goes on through gw1 again" replies_grow "$tmp/a.a" 40
check "and the ESN one" replies_grow "$tmp/a.b" 40
check_eq "the site counted no sequence error" "$errs" "$(seq_errors)"
stream_stop
echo "# whole run gw1 -> gw2 -> gw1: longest gap $(gap "$tmp/a.a") ms (non-ESN), $(gap "$tmp/a.b") ms (ESN)"

sync_logs
rri_exit
