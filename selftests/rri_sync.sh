#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stateful failover with rri-syncd, counter sync, hand-keyed SAs: the two
# gateways hold the same SAs (as an IKE daemon's HA sync installs them),
# gw1 carries the traffic, rri-syncd streams the SAs' replay state to gw2,
# and when the VIP moves to gw2 (keepalived's part, done here by hand)
# gw2's outbound sequence numbers jump ahead before its routes go in. The
# site's kernel is the judge: its XfrmInStateSeqError does not move, and a
# steady ping stream from the site to hq (10.0.0.1, on each gateway's lo)
# goes on. A negative control first: the same failover without rri-syncd,
# where the site drops gw2's packets as replays. Then the group's hold
# without a daemon, the channel's authentication (a node with another key
# gets nothing and changes nothing), the sync state in group show and on
# the event stream, gw1 coming back as standby and a failover back.
#
#   +-------- site --------+   br0: 192.0.2.100/24, lo 10.81.1.1 (ESN tunnel:
#   | br0 -- sg1  -- sg2   |        lo 10.82.1.1)
#   +-------|--------|-----+
#   +-- gw1 ----+  +-- gw2 ----+   g1/g2: 192.0.2.11/.12, VIP 192.0.2.1 on
#   | g1        |  | g2        |   the active one; lo 10.0.0.1 on both;
#   | y1 -------+--+- y2       |   y1/y2: the sync link 198.51.100.1/.2
#   +-----------+  +-----------+
source "$(dirname "$0")/lib_route.sh"
require ping jq

SYNCD=$RRI_TOP/tools/rri-syncd/rri-syncd
SITE=rri-site-$$
GW1=rri-gw1-$$
GW2=rri-gw2-$$
VIP=192.0.2.1
tmp=$route_tmp
ns_add "$SITE" && ns_add "$GW1" && ns_add "$GW2" || { fail "namespaces"; rri_exit; }
ip -n "$SITE" link add br0 type bridge
ip -n "$SITE" link set br0 up
ip -n "$SITE" addr add 192.0.2.100/24 dev br0
ip -n "$SITE" addr add 10.81.1.1/32 dev lo
ip -n "$SITE" addr add 10.82.1.1/32 dev lo
for i in 1 2; do
	gw=$GW1
	[ "$i" = 1 ] || gw=$GW2
	ip -n "$SITE" link add "sg$i" type veth peer name "g$i" netns "$gw"
	ip -n "$SITE" link set "sg$i" master br0 up
	ip -n "$gw" addr add "192.0.2.1$i/24" dev "g$i"
	ip -n "$gw" link set "g$i" up
	ip -n "$gw" addr add 10.0.0.1/32 dev lo
	# Replies leave from the VIP: the tunnel's address.
	ip -n "$gw" route add 10.81.0.0/16 dev "g$i" src 10.0.0.1
	ip -n "$gw" route add 10.82.0.0/16 dev "g$i" src 10.0.0.1
done
ip -n "$GW1" link add y1 type veth peer name y2 netns "$GW2"
ip -n "$GW1" addr add 198.51.100.1/30 dev y1
ip -n "$GW2" addr add 198.51.100.2/30 dev y2
ip -n "$GW1" link set y1 up
ip -n "$GW2" link set y2 up
ip -n "$SITE" route add 10.0.0.0/24 via "$VIP"
rri_load || { fail "insmod rri.ko"; rri_exit; }
# The site's kernel is the judge: it must count its replay errors.
[ -r /proc/net/xfrm_stat ] ||
	{ fail "the kernel counts no XFRM errors (CONFIG_XFRM_STATISTICS is off)"; rri_exit; }

