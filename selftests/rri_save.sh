#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rrictl save and rrictl -b: the running configuration survives a module
# reload. Maps with every kind of setting (match keys, modes, the three
# next-hop kinds, remote-peer, table, VRF, metric, tag, protocol) route a
# few policies; `rrictl save` is kept, the module unloaded (taking maps and
# routes) and loaded again, and `rrictl -b` of the saved file must give the
# same maps, in the same order, and the same routes in the FIB; saving
# again gives the same file. A file with a bad line applies the lines
# before it, nothing after it, and the message names the line.
#
#   +------------------------ gw ------------------------+  +---- rt ----+
#   | gw0 192.0.2.1/24 2001:db8::1/64 (lib_route topo_gw) |--| rt0        |
#   | dm0 (dummy) 198.51.100.1/24                         |  +------------+
#   | vb (vrf, table 100)                                 |
#   +-----------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
B1=rri-b1-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
ip -n "$GW" link add dm0 type dummy &&
	ip -n "$GW" addr add 198.51.100.1/24 dev dm0 &&
	ip -n "$GW" link set dm0 up &&
	ip -n "$GW" link add vb type vrf table 100 &&
	ip -n "$GW" link set vb up || { fail "devices"; rri_exit; }
ns_add "$B1" || { fail "namespace $B1"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

PEER=203.0.113.1 SRC=192.0.2.1
maps() {
	rrictl_ns "$GW" map add m1 remote 10.81.0.0/16 reqid 5 metric 10 tag 7 &&
	rrictl_ns "$GW" map add m2 remote 10.82.0.0/16 mode static \
		nexthop gateway 192.0.2.254 dev gw0 table 200 proto 202 &&
	rrictl_ns "$GW" map add m3 local 10.0.0.0/24 mode static nexthop dev dm0 remote-peer &&
	rrictl_ns "$GW" map add m4 family inet6 mark 0x10/0xf0 if_id 3 vrf vb &&
	rrictl_ns "$GW" map add m5 mode static metric 0x20
}
check "five maps with every kind of setting" maps

sa_add "$GW" "$SRC" "$PEER" 0x1001 5
pol_add "$GW" 10.1.0.0/24 10.81.1.0/24 "$SRC" "$PEER" 5
pol_add "$GW" 10.1.0.0/24 10.82.1.0/24 "$SRC" "$PEER" 6
pol_add "$GW" 10.0.0.0/24 10.83.1.0/24 "$SRC" "$PEER" 7
pol_add "$GW" 2001:db8:1::/64 2001:db8:81::/48 2001:db8::1 2001:db8:f::1 8
settle "$GW"

# The rri routes of every table and both families, as the kernel has them.
fib_rri_all() {
	{
		ip -n "$GW" -4 route show table all
		ip -n "$GW" -6 route show table all
	} | grep -E 'proto (rri|201|202) ' | sed 's/ nhid [0-9]*//' | sort
}

# map show without the counters, which follow the policies, not the config.
maps_json() {
	rrictl_ns "$GW" -j map show | jq -cS '[.[] | del(.policies, .routes, .shadowed)]'
}

routes_before=$(fib_rri_all)
maps_before=$(maps_json)
counts_before=$(rrictl_ns "$GW" -j map show | jq -c '[.[] | [.name, .policies, .routes]]')
check_eq "before: a route of each map with a policy (m1 dynamic, m2 table 200, m3 dev and its peer, m5 v6)" 5 \
	"$(grep -c . <<< "$routes_before")"

conf=$route_tmp/rri.conf
check "rrictl save" eval 'rrictl_ns "$GW" save > "$conf"'
check_eq "save: a comment, then one map add line per map, in order" \
	"# m1 m2 m3 m4 m5" "$(awk '{ print ($1 == "map" && $2 == "add") ? $3 : $1 }' "$conf" | tr '\n' ' ' | sed 's/ $//')"
check_eq "save: every setting of m1 spelled out" \
	"map add m1 reqid 5 remote 10.81.0.0/16 mode dynamic nexthop peer table 254 metric 10 tag 7 proto 201" \
	"$(grep ' m1 ' "$conf")"
check_eq "save: m2's gateway and device" \
	"map add m2 remote 10.82.0.0/16 mode static nexthop gateway 192.0.2.254 dev gw0 table 200 metric 0 proto 202" \
	"$(grep ' m2 ' "$conf")"
check_eq "save: m3's device and remote-peer" \
	"map add m3 local 10.0.0.0/24 mode static nexthop dev dm0 remote-peer table 254 metric 0 proto 201" \
	"$(grep ' m3 ' "$conf")"
check_eq "save: m4's VRF by name, not its table" \
	"map add m4 if_id 3 mark 0x10/0xf0 family inet6 mode dynamic nexthop peer vrf vb metric 0 proto 201" \
	"$(grep ' m4 ' "$conf")"
check_eq "save -j is refused" "exit 1: rrictl: save: prints commands, not JSON" \
	"$(rrictl_out "$GW" -j save)"

# Unload: maps and routes go. Load: nothing comes back by itself.
check "rmmod rri" rri_unload
check_eq "unloaded: no rri route left" "" "$(fib_rri_all)"
check "insmod rri" rri_load
check_eq "reloaded: no map" "[]" "$(rrictl_ns "$GW" -j map show | jq -c .)"

check "rrictl -b the saved file" rrictl_ns "$GW" -b "$conf"
settle "$GW"
check_eq "restored: map show identical" "$maps_before" "$(maps_json)"
check_eq "restored: the same policies and routes per map" "$counts_before" \
	"$(rrictl_ns "$GW" -j map show | jq -c '[.[] | [.name, .policies, .routes]]')"
check_eq "restored: the FIB identical" "$routes_before" "$(fib_rri_all)"
check_eq "saved again: the same file" "$(cat "$conf")" "$(rrictl_ns "$GW" save)"

# A bad line in the middle: the lines before it are applied, the rest not.
bad=$route_tmp/bad.conf
cat > "$bad" <<'EOF'
# two maps, then a typo
map add b1 remote 10.91.0.0/16

  map add b2 remote 10.92.0.0/16 mode static   # trailing comment
map add b3 remote 10.93.0.0/16 metrc 5
map add b4 remote 10.94.0.0/16
EOF
check_eq "bad file: stops at line 5 with its reason" \
	"exit 2: rrictl: $bad:5: map add: unknown keyword 'metrc'" \
	"$(rrictl_out "$B1" -b "$bad")"
check_eq "bad file: lines 2 and 4 applied, 5 and 6 not" "b1 b2" \
	"$(rrictl_ns "$B1" -j map show | jq -r '[.[].name] | join(" ")')"
check_eq "bad file: comments and blank lines are no commands" \
	"mode static" "$(rrictl_ns "$B1" map show b2 | grep -o 'mode static')"

# What the kernel refuses stops the batch too, with its reason (from
# standard input here).
check_eq "kernel refusal: stops at line 2 with the kernel's reason" \
	"exit 1: rrictl: -:2: a map of that name exists" \
	"$(printf 'map del b2\nmap add b1\nmap del b1\n' | rrictl_out "$B1" -b -)"
check_eq "kernel refusal: line 1 applied, line 3 not" "b1" \
	"$(rrictl_ns "$B1" -j map show | jq -r '[.[].name] | join(" ")')"
check_eq "missing file: a clear error" \
	"exit 1: rrictl: cannot open '$route_tmp/none': No such file or directory" \
	"$(rrictl_out "$B1" -b "$route_tmp/none")"
check_eq "-b with a command as well is refused" \
	"exit 2: rrictl: -b takes the commands from the file, not 'map'" \
	"$(rrictl_out "$B1" -b "$bad" map show)"
check_eq "the refused runs changed nothing" "b1" \
	"$(rrictl_ns "$B1" -j map show | jq -r '[.[].name] | join(" ")')"

rri_exit
