# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the rri_route_*.sh tests: the gateway topology, tunnel
# SAs and policies, the kernel's routes and rri's view of them in one
# comparable line each, a barrier that waits for the namespace's worker, and
# a route monitor that counts events between two markers.
#
# The kernel's truth is read with `ip -j route` and compared as text:
#
#   PREFIX [via GW] [dev DEV] proto P metric M [scope S] [realm R] [type T]
#
# (prefix always with its length, metric always given, proto 201 whether or
# not iproute2 knows it as "rri"), rri's record of a route with
# `rrictl -j route show` as
#
#   PREFIX [via GW] [dev DEV] table T metric M [tag N] proto P map MAP
#   peer PEER state STATE refs N kind KIND
#
# so a failed check prints exactly what differs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# How long an XFRM change may take to reach the FIB. The worker runs within
# milliseconds; under TCG a loaded VM can stall for seconds.
ROUTE_WAIT_MS=${ROUTE_WAIT_MS:-10000}
readonly ROUTE_KEY=0x0102030405060708090a0b0c0d0e0f1011121314

route_tmp=$(mktemp -d /tmp/rri-route.XXXXXX)
route_cleanup() {
	rri_cleanup
	rm -rf "$route_tmp"
}
trap route_cleanup EXIT

# topo_gw GW RT: the gateway namespace GW and a router namespace RT behind
# it, both created here.
#
#   +--------------- GW ---------------+  +-------- RT ---------+
#   | gw0 192.0.2.1/24  2001:db8::1/64 |--| rt0 192.0.2.254/24  |
#   | 203.0.113.0/24  via 192.0.2.254  |  |     2001:db8::fe/64 |
#   | 2001:db8:f::/48 via 2001:db8::fe |  +---------------------+
#   +----------------------------------+
#
# Tunnel endpoints in 203.0.113.0/24 and 2001:db8:f::/48 are reached via the
# router; ones in 192.0.2.0/24 and 2001:db8::/64 are on-link.
topo_gw() {
	local gw=$1 rt=$2

	ns_add "$gw" && ns_add "$rt" || return 1
	ip -n "$gw" link add gw0 type veth peer name rt0 netns "$rt" || return 1
	ip -n "$gw" addr add 192.0.2.1/24 dev gw0
	ip -n "$gw" addr add 2001:db8::1/64 dev gw0 nodad
	ip -n "$rt" addr add 192.0.2.254/24 dev rt0
	ip -n "$rt" addr add 2001:db8::fe/64 dev rt0 nodad
	ip -n "$gw" link set gw0 up
	ip -n "$rt" link set rt0 up
	ip -n "$gw" route add 203.0.113.0/24 via 192.0.2.254 &&
		ip -n "$gw" -6 route add 2001:db8:f::/48 via 2001:db8::fe || return 1
	# The link-local addresses, and their local routes, come once DAD is
	# done: wait, so that snapshots of the routes taken later stay equal.
	busywait 10000 ll_ready "$gw" gw0 && busywait 10000 ll_ready "$rt" rt0
}

# ll_ready NS DEV: DEV has its IPv6 link-local address, DAD done.
ll_ready() {
	local out

	out=$(ip -n "$1" -6 addr show dev "$2" scope link)
	[ -n "$out" ] && ! grep -q tentative <<< "$out"
}

# sa_add NS SRC DST SPI REQID [ARG]...: a VALID tunnel-mode ESP SA.
sa_add() {
	local ns=$1 src=$2 dst=$3 spi=$4 reqid=$5
	shift 5
	ip -n "$ns" xfrm state add src "$src" dst "$dst" proto esp spi "$spi" \
		reqid "$reqid" mode tunnel \
		aead 'rfc4106(gcm(aes))' "$ROUTE_KEY" 128 "$@"
}

# sa_del NS SRC DST SPI [ARG]... (an SA with a mark needs "mark V")
sa_del() {
	local ns=$1 src=$2 dst=$3 spi=$4
	shift 4
	ip -n "$ns" xfrm state delete src "$src" dst "$dst" proto esp spi "$spi" "$@"
}

