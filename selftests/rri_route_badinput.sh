#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad map requests are refused with a precise reason and change nothing:
# after each one, the maps, rri's routes and every route of the namespace
# are exactly as before. Reasons the kernel gives are printed as
# "rrictl: REASON" with exit 1; what rrictl itself catches (a device that
# does not exist: exit 1, a keyword without its value: exit 2) says so.
#
#   +--------------------------- gw ----------------------------+  +- rt -+
#   | gw0 192.0.2.1/24 2001:db8::1/64, peers via rt             |--| rt0  |
#   | vrf-blue (table 200)                                      |  +------+
#   | map hq remote 10.81.0.0/16 (route 10.81.2.0/29 installed) |
#   | map hq6 family inet6 (route 2001:db8:81::/64 installed)   |
#   +-----------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

GW=rri-gw-$$
RT=rri-rt-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
if ! ip -n "$GW" link add vrf-blue type vrf table 200 ||
	! ip -n "$GW" link set vrf-blue up; then
	fail "vrf"
	rri_exit
fi
rri_load || { fail "insmod rri.ko"; rri_exit; }

pol_add "$GW" 10.0.0.0/24 10.81.2.0/29 192.0.2.1 203.0.113.1 1
sa_add "$GW" 192.0.2.1 203.0.113.1 0x100 1
pol_add "$GW" 2001:db8:1::/64 2001:db8:81::/64 2001:db8::1 2001:db8:f::1 1
sa_add "$GW" 2001:db8::1 2001:db8:f::1 0x200 1
check "map add hq" rrictl_ns "$GW" map add hq remote 10.81.0.0/16 metric 10
check "map add hq6" rrictl_ns "$GW" map add hq6 family inet6
check_fib "hq's route is installed" "$GW" 4 10.81.2.0/29 \
	"10.81.2.0/29 via 192.0.2.254 dev gw0 proto 201 metric 10"
check_fib "hq6's route is installed" "$GW" 6 2001:db8:81::/64 \
	"2001:db8:81::/64 via 2001:db8::fe dev gw0 proto 201 metric 1024"
settle "$GW"

# The maps, rri's routes and the kernel's routes, one JSON object a line.
snapshot() {
	{
		rrictl_ns "$GW" -j map show
		rrictl_ns "$GW" -j route show
		fib_both "$GW"
	} | jq -c '.[]'
}
before=$(snapshot)
maps_before=$(rrictl_ns "$GW" -j map show | jq -r '.[].name')

# check_unchanged DESCRIPTION: the snapshot is as before; if not, say what
# differs and delete maps that were not there, so that one accepted bad
# request does not fail every check after it.
check_unchanged() {
	local now name
	now=$(snapshot)
	if [ "$now" = "$before" ]; then
		pass "$1"
		return
	fi
	echo "$before" > "$route_tmp/before"
	echo "$now" > "$route_tmp/now"
	fail "$1: $(diff "$route_tmp/before" "$route_tmp/now" | grep '^[<>]' | paste -sd ' ')"
	for name in $(rrictl_ns "$GW" -j map show | jq -r '.[].name'); do
		grep -qx -- "$name" <<< "$maps_before" || rrictl_ns "$GW" map del "$name"
	done
}

# refused DESCRIPTION "exit N: MESSAGE" RRICTL_ARG...: the request fails
# with that status and first line of stderr. (Whether it changed anything
# is checked after each group of requests: a snapshot costs seconds under
# TCG.)
refused() {
	local what=$1 want=$2
	shift 2
	check_eq "$what: $*" "$want" "$(rrictl_out "$GW" "$@")"
}

nomap="exit 1: rrictl: no such map"
refused "unknown map" "$nomap" map set nosuch metric 5
refused "unknown map" "$nomap" map del nosuch
refused "unknown map" "$nomap" map show nosuch
refused "unknown map" "$nomap" route show map nosuch
refused "duplicate name" "exit 1: rrictl: a map of that name exists" map add hq remote 10.82.0.0/16
check_unchanged "unknown map, duplicate name: nothing changed"

hostbits="exit 1: rrictl: prefix has host bits set"
refused "host bits" "$hostbits" map add x remote 10.81.0.1/16
refused "host bits" "$hostbits" map add x local 10.0.0.1/24
refused "host bits" "$hostbits" map add x remote 2001:db8:81::1/48
refused "host bits" "$hostbits" map set hq remote 10.81.0.0/8
check_unchanged "host bits: nothing changed"

table0="exit 1: rrictl: table 0 is not a routing table"
refused "table 0" "$table0" map add x table 0
refused "table 0" "$table0" map set hq table 0
refused "table 0 with a valid change" "$table0" map set hq metric 20 table 0
check_unchanged "table 0: nothing changed"

