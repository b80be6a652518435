# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The HA variant of lib_ike.sh's network, for the tests that fail a head-end
# over to its twin: gw1 and gw2 share one segment toward the internet and
# one toward the core, and keepalived (VRRP) on them holds an outside VIP,
# which the sites' IKE goes to, and an inside VIP, in one sync group. Source
# it after lib_ike.sh.
#
#      soho1 LAN 10.81.2.0/29                    soho2 LAN 10.81.2.8/29
#   +-------- soho1 --------+                  +-------- soho2 --------+
#   | charon: soho1-vip to  |                  | charon: soho2-vip to  |
#   | the VIP, DPD 2 s      |                  | the VIP, DPD 2 s      |
#   | s0 203.0.113.1/30     |                  | s0 203.0.113.5/30     |
#   +-----------|-----------+                  +-----------|-----------+
#   +-----------|------------------ inet ------------------|-----------+
#   | is1 203.0.113.2/30                            is2 203.0.113.6/30 |
#   |   bridge ig0 198.51.100.254/24, ports ig1 and ig2 (outside LAN)  |
#   +-----------------------ig1---------------ig2----------------------+
#                            |                 |
#   +----------- gw1 --------|--+           +--|-------- gw2 -----------+
#   | out0 198.51.100.1/24      |   VRRP    | out0 198.51.100.2/24      |
#   |   + VIP 198.51.100.10     |  unicast  |   (+ VIPs when master)    |
#   | keepalived, priority 150  | <-------> | keepalived, priority 100  |
#   | charon on the VIP, rri,   |           | charon on the VIP, rri,   |
#   | BIRD (OSPF, exports       |           | BIRD (OSPF, exports       |
#   | proto 201 routes)         |           | proto 201 routes)         |
#   | in0 10.1.255.1/24         |           | in0 10.1.255.2/24         |
#   |   + VIP 10.1.255.10       |           |                           |
#   +------------------------|--+           +--|------------------------+
#   +-----------------------cg1---------------cg2----------------------+
#   |   bridge cg0 10.1.255.254/24, ports cg1 and cg2 (inside LAN)     |
#   | core: BIRD (OSPF -> kernel)                                      |
#   | chq 10.1.1.1/24                                                  |
#   +-----------|------------------------------------------------------+
#   +-----------|-----------+
#   | hq h0 10.1.1.10/24    |
#   | default via 10.1.1.1  |
#   +-----------------------+
#
# gw1 and gw2: default route via inet, HQ via core; charon for any peer on
# the outside VIP (it answers only where the VIP is). OSPF on the inside
# LAN: core is the designated router, the gateways never are (priority 0).
# VRRP: unicast between the gateways' own addresses on each LAN, advert_int
# 1, both instances (outside, inside) in one vrrp_sync_group; gw1 preempts.
#
# lib_ike.sh declares the IKE_* and ike_* variables (ike_batch associative).
# shellcheck disable=SC2004,SC2034,SC2154

IKE_KEEPALIVED=${IKE_KEEPALIVED:-keepalived}
IKE_VIP_IN=
# VRRP priority of each gateway: gw1 is the master whenever it is up.
declare -A HA_PRIO=([gw1]=150 [gw2]=100)
declare -A ha_keepalived_pid=()

ha_cleanup() {
	local box

	for box in "${!ha_keepalived_pid[@]}"; do
		ha_keepalived_kill "$box"
	done
	[ "${rri_failed:-0}" = 0 ] || ha_diag
}

ha_prev_trap=$(trap -p EXIT | sed -n "s/^trap -- '\(.*\)' EXIT$/\1/p")
trap 'ha_cleanup; eval "$ha_prev_trap"' EXIT

ha_require() {
	ike_require || return 1
	if ! command -v "$IKE_KEEPALIVED" >/dev/null; then
		fail "$IKE_KEEPALIVED is not installed"
		return 1
	fi
}

# ike_port BOX IF ADDR SWITCH PORT BRIDGE: a veth pair from BOX's IF
# (with ADDR) to PORT of BRIDGE in the SWITCH box.
ike_port() {
	ike_batch[links]+="link add $2 netns ${IKE_NS[$1]} type veth peer name $5 netns ${IKE_NS[$4]}"$'\n'
	ike_batch[$1]+="addr add $3 dev $2"$'\n'"link set $2 up"$'\n'
	ike_batch[$4]+="link set $5 master $6"$'\n'"link set $5 up"$'\n'
}

