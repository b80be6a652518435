#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HA groups (Cisco: crypto map ... redundancy): a map in a group has its
# routes in the FIB only while the group is active. On standby the routes
# stay derived (rrictl route show: state standby) and out of the FIB; a
# change of role withdraws or re-injects them, exactly one RTM_DELROUTE or
# RTM_NEWROUTE each. A manual group takes the role `group set` gives it; a
# vip group follows its address, whoever adds or removes it (here: ip
# addr, as keepalived does), IPv4 and IPv6, and a VIP added where it is
# assigned already changes nothing. Role changes are events on the stream,
# with counts; groups are in `rrictl save`; bad requests are refused with a
# reason and change nothing.
#
#   +------------------- gw --------------------+  +------ rt -------+
#   | gw0 192.0.2.1/24 2001:db8::1/64           |--| rt0 .254 / ::fe |
#   | maps: m   remote 10.81.0.0/16 group man   |  +-----------------+
#   |       v4  remote 10.82.0.0/16 group vip4  |  peers 203.0.113.x,
#   |       v6  remote 2001:db8:82::/48 ...vip6 |  2001:db8:f::x via rt
#   |       st  remote 10.83.0.0/16 static, vip4|
#   +-------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }
mon_start "$GW"

R4="via 192.0.2.254 dev gw0"
R6="via 2001:db8::fe dev gw0"

# group_field NAME KEY: a key of the group's JSON.
group_field() {
	rrictl_ns "$GW" -j group show "$1" | jq -r --arg k "$2" '.[0][$k]'
}

# group_line NAME: role, maps, routes, installed.
group_line() {
	rrictl_ns "$GW" -j group show "$1" |
		jq -r '.[0] | "\(.role) maps \(.maps) routes \(.routes) installed \(.installed)"'
}

# Monitor of the event stream, one JSON object per line.
rrictl_ns "$GW" -j monitor > "$route_tmp/events" 2>&1 &
rri_bg_pids+=($!)

# --- A manual group ------------------------------------------------------
check "group add man manual" rrictl_ns "$GW" group add man manual
check_eq "a manual group starts standby, with nothing" "standby maps 0 routes 0 installed 0" \
	"$(group_line man)"
check_eq "group show JSON has stable keys" \
	"held installed kind maps name role routes since transitions" \
	"$(rrictl_ns "$GW" -j group show man | jq -r '.[0] | keys | join(" ")')"
check "map add m remote 10.81.0.0/16 group man" \
	rrictl_ns "$GW" map add m remote 10.81.0.0/16 group man
check_eq "map show names the group" "man" \
	"$(rrictl_ns "$GW" -j map show m | jq -r '.[0].group')"

pol_add "$GW" 10.0.0.0/24 10.81.1.0/24 192.0.2.1 203.0.113.1 1
pol_add "$GW" 10.0.0.0/24 10.81.2.0/24 192.0.2.1 203.0.113.1 1
sa_add "$GW" 192.0.2.1 203.0.113.1 0x101 1
settle "$GW"
check_eq "standby: the FIB holds none of the group's routes" "" "$(fib_rri "$GW")"
check_eq "standby: rri keeps them, state standby" "standby standby" \
	"$(rri_state "$GW" 10.81.1.0/24) $(rri_state "$GW" 10.81.2.0/24)"
check_eq "group show counts them" "standby maps 1 routes 2 installed 0" "$(group_line man)"
check_no_events "standby: no route event in the FIB" "$GW"

check "group set man active" rrictl_ns "$GW" group set man active
check_eq "active: both routes are installed at once (before the reply)" \
	"10.81.1.0/24 $R4 proto 201 metric 0 table main; 10.81.2.0/24 $R4 proto 201 metric 0 table main" \
	"$(fib_rri "$GW")"
check_eq "rri shows them installed" "installed installed" \
	"$(rri_state "$GW" 10.81.1.0/24) $(rri_state "$GW" 10.81.2.0/24)"
check_eq "group show: active, 2 installed, 1 transition" \
	"active maps 1 routes 2 installed 2 1" "$(group_line man) $(group_field man transitions)"
