#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stateful failover with real daemons: strongSwan's HA plugin syncs the
# IKE_SA and the CHILD_SAs from the active gateway to the passive one
# (which installs them, with their counters at zero), keepalived moves the
# VIPs and tells charon's HA plugin which node is active (notify scripts
# writing to its FIFO), rri-syncd streams the SAs' replay counters and
# moves them ahead at takeover while the module holds group ha's routes,
# BIRD carries rri's routes to core. A ping stream from hq to soho1; then:
#
#  1. gw1 fails hard (charon, keepalived and rri-syncd SIGKILLed, links
#     down): the stream goes on through gw2 with the same IKE_SA and
#     CHILD_SA SPIs on the site (nothing renegotiated) and the site's
#     kernel counts no replay or sequence error (XfrmInStateSeqError).
#     The outage hq saw is printed.
#  2. gw1 comes back as the backup (a lower VRRP priority), its charon
#     resyncs from gw2 (the HA plugin rekeys the CHILD_SAs for it) and its
#     rri-syncd is in step again.
#  3. gw2 fails hard: the same, back to gw1.
#  4. The negative control: gw2 comes back without rri-syncd, and gw1's is
#     stopped; gw1 fails: the site drops gw2's packets as replays.
#
# The network is lib_ha.sh's (soho2 stays idle).

ROUTE_WAIT_MS=${ROUTE_WAIT_MS:-30000}
source "$(dirname "$0")/lib_route.sh"
source "$(dirname "$0")/lib_ike.sh"
source "$(dirname "$0")/lib_ha.sh"

HA_RESUME_MS=${HA_RESUME_MS:-60000}
GW_DPD_S=10
IKE_HA_SYNC=yes
SYNCD=$RRI_TOP/tools/rri-syncd/rri-syncd

ha_require || rri_exit
[ -f /usr/lib/ipsec/plugins/libstrongswan-ha.so ] ||
	skip_test "strongSwan's HA plugin (libcharon-extra-plugins) is not installed"
ike_topo_ha "$$" || { fail "topology"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }
# The site's kernel is the judge: it must count its replay errors.
[ -r /proc/net/xfrm_stat ] ||
	{ fail "the kernel counts no XFRM errors (CONFIG_XFRM_STATISTICS is off)"; rri_exit; }
HA_NOTIFY=$ike_tmp/ha-notify
ha_fifo_notify_write "$HA_NOTIFY"

GW1=${IKE_NS[gw1]} GW2=${IKE_NS[gw2]} SITE=${IKE_NS[soho1]}
VIP=$IKE_VIP_OUT VIPS="$IKE_VIP_OUT $IKE_VIP_IN"
SITE_OUT=${IKE_OUT[soho1]}
"$SYNCD" genkey > "$ike_tmp/syncd.key"
chmod 600 "$ike_tmp/syncd.key"

# syncd_start BOX / syncd_kill BOX: rri-syncd on a gateway, over the inside LAN.
declare -A syncd_pid=()
syncd_start() {
	local peer=gw1
	[ "$1" != gw1 ] || peer=gw2
	ip netns exec "${IKE_NS[$1]}" "$SYNCD" -v --group ha --peer "${IKE_IN[$peer]}" \
		--listen "${IKE_IN[$1]}" --key-file "$ike_tmp/syncd.key" \
		>> "$ike_tmp/$1/syncd.log" 2>&1 &
	syncd_pid[$1]=$!
	rri_bg_pids+=($!)
}
syncd_kill() {
	kill -KILL "${syncd_pid[$1]}" 2>/dev/null
	wait "${syncd_pid[$1]}" 2>/dev/null
}
# sync_line BOX: "STATE SAS" of group ha's sync on BOX.
sync_line() {
	rrictl_ns "${IKE_NS[$1]}" -j group show ha | jq -r '.[0].sync | "\(.state) \(.sas)"'
}
# seq_errors: the site's XfrmInStateSeqError.
seq_errors() {
	ip netns exec "$SITE" awk '$1 == "XfrmInStateSeqError" { n = $2 } END { print n }' \
		/proc/net/xfrm_stat
}
seq_errors_above() { [ "$(seq_errors)" -gt "$1" ]; }
# site_spis: the site's CHILD_SA SPIs, both ways.
site_spis() {
	echo "$(ike_sa_spis soho1 "$SITE_OUT" "$VIP") / $(ike_sa_spis soho1 "$VIP" "$SITE_OUT")"
}
# site_ike: the site's IKE_SA, as the first line of swanctl --list-sas has
# it: unique id, state, SPIs.
site_ike() {
	ike_swanctl soho1 --list-sas --ike soho1-vip 2>/dev/null | head -n 1
}
# gw_ike BOX: the state of BOX's IKE_SA of connection sites.
gw_ike() {
	ike_swanctl "$1" --list-sas --ike sites 2>/dev/null |
		sed -n 's/^sites: #[0-9]*, \([A-Z_]*\),.*/\1/p' | head -n 1
}
# tunnel BOX: BOX has the CHILD_SA's SAs both ways (the active node's, or
# their copies).
tunnel() {
	[ -n "$(ike_sa_spis "$1" "$VIP" "$SITE_OUT")" ] &&
		[ -n "$(ike_sa_spis "$1" "$SITE_OUT" "$VIP")" ]
}
answered() { [ "$(grep -c 'bytes from' "$ike_tmp/hq/ping.$1")" -ge "${2:-5}" ]; }
# since_master BOX NAME: seconds from BOX's last "master" notify (the VIPs
# are there) to the first reply in hq's ping log NAME after it.
since_master() {
	local t
	t=$(awk '$2 == "master" { t = $1 } END { print t }' "$ike_tmp/$1/notify.log")
	awk -v t="$t" '/bytes from/ { ts = substr($1, 2, length($1) - 2) + 0
		if (ts > t) { printf "%.2f\n", ts - t; exit } }' "$ike_tmp/hq/ping.$2"
}
elapsed() {
	local ms=$((($(date +%s%N) - $1) / 1000000))
	printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}
