#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rri benchmark. Runs as root inside the test VM (make bench boots it
# with slub_debug off); numbers are reported, never asserted.
#
#   bench/run.sh [-4 "N..."] [-6 "N..."] [-l SAMPLES] [-f ROUTES] [-T SECS]
#                [-c CHILD_SAS] [-a POLICIES] [-s SYNC_SAS] [-k RRI.KO] [-r RUNS]
#
#   -4  IPv4 tunnel counts for the bulk runs   (default "1000 10000 100000")
#   -6  IPv6 tunnel counts                      (default "10000")
#   -l  single SAs timed for the per-event latency (default 200)
#   -f  routes added by one fork+exec each      (default 200)
#   -T  limit for one bulk step, in seconds     (default 1800)
#   -c  child SAs between one pair of gateways for the rekey row
#                                               (default 10000; 0: no row)
#   -a  IPv4 policies+SAs for the adoption and map-change rows
#                                               (default 100000; 0: no rows)
#   -s  tunnels of the stateful failover row (rri-syncd)
#                                               (default 10000; 0: no row)
#   -k  the rri.ko to load                      (default kmod/rri.ko; to
#       compare a variant of the module)
#   -r  runs of each bulk SA batch, with and without a map, alternating;
#       medians are reported                    (default 3, odd)
#
# Rows: per-event latency against fork+exec; the bulk rows (an SA batch for
# N tunnels, against XFRM's own time for it and raw "ip -batch route add";
# re-injection; memory per route); a rekey of every child SA between one
# pair of gateways, with and without a map; adoption ("map add" with the
# policies and SAs present), map changes ("map set", a narrow second
# map) and HA failover (a group holding every route going standby and
# active) with many policies present; stateful failover (rri-syncd's
# stream to the standby for N SAs that all change every second, and the
# takeover of a group of N SAs and routes).
#
# Topology, one pair of namespaces per measurement:
#
#   gw (rri)                                   rt
#   veth0 10.255.0.1/30, fd00:ff::1/64  ---  veth0 10.255.0.2, fd00:ff::2
#   underlay: 100.64.0.0/10 and fd00:1::/64 (the tunnel endpoints) via rt
#
# Tunnel i (1..N) has its own peer, 100.64.0.0+p(i) (fd00:1::<p(i)>), and
# remote proxy, 172.16.0.0+i/32 (fd00:2:<i>::/64). Its outbound policy is
#   src 10.0.0.0/16 (fd00:aa::/48) dst PROXY_i dir out
#   tmpl src GW dst PEER_i proto esp reqid i mode tunnel
# and its SA matches it (reqid i, spi 0x10000+i, rfc4106(gcm(aes))). The
# map has no match key: it selects every policy. rri routes PROXY_i via
# 10.255.0.2 dev veth0 proto 201, which is also what the baselines add.
#
# p(i) = i * 40503 mod 2^22 scatters the peers: XFRM hashes an SA by
# (destination + source) XOR reqid, so with reqid i and peer 100.64.0.0+i
# the two cancel and every SA lands in a handful of buckets; each SA insert
# (__find_acq_core) and each lookup rri makes for an SA event
# (xfrm_stateonly_find) then walks a chain of thousands. IKE daemons hand
# out reqids in sequence, unrelated to the peers' addresses.
#
# The child-SA row puts -c tunnels (proxy 172.16.0.0+i/32, reqid i) behind
# ONE peer, 100.64.0.1, one SA each (spi 2^20 + i), as one IKE SA with
# many child SAs between two gateways does; then rekeys all of them in one
# "ip -batch": a new SA (spi g * 2^20 + i) for every reqid, then the old
# ones deleted. The last line of that batch adds the SA of a sentinel
# policy (192.168.255.r/32, reqid 1000000+r): rri applies events in order,
# so the sentinel's route shows when rri has applied the whole rekey. The
# same batches run in a namespace without a map (XFRM's own time). Three
# rekeys, medians; every route notification of protocol 201 other than the
# sentinels' is counted (none is expected: a rekey keeps every route).
#
# The adoption rows reuse the namespace of the bulk row's control step
# when -a is one of the -4 counts (the policies and SAs are already there,
# without a map), else build one. One more policy+SA, 10.0.0.0/16 ->
# 192.168.0.1/32 (reqid 2000000), lies outside "map add all remote
# 172.16.0.0/12". Timed: that map add until its Nth route is notified;
# "map set all metric 5" (every route is re-derived: N added with metric 5,
# N removed); then a second map, "remote 192.168.0.1/32", that selects only
# the extra policy, against the same map add in a namespace holding only
# that policy and a map add that selects nothing among the N+1 (what the
# walk of XFRM's policies costs). The raw baselines run in a namespace of
# their own: "ip -batch route add" of the N routes, then one "ip -batch"
# that adds them with metric 5 and deletes the metric-0 ones (a metric is
# part of a route's key: "route replace" cannot change it).
#
# Times come from build/bench/rri-bench (bench/rri-bench.c), which listens
# to the namespace's route notifications instead of polling the FIB; the
# raw baseline is timed the same way, so both pay its wakeup per route and
# the start-up of "ip" (tens to hundreds of ms under TCG).
#
# XFRM files policies whose selector is shorter than the hash thresholds
# (32/32 and 128/128 by default) on one "inexact" list that every insert
# walks: 100k such policies take hours under TCG. The gateways therefore set
# "ip xfrm policy set hthresh4 16 32 hthresh6 48 64", as a gateway with many
# tunnels would, so these policies are hashed.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RRICTL=$TOP/tools/rrictl/rrictl
RRI_KO=$TOP/kmod/rri.ko
HELPER=$TOP/build/bench/rri-bench
W=/tmp/rri-bench
PROTO=201
AEAD_KEY=0x0102030405060708090a0b0c0d0e0f1011121314

v4_counts="1000 10000 100000"
v6_counts="10000"
lat_samples=200
fork_routes=200
step_timeout=1800
child_count=10000
adopt_count=100000
sync_count=10000
bulk_runs=3
SYNCD=$TOP/tools/rri-syncd/rri-syncd
SYNC_ROUNDS=10

while getopts "4:6:l:f:T:c:a:s:k:r:" opt; do
	case $opt in
	4) v4_counts=$OPTARG ;;
	6) v6_counts=$OPTARG ;;
	l) lat_samples=$OPTARG ;;
	f) fork_routes=$OPTARG ;;
	T) step_timeout=$OPTARG ;;
	c) child_count=$OPTARG ;;
	a) adopt_count=$OPTARG ;;
	s) sync_count=$OPTARG ;;
	k) RRI_KO=$(realpath "$OPTARG") ;;
	r) bulk_runs=$OPTARG ;;
	*) sed -n '/^#   bench/,/^#       compare/s/^# *//p' "$0" >&2; exit 2 ;;
	esac
done

t_start=$EPOCHREALTIME
netns=()

say() { printf '%s\n' "$*"; }
# Seconds since the start, for the progress lines.
stamp() { printf '[%7.1fs]' "$(bc <<< "$EPOCHREALTIME - $t_start")"; }
progress() { say "$(stamp) $*"; }
die() { say "bench: $*" >&2; exit 1; }

now_us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }

# kv KEY TEXT: the value of KEY=... in TEXT.
kv() { sed -n "s/^$1=//p" <<< "$2" | head -n 1; }

# fdiv A B [SCALE]: A / B (bc expressions) with SCALE decimals (default 1),
# or "-" if either is missing or B is 0.
fdiv() {
	local r
	r=$(bc -l <<< "($1) / ($2)" 2>/dev/null)
	[ -n "$r" ] || { echo -; return; }
	printf "%.${3:-1}f" "$r"
}

