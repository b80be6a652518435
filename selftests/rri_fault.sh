#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection (debug kernel): while slab allocations of rri's caches
# and of socket buffers fail at random (failslab) and rri's rtnetlink
# socket is too small to hold the kernel's answers (rtnl_rcvbuf), the test
# drives map add/set/del, SA and policy churn, underlay link flaps, manual
# route deletions and the deletion of a second namespace. Once injection
# stops, and without any further command, the namespace must converge to
# exactly the routes its IPsec state and maps ask for, rri must show them
# installed, and the kernel must report nothing (the runner fails the test
# on any KASAN, lockdep, kmemleak or refcount report).
#
#   +--------------------------- a ----------------------------+  +- ra -+
#   | gw0 192.0.2.1/24, 198.18.0.0/15 via 192.0.2.254           |--| rt0  |
#   | N policies 10.0.0.0/24 -> 10.100.i.0/24, peer 198.18.0.i  |  +------+
#   | maps: sub (remote 10.100.0.0/20), then all                |
#   +-----------------------------------------------------------+
#   b: the same, deleted while the faults fly
source "$(dirname "$0")/lib_route.sh"

dbg=/sys/kernel/debug
[ -d $dbg/failslab ] || mount -t debugfs none $dbg 2>/dev/null
[ -d $dbg/failslab ] || skip_test "the kernel has no failslab (CONFIG_FAILSLAB)"

N=${RRI_FAULT_POLICIES:-16}
ROUNDS=${RRI_FAULT_ROUNDS:-6}
A=rri-a-$$ RA=rri-ra-$$ B=rri-b-$$ RB=rri-rb-$$
for pair in "$A $RA" "$B $RB"; do
	# shellcheck disable=SC2086
	topo_gw $pair || { fail "topology"; rri_exit; }
	ip -n "${pair%% *}" route add 198.18.0.0/15 via 192.0.2.254
done
insmod "$RRI_KO" rtnl_rcvbuf=4096 && rri_loaded_here=1 || {
	fail "insmod rri.ko rtnl_rcvbuf=4096"
	rri_exit
}

tunnel() {	# tunnel NS I: the policy and the SA of tunnel I
	ip -n "$1" xfrm policy add src 10.0.0.0/24 dst "10.100.$2.0/24" dir out \
		tmpl src 192.0.2.1 dst "198.18.0.$2" proto esp reqid 1 mode tunnel
	ip -n "$1" xfrm state add src 192.0.2.1 dst "198.18.0.$2" proto esp \
		spi "$((0x1000 + $2))" reqid 1 mode tunnel enc cipher_null ""
}
for ns in "$A" "$B"; do
	for ((i = 1; i <= N; i++)); do
		tunnel "$ns" $i
	done
	rrictl_ns "$ns" map add sub remote 10.100.0.0/20 || fail "map add sub"
	rrictl_ns "$ns" map add all || fail "map add all"
done
check_poll "ns a: all $N routes before the faults" "$N" fib_rri_count "$A"

# Faults: rri's caches and socket buffers, in any context. Which caches may
# fail is fixed when they are created (slub_debug=...a,CACHE... on the
# kernel's command line: make check-debug boots with it).
caches=(rri_event rri_policy rri_route rri_nhobj rri_map rri_sa skbuff_head_cache)
for c in "${caches[@]}"; do
	[ "$(cat "/sys/kernel/slab/$c/failslab" 2>/dev/null)" = 1 ] ||
		{ fail "$c cannot fail: boot with slub_debug=FZPUa,rri_*,skbuff_head_cache"; rri_exit; }
done
fault_on() {
	echo Y > $dbg/failslab/cache-filter
	echo N > $dbg/failslab/ignore-gfp-wait
	echo 0 > $dbg/failslab/verbose
	echo 1 > $dbg/failslab/interval
	echo 1000000 > $dbg/failslab/times
	echo "$1" > $dbg/failslab/probability
}
fault_off() {
	echo 0 > $dbg/failslab/probability
}
trap 'fault_off; route_cleanup' EXIT

