#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The event stream (RRI_MCGRP_EVENTS, rrictl monitor): a scripted scenario
# in gw yields exactly the expected sequence of events (map added, route
# installed, map changed, a route the FIB lost and rri restored, an
# unresolved and a conflicting route, routes removed, map deleted), each
# matching what the kernel shows; a second namespace's monitor sees none
# of it; an unprivileged listener is refused; a listener that stops reading
# loses events but does not slow rri down or change its state.
#
#   gw: lib_route topo_gw (gw0 192.0.2.1/24, peers via 192.0.2.254)
#   other: a namespace of its own with a monitor of its own
source "$(dirname "$0")/lib_route.sh"
require setpriv

GW=rri-gw-$$
RT=rri-rt-$$
OTHER=rri-other-$$
topo_gw "$GW" "$RT" || { fail "topology"; rri_exit; }
ns_add "$OTHER" || { fail "namespace $OTHER"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }

PEER=203.0.113.1 SRC=192.0.2.1

# mon NS NAME: rrictl -j monitor of NS into $route_tmp/NAME.json (stderr in
# NAME.err), running until the test ends; returns once it listens (a
# probe map's events reached it). Its events then start after the probe's.
mon() {
	local ns=$1 f=$route_tmp/$2

	# Appending, so that the file can be emptied under it.
	rrictl_ns "$ns" -j monitor >> "$f.json" 2> "$f.err" &
	rri_bg_pids+=($!)
	probe() {
		rrictl_ns "$ns" map add "probe-$2" >/dev/null 2>&1
		rrictl_ns "$ns" map del "probe-$2" >/dev/null 2>&1
		grep -q "\"probe-$2\"" "$f.json"
	}
	busywait 10000 probe "$ns" "$2" || fail "$2: the monitor did not start"
	# Wait for the probe's delete too, then start from a clean file.
	busywait 5000 grep -q map_deleted "$f.json"
	: > "$f.json"
}

# events NAME: the events seen so far, one "EVENT PREFIX|NAME [STATE]" line
# each.
events() {
	jq -r '[.event, (.route.prefix // .map.name),
		(if .route then "metric=" + (.route.metric | tostring) + " state=" + .route.state
		 else empty end)] | join(" ")' "$route_tmp/$1.json"
}

# expect_events DESCRIPTION NAME LINE...: wait (bounded) until NAME has as
# many events as LINEs, then compare them all.
count_at_least() { [ "$(events "$1" | wc -l)" -ge "$2" ]; }
expect_events() {
	local what=$1 name=$2 want
	shift 2
	want=$(printf '%s\n' "$@")
	busywait "$ROUTE_WAIT_MS" count_at_least "$name" "$#"
	check_eq "$what" "$want" "$(events "$name")"
	: > "$route_tmp/$name.json"
}

mon "$GW" gw
mon "$OTHER" other

check "map add hq" rrictl_ns "$GW" map add hq remote 10.81.0.0/16
pol_add "$GW" 10.1.0.0/24 10.81.1.0/24 "$SRC" "$PEER" 1
sa_add "$GW" "$SRC" "$PEER" 0x1001 1
expect_events "map added, then the route installed when the SA came" gw \
	"map_added hq" \
	"route_installed 10.81.1.0/24 metric=0 state=installed"

check "map set hq metric 5" rrictl_ns "$GW" map set hq metric 5
expect_events "map changed; the route moves to metric 5" gw \
	"map_changed hq" \
	"route_removed 10.81.1.0/24 metric=0 state=installed" \
	"route_installed 10.81.1.0/24 metric=5 state=installed"
check_fib "and the FIB agrees" "$GW" 4 10.81.1.0/24 \
	"10.81.1.0/24 via 192.0.2.254 dev gw0 proto 201 metric 5"