# policies NS LOCAL REMOTE LNET RNET REQID
policies() {
	local ns=$1 l=$2 r=$3 lnet=$4 rnet=$5 reqid=$6 dir
	ip -n "$ns" xfrm policy add src "$lnet" dst "$rnet" dir out \
		tmpl src "$l" dst "$r" proto esp reqid "$reqid" mode tunnel
	for dir in in fwd; do
		ip -n "$ns" xfrm policy add src "$rnet" dst "$lnet" dir "$dir" \
			tmpl src "$r" dst "$l" proto esp reqid "$reqid" mode tunnel
	done
}
for ns in "$GW1" "$GW2"; do
	policies "$ns" "$VIP" 192.0.2.100 10.0.0.0/24 10.81.1.0/24 1
	policies "$ns" "$VIP" 192.0.2.100 10.0.0.0/24 10.82.1.0/24 2
done
policies "$SITE" 192.0.2.100 "$VIP" 10.81.1.0/24 10.0.0.0/24 1
policies "$SITE" 192.0.2.100 "$VIP" 10.82.1.0/24 10.0.0.0/24 2

# sas BASE: the same four SAs in all three namespaces (the tunnel to
# 10.81.1.0/24 with a 32-packet window, the one to 10.82.1.0/24 with ESN
# and a 128-packet window), SPIs BASE+1..4.
sas() {
	local ns b=$1
	for ns in "$SITE" "$GW1" "$GW2"; do
		sa_add "$ns" "$VIP" 192.0.2.100 $((b + 1)) 1 replay-window 32
		sa_add "$ns" 192.0.2.100 "$VIP" $((b + 2)) 1 replay-window 32
		sa_add "$ns" "$VIP" 192.0.2.100 $((b + 3)) 2 replay-window 128 flag esn
		sa_add "$ns" 192.0.2.100 "$VIP" $((b + 4)) 2 replay-window 128 flag esn
	done
}
sas_flush() {
	local ns
	for ns in "$SITE" "$GW1" "$GW2"; do
		ip -n "$ns" xfrm state flush
	done
}

# seq_errors: the site's replay and sequence errors (XfrmInStateSeqError).
seq_errors() {
	ip netns exec "$SITE" awk '$1 == "XfrmInStateSeqError" { n = $2 } END { print n }' \
		/proc/net/xfrm_stat
}

# sa_ctx NS SRC DST SPI FIELD: FIELD (seq, oseq, seq-hi, oseq-hi) of an SA's
# replay state, in decimal.
sa_ctx() {
	local v
	v=$(ip -n "$1" -s xfrm state get src "$2" dst "$3" proto esp spi "$4" |
		sed -n '/anti-replay/,$p' | grep -oE "(^|[ ,])$5 0x[0-9a-f]+" |
		head -n 1 | awk '{ print $NF }')
	echo $((${v:-0}))
}
# oseq NS SPI: the outbound sequence number of gw -> site SA SPI (ESN: with
# its high bits).
oseq() {
	echo $(( $(sa_ctx "$1" "$VIP" 192.0.2.100 "$2" oseq-hi) * 4294967296 +
		 $(sa_ctx "$1" "$VIP" 192.0.2.100 "$2" oseq) ))
}
# in_seq NS SPI: the sequence number of site -> gw SA SPI.
in_seq() { sa_ctx "$1" 192.0.2.100 "$VIP" "$2" seq; }
in_seq_gt() { [ "$(in_seq "$1" "$2")" -gt "$3" ]; }
oseq_ge() { [ "$(oseq "$1" "$2")" -ge "$3" ]; }

# vip_to N: the VIP leaves the other gateway (its links go down: it died) and
# is added to gwN; the site learns the new address (keepalived sends
# gratuitous ARPs).
vip_to() {
	local to=$GW1 from=$GW2 mac
	[ "$1" = 1 ] || { to=$GW2; from=$GW1; }
	ip -n "$to" link set "g$1" up
	ip -n "$from" addr del "$VIP/24" dev "g$((3 - $1))" 2>/dev/null
	ip -n "$from" link set "g$((3 - $1))" down
	ip -n "$from" link set "y$((3 - $1))" down
	ip -n "$to" addr add "$VIP/24" dev "g$1"
	mac=$(ip -n "$to" -j link show "g$1" | jq -r '.[0].address')
	ip -n "$SITE" neigh replace "$VIP" lladdr "$mac" dev br0 nud reachable
}

