#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Route-based VPNs never leak cleartext. With `nexthop peer`, a policy with
# an if_id gets a device route into the XFRM interface of that if_id, and
# is unresolved (reason no-xfrm-if, nothing in the FIB) while there is
# none (a); a policy scoped by a mark is unresolved (reason mark) (b);
# remote-peer on an if_id map routes the peer via the underlay and the
# proxy into the interface (c). On the wire (d): for each next hop rri
# picks itself (via the router toward the peer, via the on-link peer, dev
# xfrmi), the host's pings into the injected prefix leave the gateway as
# ESP to the peer, never in the clear.
#
#   +- h ----------+   +------------------- gw --------------------------+   +- rt -----------+   +- pa ---------+
#   | hg0 10.0.0.2 |---| gh0 10.0.0.1/24          gw0 192.0.2.1/24       |---| rt0 .254       |   | 203.0.113.1  |
#   | default via  |   |   203.0.113.0/24 via 192.0.2.254  2001:db8::1/64 |   |   2001:db8::fe |   | lo 10.81.1.1 |
#   |   10.0.0.1   |   | xfrmi1 if_id 7 (a), xfrmi2 if_id 8 (c),         |   | rp0 .254       |---|    10.83.1.1 |
#   +--------------+   | xfrmi3 if_id 9 (d), all on gw0                  |   +----------------+   +--------------+
#                      | gw1 198.18.0.1/24                               |---+- pb ----------------+
#                      +-------------------------------------------------+   | pb0 198.18.0.8/24   |
#                                                                            | lo 10.82.1.1        |
#                                                                            +---------------------+
#
# Tunnels of (d), each with SAs both ways and policies on both ends:
# 10.0.0.0/24 <-> 10.81.1.0/24 gw-pa (via rt), 10.82.1.0/24 gw-pb (on-link),
# 10.83.1.0/24 gw-pa with if_id 9 on gw's side.
source "$(dirname "$0")/lib_route.sh"

require tcpdump ping timeout

H=rri-h-$$
GW=rri-gw-$$
RT=rri-rt-$$
PA=rri-pa-$$
PB=rri-pb-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
{ ns_add "$H" && ns_add "$PA" && ns_add "$PB"; } || { fail "topology"; rri_exit; }
ip -n "$H" link add hg0 type veth peer name gh0 netns "$GW"
ip -n "$H" addr add 10.0.0.2/24 dev hg0
ip -n "$H" link set hg0 up
ip -n "$H" route add default via 10.0.0.1
ip -n "$GW" addr add 10.0.0.1/24 dev gh0
ip -n "$GW" link set gh0 up
ip -n "$GW" link add gw1 type veth peer name pb0 netns "$PB"
ip -n "$GW" addr add 198.18.0.1/24 dev gw1
ip -n "$GW" link set gw1 up
ip -n "$PB" addr add 198.18.0.8/24 dev pb0
ip -n "$PB" addr add 10.82.1.1/32 dev lo
ip -n "$PB" link set pb0 up
ip -n "$PB" route add default via 198.18.0.1
ip -n "$RT" link add rp0 type veth peer name pa0 netns "$PA"
ip -n "$RT" addr add 203.0.113.254/24 dev rp0
ip -n "$RT" link set rp0 up
ip -n "$PA" addr add 203.0.113.1/24 dev pa0
ip -n "$PA" addr add 10.81.1.1/32 dev lo
ip -n "$PA" addr add 10.83.1.1/32 dev lo
ip -n "$PA" link set pa0 up
ip -n "$PA" route add default via 203.0.113.254
ip -n "$RT" route add 10.0.0.0/24 via 192.0.2.1
ip netns exec "$GW" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$RT" sysctl -qw net.ipv4.ip_forward=1 || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

L4=10.0.0.0/24 S4=192.0.2.1 P4=203.0.113.1
L6=2001:db8:1::/64 S6=2001:db8::1 P6=2001:db8:f::1
R4="via 192.0.2.254 dev gw0"

# rri_sr NS PREFIX: "STATE[ REASON]" of rri's route(s) to PREFIX.
rri_sr() {
	rrictl_ns "$1" -j route show | jq -r --arg p "$2" \
		'[.[] | select(.prefix == $p) | .state + (if .reason then " " + .reason else "" end)]
		 | join("; ")'
}

# fib_and_sr NS 4|6 PREFIX: the kernel's routes to PREFIX and rri's state
# and reason, "FIB|STATE REASON": one value to wait for.
# shellcheck disable=SC2317 # called by poll_eq
fib_and_sr() {
	echo "$(fib "$1" "$2" "$3")|$(rri_sr "$1" "$3")"
}