# A mark-scoped policy gets no route (it would bypass the policy), and an
# identical foreign route puts rri's in conflict.
check "map add st (static)" rrictl_ns "$GW" map add st remote 10.82.0.0/16 mode static
pol_add "$GW" 10.1.0.0/24 10.82.1.0/24 "$SRC" "$PEER" 2 mark 7
ip -n "$GW" route add 10.82.2.0/24 via 192.0.2.254 proto static
pol_add "$GW" 10.1.0.0/24 10.82.2.0/24 "$SRC" "$PEER" 3
expect_events "unresolved (mark) and conflict" gw \
	"map_added st" \
	"route_unresolved 10.82.1.0/24 metric=0 state=unresolved" \
	"route_conflict 10.82.2.0/24 metric=0 state=conflict"

# The FIB check after an admin's delete derives every route again: the
# conflicting one is retried into the same conflict and says nothing.
ip -n "$GW" route del 10.81.1.0/24 proto 201 metric 5
expect_events "an admin deletes the route: lost, then restored" gw \
	"route_lost 10.81.1.0/24 metric=5 state=error" \
	"route_restored 10.81.1.0/24 metric=5 state=installed"
check_fib "and it is back in the FIB" "$GW" 4 10.81.1.0/24 \
	"10.81.1.0/24 via 192.0.2.254 dev gw0 proto 201 metric 5"

ip -n "$GW" route del 10.82.2.0/24 proto static
expect_events "the foreign route goes: rri's is installed" gw \
	"route_installed 10.82.2.0/24 metric=0 state=installed"

sa_del "$GW" "$SRC" "$PEER" 0x1001
expect_events "the SA goes: its dynamic route is removed" gw \
	"route_removed 10.81.1.0/24 metric=5 state=installed"

check "map del st" rrictl_ns "$GW" map del st
expect_events "map deleted; its routes removed, the unresolved one forgotten" gw \
	"map_deleted st" \
	"route_removed 10.82.1.0/24 metric=0 state=unresolved" \
	"route_removed 10.82.2.0/24 metric=0 state=installed"
check_eq "no rri route left in the FIB" "" "$(fib_rri "$GW")"

check_eq "the other namespace's monitor saw nothing of it" "" "$(events other)"
check_eq "and neither monitor reported an error" "" \
	"$(cat "$route_tmp/gw.err" "$route_tmp/other.err")"

# Unprivileged: joining the group needs CAP_NET_ADMIN, as reading does.
err=$(ip netns exec "$GW" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all --bounding-set=-all -- timeout 10 "$RRICTL" monitor 2>&1)
check_eq "an unprivileged monitor exits 1" 1 "$?"
check_match "and says why" '*cannot join the event group*CAP_NET_ADMIN*' "$err"

# A listener that stops reading: its socket (64 KiB, some 30 events)
# overflows, rri goes on.
"$RRICTL" -n "$GW" monitor buffer 65536 > /dev/null 2> "$route_tmp/stopped.err" &
stopped=$!
rri_bg_pids+=($stopped)
busywait 5000 grep -q "rri" "/proc/$stopped/comm" 2>/dev/null
sleep 0.5
kill -STOP "$stopped"
n=1000
check "map add many (static)" rrictl_ns "$GW" map add many remote 10.90.0.0/16 mode static
for ((i = 0; i < n; i++)); do
	echo "xfrm policy add src 10.1.0.0/24 dst 10.90.$((i / 250)).$((i % 250))/32 dir out" \
		"tmpl src $SRC dst $PEER proto esp reqid 9 mode tunnel"
done > "$route_tmp/many.batch"
ip -n "$GW" -batch "$route_tmp/many.batch"
check_poll "with a stopped listener, rri still installs all $n routes" "$n" \
	fib_rri_count "$GW"
check_eq "and none failed" 0 "$(rri_stat "$GW" route_error)"
kill -CONT "$stopped"
busywait 10000 grep -q "events lost" "$route_tmp/stopped.err"
check_match "the stopped listener is told it lost events" '*monitor: events lost*' \
	"$(cat "$route_tmp/stopped.err")"

rri_exit