cleanup() {
	local ns
	for ns in "${netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT

# ---------------------------------------------------------------- topology

ns_new() {
	ip netns add "$1" || die "cannot create netns $1"
	ip -n "$1" link set lo up
	netns+=("$1")
}

# topo NS: NS and NS-rt joined by a veth, the underlay toward the peers
# through NS-rt, and the XFRM hash thresholds the policies need.
topo() {
	local ns=$1 rt=$1-rt
	ns_new "$ns"
	ns_new "$rt"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip netns exec "$rt" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip -n "$ns" link add veth0 type veth peer name veth0 netns "$rt"
	ip -n "$ns" addr add 10.255.0.1/30 dev veth0
	ip -n "$ns" addr add fd00:ff::1/64 dev veth0 nodad
	ip -n "$rt" addr add 10.255.0.2/30 dev veth0
	ip -n "$rt" addr add fd00:ff::2/64 dev veth0 nodad
	ip -n "$ns" link set veth0 up
	ip -n "$rt" link set veth0 up
	ip -n "$ns" route add 100.64.0.0/10 via 10.255.0.2 dev veth0
	ip -n "$ns" route add fd00:1::/64 via fd00:ff::2 dev veth0
	ip -n "$ns" xfrm policy set hthresh4 16 32 hthresh6 48 64
}

# topo_done NS: empty NS's XFRM tables and routes, then let the memory
# settle. The namespaces themselves stay until the end: a namespace's
# teardown runs for seconds in the background under TCG, holds the RTNL
# lock in between, and would land in the next measurement.
topo_done() {
	ip -n "$1" xfrm state flush
	ip -n "$1" xfrm policy flush
	ip -n "$1" route flush proto "$PROTO"
	settle
}

# ------------------------------------------------------------- batch files

# gen FAMILY FIRST LAST KIND: lines for tunnels FIRST..LAST. KIND is policy
# or sa (ip -batch), route (ip -batch route add), cmd (ip route add, one
# command a line) or lat (rri-bench lat).
gen() {
	awk -v fam="$1" -v first="$2" -v last="$3" -v kind="$4" -v key="$AEAD_KEY" '
	function ip4(x) {
		return sprintf("%d.%d.%d.%d", int(x / 16777216) % 256,
			       int(x / 65536) % 256, int(x / 256) % 256, x % 256)
	}
	BEGIN {
		for (i = first; i <= last; i++) {
			# Peer addresses scattered over 2^22: see the note on
			# reqids at the top.
			p = (i * 40503) % 4194304
			if (fam == 4) {
				gw = "10.255.0.1"; nh = "10.255.0.2"
				local = "10.0.0.0/16"
				peer = ip4(1681915904 + p)		# 100.64.0.0 + p
				proxy = ip4(2886729728 + i) "/32"	# 172.16.0.0 + i
			} else {
				gw = "fd00:ff::1"; nh = "fd00:ff::2"
				local = "fd00:aa::/48"
				peer = sprintf("fd00:1::%x:%x", int(p / 65536), p % 65536)
				proxy = sprintf("fd00:2:%x:%x::/64", int(i / 65536), i % 65536)
			}
			spi = sprintf("0x%x", 65536 + i)
			if (kind == "policy")
				printf "xfrm policy add src %s dst %s dir out tmpl src %s dst %s proto esp reqid %d mode tunnel\n", local, proxy, gw, peer, i
			else if (kind == "sa")
				printf "xfrm state add src %s dst %s proto esp spi %s reqid %d mode tunnel aead rfc4106(gcm(aes)) %s 128\n", gw, peer, spi, i, key
			else if (kind == "route")
				printf "route add %s via %s dev veth0 proto %d\n", proxy, nh, '"$PROTO"'
			else if (kind == "cmd")
				printf "ip route add %s via %s dev veth0 proto %d\n", proxy, nh, '"$PROTO"'
			else if (kind == "lat")
				printf "%s %s %s %d %s\n", gw, peer, spi, i, proxy
		}
	}'
}

# The one peer of the child-SA row, and the tunnel outside the adoption
# row's first map.
CHILD_PEER=100.64.0.1
EXTRA_PROXY=192.168.0.1/32
EXTRA_REQID=2000000

# gen_child FIRST LAST KIND [GEN]: lines (ip -batch) for child SAs FIRST..LAST
# between the gateway and CHILD_PEER: the proxies and reqids of gen's IPv4
# tunnels, one peer. KIND is policy, sa (generation GEN, default 1: spi
# GEN * 2^20 + i) or del (delete generation GEN's SA).
gen_child() {
	awk -v first="$1" -v last="$2" -v kind="$3" -v g="${4:-1}" -v key="$AEAD_KEY" \
	    -v peer="$CHILD_PEER" '
	function ip4(x) {
		return sprintf("%d.%d.%d.%d", int(x / 16777216) % 256,
			       int(x / 65536) % 256, int(x / 256) % 256, x % 256)
	}
	BEGIN {
		gw = "10.255.0.1"
		for (i = first; i <= last; i++) {
			proxy = ip4(2886729728 + i) "/32"	# 172.16.0.0 + i
			spi = sprintf("0x%x", g * 1048576 + i)
			if (kind == "policy")
				printf "xfrm policy add src 10.0.0.0/16 dst %s dir out tmpl src %s dst %s proto esp reqid %d mode tunnel\n", proxy, gw, peer, i
			else if (kind == "sa")
				printf "xfrm state add src %s dst %s proto esp spi %s reqid %d mode tunnel aead rfc4106(gcm(aes)) %s 128\n", gw, peer, spi, i, key
			else if (kind == "del")
				printf "xfrm state delete src %s dst %s proto esp spi %s\n", gw, peer, spi
		}
	}'
}

# gen_one KIND PROXY REQID SPI PEER: one tunnel's policy or sa line.
gen_one() {
	case $1 in
	policy) echo "xfrm policy add src 10.0.0.0/16 dst $2 dir out tmpl src 10.255.0.1 dst $5 proto esp reqid $3 mode tunnel" ;;
	sa) echo "xfrm state add src 10.255.0.1 dst $5 proto esp spi $4 reqid $3 mode tunnel aead rfc4106(gcm(aes)) $AEAD_KEY 128" ;;
	esac
}

# The sentinel of rekey R: its own policy (192.168.255.R/32) to CHILD_PEER.
sentinel_prefix() { echo "192.168.255.$1/32"; }
gen_sentinel() {
	gen_one "$1" "$(sentinel_prefix "$2")" $((1000000 + $2)) \
		"$(printf 0x%x $((0x7f000000 + $2)))" "$CHILD_PEER"
}

# ------------------------------------------------------------------ memory

meminfo_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# Wait until MemFree holds still (within 256 kB for half a second; at most
# 10 s): rhashtable resizes and RCU frees finish in the background.
settle() {
	local a b _
	a=$(meminfo_kb MemFree)
	for _ in $(seq 20); do
		sleep 0.5
		b=$(meminfo_kb MemFree)
		[ $(( a > b ? a - b : b - a )) -lt 256 ] && return 0
		a=$b
	done
}

# snap: "MemFree SUnreclaim VmallocUsed" in kB.
snap() {
	settle
	echo "$(meminfo_kb MemFree) $(meminfo_kb SUnreclaim) $(meminfo_kb VmallocUsed)"
}

# unreclaimed A B: kB of SUnreclaim + VmallocUsed that snap B has over A.
unreclaimed() {
	local a a2 b b2
	read -r _ a a2 <<< "$1"
	read -r _ b b2 <<< "$2"
	echo $(( b + b2 - a - a2 ))
}

# median NUMBER...: the middle one (of an odd count).
median() {
	printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

# Memory figures are taken this many times and the median kept: a single
# reading moves by tens of bytes a route with what the allocators cache.
MEM_RUNS=3

# Bytes one object of slab cache NAME takes, its slab's waste included.
slab_obj_bytes() {
	local d=/sys/kernel/slab/$1
	[ -d "$d" ] || { echo 0; return; }
	echo $(( (4096 << $(cat "$d/order")) / $(cat "$d/objs_per_slab") ))
}

# The cache NAME's objects live in: itself, or the cache it was merged with.
slab_where() {
	local l
	l=$(readlink "/sys/kernel/slab/$1" 2>/dev/null) || { echo "$1"; return; }
	echo "merged:${l##*/}"
}

# Bytes of the rri_* caches according to /proc/slabinfo (only the caches
# not merged with another one are listed there).
slabinfo_rri_bytes() {
	awk '$1 ~ /^rri_/ { s += $3 * $4 } END { print s + 0 }' /proc/slabinfo
}

# slab_top FILE_A FILE_B: the caches of /proc/slabinfo that grew most from
# copy A to copy B, as "name +kB" (a merged cache shows under one name).
slab_top() {
	awk 'FNR == 1 { f++ } $1 !~ /^#|^slabinfo/ {
		b = $3 * $4; if (f == 1) a[$1] = b; else d[$1] = b - a[$1] }
	END { for (c in d) if (d[c] > 0) printf "%d %s\n", d[c], c }' "$1" "$2" |
		sort -rn | head -n 5 | awk '{ printf "%s +%dkB ", $2, $1 / 1024 }'
}

# ------------------------------------------------------------------- steps

rrictl_json() { "$RRICTL" -j "$@"; }
# map_field_of NS MAP FIELD, map_field NS FIELD (of the map "bench").
map_field_of() { rrictl_json -n "$1" map show "$2" | jq -r "if type == \"array\" then .[0] else . end | .$3 // 0"; }
map_field() { map_field_of "$1" bench "$2"; }
stat_field() { rrictl_json -n "$1" stats | jq -r ".$2 // 0"; }
fib_count() {
	ip -n "$1" -"$2" route show table main proto "$PROTO" | wc -l
}

# timed_us COMMAND...: run it, print its wall time in microseconds.
timed_us() {
	local t0 t1
	t0=$(now_us)
	"$@" >/dev/null || return 1
	t1=$(now_us)
	echo $((t1 - t0))
}

