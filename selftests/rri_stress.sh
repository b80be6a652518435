#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrent churn, then the invariant (lib_invariant.sh: the FIB holds
# exactly the routes the maps derive from the kernel's IPsec state, and
# rrictl calls installed nothing the FIB lacks) in every namespace after
# each phase:
#
#   1. background loops add, update (moving tunnels), delete and flush SAs
#      and policies (IPv4 and IPv6, several reqids, a template reqid 0,
#      marks, if_ids, larval SAs) in three namespaces while the foreground
#      adds, changes and deletes maps with every kind of key and option;
#   2. the same churn while the underlay links (gw0, d1, xfrm7) flap (the
#      kernel drops the routes through them; the test re-adds addresses and
#      underlay routes); then rri's routes, deleted by hand: rri must
#      restore them;
#   3. `ip netns del` of a namespace while its churn runs: the others are
#      intact;
#   4. rmmod while the churn runs: no route of rri is left anywhere; after
#      insmod, the same maps adopt the policies again.
#
# Counts are small (N policies a namespace) so that the whole test runs in
# about two minutes under TCG; RRI_STRESS_SECONDS sets how long phase 1's
# churn lasts, RRI_STRESS_SEED the random seed (printed).
#
#   +------------------------------ gK (K = 1, 2, 3) ------------------------------+  +- rK -+
#   | gw0 192.0.2.1/24 2001:db8::1/64; 203.0.113.0/24, 2001:db8:f::/48 via rK      |--| rt0  |
#   |   peers on-link 192.0.2.50-52, 2001:db8::50-52; unreachable 198.18.0.x,      |  +------+
#   |   2001:db8:e::x (no route)                                                   |
#   | d1 (dummy) 100.64.1.1/24 2001:db8:d1::1/64; xfrm7 (XFRM interface, if_id 7)  |
#   | N policy slots: 10.0.{0,1}.0/24 -> 10.K.J.0/24 (every fifth one IPv6,        |
#   |   2001:db8:1:{0,1}::/64 -> 2001:db8:10K:J::/64), each to one of two peers,   |
#   |   reqid 100 + J % 4 (template reqid 0 for J % 11 == 0), some with mark 0x5,  |
#   |   mark 0x20/0xf0, if_id 7 or if_id 8 (no interface)                          |
#   | foreign routes (proto static) to slots 48 and 49                             |
#   | maps m0..m15 from a menu, added, changed and deleted at random               |
#   +------------------------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"
source "$(dirname "$0")/lib_invariant.sh"

N=50
PHASE_S=${RRI_STRESS_SECONDS:-10}
SEED=${RRI_STRESS_SEED:-$$}
# Maps may switch to protocol 123 and back: routes left with either count.
INV_PROTOS="201 123"
GWS=("" "rri-g1-$$" "rri-g2-$$" "rri-g3-$$")
RTS=("" "rri-r1-$$" "rri-r2-$$" "rri-r3-$$")
log "# seed $SEED, $PHASE_S s of churn a phase, $N policy slots a namespace"
RANDOM=$SEED
t0=$SECONDS

# slot K J V: the addresses of policy slot J of namespace K, tunnelled to
# its peer V (0 or 1), in s_* variables.
slot() {
	local k=$1 j=$2 v=$3 c

	c=$(((j + v * 3) % 10))
	if ((j % 5 == 4)); then
		s_local=2001:db8:1:$((j % 2))::/64 s_src=2001:db8::1
		printf -v s_remote '2001:db8:10%x:%x::/64' "$k" "$j"
		case $c in
		[0-5]) s_peer=2001:db8:f::$((10 + (j + v) % 7)) ;;
		[67]) s_peer=2001:db8::$((50 + (j + v) % 3)) ;;
		8) s_peer=2001:db8:e::$((1 + (j + v) % 5)) ;;
		*) s_peer=2001:db8:f::$((20 + j % 3)) ;;
		esac
	else
		s_local=10.0.$((j % 2)).0/24 s_remote=10.$k.$j.0/24 s_src=192.0.2.1
		case $c in
		[0-5]) s_peer=203.0.113.$((10 + (j + v) % 7)) ;;
		[67]) s_peer=192.0.2.$((50 + (j + v) % 3)) ;;
		8) s_peer=198.18.0.$((1 + (j + v) % 5)) ;;
		*) s_peer=203.0.113.$((20 + j % 3)) ;;
		esac
	fi
	s_reqid=$((100 + j % 4))
	s_treqid=$s_reqid
	((j % 11)) || s_treqid=0
	case $((j % 17)) in
	3) s_sel="if_id 7" ;;
	5) s_sel="mark 0x5" ;;
	9) s_sel="mark 0x20 mask 0xf0" ;;
	12) s_sel="if_id 8" ;;
	*) s_sel= ;;
	esac
	# ip xfrm state delete and allocspi take no if_id.
	s_samark=${s_sel/if_id*/}
}

