#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 1000 tunnels in one namespace: their 1000 routes appear (bounded poll),
# namespaces never see each other's routes, module unload removes all
# 1000 (and nothing else), a map add adopts the 1000 policies again at once,
# unload in the middle of a burst of SA changes leaves no route behind, and
# deleting a namespace that holds 1000 rri routes is clean (no kernel
# warning; the runner scans the log as well).
#
#   +----------------------------- a -----------------------------+  +- ra -+
#   | gw0 192.0.2.1/24, 198.18.0.0/15 via 192.0.2.254             |--| rt0  |
#   | 1000 policies 10.0.0.0/24 -> 10.(100+i/250).(i%250+1).0/24, |  +------+
#   |   peer 198.18.(i/250).(i%250+1), one SA each; map all       |
#   +-------------------------------------------------------------+
#   +----------------------------- b -----------------------------+  +- rb -+
#   | the same addresses; 2 policies 10.0.0.0/24 -> 10.200.1.0/24 |--| rt0  |
#   | and 10.100.1.0/24 (as in a); map all                        |  +------+
#   +-------------------------------------------------------------+
source "$(dirname "$0")/lib_route.sh"

N=1000
A=rri-a-$$ RA=rri-ra-$$
B=rri-b-$$ RB=rri-rb-$$
if ! topo_gw "$A" "$RA" || ! topo_gw "$B" "$RB"; then
	fail "topology"
	rri_exit
fi
ip -n "$A" route add 198.18.0.0/15 via 192.0.2.254
ip -n "$B" route add 198.18.0.0/15 via 192.0.2.254
rri_load || { fail "insmod rri.ko"; rri_exit; }

# Null encryption: the SAs are as real to XFRM and rri as any, and ten
# times cheaper to create under TCG than AES-GCM.
batch=$route_tmp/batch
for ((i = 0; i < N; i++)); do
	peer=198.18.$((i / 250)).$((i % 250 + 1))
	echo "xfrm policy add src 10.0.0.0/24 dst 10.$((100 + i / 250)).$((i % 250 + 1)).0/24" \
		"dir out tmpl src 192.0.2.1 dst $peer proto esp reqid 1 mode tunnel"
	echo "xfrm state add src 192.0.2.1 dst $peer proto esp spi $((0x10000 + i))" \
		"reqid 1 mode tunnel enc cipher_null \"\""
done > "$batch"

check "map add all (a)" rrictl_ns "$A" map add all
start=$(date +%s%3N)
check "ip -batch: $N policies and $N SAs" ip -n "$A" -batch "$batch"
ROUTE_WAIT_MS=120000 poll_eq "$N" fib_rri_count "$A"
check_eq "$N routes appear" "$N" "$polled"
log "# $N routes in $(($(date +%s%3N) - start)) ms after the batch started"
check_eq "rri shows $N routes, all installed" "$N" \
	"$(rrictl_ns "$A" -j route show | jq '[.[] | select(.state == "installed")] | length')"
check_eq "no route refused" 0 "$(rri_stat "$A" route_error)"
check_eq "one of them, as the kernel has it" \
	"10.103.250.0/24 via 192.0.2.254 dev gw0 proto 201 metric 0" "$(fib "$A" 4 10.103.250.0/24)"

# Another namespace, with one remote proxy equal to one of a's.
check "map add all (b)" rrictl_ns "$B" map add all
pol_add "$B" 10.0.0.0/24 10.200.1.0/24 192.0.2.1 198.18.9.1 1
pol_add "$B" 10.0.0.0/24 10.100.1.0/24 192.0.2.1 198.18.9.2 1
ip -n "$B" xfrm state add src 192.0.2.1 dst 198.18.9.1 proto esp spi 0x901 reqid 1 \
	mode tunnel enc cipher_null ""
ip -n "$B" xfrm state add src 192.0.2.1 dst 198.18.9.2 proto esp spi 0x902 reqid 1 \
	mode tunnel enc cipher_null ""
