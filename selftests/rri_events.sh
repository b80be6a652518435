#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The event queue is bounded and loses nothing: a namespace without maps
# counts XFRM events but queues none (no allocation); with the queue made
# tiny (max_events=1), a burst of SA and policy changes overflows it, the
# overflow is counted (events_dropped) and answered by a resync (resync),
# and the FIB ends with exactly the routes the kernel's IPsec state asks
# for. Also: the limit of 256 maps per namespace, and flags that map set
# clears (no-remote-peer).
#
# The queue is made to hold one event: the worker, busy with a flush that
# withdraws every route, cannot keep up with the SAs ip -batch adds next.
#
#   +----------------------------- a -----------------------------+  +- ra -+
#   | gw0 192.0.2.1/24, 198.18.0.0/15 via 192.0.2.254             |--| rt0  |
#   | N policies 10.0.0.0/24 -> 10.100.(i+1).0/24, peer           |  +------+
#   |   198.18.0.(i+1), one SA each                               |
#   +-------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

N=200
A=rri-a-$$ RA=rri-ra-$$
if ! topo_gw "$A" "$RA"; then
	fail "topology"
	rri_exit
fi
ip -n "$A" route add 198.18.0.0/15 via 192.0.2.254
insmod "$RRI_KO" max_events=1 && rri_loaded_here=1 || {
	fail "insmod rri.ko max_events=1"
	rri_exit
}

# batch_sas FIRST_SPI: the N SAs, with SPIs from FIRST_SPI on.
batch_sas() {
	local i
	for ((i = 0; i < N; i++)); do
		echo "xfrm state add src 192.0.2.1 dst 198.18.0.$((i + 1)) proto esp" \
			"spi $(($1 + i)) reqid 1 mode tunnel enc cipher_null \"\""
	done
}

# expected: the prefixes of policies FROM..N-1, sorted like fib_rri_prefixes.
expected() {
	local i
	for ((i = $1; i < N; i++)); do
		echo "10.100.$((i + 1)).0/24"
	done | sort | tr '\n' ' ' | sed 's/ $//'
}

batch=$route_tmp/batch
{
	for ((i = 0; i < N; i++)); do
		echo "xfrm policy add src 10.0.0.0/24 dst 10.100.$((i + 1)).0/24" \
			"dir out tmpl src 192.0.2.1 dst 198.18.0.$((i + 1)) proto esp reqid 1 mode tunnel"
	done
	batch_sas $((0x10000))
} > "$batch"

# 1. No map: every event counted, none queued.
[ -d /sys/kernel/debug/slab ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
slab=/sys/kernel/debug/slab/rri_event/alloc_traces
check "ip -batch: $N policies and $N SAs, no map" ip -n "$A" -batch "$batch"
check_poll "every SA event counted" "$N" rri_stat "$A" sa_add
check_eq "every policy event counted" "$N" "$(rri_stat "$A" policy_add)"
check_eq "nothing dropped" 0 "$(rri_stat "$A" events_dropped)"
if [ -r "$slab" ]; then
	# slub_debug=U tracks allocation sites: none at all for rri_event.
	check_eq "no event was allocated in a namespace without maps" \
		"No data" "$(cat "$slab")"
else
	log "# $slab not available (no slub_debug=U): allocation not checked"
fi
check_eq "and no route" 0 "$(fib_rri_count "$A")"

# 2. A map adopts them.
check "map add all" rrictl_ns "$A" map add all
check_poll "the map adopts the $N tunnels" "$(expected 0)" fib_rri_prefixes "$A"

# 3. A burst far beyond one event: every SA replaced, then half of the
# policies deleted.
batch_sas $((0x20000)) > "$batch"
ip -n "$A" xfrm state flush && ip -n "$A" -batch "$batch"
check "flush, then ip -batch: $N new SAs" test $? = 0
settle "$A"
check_poll "every route back after the burst" "$(expected 0)" fib_rri_prefixes "$A"
dropped=$(rri_stat "$A" events_dropped)
resync=$(rri_stat "$A" resync)
check "the burst overflowed the queue (events_dropped $dropped)" test "$dropped" -gt 0
check "and the namespace was resynced (resync $resync)" test "$resync" -gt 0
check_eq "rri shows exactly those, all installed" "$N" \
	"$(rrictl_ns "$A" -j route show | jq '[.[] | select(.state == "installed")] | length')"

for ((i = 0; i < N / 2; i++)); do
	echo "xfrm policy delete src 10.0.0.0/24 dst 10.100.$((i + 1)).0/24 dir out"
done > "$batch"
check "ip -batch: delete $((N / 2)) policies" ip -n "$A" -batch "$batch"
settle "$A"
check_poll "exactly the other half stays" "$(expected $((N / 2)))" fib_rri_prefixes "$A"
check_eq "rri forgot the deleted half" "$((N / 2))" \
	"$(rrictl_ns "$A" -j route show | jq length)"

# 4. The bound itself is bounded.
check "max_events 0 is refused" \
	bash -c '! echo 0 2>/dev/null > /sys/module/rri/parameters/max_events'
check_eq "and stays 1" 1 "$(cat /sys/module/rri/parameters/max_events)"

# 5. At most 256 maps per namespace.
for ((i = 1; i < 256; i++)); do
	echo "map add m$i remote 172.16.$i.0/24"
done > "$route_tmp/maps"
while read -r -a words; do
	rrictl_ns "$A" "${words[@]}" || { fail "${words[*]}"; break; }
done < "$route_tmp/maps"
check_eq "256 maps" 256 "$(rrictl_ns "$A" -j map show | jq length)"
err=$(rrictl_ns "$A" map add one-too-many 2>&1)
check_eq "the 257th is refused" 1 "$?"
check_eq "with the reason" "rrictl: too many maps: a namespace may have 256" "$err"
check_eq "and still 256" 256 "$(rrictl_ns "$A" -j map show | jq length)"
for ((i = 1; i < 256; i++)); do
	rrictl_ns "$A" map del "m$i" || { fail "map del m$i"; break; }
done
check_poll "the routes are untouched" "$(expected $((N / 2)))" fib_rri_prefixes "$A"

# 6. A flag set and cleared again.
peer=198.18.0.$((N / 2 + 1))/32
check "map set all remote-peer" rrictl_ns "$A" map set all remote-peer
check_fib "a host route to a peer" "$A" 4 "$peer" \
	"$peer via 192.0.2.254 dev gw0 proto 201 metric 0"
check_eq "map show says so" true "$(rri_map "$A" all remote_peer)"
check "map set all no-remote-peer" rrictl_ns "$A" map set all no-remote-peer
check_fib "the host routes go" "$A" 4 "$peer" ""
check_eq "map show says so" false "$(rri_map "$A" all remote_peer)"
check_poll "the proxy routes stay" "$(expected $((N / 2)))" fib_rri_prefixes "$A"

rri_exit