# (a) A policy with if_id 7, nexthop peer.
check "map add m61" rrictl_ns "$GW" map add m61 remote 10.61.0.0/16
check "map add m61v6" rrictl_ns "$GW" map add m61v6 remote 2001:db8:61::/48
pol_add "$GW" $L4 10.61.1.0/24 $S4 $P4 61 if_id 7
sa_add "$GW" $S4 $P4 0x611 61 if_id 7
pol_add "$GW" $L6 2001:db8:61:1::/64 $S6 $P6 61 if_id 7
sa_add "$GW" $S6 $P6 0x612 61 if_id 7
poll_eq "|unresolved no-xfrm-if" fib_and_sr "$GW" 4 10.61.1.0/24
check_eq "if_id, no xfrm interface: unresolved, reason no-xfrm-if" \
	"unresolved no-xfrm-if" "$(rri_sr "$GW" 10.61.1.0/24)"
check_eq "if_id, no xfrm interface: nothing in the FIB" "" "$(fib "$GW" 4 10.61.1.0/24)"
poll_eq "|unresolved no-xfrm-if" fib_and_sr "$GW" 6 2001:db8:61:1::/64
check_eq "IPv6 if_id, no xfrm interface: unresolved, reason no-xfrm-if" \
	"unresolved no-xfrm-if" "$(rri_sr "$GW" 2001:db8:61:1::/64)"
check_eq "IPv6 if_id, no xfrm interface: nothing in the FIB" "" \
	"$(fib "$GW" 6 2001:db8:61:1::/64)"
check_match "route show (text) says the reason after the state" \
	"10.61.1.0/24 table 254 metric 0 proto 201 map m61 peer $P4 state unresolved reason no-xfrm-if since *" \
	"$(rrictl_ns "$GW" route show map m61)"
check_eq "route show (JSON): an unresolved route has a reason, no gateway, no dev" \
	"family kind map metric peer prefix proto reason refs since state table" \
	"$(rrictl_ns "$GW" -j route show map m61 | jq -r '.[0] | keys | join(" ")')"

check "ip link add xfrmi1 type xfrm dev gw0 if_id 7" \
	ip -n "$GW" link add xfrmi1 type xfrm dev gw0 if_id 7
ip -n "$GW" link set xfrmi1 up
poll_eq "10.61.1.0/24 dev xfrmi1 proto 201 metric 0 scope link|installed" \
	fib_and_sr "$GW" 4 10.61.1.0/24
check_eq "xfrmi1 up: a device route into it, no via" \
	"10.61.1.0/24 dev xfrmi1 proto 201 metric 0 scope link" "$(fib "$GW" 4 10.61.1.0/24)"
check_eq "xfrmi1 up: rri shows it installed" \
	"10.61.1.0/24 dev xfrmi1 table 254 metric 0 proto 201 map m61 peer $P4 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 10.61.1.0/24)"
check_eq "route show (JSON): the installed device route has a dev, no gateway, no reason" \
	"dev family kind map metric peer prefix proto refs since state table" \
	"$(rrictl_ns "$GW" -j route show map m61 | jq -r '.[0] | keys | join(" ")')"
poll_eq "2001:db8:61:1::/64 dev xfrmi1 proto 201 metric 1024|installed" \
	fib_and_sr "$GW" 6 2001:db8:61:1::/64
check_eq "IPv6 xfrmi1 up: a device route into it" \
	"2001:db8:61:1::/64 dev xfrmi1 proto 201 metric 1024" "$(fib "$GW" 6 2001:db8:61:1::/64)"
check_eq "IPv6 xfrmi1 up: rri shows it installed" \
	"2001:db8:61:1::/64 dev xfrmi1 table 254 metric 1024 proto 201 map m61v6 peer $P6 state installed refs 1 kind proxy" \
	"$(rri_route "$GW" 2001:db8:61:1::/64)"

check "ip link del xfrmi1" ip -n "$GW" link del xfrmi1
poll_eq "|unresolved no-xfrm-if" fib_and_sr "$GW" 4 10.61.1.0/24
check_eq "xfrmi1 deleted: out of the FIB" "" "$(fib "$GW" 4 10.61.1.0/24)"
check_eq "xfrmi1 deleted: unresolved again, reason no-xfrm-if" \
	"unresolved no-xfrm-if" "$(rri_sr "$GW" 10.61.1.0/24)"
poll_eq "|unresolved no-xfrm-if" fib_and_sr "$GW" 6 2001:db8:61:1::/64
check_eq "IPv6 xfrmi1 deleted: out of the FIB, unresolved, reason no-xfrm-if" \
	"|unresolved no-xfrm-if" "$(fib_and_sr "$GW" 6 2001:db8:61:1::/64)"

