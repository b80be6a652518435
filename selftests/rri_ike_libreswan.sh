#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reverse route injection with libreswan as the IKE daemon. The gateway gw
# runs pluto as an IKEv2 responder for any peer (right=%any, PSK,
# rightsubnet=10.81.0.0/16 with narrowing), the site soho runs pluto as the
# initiator for its LAN 10.81.2.0/29. Both have leftupdown=%disabled, so
# libreswan adds no route of its own. rri's map on gw selects everything in
# 10.81.0.0/16:
#
#   1. the tunnel comes up: gw gets 10.81.2.0/29 proto 201 via inet (the
#      path toward soho), rri shows it installed for peer 198.51.100.2, a
#      ping from hq to soho's LAN crosses the tunnel (gw's outbound SA
#      counts it);
#   2. soho terminates the connection (IKE Delete): the route leaves gw;
#   3. up again, then gw's pluto is SIGKILLed: its SAs and policies stay in
#      the kernel and so does the route; `ip xfrm state flush` removes it.
#
#   +---- hq ----+   +---------- gw ----------+   +------ inet ------+
#   | hq0        |---| gw1 10.1.1.1/16        |   |                  |
#   | 10.1.1.10  |   | gw0 192.0.2.1/24       |---| in0 192.0.2.254   |
#   | /16        |   | 198.51.100/24 via inet |   | in1 198.51.100.254|
#   | default    |   | pluto: responder       |   +--------+---------+
#   |  via gw    |   | rri map remote         |            |
#   +------------+   |   10.81.0.0/16         |   +------- soho ------+
#                    +------------------------+   | so0 198.51.100.2  |
#                                                 | default via inet  |
#     tunnel 192.0.2.1 <=> 198.51.100.2           | lan0 (dummy)      |
#     10.1.0.0/16 <=> 10.81.2.0/29                |   10.81.2.1/29    |
#                                                 | pluto: initiator  |
#                                                 +-------------------+
source "$(dirname "$0")/lib_route.sh"
source "$(dirname "$0")/lib_libreswan.sh"

require ping
ls_require

HQ=rri-hq-$$
GW=rri-gw-$$
INET=rri-inet-$$
SOHO=rri-soho-$$
SITE=10.81.2.0/29
PEER=198.51.100.2
PSK=rri-selftest-psk-0123456789abcdef

topo() {
	ns_add "$HQ" && ns_add "$GW" && ns_add "$INET" && ns_add "$SOHO" || return 1
	ip -n "$HQ" link add hq0 type veth peer name gw1 netns "$GW" &&
	ip -n "$GW" link add gw0 type veth peer name in0 netns "$INET" &&
	ip -n "$INET" link add in1 type veth peer name so0 netns "$SOHO" &&
	ip -n "$SOHO" link add lan0 type dummy || return 1

	ip -n "$HQ" addr add 10.1.1.10/16 dev hq0
	ip -n "$GW" addr add 10.1.1.1/16 dev gw1
	ip -n "$GW" addr add 192.0.2.1/24 dev gw0
	ip -n "$INET" addr add 192.0.2.254/24 dev in0
	ip -n "$INET" addr add 198.51.100.254/24 dev in1
	ip -n "$SOHO" addr add $PEER/24 dev so0
	ip -n "$SOHO" addr add 10.81.2.1/29 dev lan0
	ip -n "$HQ" link set hq0 up
	ip -n "$GW" link set gw0 up
	ip -n "$GW" link set gw1 up
	ip -n "$INET" link set in0 up
	ip -n "$INET" link set in1 up
	ip -n "$SOHO" link set so0 up
	ip -n "$SOHO" link set lan0 up
	ip netns exec "$GW" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$INET" sysctl -qw net.ipv4.ip_forward=1
	# gw reaches the internet side but has no route to 10.81.0.0/16: only
	# rri's route leads there.
	ip -n "$HQ" route add default via 10.1.1.1 &&
	ip -n "$GW" route add 198.51.100.0/24 via 192.0.2.254 &&
	ip -n "$SOHO" route add default via 198.51.100.254
}

topo || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }
check "map add sites (dynamic, remote 10.81.0.0/16)" \
	rrictl_ns "$GW" map add sites remote 10.81.0.0/16

if ! ls_init gw || ! ls_init soho; then
	fail "libreswan: NSS databases"
	rri_exit
fi
ls_conf gw <<EOF
config setup
	uniqueids=yes

conn sites
	authby=secret
	left=192.0.2.1
	leftid=@gw
	leftsubnet=10.1.0.0/16
	leftupdown=%disabled
	right=%any
	rightid=%any
	rightsubnet=10.81.0.0/16
	narrowing=yes
	auto=ignore
EOF
ls_conf soho <<EOF
config setup
	uniqueids=yes

conn hq
	authby=secret
	left=$PEER
	leftid=@soho
	leftsubnet=$SITE
	leftupdown=%disabled
	right=192.0.2.1
	rightid=@gw
	rightsubnet=10.1.0.0/16
	auto=ignore
EOF
for name in gw soho; do
	ls_secrets $name <<EOF
%any %any : PSK "$PSK"
EOF
done

check "pluto starts in gw" ls_start gw "$GW"
check "pluto starts in soho" ls_start soho "$SOHO"
check "gw loads its connection" ls_add gw sites
check "soho loads its connection" ls_add soho hq