# pol_add NS LOCAL_NET REMOTE_NET TUN_SRC TUN_DST REQID [ARG]...: an
# outbound policy with one tunnel-mode ESP template; ARGs (mark, if_id,
# priority...) go before the template.
pol_add() {
	local ns=$1 lnet=$2 rnet=$3 src=$4 dst=$5 reqid=$6
	shift 6
	ip -n "$ns" xfrm policy add src "$lnet" dst "$rnet" dir out "$@" \
		tmpl src "$src" dst "$dst" proto esp reqid "$reqid" mode tunnel
}

# pol_del NS LOCAL_NET REMOTE_NET [ARG]...: delete an outbound policy.
pol_del() {
	local ns=$1 lnet=$2 rnet=$3
	shift 3
	ip -n "$ns" xfrm policy delete src "$lnet" dst "$rnet" dir out "$@"
}

# The jq definitions that turn one `ip -j route` entry of family $fam (4
# or 6) into a line.
# shellcheck disable=SC2016
readonly ROUTE_JQ='
def norm($fam): if . == "default" then (if $fam == "4" then "0.0.0.0/0" else "::/0" end)
	  elif test("/") then .
	  else . + (if $fam == "4" then "/32" else "/128" end) end;
def proto: (.protocol // "boot") | tostring | if . == "rri" then "201" else . end;
def line($fam): (.dst | norm($fam))
	+ (if .gateway then " via " + .gateway else "" end)
	+ (if .dev then " dev " + .dev else "" end)
	+ " proto " + proto + " metric " + ((.metric // 0) | tostring)
	+ (if .scope then " scope " + .scope else "" end)
	+ (if .flow then " realm " + (.flow.to | tostring) else "" end)
	+ (if .type and .type != "unicast" then " type " + .type else "" end);
'

# fib NS 4|6 PREFIX [TABLE]: the kernel's routes to exactly PREFIX in TABLE
# (default main), one line each, sorted, joined with "; "; "" if none.
fib() {
	local ns=$1 fam=$2 prefix=$3 table=${4:-main}

	ip -n "$ns" -j -"$fam" route show table "$table" |
		jq -r --arg fam "$fam" --arg p "$prefix" "$ROUTE_JQ"'
			[.[] | select((.dst | norm($fam)) == $p) | line($fam)] | sort | join("; ")'
}

# fib_both NS [FILTER]...: the routes of every table, IPv4 then IPv6, as two
# JSON arrays.
fib_both() {
	ip -n "$1" -j -4 route show table all "${@:2}"
	ip -n "$1" -j -6 route show table all "${@:2}"
}

# fib_rri NS [PROTO]: every route of protocol PROTO (default 201) in every
# table of both families, "PREFIX ... table T" lines, sorted, joined.
fib_rri() {
	local ns=$1 proto=${2:-201}

	# Not "ip route show proto": iproute2 then leaves the protocol out.
	fib_both "$ns" | jq -rs --arg proto "$proto" "$ROUTE_JQ"'
		[(.[0][] | select(proto == $proto) | line("4") + " table " + (.table // "main" | tostring)),
		 (.[1][] | select(proto == $proto) | line("6") + " table " + (.table // "main" | tostring))]
		| sort | join("; ")'
}

# fib_rri_of NS PREFIX...: the routes of protocol 201 to these prefixes in
# any table (fib_rri's lines), "; " joined.
fib_rri_of() {
	local ns=$1 p all
	shift
	all=$(fib_rri "$ns" | sed 's/; /\n/g')
	for p in "$@"; do
		awk -v p="$p" '$1 == p' <<< "$all"
	done | paste -sd '|' | sed 's/|/; /g'
}

# fib_rri_prefixes NS: the prefixes of the routes of protocol 201, every
# table, both families, sorted, space separated.
fib_rri_prefixes() {
	fib_both "$1" proto 201 | jq -rs "$ROUTE_JQ"'
		[(.[0][].dst | norm("4")), (.[1][].dst | norm("6"))] | sort | join(" ")'
}

# fib_rri_count NS [PROTO]: how many such routes there are.
fib_rri_count() {
	local ns=$1 proto=${2:-201}

	fib_both "$ns" proto "$proto" | jq -s 'add | length'
}

# rri_nexthops NS: the ids of rri's nexthop objects (protocol 201), sorted,
# space separated; "" if none.
rri_nexthops() {
	ip -n "$1" -j nexthop show |
		jq -r '[.[] | select((.protocol | tostring) == "201" or .protocol == "rri") | .id] | sort | join(" ")'
}

# fib_all NS: every route of the namespace, both families, all tables, as
# JSON: to compare before and after something that must change nothing.
fib_all() {
	fib_both "$1" | jq -cS -s .
}

# fib_foreign NS: every route not of protocol 201, as JSON.
fib_foreign() {
	fib_both "$1" | jq -cS -s "$ROUTE_JQ"'[.[][] | select(proto != "201")]'
}

# shellcheck disable=SC2016
readonly RRI_JQ='
def line: .prefix
	+ (if .gateway then " via " + .gateway else "" end)
	+ (if .dev then " dev " + .dev else "" end)
	+ " table \(.table) metric \(.metric)"
	+ (if .tag then " tag \(.tag)" else "" end)
	+ " proto \(.proto) map \(.map) peer \(.peer) state \(.state) refs \(.refs) kind \(.kind)";
'

# rri_route NS PREFIX: rri's routes to PREFIX (`rrictl -j route show`), one
# line each, sorted, joined with "; "; "" if none.
rri_route() {
	rrictl_ns "$1" -j route show |
		jq -r --arg p "$2" "$RRI_JQ"'[.[] | select(.prefix == $p) | line] | sort | join("; ")'
}

# rri_state NS PREFIX: the state of rri's route(s) to PREFIX.
rri_state() {
	rrictl_ns "$1" -j route show |
		jq -r --arg p "$2" '[.[] | select(.prefix == $p) | .state] | join(" ")'
}

# rri_routes NS [map NAME]: the prefixes of every route rri shows, sorted,
# space separated.
rri_routes() {
	local ns=$1
	shift
	rrictl_ns "$ns" -j route show "$@" | jq -r '[.[].prefix] | sort | join(" ")'
}

# rri_map NS NAME KEY: a key of `rrictl -j map show NAME`.
rri_map() {
	rrictl_ns "$1" -j map show "$2" | jq -c ".[0].$3"
}

# rri_stat NS KEY: one counter (from the text output, which rri_rrictl.sh
# holds to agree with JSON: jq costs half a second under TCG).
rri_stat() {
	rrictl_ns "$1" stats | awk -v k="$2" '$1 == k { print $2 }'
}

# poll_eq EXPECTED COMMAND [ARG]...: wait (bounded) until COMMAND prints
# EXPECTED; what it printed last is left in $polled.
polled=
poll_once() {
	local want=$1
	shift
	polled=$("$@")
	[ "$polled" = "$want" ]
}

poll_eq() {
	busywait "$ROUTE_WAIT_MS" poll_once "$@"
}

# check_poll DESCRIPTION EXPECTED COMMAND [ARG]...: poll_eq, then report.
check_poll() {
	local what=$1
	shift
	poll_eq "$@"
	check_eq "$what" "$1" "$polled"
}

# check_fib DESCRIPTION NS 4|6 PREFIX EXPECTED [TABLE]: wait (bounded) for
# the kernel's routes to PREFIX to be EXPECTED, then compare.
check_fib() {
	check_poll "$1" "$5" fib "$2" "$3" "$4" "${6:-main}"
}

# check_rri DESCRIPTION NS PREFIX EXPECTED: the same for rri's record.
check_rri() {
	check_poll "$1" "$4" rri_route "$2" "$3"
}

stat_above() {
	[ "$(rri_stat "$1" "$2")" -gt "$3" ]
}

# settle NS: return once rri has applied every XFRM event that happened in
# NS before the call, routes included. A throwaway inbound policy (which
# rri counts and otherwise ignores) is added; once its event is counted,
# every earlier one has been applied in order, and a route dump, which
# takes the namespace's lock, returns only after the worker's batch,
# route programming included, is done.
settle() {
	local ns=$1 n

	n=$(rri_stat "$ns" policy_add)
	if ! ip -n "$ns" xfrm policy add src 198.51.100.250/32 \
		dst 198.51.100.251/32 dir in priority 4242; then
		fail "settle: could not add the marker policy"
		return 1
	fi
	busywait "$ROUTE_WAIT_MS" stat_above "$ns" policy_add "$n" ||
		fail "settle: rri did not count an XFRM event within ${ROUTE_WAIT_MS} ms"
	ip -n "$ns" xfrm policy delete src 198.51.100.250/32 dst 198.51.100.251/32 dir in
	rrictl_ns "$ns" route show >/dev/null
}

# Route monitor. mon_start NS records `ip monitor route` of NS; each
# mon_events call collects the events of rri's protocol since the previous
# call (or the start). Markers (an unreachable route added and deleted)
# tell when the monitor listens and when it has written everything before
# them, so no event is missed and no sleep is needed.
mon_seq=0
mon_seen=0
mon_file=

mon_start() {
	local ns=$1

	mon_file=$route_tmp/monitor.$ns
	ip -n "$ns" monitor route >> "$mon_file" 2>&1 &
	rri_bg_pids+=($!)
	mon_seen=0
	# Until the monitor has subscribed, markers go unseen: retry.
	busywait "$ROUTE_WAIT_MS" mon_mark "$ns" 1000
}

# mon_mark NS [WAIT_MS]: add and delete a marker route, wait for it.
mon_mark() {
	local ns=$1 wait=${2:-$ROUTE_WAIT_MS}

	mon_seq=$((mon_seq + 1))
	ip -n "$ns" route add unreachable 198.51.100.254/32 metric "$mon_seq" || return 1
	ip -n "$ns" route del unreachable 198.51.100.254/32 metric "$mon_seq" || return 1
	busywait "$wait" grep -q "^Deleted unreachable 198.51.100.254 .*metric $mon_seq\b" "$mon_file"
}

# mon_events NS: set $mon_out to the route events of protocol 201 since
# the last call, after rri has applied every XFRM event so far. (Not a
# function to call in $(...): its bookkeeping must survive.)
mon_out=
mon_events() {
	local ns=$1 last

	mon_out=
	settle "$ns"
	if ! mon_mark "$ns"; then
		fail "monitor: marker $mon_seq not seen"
		return 1
	fi
	last=$(grep -n "^Deleted unreachable 198.51.100.254 .*metric $mon_seq\b" "$mon_file" |
		cut -d: -f1)
	# Protocol 201 is "rri" once `make install` has named it. The nexthop
	# object a route names is left out: the next hop follows it anyway
	# (rri_route_nhobj.sh checks the objects).
	mon_out=$(sed -n "$((mon_seen + 1)),${last}p" "$mon_file" |
		grep -E ' proto (201|rri) ' |
		sed 's/ nhid [0-9]*//; s/ proto rri / proto 201 /; s/ *$//')
	mon_seen=$last
}

# check_no_events DESCRIPTION NS: no route event of rri since the last look.
check_no_events() {
	mon_events "$2"
	check_eq "$1" "" "$mon_out"
}

# rrictl_out NS ARG...: run rrictl in NS; print "exit N: STDERR".
rrictl_out() {
	local ns=$1 err rc
	shift
	err=$(rrictl_ns "$ns" "$@" 2>&1 >/dev/null)
	rc=$?
	echo "exit $rc: $(head -n 1 <<< "$err")"
}
