#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The per-namespace XFRM event counters follow `ip xfrm state/policy`
# add, update, delete, flush and expire exactly, plus ACQUIREs; two
# namespaces driven at once each see only their own events, and the
# initial namespace sees none of theirs.
#
#   ns a: 3 SAs added, 1 updated, 1 deleted, then flushed; 2 policies
#         added, 1 updated, 1 deleted, then flushed; later an SA and a
#         policy with short lifetimes expire
#   ns b: 1 SA, 1 policy (no flush); a ping into an SA-less policy ACQUIREs
source "$(dirname "$0")/lib.sh"

NS_a=rri-a-$$
ns_add "$NS_a"
NS_b=rri-b-$$
ns_add "$NS_b"
rri_load || { fail "insmod rri.ko"; rri_exit; }

expect() {
	# expect NS JQ-OBJECT: every counter, zero unless JQ-OBJECT (a jq
	# object literal) says otherwise. No map exists: no route counts.
	jq -ncS "{sa_add:0, sa_update:0, sa_delete:0, sa_expire:0, sa_flush:0,
		 policy_add:0, policy_update:0, policy_delete:0, policy_expire:0,
		 policy_flush:0, acquire:0, events_dropped:0, route_add:0,
		 route_del:0, route_conflict:0, route_unresolved:0,
		 route_error:0, route_restored:0, resync:0} + $2"
}

stats_are() {
	[ "$(stats_json "$1")" = "$2" ]
}

# check_stats DESCRIPTION NS WANT: wait for the worker, then compare every
# counter.
check_stats() {
	local what=$1 ns=$2 want
	want=$(expect "$ns" "$3")
	busywait 5000 stats_are "$ns" "$want"
	check_eq "$what" "$want" "$(stats_json "$ns")"
}

init0=$(stats_json "")
check_eq "counters start at zero" "$(expect "" '{}')" "$(stats_json "$NS_a")"

# Both namespaces at once: interleave the operations.
xfrm_sa_add "$NS_a" 192.0.2.1 192.0.2.2 0x101
xfrm_sa_add "$NS_b" 198.51.100.1 198.51.100.2 0x201
xfrm_sa_add "$NS_a" 192.0.2.1 192.0.2.3 0x102
xfrm_policy_add "$NS_b" out 10.2.0.0/24 10.20.0.0/24 198.51.100.1 198.51.100.2
xfrm_sa_add "$NS_a" 192.0.2.1 192.0.2.4 0x103
ip -n "$NS_a" xfrm state update src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x101 \
	reqid 1 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 \
	limit time-hard 3600
ip -n "$NS_a" xfrm state delete src 192.0.2.1 dst 192.0.2.3 proto esp spi 0x102
xfrm_policy_add "$NS_a" out 10.1.0.0/24 10.10.0.0/24 192.0.2.1 192.0.2.2
xfrm_policy_add "$NS_a" in 10.10.0.0/24 10.1.0.0/24 192.0.2.2 192.0.2.1
ip -n "$NS_a" xfrm policy update src 10.1.0.0/24 dst 10.10.0.0/24 dir out priority 10 \
	tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel
ip -n "$NS_a" xfrm policy delete src 10.10.0.0/24 dst 10.1.0.0/24 dir in
check_eq "ns a holds 2 SAs" 2 "$(xfrm_count "$NS_a" state)"
ip -n "$NS_a" xfrm state flush
ip -n "$NS_a" xfrm policy flush
# Flushing empty tables is not notified by the kernel: no count.
ip -n "$NS_a" xfrm state flush
ip -n "$NS_a" xfrm policy flush

check_stats "ns a counts its SA and policy operations" "$NS_a" \
	'{sa_add:3, sa_update:1, sa_delete:1, sa_flush:1,
	  policy_add:2, policy_update:1, policy_delete:1, policy_flush:1}'
check_stats "ns b counts only its own" "$NS_b" '{sa_add:1, policy_add:1}'
check_eq "the initial namespace saw none of it" "$init0" "$(stats_json "")"

# Expiry: a soft then a hard expire for the SA, a hard one for the policy.
xfrm_sa_add "$NS_a" 192.0.2.1 192.0.2.5 0x104 limit time-soft 1 limit time-hard 2
xfrm_policy_add "$NS_a" out 10.1.1.0/24 10.10.1.0/24 192.0.2.1 192.0.2.5 limit time-hard 1
check_stats "soft and hard SA expiry and policy expiry are counted" "$NS_a" \
	'{sa_add:4, sa_update:1, sa_delete:1, sa_flush:1, sa_expire:2,
	  policy_add:3, policy_update:1, policy_delete:1, policy_flush:1,
	  policy_expire:1}'
check_eq "the hard-expired SA is gone" 0 "$(xfrm_count "$NS_a" state)"

# ACQUIRE: a packet that matches an outbound policy with no SA. The kernel
# asks the key managers only while one is alive, i.e. something listens for
# ACQUIREs, as an IKE daemon would; rri itself never claims to be alive.
xfrm_policy_add "$NS_b" out 10.2.0.0/24 10.30.0.0/24 198.51.100.1 198.51.100.3
ip -n "$NS_b" link add dummy0 type dummy
ip -n "$NS_b" addr add 10.2.0.1/24 dev dummy0
ip -n "$NS_b" link set dummy0 up
ip -n "$NS_b" route add 10.30.0.0/24 dev dummy0
ip netns exec "$NS_b" ping -c 1 -W 1 10.30.0.1 >/dev/null 2>&1
check_stats "no ACQUIRE while no key manager listens" "$NS_b" '{sa_add:1, policy_add:2}'

bg_start ip -n "$NS_b" xfrm monitor acquire
ping_acquired() {
	ip netns exec "$NS_b" ping -c 1 -W 1 10.30.0.1 >/dev/null 2>&1
	[ "$(stats_json "$NS_b" | jq .acquire)" != 0 ]
}
# Until the monitor is listening, pings are not ACQUIREs; once one is, the
# larval SA it leaves absorbs the pings after it.
busywait 10000 ping_acquired
ip netns exec "$NS_b" ping -c 1 -W 1 10.30.0.1 >/dev/null 2>&1
check_stats "a packet into an SA-less policy counts one ACQUIRE" "$NS_b" \
	'{sa_add:1, policy_add:2, acquire:1}'
# The daemon's larval SA would expire (and count) 30 s later: flush it.
ip -n "$NS_b" xfrm state flush

# Reset is per namespace.
check "stats reset in ns a" rrictl_ns "$NS_a" stats reset
check_eq "ns a counters are zero after reset" "$(expect "" '{}')" "$(stats_json "$NS_a")"
check_stats "ns b counters are untouched by ns a's reset" "$NS_b" \
	'{sa_add:1, policy_add:2, acquire:1, sa_flush:1}'

rri_exit