# The ip -batch lines below are appended to $ops (no subshell: a fork
# costs milliseconds under TCG).
pol_op() {
	ops+="xfrm policy update src $s_local dst $s_remote dir out $s_sel"
	ops+=" tmpl src $s_src dst $s_peer proto esp reqid $s_treqid mode tunnel"$'\n'
}

# sa_op J V S: SA of slot J to its peer V, with one of two SPIs S (a rekey
# is an add of one and a delete of the other).
sa_op() {
	ops+="xfrm state add src $s_src dst $s_peer proto esp"
	ops+=" spi $((0x1000 + $3 * 0x1000 + $1 * 2 + $2)) reqid $s_reqid mode tunnel $s_sel"
	ops+=' enc cipher_null ""'$'\n'
}

# churn_ops K: ten random XFRM changes in namespace K, as ip -batch lines,
# in $ops.
# shellcheck disable=SC2317 # run through bg_start
churn_ops() {
	local k=$1 i j v s r

	ops=
	for ((i = 0; i < 10; i++)); do
		j=$((RANDOM % N)) v=$((RANDOM % 2)) s=$((RANDOM % 2)) r=$((RANDOM % 200))
		slot "$k" "$j" "$v"
		if ((r < 60)); then
			pol_op
		elif ((r < 90)); then
			ops+="xfrm policy delete src $s_local dst $s_remote dir out $s_sel"$'\n'
		elif ((r < 150)); then
			sa_op "$j" "$v" "$s"
		elif ((r < 190)); then
			ops+="xfrm state delete src $s_src dst $s_peer proto esp"
			ops+=" spi $((0x1000 + s * 0x1000 + j * 2 + v)) $s_samark"$'\n'
		elif ((r < 198)); then
			# A larval SA (what an IKE responder allocates): no route.
			ops+="xfrm state allocspi src $s_src dst $s_peer proto esp mode tunnel"
			ops+=" reqid $s_reqid $s_samark"$'\n'
		else
			ops+="xfrm state deleteall src $s_src dst $s_peer"$'\n'
		fi
	done
}

# churn_loop K SEED: XFRM churn in namespace K until its stop file exists.
# ip runs anew for each ten changes, so that a deleted namespace stops it.
# shellcheck disable=SC2317 # run through bg_start
churn_loop() {
	local k=$1 ns=${GWS[$1]} n=0

	RANDOM=$2
	while [ ! -e "$route_tmp/stop.$ns" ]; do
		churn_ops "$k"
		ip -n "$ns" -force -batch - <<< "$ops"
		n=$((n + 10))
		echo "$n" > "$route_tmp/ops.$ns"
	done
}

churn_pids=()
churn_phase=0
# churn_start K...: start the churn of namespaces K.
churn_start() {
	local k

	churn_phase=$((churn_phase + 1))
	for k in "$@"; do
		rm -f "$route_tmp/stop.${GWS[k]}"
		echo 0 > "$route_tmp/ops.${GWS[k]}"
		bg_start churn_loop "$k" $((SEED + 100 * k + churn_phase))
		churn_pids+=("${rri_bg_pids[-1]}")
	done
}

# churn_stop: stop every churn loop and wait until each has.
churn_stop() {
	local ns pid

	for ns in "${GWS[@]:1}"; do
		touch "$route_tmp/stop.$ns"
	done
	for pid in "${churn_pids[@]}"; do
		wait "$pid"
	done
	churn_pids=()
}

