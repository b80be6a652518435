#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every operation but the version needs CAP_NET_ADMIN over the namespace's
# user namespace, as xfrm_user's do (maps, routes and counters reveal
# peers, reqids, marks and if_ids): an unprivileged user gets EPERM with a
# clear message and nothing changes, and a user that owns its own
# user+network namespace may act on that namespace (and only on it).
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
for q in "stats" "map show" "map show m1" "route show" "route show map m1"; do
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
	check "which left ns a alone" have_one_add
	check "but the initial namespace is still refused" \
		bash -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
			--bounding-set=-all -- '$RRICTL' stats reset 2>/dev/null"
else
	log "unprivileged user namespaces are disabled here; not checked"
fi

check "root may reset" rrictl_ns "$NS_a" stats reset
check_eq "and the counter is zero" 0 "$(stats_json "$NS_a" | jq .sa_add)"

rri_exit