# links_up N: gwN is back (without the VIP).
links_up() {
	ip -n "$( [ "$1" = 1 ] && echo "$GW1" || echo "$GW2")" link set "g$1" up
	ip -n "$( [ "$1" = 1 ] && echo "$GW1" || echo "$GW2")" link set "y$1" up
}

# stream_start NAME: pings from both site tunnels to hq, 20 a second.
stream_start() {
	ip netns exec "$SITE" ping -n -D -i 0.05 -W 1 -I 10.81.1.1 10.0.0.1 > "$tmp/$1.a" 2>&1 &
	stream_pids=($!)
	ip netns exec "$SITE" ping -n -D -i 0.05 -W 1 -I 10.82.1.1 10.0.0.1 > "$tmp/$1.b" 2>&1 &
	stream_pids+=($!)
	rri_bg_pids+=("${stream_pids[@]}")
}
stream_stop() {
	kill -INT "${stream_pids[@]}" 2>/dev/null
	wait "${stream_pids[@]}" 2>/dev/null
}
# replies FILE: echo replies received so far.
replies() { grep -c 'bytes from' "$1" 2>/dev/null; }
# gap FILE: the longest time (ms) between two replies.
gap() {
	awk -F'[][]' '/bytes from/ { t = $2 * 1000; if (p && t - p > g) g = t - p; p = t }
		      END { printf "%d\n", g }' "$1"
}
replies_ge() { [ "$(replies "$1")" -ge "$2" ]; }
# replies_grow FILE N: N more replies arrive within 15 s.
replies_grow() {
	busywait 15000 replies_ge "$1" $(( $(replies "$1") + $2 ))
}

# syncd_start N [KEYFILE [MODE]]: rri-syncd on gwN, its log in $tmp/syncdN.log.
syncd_start() {
	local ns=$GW1 me=198.51.100.1 peer=198.51.100.2
	[ "$1" = 1 ] || { ns=$GW2; me=198.51.100.2; peer=198.51.100.1; }
	ip netns exec "$ns" "$SYNCD" -v --group ha --peer "$peer" --listen "$me" \
		--key-file "${2:-$tmp/key}" --mode "${3:-counters}" >> "$tmp/syncd$1.log" 2>&1 &
	eval "syncd$1=$!"
	rri_bg_pids+=($!)
}
syncd_kill() {
	local pid
	eval "pid=\$syncd$1"
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
# sync_state N: gwN's sync state, as group show has it.
sync_state() {
	local ns=$GW1
	[ "$1" = 1 ] || ns=$GW2
	rrictl_ns "$ns" -j group show ha | jq -r '.[0].sync.state // "none"'
}
sync_is() { [ "$(sync_state "$1")" = "$2" ]; }
has_fib() { [ -n "$(fib "$1" 4 10.81.1.0/24)" ]; }
# handshakes_failed N: gw2's log has N failed handshakes with gw1.
handshakes_failed() {
	[ "$(grep -c "TLS handshake with 198.51.100.1:7801 failed" "$tmp/syncd2.log")" -ge "$1" ]
}

"$SYNCD" genkey > "$tmp/key"
"$SYNCD" genkey > "$tmp/otherkey"
chmod 600 "$tmp/key" "$tmp/otherkey"
check "genkey writes 32 bytes in hex" grep -qxE '[0-9a-f]{64}' "$tmp/key"

for ns in "$GW1" "$GW2"; do
	rrictl_ns "$ns" group add ha vip "$VIP" replay-interval inbound 10 outbound 1000
	rrictl_ns "$ns" map add m remote 10.80.0.0/13 group ha
done

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

# --- the channel: another key gets nothing and changes nothing ---
links_up 2
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
syncd_start 2 "" sa
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
echo "# --mode sa failover gw1 -> gw2: longest gap $(gap "$tmp/copy.a") ms"

if [ "$rri_failed" != 0 ]; then
	tail -n 40 "$tmp/syncd1.log" | sed 's/^/# gw1: /'
	tail -n 40 "$tmp/syncd2.log" | sed 's/^/# gw2: /'
fi
rri_exit
