#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every operation but the version needs CAP_NET_ADMIN over the namespace's
# user namespace, as xfrm_user's do (maps, routes and counters reveal
# peers, reqids, marks and if_ids): an unprivileged user gets EPERM with a
# clear message and nothing changes, and a user that owns its own
# user+network namespace may act on that namespace (and only on it). The
# same for HA groups: adding, setting and deleting one, a map's group,
# showing one group and dumping them all.
source "$(dirname "$0")/lib.sh"
require setpriv unshare

NS_a=rri-a-$$
ns_add "$NS_a"
rri_load || { fail "insmod rri.ko"; rri_exit; }
xfrm_sa_add "$NS_a" 192.0.2.1 192.0.2.2 0x101

have_one_add() { [ "$(stats_json "$NS_a" | jq .sa_add)" = 1 ]; }
busywait 5000 have_one_add

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		--bounding-set=-all -- "$@"
}

err=$(ip netns exec "$NS_a" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all --bounding-set=-all -- "$RRICTL" stats reset 2>&1)
rc=$?
check_eq "unprivileged stats reset exits 1" 1 "$rc"
check_match "and says why" 'rrictl: *Operation not permitted*CAP_NET_ADMIN*' "$err"
check "the counters were not reset" have_one_add

rrictl_ns "$NS_a" map add m1 remote 10.0.0.0/8 || fail "map add as root"
rrictl_ns "$NS_a" group add g1 manual || fail "group add as root"
rrictl_ns "$NS_a" group add gv vip 192.0.2.1 replay-interval || fail "group add vip as root"
rrictl_ns "$NS_a" map add m2 remote 10.1.0.0/16 group g1 || fail "map add into a group as root"

# Everything of ns a a command could change.
state_a() {
	rrictl_ns "$NS_a" -j map show
	rrictl_ns "$NS_a" -j group show
	rrictl_ns "$NS_a" -j route show
}
before=$(state_a)
for c in "group add g2 manual" "group add g3 vip 192.0.2.9 replay-interval" \
	"group set g1 active" "group set g1 standby" \
	"group set gv replay-interval inbound 5 outbound 5000" \
	"group del g1" "group del gv" "map add m3 group g1" "map set m1 group g1" \
	"map set m2 no-group" "map del m2"; do
	# shellcheck disable=SC2086
	err=$(ip netns exec "$NS_a" setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all --bounding-set=-all -- "$RRICTL" $c 2>&1)
	rc=$?
	check_eq "unprivileged '$c' exits 1" 1 "$rc"
	check_match "and says why" 'rrictl: *Operation not permitted*CAP_NET_ADMIN*' "$err"
done
check_eq "and nothing changed: maps, groups, routes" "$before" "$(state_a)"

for q in "stats" "map show" "map show m1" "route show" "route show map m1" \
	"group show" "group show g1" "group show gv" "group show nosuch"; do
	# shellcheck disable=SC2086
	err=$(ip netns exec "$NS_a" setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all --bounding-set=-all -- "$RRICTL" -j $q 2>&1)
	rc=$?
	check_eq "unprivileged '$q' exits 1" 1 "$rc"
	check_match "and says why, revealing nothing" \
		'rrictl: *Operation not permitted*CAP_NET_ADMIN*' "$err"
done
out=$(ip netns exec "$NS_a" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all --bounding-set=-all -- "$RRICTL" version 2>&1)
check_match "the version is open to anyone" '*module [0-9]*' "$out"

# Its own user and network namespace: CAP_NET_ADMIN there is enough
# (GENL_UNS_ADMIN_PERM), and the reset acts on that namespace only.
if as_nobody unshare --user --map-root-user --net true 2>/dev/null; then
	check "stats reset in an unprivileged user's own netns" \
		as_nobody unshare --user --map-root-user --net "$RRICTL" stats reset
	check "map add, show and route show there too" \
		as_nobody unshare --user --map-root-user --net bash -c \
		"'$RRICTL' map add own && '$RRICTL' map show own >/dev/null &&
		 '$RRICTL' route show >/dev/null"
	check "and the group commands, show and dump included" \
		as_nobody unshare --user --map-root-user --net bash -c \
		"'$RRICTL' group add og manual replay-interval &&
		 '$RRICTL' group add ov vip 192.0.2.1 &&
		 '$RRICTL' group set og active &&
		 '$RRICTL' group set ov replay-interval inbound 0 &&
		 '$RRICTL' map add om group og && '$RRICTL' map set om group ov &&
		 '$RRICTL' group show og >/dev/null && '$RRICTL' group show >/dev/null &&
		 '$RRICTL' map set om no-group && '$RRICTL' group del og &&
		 '$RRICTL' map del om && '$RRICTL' group del ov"
	check "which left ns a alone" have_one_add
	check_eq "its maps, groups and routes too" "$before" "$(state_a)"
	check "but the initial namespace is still refused" \
		bash -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
			--bounding-set=-all -- '$RRICTL' stats reset 2>/dev/null"
	check "for groups too" \
		bash -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
			--bounding-set=-all -- '$RRICTL' group add x manual 2>/dev/null &&
			! setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
			--bounding-set=-all -- '$RRICTL' group show 2>/dev/null"
else
	log "unprivileged user namespaces are disabled here; not checked"
fi

check "root may reset" rrictl_ns "$NS_a" stats reset
check_eq "and the counter is zero" 0 "$(stats_json "$NS_a" | jq .sa_add)"

rri_exit