mon_events "$GW"
check_eq "re-injection: exactly one RTM_NEWROUTE per route" \
	"10.81.1.0/24 $R4 proto 201|10.81.2.0/24 $R4 proto 201" \
	"$(sort <<< "$mon_out" | paste -sd '|')"

# A new SA-backed route of an active group goes in as usual.
pol_add "$GW" 10.0.0.0/24 10.81.3.0/24 192.0.2.1 203.0.113.1 1
check_fib "active: a new policy's route is installed" "$GW" 4 10.81.3.0/24 \
	"10.81.3.0/24 $R4 proto 201 metric 0"

check "group set man standby" rrictl_ns "$GW" group set man standby
check_eq "standby again: withdrawn from the FIB" "" "$(fib_rri "$GW")"
check_eq "and kept by rri" "standby standby standby" \
	"$(rri_state "$GW" 10.81.1.0/24) $(rri_state "$GW" 10.81.2.0/24) $(rri_state "$GW" 10.81.3.0/24)"
mon_events "$GW"
check_eq "withdrawal: exactly one RTM_DELROUTE per route" 3 \
	"$(grep -c '^Deleted 10.81.' <<< "$mon_out")"
check "group set man standby again" rrictl_ns "$GW" group set man standby
check_eq "the same role again: no transition" 2 "$(group_field man transitions)"

# The model stays current on standby: an SA going takes its routes.
sa_del "$GW" 192.0.2.1 203.0.113.1 0x101
settle "$GW"
check_eq "standby: routes whose SA went are forgotten" "" "$(rri_routes "$GW" map m)"
sa_add "$GW" 192.0.2.1 203.0.113.1 0x102 1
settle "$GW"
check_eq "and come back on standby with the next SA" "standby standby standby" \
	"$(rri_state "$GW" 10.81.1.0/24) $(rri_state "$GW" 10.81.2.0/24) $(rri_state "$GW" 10.81.3.0/24)"
check_no_events "nothing of it reached the FIB" "$GW"

# --- Refusals -------------------------------------------------------------
refused() {
	local what=$1 want=$2
	shift 2
	check_eq "$what: $*" "$want" "$(rrictl_out "$GW" "$@")"
}
before=$(rrictl_ns "$GW" -j group show; rrictl_ns "$GW" -j map show)
refused "group del while a map uses it" \
	"exit 1: rrictl: maps use the group: take them out of it first (map set NAME no-group)" \
	group del man
refused "duplicate group" "exit 1: rrictl: a group of that name exists" group add man manual
refused "unknown group on a map" "exit 1: rrictl: no such group" map add x remote 10.90.0.0/16 group nosuch
refused "unknown group on map set" "exit 1: rrictl: no such group" map set m group nosuch
refused "unknown group" "exit 1: rrictl: no such group" group set nosuch active
refused "unknown group" "exit 1: rrictl: no such group" group show nosuch
refused "bad group name" \
	"exit 1: rrictl: group name may only hold letters, digits, '_', '-' and '.'" group add 'a/b' manual
refused "VIP with a prefix length" "exit 2: rrictl: group add: invalid value '192.0.2.9/24' for 'vip'" \
	group add x vip 192.0.2.9/24
refused "inbound out of range" "exit 1: rrictl: integer out of range" \
	group add x manual replay-interval inbound 1001
refused "outbound out of range" "exit 1: rrictl: integer out of range" \
	group add x manual replay-interval outbound 999
refused "outbound out of range" "exit 1: rrictl: integer out of range" \
	group add x manual replay-interval outbound 100001
refused "missing kind" "exit 2: rrictl: group add: missing vip ADDR or manual" group add x
check "vip group for the refusal below" rrictl_ns "$GW" group add vip4 vip 192.0.2.100
refused "a vip group's role is not set by hand" \
	"exit 1: rrictl: a vip group follows its address: only a manual group's role is set" \
	group set vip4 active
check "group del vip4 (unused)" rrictl_ns "$GW" group del vip4
check_eq "refusals changed nothing" "$before" \
	"$(rrictl_ns "$GW" -j group show; rrictl_ns "$GW" -j map show)"

