#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stateful failover with rri-syncd, the rest (lib_sync.sh's network; see
# rri_sync.sh): the negative control, the same failover without rri-syncd,
# where the site drops gw2's packets as replays; rri-syncd's refusals; the
# channel's authentication (a node with another key, on either side, gets
# nothing and changes nothing; garbage on its port changes nothing); a
# silent sync link; and SA-copy mode (--mode sa), where gw2 has no SA or
# policy of its own and rri-syncd copies gw1's, keeps them in step and
# fails over with them, then runs --rekey-on-takeover's command.
source "$(dirname "$0")/lib_sync.sh"

check "genkey writes 32 bytes in hex" grep -qxE '[0-9a-f]{64}' "$tmp/key"

# --- the negative control: the SAs' copies on gw2 without their counters ---
sas 0x1000
vip_to 1
stream_start ctl
check "control: the stream flows through gw1" replies_grow "$tmp/ctl.a" 40
errs=$(seq_errors)
vip_to 2
replies_grow "$tmp/ctl.a" 10
stream_stop
ctl_errs=$(( $(seq_errors) - errs ))
echo "# control (no rri-syncd): the site counted $ctl_errs sequence errors; longest gap $(gap "$tmp/ctl.a") ms"
check "control: the site drops gw2's packets as replays" test "$ctl_errs" -ge 5
links_up 1
sas_flush
ip -n "$GW2" addr del "$VIP/24" dev g2

# --- rri-syncd: refusals ---
rrictl_ns "$GW1" group add norp manual
check_match "rri-syncd refuses a group without replay-interval" \
	"rri-syncd: group norp has no replay-interval*" \
	"$(ip netns exec "$GW1" "$SYNCD" -g norp -p 198.51.100.2 -k "$tmp/key" 2>&1)"
check_match "rri-syncd refuses a group that does not exist" "rri-syncd: no such group" \
	"$(ip netns exec "$GW1" "$SYNCD" -g nosuch -p 198.51.100.2 -k "$tmp/key" 2>&1)"
echo short > "$tmp/badkey"
check_match "rri-syncd refuses a bad key file" "rri-syncd: key file *: want 16 to 64 bytes in hex*" \
	"$(ip netns exec "$GW1" "$SYNCD" -g ha -p 198.51.100.2 -k "$tmp/badkey" 2>&1)"
rrictl_ns "$GW1" group del norp

# --- the channel: another key gets nothing and changes nothing ---
# gw1 active, its SAs' counters moved on by 20 pings: a standby in step
# would have them.
sas 0x2000
vip_to 1
links_up 2
ip -n "$GW2" addr del "$VIP/24" dev g2 2>/dev/null
# No rri-syncd yet: the group's hold runs out before its route is in.
check "gw1's route to the site, once the hold ran out" busywait 10000 has_fib "$GW1"
check "20 pings through gw1" \
	ip netns exec "$SITE" ping -q -c 20 -i 0.05 -W 2 -I 10.81.1.1 10.0.0.1
syncd_start 1
o2=$(oseq "$GW2" 0x2001)
syncd_start 2 "$tmp/otherkey"
check "a standby with another key fails its handshake" busywait 10000 handshakes_failed 1
check_eq "and stays down" "down" "$(sync_state 2)"
check_eq "its SAs got nothing" "$o2" "$(oseq "$GW2" 0x2001)"
syncd_kill 2
syncd_kill 1
# An active node with another key: the standby's SAs stay as they are.
failed=$(grep -c "TLS handshake with 198.51.100.1:7801 failed" "$tmp/syncd2.log")
syncd_start 1 "$tmp/otherkey"
syncd_start 2
before=$(ip -n "$GW2" -s xfrm state get src 192.0.2.100 dst "$VIP" proto esp spi 0x2002 | md5sum)
check "an active node with another key: the standby's handshake fails" \
	busywait 10000 handshakes_failed $((failed + 2))