check_poll "b has its own 2 routes and none of a's" "10.100.1.0/24 10.200.1.0/24" fib_rri_prefixes "$B"
check_eq "rri in b shows only b's routes" "10.100.1.0/24 10.200.1.0/24" "$(rri_routes "$B")"
check_eq "rri in b shows b's peer for the shared prefix" "198.18.9.2" \
	"$(rrictl_ns "$B" -j route show | jq -r '.[] | select(.prefix == "10.100.1.0/24") | .peer')"
check_eq "a still has exactly its $N routes" "$N" "$(fib_rri_count "$A")"
check_eq "a's route to the shared prefix keeps a's peer" "198.18.0.1" \
	"$(rrictl_ns "$A" -j route show | jq -r '.[] | select(.prefix == "10.100.1.0/24") | .peer')"
ip -n "$B" xfrm state flush
check_poll "b's SA flush takes b's routes" 0 fib_rri_count "$B"
check_eq "and none of a's" "$N" "$(fib_rri_count "$A")"
ip -n "$B" xfrm state add src 192.0.2.1 dst 198.18.9.1 proto esp spi 0x903 reqid 1 \
	mode tunnel enc cipher_null ""
check_poll "b: a new SA" "10.200.1.0/24" fib_rri_prefixes "$B"

# Unload with N routes installed.
others=$(fib_foreign "$A")
start=$(date +%s%3N)
check "rmmod rri with $N + 1 routes installed" rri_unload
log "# rmmod took $(($(date +%s%3N) - start)) ms"
check_eq "unload removed every rri route of a" 0 "$(fib_rri_count "$A")"
check_eq "and of b" 0 "$(fib_rri_count "$B")"
check_eq "and nothing else" "$others" "$(fib_foreign "$A")"

# Adoption of N policies at once.
rri_load || { fail "insmod rri.ko again"; rri_exit; }
check "map add all (a) adopts $N policies" rrictl_ns "$A" map add all
check_eq "their $N routes are back when map add returns" "$N" "$(fib_rri_count "$A")"
check "map add all (b) adopts b's policy" rrictl_ns "$B" map add all
check_eq "b's route is back" "10.200.1.0/24" "$(fib_rri_prefixes "$B")"

# Unload while the worker is busy: SAs deleted and added again in a
# batch, rmmod in the middle of it.
for ((i = 0; i < N / 2; i++)); do
	peer=198.18.$((i / 250)).$((i % 250 + 1))
	echo "xfrm state delete src 192.0.2.1 dst $peer proto esp spi $((0x10000 + i))"
	echo "xfrm state add src 192.0.2.1 dst $peer proto esp spi $((0x10000 + i))" \
		"reqid 1 mode tunnel enc cipher_null \"\""
done > "$batch.churn"
deletes=$(rri_stat "$A" sa_delete)
ip -n "$A" -batch "$batch.churn" &
churn=$!
busywait 30000 stat_above "$A" sa_delete "$((deletes + 10))"
check "rmmod rri while XFRM events are being applied" rri_unload
wait $churn
check_eq "the churn batch ran through" 0 $?
check_eq "unload during churn removed every rri route" 0 "$(fib_rri_count "$A")"
rri_load || { fail "insmod rri.ko again"; rri_exit; }
check "map add all (a) adopts $N policies again" rrictl_ns "$A" map add all
check_eq "all $N routes are back" "$N" "$(fib_rri_count "$A")"
check "map add all (b) again" rrictl_ns "$B" map add all

# A namespace with N routes goes away. Its veth peer in ra goes with it,
# after rri's per-namespace exit has run.
mark=$(dmesg | wc -l)
ns_del "$A"
# shellcheck disable=SC2317 # called by busywait
gone() { ! ip -n "$RA" link show rt0 >/dev/null 2>&1; }
check "ip netns del a (with $N rri routes): the namespace is dismantled" \
	busywait 60000 gone
check_eq "no kernel warning" "" \
	"$(dmesg | tail -n +$((mark + 1)) | grep -E 'WARNING|BUG|Oops|Call Trace|RIP:')"
check_eq "b is unaffected" "10.200.1.0/24" "$(fib_rri_prefixes "$B")"

rri_exit