# A route that two of the map's policies justify follows the map into and
# out of a standby group, though its references never fall to none.
check "map add shared (static)" rrictl_ns "$GW" map add shared remote 10.84.0.0/16 mode static
pol_add "$GW" 10.0.0.0/24 10.84.1.0/24 192.0.2.1 203.0.113.4 4
pol_add "$GW" 10.0.1.0/24 10.84.1.0/24 192.0.2.1 203.0.113.4 4
check_fib "a route two policies justify is installed" "$GW" 4 10.84.1.0/24 \
	"10.84.1.0/24 $R4 proto 201 metric 0"
check "map set shared group man (standby)" rrictl_ns "$GW" map set shared group man
check_eq "joining a standby group withdraws it" "" "$(fib "$GW" 4 10.84.1.0/24)"
check_eq "rri holds it back, both references kept" "standby 2" \
	"$(rrictl_ns "$GW" -j route show map shared | jq -r '.[0] | "\(.state) \(.refs)"')"
check "map set shared no-group" rrictl_ns "$GW" map set shared no-group
check_eq "leaving it installs it again" "10.84.1.0/24 $R4 proto 201 metric 0" \
	"$(fib "$GW" 4 10.84.1.0/24)"
check "map del shared" rrictl_ns "$GW" map del shared

# Out of the group: the routes go in; then the group can go.
check "map set m no-group" rrictl_ns "$GW" map set m no-group
check_eq "a map out of its group installs its routes" 3 \
	"$(fib_rri "$GW" | tr ';' '\n' | grep -c 10.81.)"
check "group del man" rrictl_ns "$GW" group del man
check "map del m" rrictl_ns "$GW" map del m
check_eq "map del removes them" "" "$(fib_rri "$GW")"
mon_events "$GW"

# --- VIP groups, IPv4 and IPv6, dynamic and static maps -------------------
check "group add vip4 vip 192.0.2.100" rrictl_ns "$GW" group add vip4 vip 192.0.2.100
check "group add vip6 vip 2001:db8::100" rrictl_ns "$GW" group add vip6 vip 2001:db8::100
check_eq "a VIP not assigned: standby" "standby standby" \
	"$(group_field vip4 role) $(group_field vip6 role)"
check "map add v4 group vip4" rrictl_ns "$GW" map add v4 remote 10.82.0.0/16 group vip4
check "map add st static group vip4" \
	rrictl_ns "$GW" map add st remote 10.83.0.0/16 mode static group vip4
check "map add v6 group vip6" rrictl_ns "$GW" map add v6 remote 2001:db8:82::/48 group vip6
pol_add "$GW" 10.0.0.0/24 10.82.1.0/24 192.0.2.1 203.0.113.2 2
pol_add "$GW" 10.0.0.0/24 10.83.1.0/24 192.0.2.1 203.0.113.3 3
pol_add "$GW" 2001:db8:1::/64 2001:db8:82:1::/64 2001:db8::1 2001:db8:f::2 2
sa_add "$GW" 192.0.2.1 203.0.113.2 0x201 2
sa_add "$GW" 2001:db8::1 2001:db8:f::2 0x202 2
settle "$GW"
check_eq "standby: nothing in the FIB" "" "$(fib_rri "$GW")"

ip -n "$GW" addr add 192.0.2.100/32 dev gw0
check_fib "VIP added: the dynamic map's route is injected" "$GW" 4 10.82.1.0/24 \
	"10.82.1.0/24 $R4 proto 201 metric 0"
check_fib "and the static map's, with no SA at all" "$GW" 4 10.83.1.0/24 \
	"10.83.1.0/24 $R4 proto 201 metric 0"
check_eq "the IPv6 group stays standby" "" "$(fib "$GW" 6 2001:db8:82:1::/64)"
check_eq "vip4 is active" "active maps 2 routes 2 installed 2" "$(group_line vip4)"

ip -n "$GW" -6 addr add 2001:db8::100/128 dev gw0 nodad
check_fib "IPv6 VIP added: its route is injected" "$GW" 6 2001:db8:82:1::/64 \
	"2001:db8:82:1::/64 $R6 proto 201 metric 1024"
mon_events "$GW"