# Everything below may fail while the faults fly: only the end counts.
# An answer the faults lost can leave a command waiting for it (seen:
# 'ip link set down' blocked in recvmsg): no command of the churn waits
# longer than 30 s, and whatever it did or did not do is rri's input.
q() {
	# shellcheck disable=SC2317
	ip() { timeout 30 ip "$@"; }
	"$@" >/dev/null 2>&1
	unset -f ip
}
qrrictl() { q timeout 30 "$RRICTL" -n "$A" "$@"; }
fault_on 10
for ((r = 0; r < ROUNDS; r++)); do
	[ -n "${RRI_FAULT_TRACE:-}" ] && echo "rri_fault: round $r $(cat /proc/loadavg) injected $((1000000 - $(cat $dbg/failslab/times)))" > /dev/kmsg
	for ((i = 1 + r % 4; i <= N; i += 4)); do
		q ip -n "$A" xfrm state delete src 192.0.2.1 dst "198.18.0.$i" proto esp \
			spi "$((0x1000 + i))"
		q ip -n "$A" xfrm policy delete src 10.0.0.0/24 dst "10.100.$i.0/24" dir out
		q tunnel "$A" $i
	done
	case $((r % 6)) in
	0) qrrictl map set sub mode static ;;
	1) qrrictl map del sub; qrrictl map add sub remote 10.100.0.0/20 ;;
	2) q ip -n "$A" link set gw0 down; q ip -n "$A" link set gw0 up
	   q ip -n "$A" route replace 198.18.0.0/15 via 192.0.2.254 ;;
	3) q ip -n "$A" route del "10.100.$((r % N + 1)).0/24" proto 201 ;;
	4) qrrictl map set sub mode dynamic ;;
	5) qrrictl map add extra remote 10.100.16.0/20; qrrictl map del extra ;;
	esac
	[ $r = $((ROUNDS / 2)) ] && q ip netns del "$B"
	q ip -n "$A" xfrm state delete src 192.0.2.1 dst "198.18.0.$((r % N + 1))" proto esp \
		spi "$((0x1000 + r % N + 1))"
done
left=$(cat $dbg/failslab/times)
fault_off
injected=$((1000000 - left))
log "# $injected allocations failed on purpose in $ROUNDS rounds"
check "allocations did fail ($injected)" test "$injected" -gt 0

# The underlay is back for sure (a flap may have lost its route): from
# here on no command changes rri's inputs; rri must converge by itself,
# within its longest retry delay (30 s) after memory was short.
ip -n "$A" link set gw0 up
ip -n "$A" route replace 198.18.0.0/15 via 192.0.2.254

# owner_mode I: the mode of the first map (in map show order, in $maps)
# that selects tunnel I, or nothing.
owner_mode() {
	local name mode
	while read -r name mode; do
		case $name in
		sub) [ "$1" -lt 16 ] || continue ;;
		extra) [ "$1" -ge 16 ] && [ "$1" -lt 32 ] || continue ;;
		esac
		echo "$mode"
		return
	done <<< "$maps"
}

# expected: the prefixes rri must route, from the kernel's IPsec state and
# the maps: tunnel i's policy is there, and an SA or its owner is static.
expected() {
	local pols sas i mode
	pols=$(ip -n "$A" xfrm policy list dir out |
		sed -n 's/^src 10.0.0.0\/24 dst 10.100.\([0-9]*\).0\/24.*/\1/p')
	sas=$(ip -n "$A" xfrm state list | sed -n 's/^src 192.0.2.1 dst 198.18.0.\([0-9]*\)$/\1/p')
	maps=$(rrictl_ns "$A" -j map show | jq -r '.[] | "\(.name) \(.mode)"')
	for i in $pols; do
		mode=$(owner_mode "$i")
		if [ "$mode" = static ] || { [ "$mode" = dynamic ] && grep -qx "$i" <<< "$sas"; }; then
			echo "10.100.$i.0/24"
		fi
	done | LC_ALL=C sort | paste -sd ' '
}
installed() {
	rrictl_ns "$A" -j route show | jq -r '[.[] | select(.state == "installed") | .prefix] | sort | join(" ")'
}

want=$(expected)
ROUTE_WAIT_MS=60000 check_poll "ns a converges to the exact routes its state asks for" \
	"$want" fib_rri_prefixes "$A"
check_poll "and rri shows exactly those installed" "$want" installed
[ "$polled" = "$want" ] || {
	# What rri says of the routes it has not installed, and of its maps.
	rrictl_ns "$A" -j route show |
		jq -c '.[] | select(.state != "installed")' | sed 's/^/# /'
	rrictl_ns "$A" -j map show | jq -c '.[]' | sed 's/^/# /'
}
check_eq "nothing rri shows installed is missing from the FIB" "" \
	"$(LC_ALL=C comm -23 <(installed | tr ' ' '\n') <(fib_rri_prefixes "$A" | tr ' ' '\n'))"
log "# events_dropped $(rri_stat "$A" events_dropped) resync $(rri_stat "$A" resync)" \
	"route_error $(rri_stat "$A" route_error) route_restored $(rri_stat "$A" route_restored)"

# And it keeps working: one more tunnel, one fewer.
tunnel "$A" $((N + 1))
check_fib "a new tunnel gets its route" "$A" 4 "10.100.$((N + 1)).0/24" \
	"10.100.$((N + 1)).0/24 via 192.0.2.254 dev gw0 proto 201 metric 0"
ip -n "$A" xfrm state delete src 192.0.2.1 dst "198.18.0.$((N + 1))" proto esp \
	spi "$((0x1000 + N + 1))"
check_fib "and loses it with its SA" "$A" 4 "10.100.$((N + 1)).0/24" ""

rri_exit