# ike_bridge BOX BRIDGE ADDR MAC: a bridge with an address of its own. A
# fixed MAC: a bridge otherwise takes its ports' lowest, and changes it
# when ports come and go.
ike_bridge() {
	ike_batch[$1]+="link add $2 address $4 type bridge"$'\n'
	ike_batch[$1]+="addr add $3 dev $2"$'\n'"link set $2 up"$'\n'
}

# ha_gw_routes: a gateway's static routes, as `ip -batch` lines: default
# via inet, HQ via core.
ha_gw_routes() {
	echo "route add default via 198.51.100.254"
	echo "route add $IKE_HQ_NET via 10.1.255.254"
}

# ike_topo_ha [SUFFIX]: create the namespaces, LANs, addresses and static
# routes of the drawing above, and point lib_ike.sh's configurations at it.
ike_topo_ha() {
	local sfx=${1:-$$} box

	IKE_OUT=([soho1]=203.0.113.1 [soho2]=203.0.113.5 [gw1]=198.51.100.1 [gw2]=198.51.100.2)
	IKE_IN=([gw1]=10.1.255.1 [gw2]=10.1.255.2)
	IKE_VIP_OUT=198.51.100.10
	IKE_VIP_IN=10.1.255.10
	# A broadcast LAN: core is the designated router (after 2 s of
	# election), the gateways only talk to it.
	IKE_OSPF_GW_IF='"in0" { type broadcast; priority 0; hello 1; dead 4; wait 2; retransmit 2; }'
	IKE_OSPF_CORE_IF='"cg0" { type broadcast; priority 1; hello 1; dead 4; wait 2; retransmit 2; }'

	ike_batch=()
	for box in soho1 soho2 inet gw1 gw2 core hq; do
		IKE_NS[$box]=rri-$box-$sfx
		ns_add "${IKE_NS[$box]}" || return 1
		mkdir -p "$ike_tmp/$box"
	done
	ike_bridge inet ig0 198.51.100.254/24 02:00:00:00:01:fe
	ike_bridge core cg0 10.1.255.254/24 02:00:00:00:02:fe
	ike_link soho1 s0 203.0.113.1/30 inet is1 203.0.113.2/30
	ike_link soho2 s0 203.0.113.5/30 inet is2 203.0.113.6/30
	ike_port gw1 out0 198.51.100.1/24 inet ig1 ig0
	ike_port gw2 out0 198.51.100.2/24 inet ig2 ig0
	ike_port gw1 in0 10.1.255.1/24 core cg1 cg0
	ike_port gw2 in0 10.1.255.2/24 core cg2 cg0
	ike_link core chq 10.1.1.1/24 hq h0 10.1.1.10/24
	for box in soho1 soho2; do
		ike_batch[$box]+="link add lan0 type dummy"$'\n'
		ike_batch[$box]+="addr add ${IKE_HOST[$box]}/29 dev lan0"$'\n'
		ike_batch[$box]+="link set lan0 up"$'\n'
	done
	ike_batch[soho1]+="route add default via 203.0.113.2"$'\n'
	ike_batch[soho2]+="route add default via 203.0.113.6"$'\n'
	for box in gw1 gw2; do
		ike_batch[$box]+=$(ha_gw_routes)$'\n'
	done
	ike_batch[hq]+="route add default via 10.1.1.1"$'\n'

	ike_batch_apply
}

# ----------------------------------------------------------- keepalived ---

# ha_daemons_start GW_DPD_S: BIRD on gw1, gw2 and core, charon on the
# gateways (DPD every GW_DPD_S) and the sites, keepalived on gw1 first (the
# master from the start: gw2 never holds the VIPs) and then gw2; returns
# once gw1 holds both VIPs, gw2 is BACKUP and core has both OSPF
# adjacencies.
ha_daemons_start() {
	local box

	for box in gw1 gw2 core; do
		ike_bird_start "$box"
	done
	for box in gw1 gw2; do
		ike_charon_start "$box" "$1"
	done
	for box in soho1 soho2; do
		ike_charon_start "$box"
	done
	ha_keepalived_start gw1
	for box in gw1 gw2 core; do
		ike_bird_wait "$box" || return 1
	done
	ike_wait "gw1: keepalived takes both VIPs" "$IKE_START_MS" poll_once \
		"$IKE_VIP_OUT $IKE_VIP_IN" ha_vips gw1 || return 1
	ha_keepalived_start gw2
	ike_charons_ready gw1 gw2 soho1 soho2 || return 1
	ike_wait "gw2: keepalived enters BACKUP state" "$IKE_START_MS" ha_backup gw2 || return 1
	ike_wait "core: OSPF adjacencies with gw1 and gw2 Full" "$IKE_WAIT_MS" ospf_full core 2
}