tag="exit 1: rrictl: tag is an IPv4 route realm: limit the map to IPv4 (family inet or an IPv4 prefix)"
refused "tag on an IPv6 map" "$tag" map add x family inet6 tag 5
refused "tag on an IPv6 map" "$tag" map add x remote 2001:db8:81::/48 tag 5
refused "tag on an IPv6 map" "$tag" map set hq6 tag 5
refused "tag on an unrestricted map" "$tag" map add x tag 5
refused "tag on a map that selects IPv6 policies too (an IPv4 gateway selects nothing)" \
	"$tag" map add x nexthop gateway 192.0.2.254 tag 5
refused "tag 0" "exit 1: rrictl: tag 0 means no tag: leave it out" map add x family inet tag 0
check_unchanged "tag: nothing changed"

gwfamily="exit 1: rrictl: the gateway is not of the map's address family"
refused "gateway of the wrong family" "$gwfamily" map add x family inet6 nexthop gateway 192.0.2.254
refused "gateway of the wrong family" "$gwfamily" map add x remote 10.82.0.0/16 nexthop gateway 2001:db8::fe
refused "gateway of the wrong family" "$gwfamily" map set hq nexthop gateway 2001:db8::fe
families="exit 1: rrictl: the map's family and prefixes must be of one address family"
refused "prefixes of two families" "$families" map add x remote 10.82.0.0/16 local 2001:db8:1::/64
refused "family and prefix disagree" "$families" map add x family inet remote 2001:db8:81::/48
check_unchanged "families: nothing changed"

refused "mark with bits outside the mask" "exit 1: rrictl: mark has bits outside its mask" \
	map add x mark 0x3/0x1
check_unchanged "mark: nothing changed"

name31=Site_1.hq-abcdefghijklmnopqrstu
refused "name of 32 bytes" "exit 1: rrictl: map name must be 1 to 31 bytes" map add "${name31}5"
refused "name of 40 bytes" "exit 1: rrictl: map name must be 1 to 31 bytes" map add "${name31}567890123"
badname="exit 1: rrictl: map name may only hold letters, digits, '_', '-' and '.'"
refused "bad name characters" "$badname" map add "a b"
refused "bad name characters" "$badname" map add "a/b"
refused "bad name characters" "$badname" map add "hq:1"
refused "bad name characters" "$badname" map add "é"
check_unchanged "names: nothing changed"

refused "nexthop gateway without address" \
	"exit 2: rrictl: map add: missing value for 'gateway'" map add x nexthop gateway
refused "nexthop gateway without address" \
	"exit 2: rrictl: map add: invalid value 'metric' for 'gateway'" map add x nexthop gateway metric 5
refused "nexthop dev without device" \
	"exit 2: rrictl: map set: missing value for 'dev'" map set hq nexthop dev
check_unchanged "missing values: nothing changed"

nodev='exit 1: rrictl: device "nosuch0" does not exist'
refused "dev that does not exist" "$nodev" map add x nexthop dev nosuch0
refused "dev that does not exist" "$nodev" map add x nexthop gateway 192.0.2.254 dev nosuch0
refused "dev that does not exist" "$nodev" map add x vrf nosuch0
refused "dev of another namespace" 'exit 1: rrictl: device "rt0" does not exist' map add x nexthop dev rt0
check_unchanged "devices: nothing changed"

refused "table together with vrf" "exit 1: rrictl: table and vrf exclude each other" \
	map add x table 100 vrf vrf-blue
refused "vrf that is not a VRF" "exit 1: rrictl: device is not a VRF" map add x vrf gw0
refused "vrf that is not a VRF" "exit 1: rrictl: device is not a VRF" map set hq vrf lo
refused "proto 0" "exit 1: rrictl: proto 0 is RTPROT_UNSPEC, not a protocol" map add x proto 0
refused "proto 0" "exit 1: rrictl: proto 0 is RTPROT_UNSPEC, not a protocol" map set hq proto 0
check_unchanged "table with vrf, vrf, proto 0: nothing changed"

# The comparison sees a change when there is one: a valid 31-byte name.
check "a 31-byte name of letters, digits, '_', '.' and '-' is accepted" rrictl_ns "$GW" map add "$name31" family inet mode static
check_eq "and shows up" "[\"hq\",\"hq6\",\"$name31\"]" \
	"$(rrictl_ns "$GW" -j map show | jq -c '[.[].name]')"
check "map del of it" rrictl_ns "$GW" map del "$name31"
check_unchanged "which restores the state"

rri_exit