# (b) A mark-scoped policy (no if_id), nexthop peer.
check "map add m62" rrictl_ns "$GW" map add m62 remote 10.62.0.0/16
pol_add "$GW" $L4 10.62.1.0/24 $S4 $P4 62 mark 0x5 mask 0xff
sa_add "$GW" $S4 $P4 0x621 62 mark 0x5 mask 0xff
poll_eq "|unresolved mark" fib_and_sr "$GW" 4 10.62.1.0/24
check_eq "mark: unresolved, reason mark" "unresolved mark" "$(rri_sr "$GW" 10.62.1.0/24)"
check_eq "mark: nothing in the FIB" "" "$(fib "$GW" 4 10.62.1.0/24)"

# (c) remote-peer on an if_id map: the peer via the underlay (it carries
# ESP), the proxy into the interface.
check "ip link add xfrmi2 type xfrm dev gw0 if_id 8" \
	ip -n "$GW" link add xfrmi2 type xfrm dev gw0 if_id 8
ip -n "$GW" link set xfrmi2 up
check "map add m63 remote-peer" rrictl_ns "$GW" map add m63 remote 10.63.0.0/16 remote-peer
pol_add "$GW" $L4 10.63.1.0/24 $S4 203.0.113.5 63 if_id 8
sa_add "$GW" $S4 203.0.113.5 0x631 63 if_id 8
poll_eq "10.63.1.0/24 dev xfrmi2 proto 201 metric 0 scope link|installed" \
	fib_and_sr "$GW" 4 10.63.1.0/24
check_eq "remote-peer, if_id: the proxy route into xfrmi2" \
	"10.63.1.0/24 dev xfrmi2 proto 201 metric 0 scope link" "$(fib "$GW" 4 10.63.1.0/24)"
check_eq "remote-peer, if_id: the host route to the peer via the underlay" \
	"203.0.113.5/32 $R4 proto 201 metric 0" "$(fib "$GW" 4 203.0.113.5/32)"
check_eq "remote-peer, if_id: rri shows the peer route" \
	"203.0.113.5/32 via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map m63 peer 203.0.113.5 state installed refs 1 kind peer" \
	"$(rri_route "$GW" 203.0.113.5/32)"

# (d) On the wire.
# tunnel PEERNS GWADDR PEERADDR INNER REQID SPI_OUT SPI_IN [IF_ID]: SAs
# both ways on both ends; on gw the outbound policy rri sees and inbound
# and forward policies for the replies (all with IF_ID if given), on the
# peer an inbound policy and an outbound one for its replies.
# shellcheck disable=SC2317 # called by check
tunnel() {
	local pns=$1 src=$2 dst=$3 inner=$4 reqid=$5 spi_out=$6 spi_in=$7 ifid=()
	local dir

	[ -z "${8:-}" ] || ifid=(if_id "$8")
	sa_add "$GW" "$src" "$dst" "$spi_out" "$reqid" "${ifid[@]}" &&
		sa_add "$GW" "$dst" "$src" "$spi_in" "$reqid" "${ifid[@]}" &&
		sa_add "$pns" "$src" "$dst" "$spi_out" "$reqid" &&
		sa_add "$pns" "$dst" "$src" "$spi_in" "$reqid" || return 1
	for dir in in fwd; do
		ip -n "$GW" xfrm policy add src "$inner" dst "$L4" dir "$dir" "${ifid[@]}" \
			tmpl src "$dst" dst "$src" proto esp reqid "$reqid" mode tunnel || return 1
	done
	ip -n "$pns" xfrm policy add src "$L4" dst "$inner" dir in \
		tmpl src "$src" dst "$dst" proto esp reqid "$reqid" mode tunnel &&
		pol_add "$pns" "$inner" "$L4" "$dst" "$src" "$reqid" &&
		pol_add "$GW" "$L4" "$inner" "$src" "$dst" "$reqid" "${ifid[@]}"
}