# ha_keepalived_conf BOX: keepalived.conf of a gateway: VRRP instances
# "outside" (VIP on out0) and "inside" (VIP on in0) in one sync group, so
# that they move together; adverts every second, unicast to the other
# gateway. Both start as BACKUP; the higher priority preempts.
ha_keepalived_conf() {
	local box=$1 peer=gw1

	[ "$box" != gw1 ] || peer=gw2
	cat <<-EOF
	global_defs {
		router_id $box
		script_user root
	}
	vrrp_sync_group ha {
		group {
			outside
			inside
		}
	$(ha_notify_conf "$box")
	}
	vrrp_instance outside {
		state BACKUP
		interface out0
		virtual_router_id 51
		priority ${HA_PRIO[$box]}
		advert_int 1
		unicast_src_ip ${IKE_OUT[$box]}
		unicast_peer {
			${IKE_OUT[$peer]}
		}
		virtual_ipaddress {
			$IKE_VIP_OUT/24 dev out0
		}
	}
	vrrp_instance inside {
		state BACKUP
		interface in0
		virtual_router_id 52
		priority ${HA_PRIO[$box]}
		advert_int 1
		unicast_src_ip ${IKE_IN[$box]}
		unicast_peer {
			${IKE_IN[$peer]}
		}
		virtual_ipaddress {
			$IKE_VIP_IN/24 dev in0
		}
	}
	EOF
}

# ha_notify_conf BOX: with HA_NOTIFY (a script), the sync group's notify
# lines: the script is run with BOX and the new state.
ha_notify_conf() {
	[ -n "${HA_NOTIFY:-}" ] || return 0
	printf '\tnotify_master "%s %s master"\n' "$HA_NOTIFY" "$1"
	printf '\tnotify_backup "%s %s backup"\n' "$HA_NOTIFY" "$1"
	printf '\tnotify_fault "%s %s fault"\n' "$HA_NOTIFY" "$1"
}

# ha_plugin_conf BOX: with IKE_HA_SYNC=yes, strongSwan's HA plugin on the
# gateways (lib_ike.sh's ike_charon_conf puts it in): active/passive with
# one segment and no ClusterIP, synced over the inside LAN, no heartbeat
# of its own (keepalived decides, through the plugin's FIFO: ha_fifo_notify).
ha_plugin_conf() {
	local peer=gw1

	[ "$1" != gw1 ] || peer=gw2
	cat <<-EOF
			ha {
				local = ${IKE_IN[$1]}
				remote = ${IKE_IN[$peer]}
				segment_count = 1
				monitor = no
				fifo_interface = yes
				resync = yes
			}
	EOF
}

# ha_fifo_notify_write FILE: keepalived's notify script for HA_NOTIFY: tells
# BOX's charon to take segment 1 as master ("+1") and to drop it otherwise
# ("-1"), through the HA plugin's FIFO in charon's own /run, and logs it.
ha_fifo_notify_write() {
	cat > "$1" <<-EOF
	#!/bin/sh
	dir=$ike_tmp/\$1
	case \$2 in master) cmd=+1 ;; *) cmd=-1 ;; esac
	pid=\$(cat "\$dir/charon.pid" 2>/dev/null) || exit 0
	echo "\$(date +%s.%N) \$2 \$cmd" >> "\$dir/notify.log"
	timeout 2 sh -c "echo \$cmd > /proc/\$pid/root/run/charon.ha"
	EOF
	chmod 755 "$1"
}

