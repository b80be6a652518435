#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Structure-aware fuzzing of the generic netlink family (the C program
# rri_genl_fuzz does the sending and judges every answer): valid requests of
# every command, each with one field broken, as root in a namespace of its
# own, without CAP_NET_ADMIN and as nobody, and from a fresh user+network
# namespace; maps in HA groups, vip and manual, added, set and deleted
# among them. Afterwards the module still answers, the maps and groups of
# the fuzzer's namespaces agree, and a control namespace set up before,
# with an active manual group, a map in it and a route rri derived from an
# SA and a policy, is exactly as it was: nothing the fuzzer sent, from
# anywhere, reached it.
#
#   +------------- ctl ---------------+   +--------------- fz ----------------+
#   | ct0 192.0.2.1/24 (dummy)        |   | fz0 198.51.100.1/24 2001:db8:5::1 |
#   | group ctlg manual, active,      |   |   (the VIPs of some of the        |
#   |   replay-interval               |   |   fuzzer's vip groups)            |
#   | map ctl remote 10.99.0.0/16     |   | fz1, fzvrf (VRF, table 100)       |
#   |   group ctlg                    |   | policies (v4, v6, if_id, mark, /0)|
#   | SA + policy 10.0.0.0/24 ->      |   | and SAs for the fuzzer's maps;    |
#   |   10.99.1.0/24, peer 192.0.2.7  |   | rri_genl_fuzz runs in here        |
#   |   route via 192.0.2.7 proto 201 |   |                                   |
#   +---------------------------------+   +-----------------------------------+
#
# RRI_FUZZ_COUNT messages in all (default 100000, 5000 on a kernel with
# kmemleak, i.e. the debug kernel); RRI_FUZZ_SEED repeats a run.
source "$(dirname "$0")/lib_route.sh"

CTL=rri-ctl-$$
FZ=rri-fz-$$

if [ -z "${RRI_FUZZ_COUNT:-}" ]; then
	RRI_FUZZ_COUNT=100000
	[ -e /sys/kernel/debug/kmemleak ] && RRI_FUZZ_COUNT=5000
fi

rri_load || { fail "insmod rri.ko"; rri_exit; }

# The control namespace: one group, one map in it, one SA and policy, one
# route.
ns_add "$CTL" || { fail "namespace $CTL"; rri_exit; }
ip -n "$CTL" link add ct0 type dummy
ip -n "$CTL" addr add 192.0.2.1/24 dev ct0
ip -n "$CTL" link set ct0 up
rrictl_ns "$CTL" group add ctlg manual replay-interval inbound 10 outbound 2000 ||
	fail "control: group add"
rrictl_ns "$CTL" group set ctlg active || fail "control: group set active"
rrictl_ns "$CTL" map add ctl remote 10.99.0.0/16 group ctlg || fail "control: map add"
sa_add "$CTL" 192.0.2.1 192.0.2.7 0x100 1 || fail "control: SA"
pol_add "$CTL" 10.0.0.0/24 10.99.1.0/24 192.0.2.1 192.0.2.7 1 || fail "control: policy"
check_fib "control: rri installed the route" "$CTL" 4 10.99.1.0/24 \
	"10.99.1.0/24 via 192.0.2.7 dev ct0 proto 201 metric 0"
settle "$CTL"

# Everything of the control namespace the fuzzer could change.
ctl_state() {
	rrictl_ns "$CTL" -j map show
	rrictl_ns "$CTL" -j group show
	ip -n "$CTL" -j route show proto 201
	ip -n "$CTL" -j -6 route show proto 201
	rrictl_ns "$CTL" -j route show
	rrictl_ns "$CTL" -j stats
	ip -n "$CTL" xfrm state
	ip -n "$CTL" xfrm policy
}
before=$(ctl_state)

# The fuzzer's namespace: devices to name, a VRF if the kernel has them,
# and policies its maps can select.
ns_add "$FZ" || { fail "namespace $FZ"; rri_exit; }
ip -n "$FZ" link add fz0 type dummy
ip -n "$FZ" link add fz1 type dummy
ip -n "$FZ" addr add 198.51.100.1/24 dev fz0
ip -n "$FZ" addr add 2001:db8:5::1/64 dev fz0 nodad
ip -n "$FZ" link set fz0 up
ip -n "$FZ" link set fz1 up
if ip -n "$FZ" link add fzvrf type vrf table 100 2>/dev/null; then
	ip -n "$FZ" link set fzvrf up
else
	log "no VRF support: the fuzzer leaves RRI_A_MAP_VRF at its boundaries"
fi
# shellcheck disable=SC2015
sa_add "$FZ" 198.51.100.1 198.51.100.7 0x201 1 &&
	sa_add "$FZ" 2001:db8:5::1 2001:db8:5::7 0x202 1 &&
	pol_add "$FZ" 10.0.0.0/24 10.81.1.0/24 198.51.100.1 198.51.100.7 1 &&
	pol_add "$FZ" 10.0.0.0/24 10.82.0.0/16 198.51.100.1 198.51.100.8 2 &&
	pol_add "$FZ" 10.0.0.0/24 10.83.0.0/24 198.51.100.1 198.51.100.7 3 if_id 5 &&
	pol_add "$FZ" 10.0.0.0/24 10.84.0.0/24 198.51.100.1 198.51.100.7 4 mark 7 mask 0xffffffff &&
	pol_add "$FZ" 10.0.1.0/24 0.0.0.0/0 198.51.100.1 198.51.100.9 6 &&
	pol_add "$FZ" 2001:db8:1::/64 2001:db8:81::/64 2001:db8:5::1 2001:db8:5::7 1 ||
	fail "fuzzer's namespace: SAs and policies"

log "sending $RRI_FUZZ_COUNT messages${RRI_FUZZ_SEED:+, seed $RRI_FUZZ_SEED}"
start=$(date +%s%N)
out=$(ip netns exec "$FZ" env RRI_FUZZ_COUNT="$RRI_FUZZ_COUNT" \
	RRI_FUZZ_CONTROL_NETNS="/run/netns/$CTL" ${RRI_FUZZ_SEED:+RRI_FUZZ_SEED=$RRI_FUZZ_SEED} \
	"$RRI_TOP/selftests/rri_genl_fuzz" 2>&1)
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "$out"
log "the fuzzer ran $ms ms"
check_eq "every fuzzing phase passed" 0 "$rc"
check "no phase was skipped" bash -c "! grep -q '# SKIP' <<< \"\$1\"" _ "$out"
check_eq "all seven ran and passed" "# PASSED: 7 / 7 tests passed." \
	"$(grep -a -E '^# (PASSED|FAILED):' <<< "$out")"

check_eq "the control namespace is unchanged" "$before" "$(ctl_state)"
quiet() { "$@" >/dev/null; }
check "the module answers: version" quiet rrictl_ns "" version
check "the module answers: the fuzzer's namespace's counters" quiet rrictl_ns "$FZ" stats
check "and its route dump" quiet rrictl_ns "$FZ" route show
check "and its group dump" quiet rrictl_ns "$FZ" group show
rri_exit
