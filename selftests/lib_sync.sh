# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The network of the hand-keyed stateful failover tests (rri_sync.sh,
# rri_sync_channel.sh), built when this is sourced: two gateways that can
# hold the same SAs (as an IKE daemon's HA sync installs them), a site in
# front of them behind one VIP, hq on each gateway's lo, and a sync link.
# The VIP moves by hand (vip_to), as keepalived would move it; rri-syncd
# runs on the sync link (syncd_start). The site's kernel is the judge: its
# XfrmInStateSeqError counts the packets it drops as replays.
#
#   +-------- site --------+   br0: 192.0.2.100/24, lo 10.81.1.1 (ESN tunnel:
#   | br0 -- sg1  -- sg2   |        lo 10.82.1.1)
#   +-------|--------|-----+
#   +-- gw1 ----+  +-- gw2 ----+   g1/g2: 192.0.2.11/.12, VIP 192.0.2.1 on
#   | g1        |  | g2        |   the active one; lo 10.0.0.1 on both;
#   | y1 -------+--+- y2       |   y1/y2: the sync link 198.51.100.1/.2
#   +-----------+  +-----------+
#
# Both gateways: group ha vip 192.0.2.1, replay-interval inbound 10
# outbound 1000, hold 3000; map m remote 10.80.0.0/13 in it. Keys in $tmp/key and
# $tmp/otherkey.
source "$(dirname "${BASH_SOURCE[0]}")/lib_route.sh"
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

# syncd_start N [KEYFILE [MODE [REKEY_CMD]]]: rri-syncd on gwN, its log in
# $tmp/syncdN.log.
syncd_start() {
	local ns=$GW1 me=198.51.100.1 peer=198.51.100.2
	[ "$1" = 1 ] || { ns=$GW2; me=198.51.100.2; peer=198.51.100.1; }
	ip netns exec "$ns" "$SYNCD" -v --group ha --peer "$peer" --listen "$me" \
		--key-file "${2:-$tmp/key}" --mode "${3:-counters}" \
		${4:+--rekey-on-takeover "$4"} >> "$tmp/syncd$1.log" 2>&1 &
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
for ns in "$GW1" "$GW2"; do
	rrictl_ns "$ns" group add ha vip "$VIP" replay-interval inbound 10 outbound 1000 hold 3000
	rrictl_ns "$ns" map add m remote 10.80.0.0/13 group ha
done

# sync_logs: after a failure, the daemons' last words.
sync_logs() {
	if [ "$rri_failed" != 0 ]; then
		tail -n 40 "$tmp/syncd1.log" 2>/dev/null | sed 's/^/# gw1: /'
		tail -n 40 "$tmp/syncd2.log" 2>/dev/null | sed 's/^/# gw2: /'
	fi
}