# ha_keepalived_start BOX: write the configuration and start keepalived's
# VRRP subsystem in BOX, in the foreground (a background job of the
# test), its pid files, log and configuration in $ike_tmp/BOX.
ha_keepalived_start() {
	local box=$1 dir=$ike_tmp/$1

	ha_keepalived_conf "$box" > "$dir/keepalived.conf" || return 1
	rm -f "$dir"/keepalived*.pid
	# ip netns exec execs: $! is keepalived's parent process, which forks
	# the VRRP child and waits for it.
	ip netns exec "${IKE_NS[$box]}" "$IKE_KEEPALIVED" --dont-fork --vrrp \
		--log-console --log-detail --no-syslog -f "$dir/keepalived.conf" \
		-p "$dir/keepalived.pid" -r "$dir/keepalived-vrrp.pid" \
		-c "$dir/keepalived-checkers.pid" >> "$dir/keepalived.out" 2>&1 &
	ha_keepalived_pid[$box]=$!
}

# ha_keepalived_kill BOX: a crash: SIGKILL, no priority-0 advert, the VIPs
# stay where they are. The VRRP child leaves gracefully when its parent
# dies (and the parent restarts a dead child): stop the parent, kill the
# child, then the parent.
ha_keepalived_kill() {
	local box=$1 pid=${ha_keepalived_pid[$1]:-} child

	[ -n "$pid" ] || return 1
	child=$(cat "$ike_tmp/$box/keepalived-vrrp.pid" 2>/dev/null)
	kill -STOP "$pid" 2>/dev/null
	[ -z "$child" ] || kill -KILL "$child" 2>/dev/null
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset 'ha_keepalived_pid[$box]'
	return 0
}

# ha_keepalived_stop BOX: a clean stop (SIGTERM): keepalived removes its
# VIPs and tells the peer (priority 0) before it exits.
ha_keepalived_stop() {
	local box=$1 pid=${ha_keepalived_pid[$1]:-}

	[ -n "$pid" ] || return 1
	kill -TERM "$pid" || return 1
	if ! busywait "$IKE_WAIT_MS" ha_gone "$pid"; then
		echo "keepalived in $box did not exit within $((IKE_WAIT_MS / 1000)) s"
		return 1
	fi
	wait "$pid" 2>/dev/null
	unset 'ha_keepalived_pid[$box]'
}

ha_gone() { ! kill -0 "$1" 2>/dev/null; }

# ha_vips BOX: the VIPs assigned in BOX, outside first, space separated.
ha_vips() {
	local out vip res=""

	out=$(ip -n "${IKE_NS[$1]}" -4 -o addr show) || return 1
	for vip in "$IKE_VIP_OUT" "$IKE_VIP_IN"; do
		! grep -q " inet $vip/" <<< "$out" || res+="${res:+ }$vip"
	done
	echo "$res"
}

# ha_backup BOX: BOX's keepalived has entered BACKUP state (its log says).
ha_backup() {
	grep -q 'Entering BACKUP STATE' "$ike_tmp/$1/keepalived.out"
}

# ----------------------------------------------------- gateway failures ---

# ha_gw_crash BOX: BOX fails hard: charon and keepalived SIGKILLed (no IKE
# delete, no priority-0 advert), then its links down. Its kernel state
# (SAs, policies, addresses) stays, as on a box that hangs; BIRD keeps
# running with no link to talk on.
ha_gw_crash() {
	local box=$1

	ike_charon_kill "$box"
	ha_keepalived_kill "$box"
	ip -n "${IKE_NS[$box]}" -batch - <<-EOF
	link set out0 down
	link set in0 down
	EOF
}

# ha_gw_reboot BOX: BOX comes back as after a reboot: no SA, no policy
# (the caller adds its static ones back), no VIP, links up with its static
# routes (the kernel dropped them with the links). Its daemons are started
# by the caller.
ha_gw_reboot() {
	local ns=${IKE_NS[$1]}

	ip -n "$ns" xfrm state flush && ip -n "$ns" xfrm policy flush || return 1
	# keepalived may have taken them away itself (FAULT) before it died.
	ip -n "$ns" addr del "$IKE_VIP_OUT/24" dev out0 2>/dev/null
	ip -n "$ns" addr del "$IKE_VIP_IN/24" dev in0 2>/dev/null
	ip -n "$ns" -batch - <<-EOF
	link set out0 up
	link set in0 up
	$(ha_gw_routes)
	EOF
}