# busywait_fib0 NS FAMILY: wait (at most 5 minutes) until NS holds no
# route of rri's protocol.
busywait_fib0() {
	local _
	for _ in $(seq 3000); do
		[ "$(fib_count "$1" "$2")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

declare -A R	# results, keyed "FAMILY/N/what"
rows=()

# bulk FAMILY N: the SA batch against rri, memory, the raw batch baseline.
bulk() {
	local fam=$1 n=$2 key=$1/$2 gw=gw$1x$2 raw=raw$1x$2 base=base$1x$2 d=$W/$1x$2
	local inet=inet${1/4/} out us a b c0 c1 rroute rpol

	mkdir -p "$d"
	progress "v$fam N=$n: generating batch files"
	gen "$fam" 1 "$n" policy > "$d/policies"
	gen "$fam" 1 "$n" sa > "$d/sas"
	gen "$fam" 1 "$n" route > "$d/routes"

	topo "$gw"
	us=$(timed_us ip -n "$gw" -batch "$d/policies") || die "policy batch failed"
	R[$key/pol_ms]=$(fdiv "$us" 1000)
	progress "v$fam N=$n: $n policies in ${R[$key/pol_ms]} ms ($(fdiv "$us" "$n") us each)"
	"$RRICTL" -n "$gw" map add bench || die "map add failed"
	progress "v$fam N=$n: map bench owns $(map_field "$gw" policies) policies, $(map_field "$gw" routes) routes (no SA yet)"

	# Control: the same policies and SA batch in a namespace with no map:
	# what XFRM costs by itself (rri's hook only counts the events there).
	topo "$base"
	ip -n "$base" -batch "$d/policies" || die "policy batch failed"

	# The measured event: the SA batch, to the Nth route notified; and
	# the control batch before each, $bulk_runs times, medians kept (one
	# run of either moves by 10% and more under TCG). Between runs the
	# SAs go again (rri withdraws the routes) and memory settles.
	local sas=() rris=() lags=() bases=() r
	for r in $(seq "$bulk_runs"); do
		if ((r > 1)); then
			ip -n "$base" xfrm state flush
			ip -n "$gw" xfrm state flush
			busywait_fib0 "$gw" "$fam" || die "rri kept routes after the SAs went"
		fi
		settle
		out=$(ip netns exec "$base" "$HELPER" bulk 0 "$inet" "$PROTO" "$step_timeout" \
			-- ip -batch "$d/sas")
		bases+=("$(kv exit_us "$out")")
		progress "v$fam N=$n: run $r: control SA batch (no map) returned after $(fdiv "$(kv exit_us "$out")" 1000) ms (rc=$(kv rc "$out"))"
		"$RRICTL" -n "$gw" stats reset
		settle
		out=$(ip netns exec "$gw" "$HELPER" bulk "$n" "$inet" "$PROTO" "$step_timeout" \
			-- ip -batch "$d/sas")
		sas+=("$(kv exit_us "$out")")
		rris+=("$(kv routes_us "$out")")
		lags+=("$(( $(kv routes_us "$out") - $(kv exit_us "$out") ))")
		progress "v$fam N=$n: run $r: SA batch (measured) returned after $(fdiv "$(kv exit_us "$out")" 1000) ms, route $n at $(fdiv "$(kv routes_us "$out")" 1000) ms"
	done
	R[$key/base_ms]=$(fdiv "$(median "${bases[@]}")" 1000)
	R[$key/base_spread]="$(fdiv "$(printf '%s\n' "${bases[@]}" | sort -n | head -1)" 1000)..$(fdiv "$(printf '%s\n' "${bases[@]}" | sort -n | tail -1)" 1000)"
	R[$key/sa_ms]=$(fdiv "$(median "${sas[@]}")" 1000)
	R[$key/rri_ms]=$(fdiv "$(median "${rris[@]}")" 1000)
	R[$key/rri_spread]="$(fdiv "$(printf '%s\n' "${rris[@]}" | sort -n | head -1)" 1000)..$(fdiv "$(printf '%s\n' "${rris[@]}" | sort -n | tail -1)" 1000)"
	R[$key/lag_ms]=$(fdiv "$(median "${lags[@]}")" 1000)
	R[$key/first_ms]=$(fdiv "$(kv first_us "$out")" 1000)
	R[$key/overflow]=$(kv overflow "$out")
	R[$key/fib]=$(fib_count "$gw" "$fam")
	R[$key/route_add]=$(stat_field "$gw" route_add)
	R[$key/route_error]=$(stat_field "$gw" route_error)
	R[$key/dropped]=$(stat_field "$gw" events_dropped)
	progress "v$fam N=$n: medians of $bulk_runs: control ${R[$key/base_ms]} ms (${R[$key/base_spread]}); SA batch returned after ${R[$key/sa_ms]} ms, route $n at ${R[$key/rri_ms]} ms (${R[$key/rri_spread]}); last run: first route at ${R[$key/first_ms]} ms (rc=$(kv rc "$out") overflow=${R[$key/overflow]}); FIB holds ${R[$key/fib]} proto $PROTO routes; stats route_add ${R[$key/route_add]} route_error ${R[$key/route_error]} events_dropped ${R[$key/dropped]}"
	[ "$(kv routes "$out")" -ge "$n" ] 2>/dev/null ||
		say "bench: v$fam N=$n: only $(kv routes "$out") of $n routes within ${step_timeout}s"

	# Memory: withdraw everything (map del), then adopt it again (map add):
	# what rri holds for N routes is the difference, less the FIB's own.
	# Each time; the medians are kept.
	local dels=() adopts=() rises=() i
	for i in $(seq "$MEM_RUNS"); do
		us=$(timed_us "$RRICTL" -n "$gw" map del bench)
		dels+=("$us")
		a=$(snap)
		R[$key/slabinfo_a]=$(slabinfo_rri_bytes)
		cat /proc/slabinfo > "$d/slabinfo.a"
		us=$(timed_us "$RRICTL" -n "$gw" map add bench)
		adopts+=("$us")
		b=$(snap)
		R[$key/slabinfo_b]=$(slabinfo_rri_bytes)
		cat /proc/slabinfo > "$d/slabinfo.b"
		rises+=("$(unreclaimed "$a" "$b")")
	done
	R[$key/del_ms]=$(fdiv "$(median "${dels[@]}")" 1000)
	R[$key/adopt_ms]=$(fdiv "$(median "${adopts[@]}")" 1000)
	R[$key/rise_kb]=$(median "${rises[@]}")
	R[$key/slab_top]=$(slab_top "$d/slabinfo.a" "$d/slabinfo.b")
	rroute=$(map_field "$gw" routes)
	rpol=$(map_field "$gw" policies)
	R[$key/adopt_fib]=$(fib_count "$gw" "$fam")
	progress "v$fam N=$n: map del (withdraw $n routes) ${R[$key/del_ms]} ms; map add (adopt $rpol policies, $rroute routes; FIB holds ${R[$key/adopt_fib]}) ${R[$key/adopt_ms]} ms"
	R[$key/slab_B]=$(fdiv "$(( rroute * $(slab_obj_bytes rri_route) + rpol * $(slab_obj_bytes rri_policy) ))" "$rroute" 0)
	R[$key/slabinfo_B]=$(fdiv "$(( R[$key/slabinfo_b] - R[$key/slabinfo_a] ))" "$rroute" 0)
	R[$key/a]=$a
	R[$key/b]=$b

	# Leave nothing behind that would slow the next steps down.
	"$RRICTL" -n "$gw" map del bench
	topo_done "$gw"

	# The same routes through ip -batch, in a namespace of their own.
	topo "$raw"
	c0=$(snap)
	progress "v$fam N=$n: raw ip -batch route add"
	out=$(ip netns exec "$raw" "$HELPER" bulk "$n" "$inet" "$PROTO" "$step_timeout" \
		-- ip -batch "$d/routes")
	c1=$(snap)
	R[$key/raw_ms]=$(fdiv "$(kv routes_us "$out")" 1000)
	R[$key/raw_exit_ms]=$(fdiv "$(kv exit_us "$out")" 1000)
	progress "v$fam N=$n: raw batch returned after ${R[$key/raw_exit_ms]} ms, route $n at ${R[$key/raw_ms]} ms (rc=$(kv rc "$out")); FIB holds $(fib_count "$raw" "$fam")"
	# The FIB's own memory for the routes, as often as rri's.
	local fibs=("$(unreclaimed "$c0" "$c1")")
	for i in $(seq 2 "$MEM_RUNS"); do
		ip -n "$raw" -"$fam" route flush proto "$PROTO"
		c0=$(snap)
		ip -n "$raw" -batch "$d/routes" || die "route batch failed"
		c1=$(snap)
		fibs+=("$(unreclaimed "$c0" "$c1")")
	done
	R[$key/fib_kb]=$(median "${fibs[@]}")
	topo_done "$raw"

	if [ "$fam" = 4 ] && [ "$n" = "$adopt_count" ]; then
		# Its policies and SAs, without a map, are what the adoption
		# rows need: they take it over.
		SCALE_NS=$base
		progress "v$fam N=$n: namespace $base kept for the adoption rows"
	else
		topo_done "$base"
	fi

	# kB -> bytes per route. SUnreclaim counts slab objects and kmalloc()s
	# too big for a slab (rhashtable bucket arrays), VmallocUsed the
	# vmalloc()ed ones; MemFree sees everything but moves by megabytes
	# with the per-CPU page lists.
	set -- $a; local a_free=$1 a_sun=$2 a_vm=$3
	set -- $b; local b_free=$1 b_sun=$2 b_vm=$3
	set -- $c0; local c0_free=$1 c0_sun=$2 c0_vm=$3
	set -- $c1; local c1_free=$1 c1_sun=$2 c1_vm=$3
	R[$key/fib_B]=$(fdiv "$(( R[$key/fib_kb] * 1024 ))" "$n" 0)
	R[$key/total_B]=$(fdiv "$(( (R[$key/rise_kb] - R[$key/fib_kb]) * 1024 ))" "$n" 0)
	R[$key/memfree_B]=$(fdiv "$(( ((a_free - b_free) - (c0_free - c1_free)) * 1024 ))" "$n" 0)
	progress "v$fam N=$n: memory per route: rri slab objects ${R[$key/slab_B]} B; (SUnreclaim+VmallocUsed rise at map add - FIB's) ${R[$key/total_B]} B; (MemFree drop - FIB's) ${R[$key/memfree_B]} B; FIB alone ${R[$key/fib_B]} B"

	rm -rf "$d"
	rows+=("$key")
}

# latency: single SAs, one at a time, each timed to its route's notification.
latency() {
	local n=$lat_samples ns=lat d=$W/lat out
	mkdir -p "$d"
	gen 4 1 "$n" policy > "$d/policies"
	gen 4 1 "$n" lat > "$d/lat"
	topo "$ns"
	ip -n "$ns" -batch "$d/policies" || die "policy batch failed"
	"$RRICTL" -n "$ns" map add bench || die "map add failed"
	progress "latency: $n single SAs, each timed from its XFRM_MSG_NEWSA to its route's RTM_NEWROUTE"
	out=$(ip netns exec "$ns" "$HELPER" lat "$d/lat" "$d/samples")
	for k in sa_us route_us after_us; do
		for p in p50 p90 p99 max mean; do
			R[lat/${k}_$p]=$(kv "${k}_$p" "$out")
		done
	done
	R[lat/n]=$(kv route_us_n "$out")
	R[lat/failed]=$(kv failed "$out")
	progress "latency: SA add p50 ${R[lat/sa_us_p50]} us; SA add -> route p50 ${R[lat/route_us_p50]} us, p99 ${R[lat/route_us_p99]} us (${R[lat/n]} samples, ${R[lat/failed]} failed)"
	"$RRICTL" -n "$ns" map del bench
	topo_done "$ns"
}

# forkexec: the updown-script pattern, one "ip route add" process a route.
forkexec() {
	local n=$fork_routes ns=fx d=$W/fx out
	mkdir -p "$d"
	gen 4 1 "$n" cmd > "$d/cmds"
	topo "$ns"
	progress "fork/exec: $n x 'ip route add', one process each"
	out=$(ip netns exec "$ns" "$HELPER" each "$d/cmds")
	for p in p50 p90 p99 max mean; do
		R[fx/$p]=$(kv "each_us_$p" "$out")
	done
	R[fx/n]=$(kv each_us_n "$out")
	R[fx/fib]=$(fib_count "$ns" 4)
	progress "fork/exec: p50 ${R[fx/p50]} us, p99 ${R[fx/p99]} us, mean ${R[fx/mean]} us a route (${R[fx/n]} routes, FIB holds ${R[fx/fib]})"
	topo_done "$ns"
}

# Rekeys timed in the child-SA row, narrow map adds in the map-change row
# (medians are reported).
REKEY_RUNS=3
NARROW_RUNS=5
# Failovers timed (standby, then active again), rri and raw alike.
FAILOVER_RUNS=3

# stat_line NS: "route_add route_del events_dropped resync" of NS.
stat_line() {
	rrictl_json -n "$1" stats |
		jq -r '"\(.route_add // 0) \(.route_del // 0) \(.events_dropped // 0) \(.resync // 0)"'
}

# childsa: child_count child SAs between one pair of gateways, then rekeys
# of all of them, with a map (cs) and without (csb).
childsa() {
	local n=$child_count ns=cs base=csb d=$W/child out us r s0 x
	local base_v=() ip_v=() rri_v=() added=0 deleted=0 rt_add=0 rt_del=0 dropped=0 resync=0
	local a0 d0 e0 y0 a1 d1 e1 y1

	mkdir -p "$d"
	progress "child SAs: $n between one pair of gateways: generating batch files"
	{
		gen_child 1 "$n" policy
		for r in $(seq "$REKEY_RUNS"); do
			gen_sentinel policy "$r"
		done
	} > "$d/policies"
	gen_child 1 "$n" sa 1 > "$d/sas"
	for r in $(seq "$REKEY_RUNS"); do
		{
			gen_child 1 "$n" sa $((r + 1))
			gen_child 1 "$n" del "$r"
			gen_sentinel sa "$r"
		} > "$d/rekey.$r"
	done

	topo "$ns"
	topo "$base"
	us=$(timed_us ip -n "$ns" -batch "$d/policies") || die "policy batch failed"
	progress "child SAs: $n policies to one peer in $(fdiv "$us" 1000) ms"
	ip -n "$base" -batch "$d/policies" || die "policy batch failed"
	"$RRICTL" -n "$ns" map add bench || die "map add failed"

	# The first SAs, not the measurement: both namespaces the same.
	out=$(ip netns exec "$ns" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
		-- ip -batch "$d/sas")
	R[cs/setup_ip_ms]=$(fdiv "$(kv exit_us "$out")" 1000)
	R[cs/setup_rri_ms]=$(fdiv "$(kv routes_us "$out")" 1000)
	out=$(ip netns exec "$base" "$HELPER" bulk 0 inet "$PROTO" "$step_timeout" \
		-- ip -batch "$d/sas")
	R[cs/setup_base_ms]=$(fdiv "$(kv exit_us "$out")" 1000)
	R[cs/fib0]=$(fib_count "$ns" 4)
	progress "child SAs: $n SAs: without map ${R[cs/setup_base_ms]} ms; with map 'ip' returned after ${R[cs/setup_ip_ms]} ms, route $n at ${R[cs/setup_rri_ms]} ms; FIB holds ${R[cs/fib0]}; map owns $(map_field "$ns" policies) policies, $(map_field "$ns" routes) routes"

	for r in $(seq "$REKEY_RUNS"); do
		read -r a0 d0 e0 y0 <<< "$(stat_line "$ns")"
		s0=$(sentinel_prefix "$r")
		out=$(ip netns exec "$ns" "$HELPER" bulk 0 inet "$PROTO" "$step_timeout" \
			-s "$s0" -g 1000 -- ip -batch "$d/rekey.$r")
		read -r a1 d1 e1 y1 <<< "$(stat_line "$ns")"
		ip_v+=("$(kv exit_us "$out")")
		rri_v+=("$(kv sentinel_us "$out")")
		# Route notifications other than the sentinel's, and rri's
		# own counters (less the sentinel's route).
		added=$(( added + $(kv routes "$out") ))
		x=$(kv deleted "$out")	# -1: the listener overflowed
		if [ "$deleted" != - ] && [ "$x" -ge 0 ] 2>/dev/null; then
			deleted=$(( deleted + x ))
		else
			deleted=-
		fi
		rt_add=$(( rt_add + a1 - a0 - 1 ))
		rt_del=$(( rt_del + d1 - d0 ))
		dropped=$(( dropped + e1 - e0 ))
		resync=$(( resync + y1 - y0 ))
		progress "child SAs: rekey $r with map: 'ip' returned after $(fdiv "$(kv exit_us "$out")" 1000) ms, rri done (sentinel route) at $(fdiv "$(kv sentinel_us "$out")" 1000) ms (rc=$(kv rc "$out") overflow=$(kv overflow "$out")); route notifications: $(kv routes "$out") added, $(kv deleted "$out") deleted; stats: route_add +$(( a1 - a0 )) (1 the sentinel's) route_del +$(( d1 - d0 )) events_dropped +$(( e1 - e0 )) resync +$(( y1 - y0 ))"

		out=$(ip netns exec "$base" "$HELPER" bulk 0 inet "$PROTO" "$step_timeout" \
			-- ip -batch "$d/rekey.$r")
		base_v+=("$(kv exit_us "$out")")
		progress "child SAs: rekey $r without map: 'ip' returned after $(fdiv "$(kv exit_us "$out")" 1000) ms (rc=$(kv rc "$out"))"
	done
	R[cs/base_ms]=$(fdiv "$(median "${base_v[@]}")" 1000)
	R[cs/ip_ms]=$(fdiv "$(median "${ip_v[@]}")" 1000)
	R[cs/rri_ms]=$(fdiv "$(median "${rri_v[@]}")" 1000)
	R[cs/added]=$added
	R[cs/deleted]=$deleted
	R[cs/rt_add]=$rt_add
	R[cs/rt_del]=$rt_del
	R[cs/dropped]=$dropped
	R[cs/resync]=$resync
	R[cs/fib]=$(fib_count "$ns" 4)
	R[cs/n]=$n
	progress "child SAs: FIB holds ${R[cs/fib]} proto $PROTO routes after the rekeys ($n + $REKEY_RUNS sentinels expected); XFRM: $(ip -n "$ns" xfrm state count | xargs)"

	"$RRICTL" -n "$ns" map del bench
	topo_done "$ns"
	topo_done "$base"
	rm -rf "$d"
}

# scale: adoption and map changes with adopt_count policies+SAs present.
scale() {
	local n=$adopt_count ns raw=scraw fl=scfloor d=$W/scale out us
	local none_v=() narrow_v=() floor_v=() standby_v=() active_v=() classic_v=() extra
	local raw_del_v=() raw_add_v=()

	mkdir -p "$d"
	gen 4 1 "$n" route > "$d/routes"
	# The raw map change: every route added with metric 5, then the
	# metric-0 ones deleted (a metric is part of the key).
	{
		sed 's/$/ metric 5/' "$d/routes"
		sed 's/^route add /route del /' "$d/routes"
	} > "$d/change"
	{
		gen_one policy "$EXTRA_PROXY" "$EXTRA_REQID" 0x7e000001 "$CHILD_PEER"
		gen_one sa "$EXTRA_PROXY" "$EXTRA_REQID" 0x7e000001 "$CHILD_PEER"
	} > "$d/extra"

	if [ -n "${SCALE_NS:-}" ]; then
		ns=$SCALE_NS
		progress "adoption: N=$n: the policies and SAs of $ns (the bulk row's control)"
	else
		ns=sc
		topo "$ns"
		progress "adoption: N=$n: $n policies and SAs (setup)"
		gen 4 1 "$n" policy > "$d/policies"
		gen 4 1 "$n" sa > "$d/sas"
		us=$(timed_us ip -n "$ns" -batch "$d/policies") || die "policy batch failed"
		progress "adoption: N=$n: $n policies in $(fdiv "$us" 1000) ms"
		us=$(timed_us ip -n "$ns" -batch "$d/sas") || die "SA batch failed"
		progress "adoption: N=$n: $n SAs in $(fdiv "$us" 1000) ms"
	fi
	ip -n "$ns" -batch "$d/extra" || die "extra policy failed"
	settle

	# Adoption: the map comes with N policies and SAs present.
	progress "adoption: N=$n: 'rrictl map add all remote 172.16.0.0/12' (measured)"
	out=$(ip netns exec "$ns" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
		-- "$RRICTL" map add all remote 172.16.0.0/12)
	R[sc/adopt_exit_ms]=$(fdiv "$(kv exit_us "$out")" 1000)
	R[sc/adopt_ms]=$(fdiv "$(kv routes_us "$out")" 1000)
	R[sc/adopt_fib]=$(fib_count "$ns" 4)
	progress "adoption: N=$n: rrictl returned after ${R[sc/adopt_exit_ms]} ms, route $n at ${R[sc/adopt_ms]} ms (rc=$(kv rc "$out") overflow=$(kv overflow "$out")); FIB holds ${R[sc/adopt_fib]}; map all owns $(map_field_of "$ns" all policies) policies, $(map_field_of "$ns" all routes) routes"
	settle

	# Every route re-derived: N added with metric 5, N removed.
	progress "map change: N=$n: 'rrictl map set all metric 5' (measured)"
	out=$(ip netns exec "$ns" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
		-- "$RRICTL" map set all metric 5)
	R[sc/set_exit_ms]=$(fdiv "$(kv exit_us "$out")" 1000)
	R[sc/set_routes_ms]=$(fdiv "$(kv routes_us "$out")" 1000)
	R[sc/set_ms]=$(fdiv "$(bc <<< "x = $(kv exit_us "$out"); y = $(kv routes_us "$out"); if (y > x) x = y; x")" 1000)
	R[sc/set_fib]=$(fib_count "$ns" 4)
	R[sc/set_fib5]=$(ip -n "$ns" -4 route show table main proto "$PROTO" | grep -c ' metric 5')
	progress "map change: N=$n: rrictl returned after ${R[sc/set_exit_ms]} ms, route $n with metric 5 at ${R[sc/set_routes_ms]} ms, $(kv deleted "$out") routes deleted (rc=$(kv rc "$out") overflow=$(kv overflow "$out")); FIB holds ${R[sc/set_fib]}, ${R[sc/set_fib5]} with metric 5"
	settle

	# A narrow second map: one policy that no map owns yet. Against the
	# same in a namespace of that one policy, and against a map that
	# selects nothing here (the walk of XFRM's policies alone).
	topo "$fl"
	ip -n "$fl" -batch "$d/extra" || die "extra policy failed"
	for _ in $(seq "$NARROW_RUNS"); do
		out=$(ip netns exec "$ns" "$HELPER" bulk 0 inet "$PROTO" "$step_timeout" \
			-- "$RRICTL" map add none remote 10.99.0.0/16)
		none_v+=("$(kv exit_us "$out")")
		"$RRICTL" -n "$ns" map del none
		out=$(ip netns exec "$ns" "$HELPER" bulk 1 inet "$PROTO" "$step_timeout" \
			-- "$RRICTL" map add narrow remote "$EXTRA_PROXY")
		narrow_v+=("$(bc <<< "x = $(kv exit_us "$out"); y = $(kv routes_us "$out"); if (y > x) x = y; x")")
		extra="owns $(map_field_of "$ns" narrow policies) policy, $(map_field_of "$ns" narrow routes) route; map all owns $(map_field_of "$ns" all policies)"
		progress "map change: N=$n: map add selecting nothing $(fdiv "${none_v[-1]}" 1000) ms; narrow map add: rrictl returned after $(fdiv "$(kv exit_us "$out")" 1000) ms, its route at $(fdiv "$(kv routes_us "$out")" 1000) ms (rc=$(kv rc "$out")); it $extra"
		"$RRICTL" -n "$ns" map del narrow
		out=$(ip netns exec "$fl" "$HELPER" bulk 1 inet "$PROTO" "$step_timeout" \
			-- "$RRICTL" map add narrow remote "$EXTRA_PROXY")
		floor_v+=("$(bc <<< "x = $(kv exit_us "$out"); y = $(kv routes_us "$out"); if (y > x) x = y; x")")
		"$RRICTL" -n "$fl" map del narrow
	done
	R[sc/none_ms]=$(fdiv "$(median "${none_v[@]}")" 1000)
	R[sc/narrow_ms]=$(fdiv "$(median "${narrow_v[@]}")" 1000)
	R[sc/floor_ms]=$(fdiv "$(median "${floor_v[@]}")" 1000)
	progress "map change: N=$n: medians: narrow map add ${R[sc/narrow_ms]} ms; map add selecting nothing ${R[sc/none_ms]} ms; narrow map add in a namespace of 1 policy ${R[sc/floor_ms]} ms"
	topo_done "$fl"

	# HA failover: the map joins a manual group (active: nothing moves),
	# which then goes standby (every route withdrawn, kept derived) and
	# active again (every route re-injected as it was derived).
	"$RRICTL" -n "$ns" group add ha manual || die "group add failed"
	"$RRICTL" -n "$ns" group set ha active || die "group set failed"
	"$RRICTL" -n "$ns" map set all group ha || die "map set group failed"
	settle
	for _ in $(seq "$FAILOVER_RUNS"); do
		out=$(ip netns exec "$ns" "$HELPER" bulk 0 inet "$PROTO" "$step_timeout" \
			-- "$RRICTL" group set ha standby)
		standby_v+=("$(kv exit_us "$out")")
		extra="FIB holds $(fib_count "$ns" 4)"
		settle
		out=$(ip netns exec "$ns" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
			-- "$RRICTL" group set ha active)
		active_v+=("$(bc <<< "x = $(kv exit_us "$out"); y = $(kv routes_us "$out"); if (y > x) x = y; x")")
		progress "failover: N=$n: standby (withdrawal) $(fdiv "${standby_v[-1]}" 1000) ms ($extra); active (re-injection): rrictl returned after $(fdiv "$(kv exit_us "$out")" 1000) ms, route $n at $(fdiv "$(kv routes_us "$out")" 1000) ms (rc=$(kv rc "$out")); FIB holds $(fib_count "$ns" 4)"
		settle
	done
	R[sc/standby_ms]=$(fdiv "$(median "${standby_v[@]}")" 1000)
	R[sc/active_ms]=$(fdiv "$(median "${active_v[@]}")" 1000)
	progress "failover: N=$n: routes naming a nexthop object: $(ip -n "$ns" -4 route show table main proto "$PROTO" | grep -c ' nhid ')"
	# The same re-injection with routes that carry their next hop
	# themselves (nexthop_objects=N; every route derived anew, metric 7).
	echo N > /sys/module/rri/parameters/nexthop_objects
	out=$(ip netns exec "$ns" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
		-- "$RRICTL" map set all metric 7)
	progress "failover: N=$n: map set all metric 7 with nexthop_objects=N: rc=$(kv rc "$out"); FIB holds $(fib_count "$ns" 4), $(ip -n "$ns" -4 route show table main proto "$PROTO" | grep -c ' nhid ') with nhid"
	settle
	for _ in $(seq "$FAILOVER_RUNS"); do
		"$RRICTL" -n "$ns" group set ha standby || die "group set failed"
		settle
		out=$(ip netns exec "$ns" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
			-- "$RRICTL" group set ha active)
		classic_v+=("$(bc <<< "x = $(kv exit_us "$out"); y = $(kv routes_us "$out"); if (y > x) x = y; x")")
		progress "failover: N=$n: active (re-injection of routes without nexthop objects): $(fdiv "${classic_v[-1]}" 1000) ms (rc=$(kv rc "$out")); FIB holds $(fib_count "$ns" 4)"
		settle
	done
	echo Y > /sys/module/rri/parameters/nexthop_objects
	R[sc/classic_ms]=$(fdiv "$(median "${classic_v[@]}")" 1000)
	# The N policies, SAs and routes stay until the end: nothing is
	# measured after this row, and flushing them costs minutes under TCG.

	# The raw baselines, in a namespace of their own.
	topo "$raw"
	progress "adoption: N=$n: raw ip -batch route add"
	out=$(ip netns exec "$raw" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
		-- ip -batch "$d/routes")
	R[sc/raw_adopt_ms]=$(fdiv "$(kv routes_us "$out")" 1000)
	progress "adoption: N=$n: raw batch returned after $(fdiv "$(kv exit_us "$out")" 1000) ms, route $n at ${R[sc/raw_adopt_ms]} ms (rc=$(kv rc "$out")); FIB holds $(fib_count "$raw" 4)"
	settle
	progress "map change: N=$n: raw ip -batch: $n routes added with metric 5, $n metric-0 ones deleted"
	out=$(ip netns exec "$raw" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
		-- ip -batch "$d/change")
	R[sc/raw_set_ms]=$(fdiv "$(bc <<< "x = $(kv exit_us "$out"); y = $(kv routes_us "$out"); if (y > x) x = y; x")" 1000)
	progress "map change: N=$n: raw batch returned after $(fdiv "$(kv exit_us "$out")" 1000) ms, route $n with metric 5 at $(fdiv "$(kv routes_us "$out")" 1000) ms, $(kv deleted "$out") deleted (rc=$(kv rc "$out")); FIB holds $(fib_count "$raw" 4), $(ip -n "$raw" -4 route show table main proto "$PROTO" | grep -c ' metric 5') with metric 5"
	# The raw failover: the same routes (metric 5) deleted and added back.
	sed 's/^route add /route del /; s/$/ metric 5/' "$d/routes" > "$d/del5"
	sed 's/$/ metric 5/' "$d/routes" > "$d/add5"
	settle
	for _ in $(seq "$FAILOVER_RUNS"); do
		out=$(ip netns exec "$raw" "$HELPER" bulk 0 inet "$PROTO" "$step_timeout" \
			-- ip -batch "$d/del5")
		raw_del_v+=("$(kv exit_us "$out")")
		extra="rc=$(kv rc "$out"); FIB holds $(fib_count "$raw" 4)"
		settle
		out=$(ip netns exec "$raw" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" \
			-- ip -batch "$d/add5")
		raw_add_v+=("$(bc <<< "x = $(kv exit_us "$out"); y = $(kv routes_us "$out"); if (y > x) x = y; x")")
		progress "failover: N=$n: raw ip -batch route del $(fdiv "${raw_del_v[-1]}" 1000) ms ($extra); route add: returned after $(fdiv "$(kv exit_us "$out")" 1000) ms, route $n at $(fdiv "$(kv routes_us "$out")" 1000) ms (rc=$(kv rc "$out")); FIB holds $(fib_count "$raw" 4)"
		settle
	done
	R[sc/raw_del_ms]=$(fdiv "$(median "${raw_del_v[@]}")" 1000)
	R[sc/raw_add_ms]=$(fdiv "$(median "${raw_add_v[@]}")" 1000)
	topo_done "$raw"
	R[sc/n]=$n
	rm -rf "$d"
}

# ------------------------------------------------------ stateful failover

# cpu_ticks PID: the user and system time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# sync_of NS: "STATE SAS UPDATES" of group ha's sync.
sync_of() {
	rrictl_json -n "$1" group show ha | jq -r '.[0].sync | "\(.state) \(.sas) \(.updates)"'
}
tx_bytes() { ip -n "$1" -j -s link show sy0 | jq '.[0].stats64.tx.bytes'; }

# syncrow N: gateways A (active) and B (standby) with the same N tunnels
# (run.sh's IPv4 ones: policies and SAs, as an IKE daemon's HA sync would
# install them on both), group ha (manual, replay-interval with the
# default intervals, hold 10 s) holding the map's N routes, rri-syncd on
# both over a veth. Measured: the standby's full resync; the stream while
# every outbound SA changes once a second for SYNC_ROUNDS seconds (rri-bench
# ae: NEWAE on A), as messages and bytes per second and each daemon's CPU;
# then the takeover: A's daemon killed, "group set ha active" on B until
# its Nth route is notified (the hold, rri-syncd moving N SAs' counters
# and releasing the group, the re-injection), and rri-syncd's own part.
syncrow() {
	local n=$1 a=synca b=syncb d=$W/sync out t0 t1 c0 c1 c2 c3 u0 u1 x0 x1 hz pa pb ns line

	mkdir -p "$d"
	progress "stateful failover: $n tunnels: generating batch files"
	gen 4 1 "$n" policy > "$d/policies"
	gen 4 1 "$n" sa > "$d/sas"
	topo "$a"
	topo "$b"
	ip -n "$a" link add sy0 type veth peer name sy0 netns "$b"
	ip -n "$a" addr add 10.254.0.1/30 dev sy0
	ip -n "$b" addr add 10.254.0.2/30 dev sy0
	ip -n "$a" link set sy0 up
	ip -n "$b" link set sy0 up
	for ns in "$a" "$b"; do
		ip -n "$ns" -batch "$d/policies" || die "policy batch failed"
		ip -n "$ns" -batch "$d/sas" || die "SA batch failed"
		"$RRICTL" -n "$ns" group add ha manual replay-interval hold 10000 || die "group add"
		"$RRICTL" -n "$ns" map add bench group ha || die "map add"
	done
	"$RRICTL" -n "$a" group set ha active || die "group set ha active"
	"$SYNCD" genkey > "$d/key"
	ip netns exec "$a" "$SYNCD" -g ha -p 10.254.0.2 -l 10.254.0.1 -k "$d/key" \
		> "$d/syncd-a.log" 2>&1 &
	pa=$!
	t0=$(now_us)
	ip netns exec "$b" "$SYNCD" -g ha -p 10.254.0.1 -l 10.254.0.2 -k "$d/key" \
		> "$d/syncd-b.log" 2>&1 &
	pb=$!
	for _ in $(seq 6000); do
		[ "$(sync_of "$b")" = "up $n $n" ] && break
		sleep 0.1
	done
	t1=$(now_us)
	R[sy/n]=$n
	R[sy/resync_ms]=$(fdiv "$t1 - $t0" 1000)
	progress "stateful failover: standby in step after ${R[sy/resync_ms]} ms: $(sync_of "$b")"

	hz=$(getconf CLK_TCK)
	c0=$(cpu_ticks "$pa") c2=$(cpu_ticks "$pb") u0=$(sync_of "$a") x0=$(tx_bytes "$a")
	t0=$(now_us)
	out=$(ip netns exec "$a" "$HELPER" ae "$n" "$SYNC_ROUNDS")
	sleep 2
	t1=$(now_us)
	c1=$(cpu_ticks "$pa") c3=$(cpu_ticks "$pb") u1=$(sync_of "$a") x1=$(tx_bytes "$a")
	R[sy/secs]=$(fdiv "$t1 - $t0" 1000000 1)
	R[sy/msgs]=$(fdiv "(${u1##* } - ${u0##* }) * 1000000" "$t1 - $t0" 0)
	R[sy/bytes]=$(fdiv "($x1 - $x0) * 1000000" "$t1 - $t0" 0)
	R[sy/cpu_a]=$(fdiv "($c1 - $c0) * 100 * 1000000" "$hz * ($t1 - $t0)" 1)
	R[sy/cpu_b]=$(fdiv "($c3 - $c2) * 100 * 1000000" "$hz * ($t1 - $t0)" 1)
	R[sy/ae_sent]=$(kv sent "$out")
	R[sy/round_ms]=$(fdiv "$(kv round_us "$out")" 1000)
	R[sy/rss_a]=$(awk '/^VmRSS/ { print $2 }' "/proc/$pa/status")
	progress "stateful failover: stream: $(kv sent "$out") NEWAE in ${R[sy/secs]} s ($(kv failed "$out") failed, a round ${R[sy/round_ms]} ms); ${R[sy/msgs]} states/s, ${R[sy/bytes]} B/s on the wire; CPU active ${R[sy/cpu_a]}%, standby ${R[sy/cpu_b]}%; active RSS ${R[sy/rss_a]} kB"

	kill -KILL "$pa"
	wait "$pa" 2>/dev/null
	"$RRICTL" -n "$a" group set ha standby
	out=$(ip netns exec "$b" "$HELPER" bulk "$n" inet "$PROTO" "$step_timeout" -- \
		"$RRICTL" group set ha active)
	R[sy/takeover_ms]=$(fdiv "$(kv routes_us "$out")" 1000)
	line=$(grep "takeover:" "$d/syncd-b.log" | tail -n 1)
	R[sy/counters_ms]=$(sed -n 's/.* in \([0-9]*\) ms.*/\1/p' <<< "$line")
	progress "stateful failover: takeover: route $n at ${R[sy/takeover_ms]} ms (rc=$(kv rc "$out")); rri-syncd: ${line#*rri-syncd: }; FIB holds $(fib_count "$b" 4)"
	kill "$pb"
	wait "$pb" 2>/dev/null
	topo_done "$a"
	topo_done "$b"
}

# ------------------------------------------------------------------ report

report() {
	local key fam n x
	say
	say "=== rri benchmark${1:+ ($1)}: kernel $(uname -r), qemu TCG, $(nproc) vCPUs, $(( $(meminfo_kb MemTotal) / 1024 )) MiB, slub_debug off"
	say "=== (noisy when other VMs share the host's cores; targets are reported, not asserted)"
	say "=== tunnel i: policy 10.0.0.0/16 -> 172.16.0.0+i/32 (fd00:aa::/48 -> fd00:2:i::/64), own peer,"
	say "=== reqid i, rfc4106 SA; map with no match key; XFRM hthresh4 16 32, hthresh6 48 64"
	say
	say "Bulk: the SAs of N tunnels installed by one 'ip -batch' (policies and map already there), ms;"
	say "medians of $bulk_runs runs, the control batch and the measured one alternating"
	say "  policies  'ip -batch' of the N policies"
	say "  SA-base   the same SA batch in a namespace without a map (XFRM's own cost, control)"
	say "  SA        the measured SA batch, until 'ip' returned"
	say "  rri       start of the SA batch -> Nth rri route notified (the bulk figure)"
	say "  lag       SA batch returned -> Nth route notified (<= 0: the routes kept up)"
	say "  raw       'ip -batch route add' of the same N routes (same next hop), fresh namespace"
	say "  raw/rri   the throughput ratio: raw time / rri time"
	printf '%-3s %7s %9s %9s %9s %9s %8s %9s %8s %9s %9s\n' \
		fam N policies SA-base SA rri lag raw raw/rri us/rt-rri us/rt-raw
	for key in "${rows[@]}"; do
		fam=${key%%/*}; n=${key#*/}
		printf '%-3s %7s %9s %9s %9s %9s %8s %9s %8s %9s %9s\n' \
			"v$fam" "$n" "${R[$key/pol_ms]}" "${R[$key/base_ms]}" "${R[$key/sa_ms]}" \
			"${R[$key/rri_ms]}" "${R[$key/lag_ms]}" "${R[$key/raw_ms]}" \
			"$(fdiv "${R[$key/raw_ms]}" "${R[$key/rri_ms]}" 2)" \
			"$(fdiv "${R[$key/rri_ms]}*1000" "$n")" "$(fdiv "${R[$key/raw_ms]}*1000" "$n")"
	done
	say
	say "Re-injection and memory"
	say "  adopt     'rrictl map add' with the N policies and SAs present: all N routes installed on return"
	say "  withdraw  'rrictl map del': all N routes removed on return"
	say "  slab      rri_route + rri_policy objects per route (their slab's footprint)"
	say "  total     SUnreclaim+VmallocUsed rise at map add minus the FIB's own rise for the raw batch"
	say "            (medians of $MEM_RUNS readings each; adopt and withdraw too)"
	say "  memfree   the same from MemFree (sees everything, +-several MB of per-CPU page lists)"
	say "  FIB       the FIB's own cost per route (raw batch)"
	printf '%-3s %7s %9s %9s %9s %9s %8s %8s %8s %8s\n' \
		fam N adopt raw/adopt rt/s-adopt withdraw slab-B total-B memfree-B FIB-B
	for key in "${rows[@]}"; do
		fam=${key%%/*}; n=${key#*/}
		printf '%-3s %7s %9s %9s %9s %9s %8s %8s %8s %8s\n' \
			"v$fam" "$n" "${R[$key/adopt_ms]}" \
			"$(fdiv "${R[$key/raw_ms]}" "${R[$key/adopt_ms]}" 2)" \
			"$(fdiv "$n*1000" "${R[$key/adopt_ms]}" 0)" "${R[$key/del_ms]}" \
			"${R[$key/slab_B]}" "${R[$key/total_B]}" "${R[$key/memfree_B]}" "${R[$key/fib_B]}"
	done
	say
	say "  routes/s: rri = N / rri, raw = N / raw; rri's own share = rri - SA-base (noise can make it negative),"
	say "  also as a share of XFRM's own time (SA-base), and the same for SA (the batch with the map, 'ip' returned)"
	for key in "${rows[@]}"; do
		fam=${key%%/*}; n=${key#*/}
		printf '  v%s N=%-7s rri %7s/s  raw %7s/s  adopt %7s/s  rri - SA-base = %s ms (%s us/route, %s%%; SA - SA-base %s%%)\n' \
			"$fam" "$n" "$(fdiv "$n*1000" "${R[$key/rri_ms]}" 0)" \
			"$(fdiv "$n*1000" "${R[$key/raw_ms]}" 0)" \
			"$(fdiv "$n*1000" "${R[$key/adopt_ms]}" 0)" \
			"$(fdiv "${R[$key/rri_ms]}-${R[$key/base_ms]}" 1)" \
			"$(fdiv "(${R[$key/rri_ms]}-${R[$key/base_ms]})*1000" "$n")" \
			"$(pct_over "${R[$key/rri_ms]}" "${R[$key/base_ms]}")" \
			"$(pct_over "${R[$key/sa_ms]}" "${R[$key/base_ms]}")"
	done
	say
	if [ -n "${R[lat/n]:-}" ]; then
		say "Per-event latency, single SAs one at a time (${R[lat/n]} samples, ${R[lat/failed]} failed), us:"
		printf '  %-40s %9s %9s %9s %9s %9s\n' "" p50 p90 p99 max mean
		printf '  %-40s %9s %9s %9s %9s %9s\n' "SA add: XFRM_MSG_NEWSA send() returns" \
			"${R[lat/sa_us_p50]}" "${R[lat/sa_us_p90]}" "${R[lat/sa_us_p99]}" "${R[lat/sa_us_max]}" "${R[lat/sa_us_mean]}"
		printf '  %-40s %9s %9s %9s %9s %9s\n' "SA add start -> route notified" \
			"${R[lat/route_us_p50]}" "${R[lat/route_us_p90]}" "${R[lat/route_us_p99]}" "${R[lat/route_us_max]}" "${R[lat/route_us_mean]}"
		printf '  %-40s %9s %9s %9s %9s %9s\n' "SA in place (send returned) -> route" \
			"${R[lat/after_us_p50]}" "${R[lat/after_us_p90]}" "${R[lat/after_us_p99]}" "${R[lat/after_us_max]}" "${R[lat/after_us_mean]}"
	fi
	if [ -n "${R[fx/n]:-}" ]; then
		printf '  %-40s %9s %9s %9s %9s %9s\n' "fork+exec 'ip route add', ${R[fx/n]} routes" \
			"${R[fx/p50]}" "${R[fx/p90]}" "${R[fx/p99]}" "${R[fx/max]}" "${R[fx/mean]}"
	fi
	say
	if [ -n "${R[cs/n]:-}" ]; then
		say "Rekey of ${R[cs/n]} child SAs between one pair of gateways (one peer; reqids 1..${R[cs/n]}, own remote proxies),"
		say "one 'ip -batch': ${R[cs/n]} new SAs (new SPIs), then the ${R[cs/n]} old ones deleted, then a sentinel SA; ms, medians of $REKEY_RUNS"
		say "  setup     the ${R[cs/n]} first SAs, one 'ip -batch': without map / with map, 'ip' returned / with map, last route"
		say "  no-map    the rekey in a namespace without a map: XFRM's own time (control)"
		say "  map-ip    the rekey with the map, until 'ip' returned"
		say "  map-rri   the rekey with the map, until rri had applied all of it (the sentinel's route notified)"
		say "  rri/no    map-rri / no-map; over = (map-rri - no-map) / no-map"
		say "  rt+ rt-   route notifications of protocol $PROTO (the sentinels' left out) during the $REKEY_RUNS rekeys"
		say "            and 1 s after each; stats+ stats-: rri's route_add/route_del counters over them (same)"
		say "  drop resync  rri's events_dropped and resync counters over the $REKEY_RUNS rekeys (max_events ${R[max_events]})"
		printf '%7s %17s %8s %8s %8s %6s %7s %4s %4s %7s %7s %5s %6s\n' \
			N "setup" no-map map-ip map-rri rri/no over rt+ rt- stats+ stats- drop resync
		printf '%7s %17s %8s %8s %8s %6s %7s %4s %4s %7s %7s %5s %6s\n' \
			"${R[cs/n]}" "${R[cs/setup_base_ms]}/${R[cs/setup_ip_ms]}/${R[cs/setup_rri_ms]}" \
			"${R[cs/base_ms]}" "${R[cs/ip_ms]}" "${R[cs/rri_ms]}" \
			"$(fdiv "${R[cs/rri_ms]}" "${R[cs/base_ms]}" 2)" \
			"$(pct_over "${R[cs/rri_ms]}" "${R[cs/base_ms]}")%" \
			"${R[cs/added]}" "${R[cs/deleted]}" "${R[cs/rt_add]}" "${R[cs/rt_del]}" \
			"${R[cs/dropped]}" "${R[cs/resync]}"
		say
	fi
	if [ -n "${R[sc/n]:-}" ]; then
		x=${R[sc/n]}
		say "Adoption and map changes with $x IPv4 policies+SAs present, ms"
		say "  adopt     'rrictl map add all remote 172.16.0.0/12' -> route $x notified; raw: 'ip -batch route add' of them"
		say "  set       'rrictl map set all metric 5': every route re-derived ($x added with metric 5, $x removed),"
		say "            until rrictl returned and route $x was notified; raw: one 'ip -batch' of the $x 'route add"
		say "            ... metric 5' and the $x 'route del' of the metric-0 ones ('replace' cannot change a metric)"
		say "  narrow    then 'rrictl map add narrow remote $EXTRA_PROXY': selects 1 policy no map owns (of $((x + 1)))"
		say "            -> its route; 'empty': a map add that selects nothing there (the walk of XFRM's policies"
		say "            and rrictl's start); '1-policy ns': the narrow map add where only that policy exists"
		say "            (medians of $NARROW_RUNS)"
		printf '  %-8s %9s %9s %8s %s\n' "" rri raw raw/rri ""
		printf '  %-8s %9s %9s %8s %s\n' adopt "${R[sc/adopt_ms]}" "${R[sc/raw_adopt_ms]}" \
			"$(fdiv "${R[sc/raw_adopt_ms]}" "${R[sc/adopt_ms]}" 2)" \
			"(rrictl returned at ${R[sc/adopt_exit_ms]} ms; $(fdiv "$x*1000" "${R[sc/adopt_ms]}" 0) routes/s; FIB ${R[sc/adopt_fib]})"
		printf '  %-8s %9s %9s %8s %s\n' set "${R[sc/set_ms]}" "${R[sc/raw_set_ms]}" \
			"$(fdiv "${R[sc/raw_set_ms]}" "${R[sc/set_ms]}" 2)" \
			"(rrictl returned at ${R[sc/set_exit_ms]} ms; FIB ${R[sc/set_fib]}, ${R[sc/set_fib5]} with metric 5)"
		printf '  %-8s %9s %9s %8s %s\n' narrow "${R[sc/narrow_ms]}" "" "" \
			"(empty: ${R[sc/none_ms]} ms; 1-policy ns: ${R[sc/floor_ms]} ms)"
		say
		say "HA failover of a group holding $x routes, ms (medians of $FAILOVER_RUNS)"
		say "  active    'rrictl group set ha active': re-injection, until rrictl returned and route $x was"
		say "            notified; raw: 'ip -batch route add' of the same $x routes"
		say "  standby   'rrictl group set ha standby': withdrawal, until rrictl returned (the routes are"
		say "            gone from the FIB by then); raw: 'ip -batch route del' of them"
		say "  classic   re-injection as 'active', of routes that carry their next hop themselves"
		say "            (nexthop_objects=N) instead of naming a shared nexthop object"
		printf '  %-8s %9s %9s %8s\n' "" rri raw raw/rri
		printf '  %-8s %9s %9s %8s\n' active "${R[sc/active_ms]}" "${R[sc/raw_add_ms]}" \
			"$(fdiv "${R[sc/raw_add_ms]}" "${R[sc/active_ms]}" 2)"
		printf '  %-8s %9s %9s %8s %s\n' classic "${R[sc/classic_ms]}" "${R[sc/raw_add_ms]}" \
			"$(fdiv "${R[sc/raw_add_ms]}" "${R[sc/classic_ms]}" 2)" \
			"(nexthop objects: $(fdiv "${R[sc/classic_ms]}" "${R[sc/active_ms]}" 2)x faster)"
		printf '  %-8s %9s %9s %8s\n' standby "${R[sc/standby_ms]}" "${R[sc/raw_del_ms]}" \
			"$(fdiv "${R[sc/raw_del_ms]}" "${R[sc/standby_ms]}" 2)"
		say
	fi

	if [ -n "${R[sy/n]:-}" ]; then
		say "Stateful failover, ${R[sy/n]} tunnels (rri-syncd, group with replay-interval's default intervals)"
		say "  resync    a standby connects: all ${R[sy/n]} SA states sent and applied, ms"
		say "  stream    every outbound SA's state changes once a second (NEWAE on the active node,"
		say "            ${SYNC_ROUNDS} s): states sent per second, bytes per second on the sync link (TLS,"
		say "            TCP/IP), CPU of the active and the standby daemon (% of one core)"
		say "  takeover  'group set ha active' on the standby (hold 10 s) -> route ${R[sy/n]} notified:"
		say "            rri-syncd moves the counters and releases the group, rri injects the routes;"
		say "            counters: rri-syncd's own part (read, jump, apply), ms"
		printf '  %-9s %9s %9s %9s %9s %9s %9s %9s\n' "" resync states/s B/s cpu-act% cpu-stb% takeover counters
		printf '  %-9s %9s %9s %9s %9s %9s %9s %9s\n' "N=${R[sy/n]}" "${R[sy/resync_ms]}" \
			"${R[sy/msgs]}" "${R[sy/bytes]}" "${R[sy/cpu_a]}" "${R[sy/cpu_b]}" \
			"${R[sy/takeover_ms]}" "${R[sy/counters_ms]}"
		say "  (active daemon's RSS ${R[sy/rss_a]} kB; bytes per state $(fdiv "${R[sy/bytes]}" "${R[sy/msgs]}" 0))"
		say
	fi

	say "Targets (reported, not asserted):"
	if [ -n "${R[lat/n]:-}" ] && [ -n "${R[fx/n]:-}" ]; then
		# Both start once the SA exists: the updown script is run after
		# the IKE daemon installed the SA, rri reacts to its installation.
		# The target is on the tail: p99 against p99.
		x=$(fdiv "${R[fx/p99]}" "${R[lat/after_us_p99]}" 0)
		verdict "SA->route p99 latency >= 300x better than fork/exec" "$x" ">= 300" \
			"${x}x at p99, $(fdiv "${R[fx/p50]}" "${R[lat/after_us_p50]}" 0)x at p50 (SA in place -> route; counting the SA add itself too: $(fdiv "${R[fx/p99]}" "${R[lat/route_us_p99]}" 0)x at p99, $(fdiv "${R[fx/p50]}" "${R[lat/route_us_p50]}" 0)x at p50)"
	fi
	for key in "${rows[@]}"; do
		fam=${key%%/*}; n=${key#*/}
		# rri's own time for the routes: the SA batch with rri less the
		# same SA batch without (XFRM's own cost, which no route
		# installer avoids); raw ip -batch needs only the routes.
		# Within the noise of two runs of the same SA batch that share
		# remains positive or not; not positive (with the routes keeping
		# pace, lag <= 0) means rri added no time that can be measured.
		own=$(fdiv "${R[$key/rri_ms]}-${R[$key/base_ms]}" 1)
		if [ "$(bc -l <<< "$own > 0")" = 1 ]; then
			x=$(fdiv "${R[$key/raw_ms]}" "$own" 2)
			why="${x}x (raw ${R[$key/raw_ms]} ms; rri ${own} ms beyond XFRM's own ${R[$key/base_ms]} ms for the SAs"
		elif [ "$(bc -l <<< "${R[$key/lag_ms]} <= 0")" = 1 ]; then
			x=inf
			why="no measurable time beyond XFRM's own ${R[$key/base_ms]} ms for the SAs (${own} ms); the routes kept pace (lag ${R[$key/lag_ms]} ms"
		else
			x=-
			why="unmeasured (rri ${own} ms beyond XFRM's own, but lag ${R[$key/lag_ms]} ms"
		fi
		verdict "v$fam N=$n bulk throughput >= 1.0x raw ip -batch route add" "$x" ">= 1.0" \
			"$why; end to end with the SAs $(fdiv "${R[$key/raw_ms]}" "${R[$key/rri_ms]}" 2)x; re-injection $(fdiv "${R[$key/raw_ms]}" "${R[$key/adopt_ms]}" 2)x)"
	done
	for key in "${rows[@]}"; do
		fam=${key%%/*}; n=${key#*/}
		[ "$n" -ge 100000 ] || continue
		x=$(pct_over "${R[$key/rri_ms]}" "${R[$key/base_ms]}")
		verdict "v$fam N=$n SA batch: rri adds <= 5% to XFRM's own time" "$x" "<= 5" \
			"+${x}% to the Nth route (${R[$key/rri_ms]} ms against ${R[$key/base_ms]} ms without a map); +$(pct_over "${R[$key/sa_ms]}" "${R[$key/base_ms]}")% until 'ip' returned"
	done
	if [ -n "${R[cs/n]:-}" ]; then
		x=-
		[ "${R[cs/deleted]}" != - ] && x=$(( R[cs/added] + R[cs/deleted] ))
		verdict "zero route events across a rekey of ${R[cs/n]} child SAs" "$x" "<= 0" \
			"$x in $REKEY_RUNS rekeys (${R[cs/added]} added, ${R[cs/deleted]} deleted; rri's counters +${R[cs/rt_add]}/+${R[cs/rt_del]}); the rekey took $(fdiv "${R[cs/rri_ms]}" "${R[cs/base_ms]}" 2)x XFRM's own time (+$(pct_over "${R[cs/rri_ms]}" "${R[cs/base_ms]}")%)"
	fi
	if [ -n "${R[sc/n]:-}" ]; then
		x=$(fdiv "${R[sc/raw_add_ms]}" "${R[sc/active_ms]}" 2)
		verdict "HA re-injection of ${R[sc/n]} routes >= 5x faster than raw" "$x" ">= 5" \
			"${x}x (${R[sc/active_ms]} ms against ${R[sc/raw_add_ms]} ms); withdrawal $(fdiv "${R[sc/raw_del_ms]}" "${R[sc/standby_ms]}" 2)x; adoption $(fdiv "${R[sc/raw_adopt_ms]}" "${R[sc/adopt_ms]}" 2)x; map set metric: $(fdiv "${R[sc/raw_set_ms]}" "${R[sc/set_ms]}" 2)x; narrow map add ${R[sc/narrow_ms]} ms"
	fi
	for key in "${rows[@]}"; do
		fam=${key%%/*}; n=${key#*/}
		x=${R[$key/total_B]}
		verdict "v$fam N=$n <= 200 bytes module memory per route" "$x" "<= 200" \
			"$x B (slab objects ${R[$key/slab_B]} B; the rest: hash tables)"
	done
	say
	say "Memory detail (kB: MemFree SUnreclaim VmallocUsed; a = no map, b = map with N routes):"
	say "  rri_route: $(slab_where rri_route), $(slab_obj_bytes rri_route) B/object; rri_policy: $(slab_where rri_policy), $(slab_obj_bytes rri_policy) B/object; rri_event: $(slab_where rri_event); rri_map: $(slab_where rri_map)"
	say "  (a merged cache is listed in /proc/slabinfo under another cache's name, so rri_* lines"
	say "  appear there only for caches of their own; SUnreclaim also counts kmalloc()s too big for"
	say "  a slab, which get whole power-of-two page blocks: the tables' bucket arrays)"
	for key in "${rows[@]}"; do
		say "  v${key%%/*} N=${key#*/}: a=(${R[$key/a]}) b=(${R[$key/b]}); rri_* in /proc/slabinfo: ${R[$key/slabinfo_B]} B/route"
		say "      caches that grew most at map add: ${R[$key/slab_top]}"
	done
}

# pct_over A B: how many percent A is above B, or "-".
pct_over() {
	fdiv "(($1) - ($2)) * 100" "$2" 1
}

# verdict WHAT VALUE CMP TEXT
verdict() {
	local ok=MISS
	if [ "$2" = inf ]; then
		[ "${3% *}" = ">=" ] && ok=PASS
	elif [ "$2" != - ] && [ -n "$2" ] && [ "$(bc -l <<< "$2 ${3% *} ${3#* }")" = 1 ]; then
		ok=PASS
	fi
	printf '  %-4s %-58s %s\n' "$ok" "$1:" "$4"
}

# -------------------------------------------------------------------- main

[ "$(id -u)" = 0 ] || die "needs root (run it in the VM: make bench)"
[ -x "$HELPER" ] || die "$HELPER not built (make bench builds it)"
[ -x "$RRICTL" ] || die "$RRICTL not built"
rm -rf "$W"
mkdir -p "$W"
grep -q 'slub_debug' /proc/cmdline && say "bench: warning: slub_debug is on ($(cat /proc/cmdline)); numbers will be off"
if [ ! -d /sys/module/rri ]; then
	insmod "$RRI_KO" || die "cannot load $RRI_KO"
fi
R[max_events]=$(cat /sys/module/rri/parameters/max_events 2>/dev/null || echo -)
progress "rri $(cat /sys/module/rri/version 2>/dev/null) loaded (max_events ${R[max_events]}); kernel $(uname -r); v4: $v4_counts; v6: $v6_counts; child SAs: $child_count; adoption: $adopt_count"

# The first rfc4106 SA instantiates the crypto templates and the first
# IPv6 one loads esp6 (about a second each under TCG): not what is timed.
topo warm
gen 4 1 1 sa | ip -n warm -batch - || die "cannot add an rfc4106(gcm(aes)) SA"
gen 6 1 1 sa | ip -n warm -batch - || die "cannot add an IPv6 rfc4106(gcm(aes)) SA"
topo_done warm

[ "$fork_routes" -gt 0 ] && forkexec
[ "$lat_samples" -gt 0 ] && latency
for n in $v4_counts; do
	# The big row last but one: if it overruns, the IPv6 row is in already.
	[ "$n" -ge 100000 ] && continue
	bulk 4 "$n"
done
for n in $v6_counts; do
	bulk 6 "$n"
done
[ "$child_count" -gt 0 ] && childsa
for n in $v4_counts; do
	[ "$n" -ge 100000 ] || continue
	report "interim, before the N=$n row"
	bulk 4 "$n"
done
[ "$sync_count" -gt 0 ] && syncrow "$sync_count"
if [ "$adopt_count" -gt 0 ]; then
	[ "$adopt_count" -ge 100000 ] && report "interim, before the adoption and map-change rows"
	scale
fi

report
dmesg | grep -E 'WARNING:|BUG|Oops|Call Trace|RIP:' | head -20 | sed 's/^/kernel: /'
progress "done"