churn_ops_done() {
	cat "$route_tmp/ops.$1" 2>/dev/null || echo 0
}

# churned NS N: the churn of NS has made at least N changes.
# shellcheck disable=SC2317 # called by busywait
churned() {
	[ "$(churn_ops_done "$1")" -ge "$2" ]
}

# map_spec K I: map I of the menu, as `map add` words, in $spec.
map_spec() {
	local k=$1

	case $2 in
	0) spec="reqid 100" ;;
	1) spec="reqid 101 mode static" ;;
	2) spec="family inet6 metric 5" ;;
	3) spec="remote 10.$k.0.0/19 nexthop gateway 192.0.2.253" ;;
	4) spec="remote 10.$k.32.0/19 table 100" ;;
	5) spec="local 10.0.1.0/24 remote-peer" ;;
	6) spec="mark 0x5 mode static" ;;
	7) spec="if_id 7" ;;
	8) spec="family inet nexthop dev d1 metric 7" ;;
	9) spec="reqid 102 proto 123" ;;
	10) spec="family inet tag 9 mode static" ;;
	11) spec="remote 2001:db8:10$k::/48 nexthop gateway 2001:db8::fd mode static" ;;
	12) spec="mark 0x20/0xf0 nexthop gateway 192.0.2.253" ;;
	13) spec="if_id 8 mode static" ;;
	14) spec="family inet6 remote-peer mode static" ;;
	*) spec= ;;
	esac
}
MAPS=16
SET_OPTS=("metric 3" "metric 0" "mode static" "mode dynamic" "nexthop peer"
	"nexthop dev d1" "table 100" "table main" "proto 123" "proto 201"
	"nexthop gateway 192.0.2.253" "nexthop gateway 2001:db8::fd")