# ha_isolate on|off: cut (or restore) every path between gw1 and gw2, on
# both LANs, as a failed switch link would, while each still reaches inet
# and core: their bridge ports become isolated ports, which forward to the
# bridge and other ports but not to each other. VRRP adverts no longer
# pass: split brain.
ha_isolate() {
	ip -n "${IKE_NS[inet]}" -batch - <<-EOF &&
	link set ig1 type bridge_slave isolated $1
	link set ig2 type bridge_slave isolated $1
	EOF
	ip -n "${IKE_NS[core]}" -batch - <<-EOF
	link set cg1 type bridge_slave isolated $1
	link set cg2 type bridge_slave isolated $1
	EOF
}

# ------------------------------------------------------- what core does ---

# ha_core_via PREFIX: the next hops of core's OSPF route to exactly PREFIX,
# sorted, space separated ("" if none): one for a single path, several for
# equal-cost multipath.
ha_core_via() {
	ip -n "${IKE_NS[core]}" -j -4 route show exact "$1" proto bird |
		jq -r '[.[] | .gateway // empty, (.nexthops // [] | .[].gateway)] | sort | join(" ")'
}

# ------------------------------------------------------------ outages -----

# ha_ping_start NAME BOX ADDR: from BOX, ping ADDR every 100 ms, with
# timestamps, into $ike_tmp/BOX/ping.NAME until ha_ping_stop NAME.
declare -A ha_ping_pid=()
HA_PING_INTERVAL=0.1

ha_ping_start() {
	local name=$1 box=$2

	ip netns exec "${IKE_NS[$box]}" ping -n -D -i "$HA_PING_INTERVAL" -W 1 "$3" \
		> "$ike_tmp/$box/ping.$name" 2>&1 &
	ha_ping_pid[$name]=$!
	rri_bg_pids+=("${ha_ping_pid[$name]}")
}

ha_ping_stop() {
	kill -INT "${ha_ping_pid[$1]}" 2>/dev/null
	wait "${ha_ping_pid[$1]}" 2>/dev/null
}

# ha_outage FILE: the longest interruption of a ping log (ha_ping_start's):
# "SECONDS LOST AFTER": from the sending of the first unanswered request
# (the last answered one's send time, its reply's time less its round
# trip, plus the interval) to the first reply after it, in seconds; how
# many requests went unanswered in between; how many replies came after.
# "0.0 0 N" if none was lost.
ha_outage() {
	awk -v iv="$HA_PING_INTERVAL" '
	/bytes from/ && !/DUP/ {
		seq = -1
		for (i = 2; i <= NF; i++) {
			if ($i ~ /^icmp_seq=/)
				seq = substr($i, 10) + 0
			else if ($i ~ /^time=/)
				rtt = substr($i, 6) / 1000
		}
		if (seq < 0 || seq in ts)
			next
		ts[seq] = substr($1, 2, length($1) - 2) + 0
		rt[seq] = rtt
		if (seq > max)
			max = seq
	}
	END {
		prev = -1; lost = 0; out = 0; end = -1
		for (s = 0; s <= max; s++) {
			if (!(s in ts))
				continue
			if (prev >= 0 && s - prev - 1 > lost) {
				lost = s - prev - 1
				out = ts[s] - (ts[prev] - rt[prev] + iv)
				end = s
			}
			prev = s
		}
		after = 0
		for (s in ts)
			if (s + 0 >= end)
				after++
		printf "%.1f %d %d\n", out, lost, after
	}' "$1"
}

# ha_resumed FILE: the log shows an interruption and at least 5 replies
# after it.
ha_resumed() {
	local w
	read -r -a w <<< "$(ha_outage "$1")"
	[ "${w[1]}" -gt 0 ] && [ "${w[2]}" -ge 5 ]
}

# ha_diag: keepalived's side of things, after a failure.
ha_diag() {
	local box

	echo "---- HA diagnostics ----"
	for box in gw1 gw2; do
		[ -n "${IKE_NS[$box]:-}" ] || continue
		echo "== $box: VIPs '$(ha_vips "$box")'; rrictl group show:"
		rrictl_ns "${IKE_NS[$box]}" group show 2>&1
		echo "== $box: keepalived (last lines)"
		tail -n 15 "$ike_tmp/$box/keepalived.out" 2>/dev/null
	done
}