# Garbage on the port changes nothing either.
ip netns exec "$GW2" bash -c 'exec 3<>/dev/tcp/198.51.100.1/7801 && echo garbage >&3' 2>/dev/null
check_eq "gw2 stays down" "down" "$(sync_state 2)"
check_eq "gw2's SAs are as they were" "$before" \
	"$(ip -n "$GW2" -s xfrm state get src 192.0.2.100 dst "$VIP" proto esp spi 0x2002 | md5sum)"
check "both daemons still run" kill -0 "$syncd1" "$syncd2"
syncd_kill 1
syncd_start 1
check "with the same key again: in step" busywait 20000 sync_is 2 up
check "and gw2's SAs have gw1's counters now" busywait 10000 oseq_ge "$GW2" 0x2001 20

# --- a silent peer: the sync link goes down, no connection is closed ---
ip -n "$GW2" link set y2 down
check "the standby notices the silence: sync down" busywait 15000 sync_is 2 down
check "and so does the active node" busywait 15000 sync_is 1 down
ip -n "$GW2" link set y2 up
check "the link is back: the standby reconnects, in step again" busywait 30000 sync_is 2 up
check "the active node too" busywait 5000 sync_is 1 up

# --- SA-copy mode: gw2 has no SA or policy of its own ---
# sas_of NS / pols_of NS: its SAs (keys and all, no counters) and policies
# (no index), sorted.
sas_of() {
	ip -n "$1" xfrm state list |
		grep -vE 'anti-replay|seq-hi|replay_window|replay-window|bitmap|lastused|^\s*([0-9a-f]{8} ?)*\s*$' |
		paste -sd ' ' | sed 's/ src /\nsrc /g' | sort
}
pols_of() {
	ip -n "$1" xfrm policy list | sed 's/ index [0-9]*//' | paste -sd ' ' |
		sed 's/ src /\nsrc /g' | sort
}
same_sas() { [ "$(sas_of "$GW1")" = "$(sas_of "$GW2")" ]; }
syncd_kill 1
syncd_kill 2
ip -n "$GW2" xfrm state flush
ip -n "$GW2" xfrm policy flush
syncd_start 1 "" sa
syncd_start 2
check "a standby in another mode is refused" \
	busywait 10000 grep -q "198.51.100.1:7801 runs --mode sa, this node --mode counters" "$tmp/syncd2.log"
syncd_kill 2
: > "$tmp/syncd2.log"
syncd_start 2 "" sa "touch $tmp/rekeyed"
check "--mode sa: gw2 in step" busywait 20000 sync_is 2 up
check "gw2 got gw1's SAs, keys and all" busywait 10000 same_sas
check_eq "and the policies of their tunnels" "$(pols_of "$GW1")" "$(pols_of "$GW2")"
check_eq "4 SAs, 6 policies" "4 6" \
	"$(ip -n "$GW2" xfrm state list | grep -c ^src) $(ip -n "$GW2" xfrm policy list | grep -c ^src)"
sa_del "$GW1" "$VIP" 192.0.2.100 0x2003
sa_del "$GW1" 192.0.2.100 "$VIP" 0x2004
ip -n "$GW1" xfrm policy delete src 10.0.0.0/24 dst 10.82.1.0/24 dir out
check "the ESN tunnel's SAs go on gw1: their copies go on gw2" busywait 10000 same_sas
check_poll "and the policy" "$(pols_of "$GW1")" pols_of "$GW2"
errs=$(seq_errors)
stream_start copy
check "the stream flows through gw1" replies_grow "$tmp/copy.a" 40
syncd_kill 1 KILL
vip_to 2
check "--mode sa: the stream goes on through gw2's copies" replies_grow "$tmp/copy.a" 40
stream_stop
check_eq "the site counted no sequence error" "$errs" "$(seq_errors)"
check "takeover logged" grep -q "takeover: 1 outbound SAs moved ahead, 1 inbound set, 0 without a synced state.*group released" "$tmp/syncd2.log"
check "--rekey-on-takeover ran its command" busywait 5000 test -e "$tmp/rekeyed"
echo "# --mode sa failover gw1 -> gw2: longest gap $(gap "$tmp/copy.a") ms"

sync_logs
rri_exit