# outage NAME WHAT: hq's pings resumed after the failure; print the outage.
outage() {
	local file=$ike_tmp/hq/ping.$1 w

	check "hq's pings to soho1 answered again after $2" \
		busywait "$HA_RESUME_MS" ha_resumed "$file"
	read -r -a w <<< "$(ha_outage "$file")"
	log "outage ($2): ${w[0]} s (${w[1]} of hq's pings every ${HA_PING_INTERVAL} s unanswered)"
}
# failover FROM TO NAME: FROM fails hard while hq pings soho1 (log NAME);
# TO takes over. Checks what a stateful takeover promises.
failover() {
	local from=$1 to=$2 name=$3 errs spis ike t0

	ha_ping_start "$name" hq "${IKE_HOST[soho1]}"
	ike_wait "hq's pings every 100 ms answered" "$IKE_WAIT_MS" answered "$name" 20
	errs=$(seq_errors) spis=$(site_spis) ike=$(site_ike)
	t0=$(date +%s%N)
	syncd_kill "$from"
	check "$from fails: charon, keepalived and rri-syncd SIGKILLed, links down" \
		ha_gw_crash "$from"
	check_poll "$to takes both VIPs" "$VIPS" ha_vips "$to"
	log "the VIPs were on $to $(elapsed "$t0") s after $from failed"
	outage "$name" "$from's failure"
	log "from keepalived's notify on $to to hq's first answered ping: $(since_master "$to" "$name") s"
	check_poll "core routes soho1's LAN via $to" "${IKE_IN[$to]}" ha_core_via "${IKE_LAN[soho1]}"
	check_eq "the site's CHILD_SA SPIs did not change" "$spis" "$(site_spis)"
	check_eq "the site's IKE_SA did not change: $ike" "$ike" "$(site_ike)"
	check_eq "the site's kernel counted no replay or sequence error" "$errs" "$(seq_errors)"
	check_eq "$to: the IKE_SA is established there" ESTABLISHED "$(gw_ike "$to")"
	check "$to: rri-syncd moved the counters ahead, then released the group" \
		grep -q "takeover: 1 outbound SAs moved ahead, 1 inbound set, 0 without a synced state.*group released" \
		"$ike_tmp/$to/syncd.log"
	grep "takeover:" "$ike_tmp/$to/syncd.log" | tail -n 1 | sed "s/^/$to: /"
	check_eq "$to: released by rri-syncd, not by the hold's end" 0 \
		"$(rrictl_ns "${IKE_NS[$to]}" -j group show ha | jq -r '.[0].hold_expired')"
	ha_ping_stop "$name"
}
# rejoin BOX [nosync]: BOX comes back as after a reboot, as the backup:
# charon (the HA plugin resyncs it from the active node), keepalived with a
# lower priority, and rri-syncd unless nosync.
rejoin() {
	local box=$1 before

	before=$(site_spis)
	HA_PRIO[$box]=50
	ha_gw_reboot "$box"
	ike_charon_start "$box" "$GW_DPD_S"
	ike_charons_ready "$box" || return 1
	ha_keepalived_start "$box"
	ike_wait "$box: keepalived enters BACKUP state" "$IKE_START_MS" ha_backup "$box" || return 1
	[ "${2:-}" = nosync ] || syncd_start "$box"
	# The active node rekeys the CHILD_SA for the resync (its state is not
	# cached): wait until the old SAs are gone and BOX has the new ones.
	ike_wait "the CHILD_SA is rekeyed for the resync" "$IKE_WAIT_MS" rekeyed "$before" ||
		return 1
	ike_wait "$box: charon's HA plugin installs the tunnel's SAs again" "$IKE_WAIT_MS" \
		same_sas "$box"
}
# rekeyed BEFORE: the site has one SA each way, and not those of BEFORE.
rekeyed() {
	local now
	now=$(site_spis)
	[[ $now =~ ^0x[0-9a-f]+\ /\ 0x[0-9a-f]+$ ]] && [ "${now% /*}" != "${1% /*}" ]
}
# same_sas BOX: BOX has exactly the site's SAs (the reverse way round).
same_sas() {
	[ "$(ike_sa_spis "$1" "$VIP" "$SITE_OUT") / $(ike_sa_spis "$1" "$SITE_OUT" "$VIP")" = \
	  "$(ike_sa_spis soho1 "$VIP" "$SITE_OUT") / $(ike_sa_spis soho1 "$SITE_OUT" "$VIP")" ]
}