# capture DEV COUNT FILTER COMMAND [ARG]...: run tcpdump on gw's DEV until
# it has seen COUNT packets that match FILTER (or a bounded time after
# COMMAND ends) while COMMAND runs; its lines are left in $cap_out, what
# COMMAND printed in $cap_cmd.
cap_seq=0
cap_out=
cap_cmd=
capture() {
	local dev=$1 count=$2 filter=$3 out err pid
	shift 3

	cap_seq=$((cap_seq + 1))
	out=$route_tmp/cap.$cap_seq
	err=$route_tmp/cap.$cap_seq.err
	ip netns exec "$GW" timeout 60 tcpdump -i "$dev" -n -l --immediate-mode \
		-c "$count" "$filter" > "$out" 2> "$err" &
	pid=$!
	if ! busywait 20000 grep -q "listening on" "$err"; then
		fail "tcpdump on $dev did not start: $(head -n 3 "$err")"
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		cap_out=''
		cap_cmd=''
		return 1
	fi
	cap_cmd=$("$@" 2>&1)
	# The packets COMMAND caused are on the wire once it ended: a little
	# while for tcpdump to read them, then stop it.
	busywait 5000 tcpdump_gone "$pid" || kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	cap_out=$(cat "$out")
}

# shellcheck disable=SC2317 # called by busywait
tcpdump_gone() { ! kill -0 "$1" 2>/dev/null; }

# Sanity: the capture sees cleartext when there is some (the underlay
# address of pa is not behind any policy).
capture gw0 1 "icmp and dst host $P4" ip netns exec "$H" ping -c 1 -W 1 $P4
check_eq "capture sanity: a cleartext ping to $P4 is seen as ICMP on gw0" 1 \
	"$(grep -c " > $P4: ICMP echo request" <<< "$cap_out")"

# on_wire NAME DEV PEER INNER: ping INNER from h three times while gw's DEV
# is captured; every echo request must leave as ESP to PEER, none in the
# clear.
on_wire() {
	local name=$1 dev=$2 peer=$3 inner=$4 esp clear

	capture "$dev" 3 "(esp and dst host $peer) or (icmp and dst host $inner)" \
		ip netns exec "$H" ping -c 3 -i 0.2 -W 1 "$inner"
	esp=$(grep -c " > $peer: ESP" <<< "$cap_out")
	clear=$(grep -c " > $inner: ICMP" <<< "$cap_out")
	check "$name: pings to $inner leave $dev as ESP to $peer ($esp of 3)" [ "$esp" -gt 0 ]
	check_eq "$name: no cleartext ICMP to $inner on $dev" 0 "$clear"
	log "# $name: $(grep -o '[0-9]* packets transmitted, [0-9]* received' <<< "$cap_cmd")"
}

check "map add w1" rrictl_ns "$GW" map add w1 remote 10.81.0.0/16
check "map add w2" rrictl_ns "$GW" map add w2 remote 10.82.0.0/16
check "map add w3" rrictl_ns "$GW" map add w3 remote 10.83.0.0/16
check "ip link add xfrmi3 type xfrm dev gw0 if_id 9" \
	ip -n "$GW" link add xfrmi3 type xfrm dev gw0 if_id 9
ip -n "$GW" link set xfrmi3 up
check "tunnel gw-pa 10.81.1.0/24" tunnel "$PA" $S4 $P4 10.81.1.0/24 81 0x811 0x812
check "tunnel gw-pb 10.82.1.0/24" tunnel "$PB" 198.18.0.1 198.18.0.8 10.82.1.0/24 82 0x821 0x822
check "tunnel gw-pa 10.83.1.0/24, if_id 9" tunnel "$PA" $S4 $P4 10.83.1.0/24 83 0x831 0x832 9

check_fib "wire, peer behind a router: rri routes via the router" "$GW" 4 10.81.1.0/24 \
	"10.81.1.0/24 $R4 proto 201 metric 0"
on_wire "wire, via the router" gw0 $P4 10.81.1.1
check_fib "wire, peer on-link: rri routes via the peer" "$GW" 4 10.82.1.0/24 \
	"10.82.1.0/24 via 198.18.0.8 dev gw1 proto 201 metric 0"
on_wire "wire, via the on-link peer" gw1 198.18.0.8 10.82.1.1
check_fib "wire, if_id 9: rri routes into xfrmi3" "$GW" 4 10.83.1.0/24 \
	"10.83.1.0/24 dev xfrmi3 proto 201 metric 0 scope link"
on_wire "wire, dev xfrmi3" gw0 $P4 10.83.1.1

# route show never claims a route the FIB does not hold, and every route
# the FIB holds for rri is one it claims.
check_eq "rri shows installed exactly the routes of protocol 201 in the FIB" \
	"$(fib_rri_prefixes "$GW")" \
	"$(rrictl_ns "$GW" -j route show |
		jq -r '[.[] | select(.state == "installed") | .prefix] | sort | join(" ")')"
check_eq "at the end: still no route for the if_id 7 and mark policies (not into xfrmi2 or xfrmi3 of other if_ids)" \
	"" "$(fib_rri_of "$GW" 10.61.1.0/24 2001:db8:61:1::/64 10.62.1.0/24)"

rri_exit