# map_churn SECONDS K...: random map add, set and del in namespaces K.
# The remote-peer maps (5, 14) keep nexthop peer: their host routes to the
# peers would otherwise change the path to the peers that other routes
# follow, which lib_invariant.sh does not model.
map_churn() {
	local end=$((SECONDS + $1)) k i op opt
	shift

	map_tried=0 map_done=0
	while ((SECONDS < end)); do
		for k in "$@"; do
			i=$((RANDOM % MAPS)) op=$((RANDOM % 20))
			map_spec "$k" "$i"
			map_tried=$((map_tried + 1))
			if ((op < 8)); then
				# shellcheck disable=SC2086
				rrictl_ns "${GWS[k]}" map add "m$i" $spec
			elif ((op < 15)); then
				opt=${SET_OPTS[RANDOM % ${#SET_OPTS[@]}]}
				[[ $i != @(5|14) || $opt != nexthop* ]] || opt="metric 3"
				# shellcheck disable=SC2086
				rrictl_ns "${GWS[k]}" map set "m$i" $opt
			else
				rrictl_ns "${GWS[k]}" map del "m$i"
			fi 2>/dev/null && map_done=$((map_done + 1))
		done
	done
}

# underlay_lines K: addresses and routes a link flap takes from namespace
# K, and the foreign routes, as ip -batch lines.
# A route rri put back first makes the foreign one fail to go in: either
# way the invariant knows from the FIB which one is there.
underlay_lines() {
	local k=$1

	cat <<-EOF
	address add 2001:db8::1/64 dev gw0 nodad
	address add 2001:db8:d1::1/64 dev d1 nodad
	route add 203.0.113.0/24 via 192.0.2.254
	route add 2001:db8:f::/48 via 2001:db8::fe
	route add 10.$k.48.0/24 via 192.0.2.254 proto static
	route add 2001:db8:10$k:31::/64 via 2001:db8::fe proto static
	EOF
}

# rri_route_count NS: how many routes of rri's protocols NS has, all
# tables, both families.
rri_route_count() {
	ip -n "$1" -N -j route show table all |
		jq '[.[] | select(.protocol == "201" or .protocol == "123")] | length'
}

# map_cmds NS: rrictl map add arguments, one map a line, recreating NS's
# maps as map show has them, in order.
# shellcheck disable=SC2016
map_cmds() {
	rrictl_ns "$1" -j map show | jq -r '.[] | [.name,
		(.match | (if .reqid != null then "reqid \(.reqid)" else empty end),
			(if .if_id != null then "if_id \(.if_id)" else empty end),
			(if .mark != null then "mark \(.mark)/\(.mark_mask)" else empty end),
			(if .remote then "remote \(.remote)" else empty end),
			(if .local then "local \(.local)" else empty end),
			(if .family then "family \(.family)" else empty end)),
		"mode \(.mode)",
		(if .nexthop == "gateway" then "nexthop gateway \(.gateway)" +
			(if .dev then " dev \(.dev)" else "" end)
		 elif .nexthop == "dev" then "nexthop dev \(.dev)"
		 else "nexthop peer" end),
		(if .remote_peer then "remote-peer" else empty end),
		(if .vrf then "vrf \(.vrf)" else "table \(.table)" end),
		"metric \(.metric)", (if .tag then "tag \(.tag)" else empty end),
		"proto \(.proto)"] | join(" ")'
}

for k in 1 2 3; do
	if ! topo_gw "${GWS[k]}" "${RTS[k]}" ||
	   ! ip -n "${GWS[k]}" -batch - <<-EOF
		link add d1 type dummy
		address add 100.64.1.1/24 dev d1
		link set d1 up
		link add xfrm7 type xfrm dev gw0 if_id 7
		link set xfrm7 up
		EOF
	then
		fail "topology"
		rri_exit
	fi
	ip -n "${GWS[k]}" -force -batch - <<< "$(underlay_lines "$k")" 2>/dev/null
	# Every slot's policy to peer 0; SAs for half of them.
	ops=
	for ((j = 0; j < N; j++)); do
		slot "$k" "$j" 0
		pol_op
		((j % 2)) || sa_op "$j" 0 0
	done
	ip -n "${GWS[k]}" -batch - <<< "$ops" || fail "g$k: initial policies and SAs"
done
rri_load || { fail "insmod rri.ko"; rri_exit; }
for k in 1 2 3; do
	for i in 7 3 5 0 2 15; do
		map_spec "$k" "$i"
		# shellcheck disable=SC2086
		rrictl_ns "${GWS[k]}" map add "m$i" $spec || fail "g$k: map add m$i $spec"
	done
done
log "# setup took $((SECONDS - t0)) s"
inv_check "before the churn" "${GWS[1]}" "${GWS[2]}" "${GWS[3]}"

# The checker itself must see a divergence: a stray route of rri's
# protocol.
stray=10.$((RANDOM % 200 + 50)).0.0/16
ip -n "${GWS[1]}" route add "$stray" via 192.0.2.254 proto 201
inv_compare "${GWS[1]}"
check_match "the checker sees a stray route of protocol 201" "*unexpected inet 254 $stray 0 via*" \
	"$inv_diff"
ip -n "${GWS[1]}" route del "$stray" via 192.0.2.254 proto 201

# Phase 1: XFRM churn and map churn together.
t=$SECONDS
churn_start 1 2 3
map_churn "$PHASE_S" 1 2 3
churn_stop
log "# phase 1: $(churn_ops_done "${GWS[1]}") + $(churn_ops_done "${GWS[2]}") +" \
	"$(churn_ops_done "${GWS[3]}") XFRM changes, $map_tried map changes" \
	"($map_done accepted) in $((SECONDS - t)) s"
check "phase 1: the maps changed under the churn" test "$map_done" -gt 0
inv_check "phase 1 (XFRM and map churn)" "${GWS[1]}" "${GWS[2]}" "${GWS[3]}"

# Phase 2: links flap under churn (2a), then rri's routes are deleted by
# hand (2b). A catch-all map (last) gives every unowned policy a route to
# lose.
t=$SECONDS
for k in 1 2 3; do
	rrictl_ns "${GWS[k]}" map add m15 2>/dev/null
done
churn_start 1 2 3
for k in 1 2 3; do
	ns=${GWS[k]}
	# Slow: down, a moment (an rrictl call) for rri to react, up.
	ip -n "$ns" link set gw0 down
	ip -n "$ns" link set d1 down
	rrictl_ns "$ns" route show > /dev/null
	ip -n "$ns" link set gw0 up
	ip -n "$ns" link set d1 up
	ip -n "$ns" -force -batch - <<< "$(underlay_lines "$k")" 2>/dev/null
	# Fast: down and up in one go, underlay back at once.
	ip -n "$ns" -force -batch - 2>/dev/null <<-EOF
		link set gw0 down
		link set xfrm7 down
		link set gw0 up
		link set xfrm7 up
		$(underlay_lines "$k")
		EOF
done
map_churn 3 1 2 3
churn_stop
log "# phase 2a: links flapped under churn in $((SECONDS - t)) s"
inv_check "phase 2a (link flaps under churn)" "${GWS[1]}" "${GWS[2]}" "${GWS[3]}"

# Six routes of rri's protocols a namespace, spread over its FIB dump
# (tables, families, next hop kinds, proxies and peers).
t=$SECONDS
deleted=0
for k in 1 2 3; do
	ns=${GWS[k]}
	ip -n "$ns" -N -j route show table all |
		jq -r '[.[] | select(.protocol == "201" or .protocol == "123")] | . as $r |
			[range(0; length; (length / 6 | ceil | if . < 1 then 1 else . end))] |
			.[] | $r[.] | "route del \(.dst) table \(.table // "254")" +
				" metric \(.metric // 0) proto \(.protocol)"' > "$route_tmp/del.$k"
	deleted=$((deleted + $(wc -l < "$route_tmp/del.$k")))
	ip -n "$ns" -force -batch "$route_tmp/del.$k" 2>/dev/null
done
check "phase 2b: rri routes were there to delete by hand" test "$deleted" -gt 0
log "# phase 2b: $deleted routes deleted by hand"
inv_check "phase 2b (routes deleted by hand)" "${GWS[1]}" "${GWS[2]}" "${GWS[3]}"
log "# phase 2b took $((SECONDS - t)) s"

# Phase 3: a namespace goes away while its churn runs.
t=$SECONDS
churn_start 1 2 3
busywait 20000 churned "${GWS[1]}" 20
ns_del "${GWS[1]}"
# shellcheck disable=SC2317 # called by busywait
gone() { ! ip -n "${RTS[1]}" link show rt0 >/dev/null 2>&1; }
check "phase 3: ip netns del under churn: the namespace is dismantled" busywait 60000 gone
map_churn 2 2 3
churn_stop
log "# phase 3 took $((SECONDS - t)) s"
inv_check "phase 3 (a namespace deleted under churn)" "${GWS[2]}" "${GWS[3]}"

# Phase 4: unload under churn, reload, the same maps adopt the policies.
t=$SECONDS
map_cmds "${GWS[2]}" > "$route_tmp/maps.2"
map_cmds "${GWS[3]}" > "$route_tmp/maps.3"
churn_start 2 3
busywait 20000 churned "${GWS[2]}" 20
before=$(churn_ops_done "${GWS[2]}")
check "phase 4: rmmod rri under XFRM churn" rri_unload
check_eq "phase 4: after unload, no route of rri in ${GWS[2]}" 0 "$(rri_route_count "${GWS[2]}")"
check_eq "phase 4: nor in ${GWS[3]}" 0 "$(rri_route_count "${GWS[3]}")"
busywait 20000 churned "${GWS[2]}" $((before + 10))
churn_stop
check_eq "phase 4: the churn went on without the module: still no route of rri" "0 0" \
	"$(rri_route_count "${GWS[2]}") $(rri_route_count "${GWS[3]}")"
rri_load || { fail "insmod rri.ko again"; rri_exit; }
for k in 2 3; do
	while read -r -a words; do
		rrictl_ns "${GWS[k]}" map add "${words[@]}" ||
			fail "phase 4: g$k: map add ${words[*]}"
	done < "$route_tmp/maps.$k"
done
check_eq "phase 4: the maps are back, in order" \
	"$(cat "$route_tmp/maps.2" "$route_tmp/maps.3")" \
	"$(map_cmds "${GWS[2]}"; map_cmds "${GWS[3]}")"
log "# phase 4 took $((SECONDS - t)) s"
inv_check "phase 4 (adoption after reload)" "${GWS[2]}" "${GWS[3]}"

log "# $((SECONDS - t0)) s in all"
rri_exit