for gw in gw1 gw2; do
	ns=${IKE_NS[$gw]}
	check "$gw: group add ha vip $VIP replay-interval inbound 100 outbound 1000 hold 3000" \
		rrictl_ns "$ns" group add ha vip "$VIP" replay-interval inbound 100 outbound 1000 hold 3000
	check "$gw: map add sites remote $IKE_SITES_NET group ha" \
		rrictl_ns "$ns" map add sites remote "$IKE_SITES_NET" group ha
	syncd_start "$gw"
done
t_start=$(date +%s%N)
ha_daemons_start "$GW_DPD_S" || rri_exit
pass "daemons up in $(elapsed "$t_start") s: BIRD, charon with the HA plugin on gw1 and gw2, keepalived (gw1 MASTER), rri-syncd"
check "soho1: its tunnel to the VIP" ike_initiate soho1 soho1-vip
check_poll "core routes soho1's LAN via gw1" "${IKE_IN[gw1]}" ha_core_via "${IKE_LAN[soho1]}"
check "gw2 (passive): the HA plugin installed the CHILD_SA's SAs" busywait "$IKE_WAIT_MS" tunnel gw2
check_eq "gw2: the same SPIs as gw1" "$(ike_sa_spis gw1 "$VIP" "$SITE_OUT")" \
	"$(ike_sa_spis gw2 "$VIP" "$SITE_OUT")"
check_eq "gw2: the IKE_SA is passive there" PASSIVE "$(gw_ike gw2)"
check_poll "gw1: rri-syncd up, the group's 2 SAs" "up 2" sync_line gw1
check_poll "gw2: rri-syncd in step with them" "up 2" sync_line gw2

# 1. and 3.: there and back.
failover gw1 gw2 one
check "gw1 rejoins as the backup" rejoin gw1
check_poll "gw1: rri-syncd in step with gw2" "up 2" sync_line gw1
failover gw2 gw1 two

# 4. The negative control: the HA plugin alone.
for gw in gw1 gw2; do
	rrictl_ns "${IKE_NS[$gw]}" group set ha hold 0
done
syncd_kill gw1
check "gw2 rejoins as the backup, without rri-syncd" rejoin gw2 nosync
ha_ping_start control hq "${IKE_HOST[soho1]}"
ike_wait "hq's pings every 100 ms answered" "$IKE_WAIT_MS" answered control 50
errs=$(seq_errors)
ha_gw_crash gw1
check_poll "control: gw2 takes both VIPs" "$VIPS" ha_vips gw2
check "control: without rri-syncd the site drops gw2's packets as replays" \
	busywait 20000 seq_errors_above $((errs + 5))
check "control: hq's pings answered again once gw2's sequence numbers pass the old ones" \
	busywait "$HA_RESUME_MS" ha_resumed "$ike_tmp/hq/ping.control"
ha_ping_stop control
read -r -a w <<< "$(ha_outage "$ike_tmp/hq/ping.control")"
log "control: the site counted $(($(seq_errors) - errs)) sequence errors; hq's outage ${w[0]} s (${w[1]} pings unanswered)"
log "control: from keepalived's notify on gw2 to hq's first answered ping: $(since_master gw2 control) s"

log "the whole scenario took $(elapsed "$t_start") s after the topology"
rri_exit