# The outbound SAs from SRC to DST: how many packets they encrypted.
sa_packets() {
	ip -n "$1" -s xfrm state list src "$2" dst "$3" proto esp |
		sed -n 's/^[[:space:]]*[0-9]*(bytes), \([0-9]*\)(packets)$/\1/p' |
		awk '{ n += $1 } END { print n + 0 }'
}

# The SAs of the tunnel, both directions, as "SRC>DST SPI" lines, sorted.
tunnel_sas() {
	ip -n "$GW" xfrm state list proto esp |
		awk '/^src / { s = $2 ">" $4 } / spi / { print s, $4 }' | sort | paste -sd ' '
}

gw_out_policy() {
	ip -n "$GW" xfrm policy get src 10.1.0.0/16 dst $SITE dir out >/dev/null 2>&1
}
no_gw_out_policy() { ! gw_out_policy; }

ping_site() {
	ip netns exec "$HQ" ping -n -q -c 1 -W "${1:-2}" 10.81.2.1 >/dev/null 2>&1
}
no_ping_site() { ! ping_site 1; }

# What libreswan installs, for the record (RRI_VERBOSE=1).
dump_gw() {
	[ "${RRI_VERBOSE:-0}" = 1 ] || return 0
	echo "--- $1: gw policies (socket policies left out), states, routes, rri"
	ip -n "$GW" xfrm policy | awk '/^src/ { p = $0; next } /socket/ { p = ""; next }
		p != "" { print p; p = "" } { print }'
	ip -n "$GW" xfrm state | grep -E '^src|proto esp'
	ip -n "$GW" route show table all | grep -v -E '^(local|broadcast|multicast|fe80)'
	rrictl_ns "$GW" route show
	grep -h -E 'addconn|listening for IKE' "$(ls_dir gw)/pluto.log"
}

ROUTE="$SITE via 192.0.2.254 dev gw0 proto 201 metric 0"
RRI="$SITE via 192.0.2.254 dev gw0 table 254 metric 0 proto 201 map sites peer $PEER state installed refs 1 kind proxy"
foreign_before=$(fib_foreign "$GW")

# 1. Up.
t0=$(date +%s%3N)
check "soho initiates the tunnel" ls_up soho hq
check "gw has the IPsec SA too (the responder's instance of sites)" ls_wait_child gw sites
log "# tunnel up in $(($(date +%s%3N) - t0)) ms"
dump_gw "tunnel up"
check "libreswan installed gw's outbound policy 10.1.0.0/16 -> $SITE" gw_out_policy
check_fib "the tunnel brings $SITE proto 201 via inet on gw0" "$GW" 4 "$SITE" "$ROUTE"
check_rri "rri shows it installed for peer $PEER" "$GW" "$SITE" "$RRI"
check_eq "rri's is the only route libreswan's tunnel brought (leftupdown=%disabled)" \
	"$ROUTE table main" "$(fib_rri "$GW")"
check_eq "and no other route of gw changed" "$foreign_before" "$(fib_foreign "$GW")"

out0=$(sa_packets "$GW" 192.0.2.1 $PEER)
check "hq pings soho's LAN (10.81.2.1) through the tunnel" busywait 20000 ping_site
out1=$(sa_packets "$GW" 192.0.2.1 $PEER)
check "gw's outbound SA counted the pings ($out0 -> $out1 packets)" test "$out1" -gt "$out0"
check "the reply came back through gw's inbound SA" \
	test "$(sa_packets "$GW" $PEER 192.0.2.1)" -gt 0

# 2. soho takes the tunnel down (IKE Delete): gw drops its instance, its
# SAs and its policies, and the route goes.
check "soho terminates the connection" ls_down soho hq
check "gw's instance goes too" ls_wait_child gw sites down
dump_gw "tunnel down"
check "libreswan removed gw's outbound policy" busywait "$ROUTE_WAIT_MS" no_gw_out_policy
check_fib "the route leaves gw" "$GW" 4 "$SITE" ""
check_rri "rri forgets it" "$GW" "$SITE" ""
check_eq "no rri route is left on gw" "" "$(fib_rri "$GW")"
check "hq cannot reach soho's LAN any more" no_ping_site

# 3. Up again; then gw's pluto dies without a word: the kernel keeps its
# SAs and policies, and the route stays with them.
check "soho brings the tunnel up again" ls_up soho hq
check "gw has the IPsec SA again" ls_wait_child gw sites
check_fib "the route is back" "$GW" 4 "$SITE" "$ROUTE"
check_rri "rri shows it installed again" "$GW" "$SITE" "$RRI"
sas=$(tunnel_sas)
check_match "gw has one SA each way" "192.0.2.1>$PEER 0x* $PEER>192.0.2.1 0x*" "$sas"

check "SIGKILL gw's pluto" ls_kill gw KILL
settle "$GW"
dump_gw "gw's pluto killed"
check_eq "the kernel keeps gw's SAs" "$sas" "$(tunnel_sas)"
check "and its outbound policy" gw_out_policy
check_fib "the route stays" "$GW" 4 "$SITE" "$ROUTE"
check_rri "rri still shows it installed" "$GW" "$SITE" "$RRI"
check "the tunnel still carries hq's pings (the kernel needs no pluto)" busywait 20000 ping_site

ip -n "$GW" xfrm state flush
check_fib "ip xfrm state flush removes the route" "$GW" 4 "$SITE" ""
check_rri "rri forgets it" "$GW" "$SITE" ""
check "the policy is still there (dynamic: the SA was the reason)" gw_out_policy

rri_exit