# The VIP added again elsewhere, then removed there: still assigned.
ip -n "$GW" addr add 192.0.2.100/32 dev lo
ip -n "$GW" addr del 192.0.2.100/32 dev lo
ip -n "$GW" -6 addr add 2001:db8::100/128 dev lo nodad
settle "$GW"
rrictl_ns "$GW" group show >/dev/null
check_no_events "a VIP re-added while assigned: no route flaps" "$GW"
check_eq "and no transition" "1 1" "$(group_field vip4 transitions) $(group_field vip6 transitions)"
ip -n "$GW" -6 addr del 2001:db8::100/128 dev lo

ip -n "$GW" addr del 192.0.2.100/32 dev gw0
check_fib "VIP removed: the routes are withdrawn" "$GW" 4 10.82.1.0/24 ""
check_fib "the static one too" "$GW" 4 10.83.1.0/24 ""
check_eq "kept as standby" "standby standby" \
	"$(rri_state "$GW" 10.82.1.0/24) $(rri_state "$GW" 10.83.1.0/24)"
ip -n "$GW" -6 addr del 2001:db8::100/128 dev gw0
check_fib "IPv6 VIP removed: withdrawn" "$GW" 6 2001:db8:82:1::/64 ""
mon_events "$GW"
check_eq "withdrawal: one RTM_DELROUTE each" 3 "$(grep -c '^Deleted' <<< "$mon_out")"

# A VIP flap: the routes follow each time.
for i in 1 2 3; do
	ip -n "$GW" addr add 192.0.2.100/32 dev gw0
	busywait "$ROUTE_WAIT_MS" test -n "$(fib "$GW" 4 10.82.1.0/24)" ||
		fail "flap $i: not re-injected"
	ip -n "$GW" addr del 192.0.2.100/32 dev gw0
	busywait "$ROUTE_WAIT_MS" test -z "$(fib "$GW" 4 10.82.1.0/24)" ||
		fail "flap $i: not withdrawn"
done
check_eq "three flaps: eight transitions in all" 8 "$(group_field vip4 transitions)"

# --- The event stream -----------------------------------------------------
busywait "$ROUTE_WAIT_MS" grep -q '"event":"group_standby".*"transitions":8' "$route_tmp/events"
check_eq "the stream announced each role change, with counts" \
	'group_active man 2|group_standby man 3|group_active vip4 2|group_active vip6 1|group_standby vip4 2|group_standby vip6 1' \
	"$(jq -r 'select(.event | test("^group_(active|standby)")) |
		"\(.event) \(.group.name) \(.group.routes)"' "$route_tmp/events" | head -n 6 | paste -sd '|')"
check "route_standby events for withdrawn routes" grep -q '"event":"route_standby"' "$route_tmp/events"
check "group_added and group_deleted events" \
	grep -q '"event":"group_deleted","group":{"name":"man"}' "$route_tmp/events"

# --- save -----------------------------------------------------------------
check "group add sync manual replay-interval inbound 100" \
	rrictl_ns "$GW" group add sync manual replay-interval inbound 100
check_eq "rrictl save: groups first, then maps with their group" \
	"group add vip4 vip 192.0.2.100|group add vip6 vip 2001:db8::100|group add sync manual replay-interval inbound 100 outbound 100000|map add v4 remote 10.82.0.0/16 mode dynamic nexthop peer table 254 metric 0 proto 201 group vip4" \
	"$(rrictl_ns "$GW" save | grep -v '^#' | head -n 4 | paste -sd '|')"
rrictl_ns "$GW" save > "$route_tmp/saved"
check "the saved configuration restores in a fresh namespace" \
	bash -c "ip netns add $GW-r && $RRICTL -n $GW-r -b $route_tmp/saved"
rri_netns+=("$GW-r")
check_eq "with the same groups" "vip4 vip6 sync" \
	"$(rrictl_ns "$GW-r" -j group show | jq -r '[.[].name] | join(" ")')"

# The namespace and the module go with groups, maps and routes held: the
# suite unloads the module after this test and scans the kernel log.
ip -n "$GW" addr add 192.0.2.100/32 dev gw0
check_fib "active once more before teardown" "$GW" 4 10.82.1.0/24 "10.82.1.0/24 $R4 proto 201 metric 0"
ns_del "$GW-r"

rri_exit
