# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A small enterprise network with real daemons, for the tests (and demos)
# that drive rri with IKE: two remote sites that bring up IPsec tunnels to
# two head-end gateways with strongSwan, the gateways announce rri's routes
# into OSPF with BIRD 2, and the core router behind them learns the routes.
# Source it after lib.sh (or lib_route.sh).
#
#      soho1 LAN 10.81.2.0/29                    soho2 LAN 10.81.2.8/29
#      lan0 (dummy) 10.81.2.1                    lan0 (dummy) 10.81.2.9
#   +-------- soho1 --------+                  +-------- soho2 --------+
#   | charon (initiator)    |                  | charon (initiator)    |
#   | s0 203.0.113.1/30     |                  | s0 203.0.113.5/30     |
#   +-----------|-----------+                  +-----------|-----------+
#               |                                          |
#   +-----------|------------------ inet ------------------|-----------+
#   | is1 203.0.113.2/30                      is2 203.0.113.6/30       |
#   | ig1 198.51.100.2/30                     ig2 198.51.100.6/30      |
#   +-----------|------------------------------------------|-----------+
#               |                                          |
#   +-----------|-----------+                  +-----------|-----------+
#   | out0 198.51.100.1/30  |                  | out0 198.51.100.5/30  |
#   | gw1: charon (any      |                  | gw2: charon, rri,     |
#   | peer), rri, BIRD      |                  | BIRD (OSPF, exports   |
#   | (OSPF, exports        |                  | proto 201 routes)     |
#   | proto 201 routes)     |                  |                       |
#   | in0 10.1.255.1/30     |                  | in0 10.1.255.5/30     |
#   +-----------|-----------+                  +-----------|-----------+
#               |                                          |
#   +-----------|------------------ core ------------------|-----------+
#   | cg1 10.1.255.2/30     BIRD (OSPF -> kernel)   cg2 10.1.255.6/30  |
#   | chq 10.1.1.1/24                                                  |
#   +-----------|------------------------------------------------------+
#               |
#   +-----------|-----------+
#   | hq h0 10.1.1.10/24    |
#   | default via 10.1.1.1  |
#   +-----------------------+
#
# Sites: default route toward inet; tunnels soho -> gw carry the site's
# LAN <-> HQ 10.1.0.0/16. Gateways: default route toward inet, HQ
# 10.1.0.0/16 via core; IKE responders for any peer with remote_ts
# 10.81.0.0/16, so the site's narrower selector is what the kernel gets.
#
# lib_ha.sh builds the HA variant of this network (ike_topo_ha): the
# gateways share their outside and inside LANs and a VIP on each.
#
# Namespaces are "rri-BOX-SUFFIX" (SUFFIX defaults to the PID); IKE_NS[BOX]
# maps a box to its namespace. Every daemon runs in the foreground in its
# box, is killed when the script exits, and keeps its configuration, log
# and sockets in $ike_tmp/BOX.

IKE_CHARON=${IKE_CHARON:-/usr/lib/ipsec/charon}
IKE_SWANCTL=${IKE_SWANCTL:-swanctl}
IKE_BIRD=${IKE_BIRD:-bird}
IKE_BIRDC=${IKE_BIRDC:-birdc}
# How long a daemon may take to answer on its socket, and anything else
# (OSPF adjacencies, tcpdump) to get ready.
IKE_START_MS=${IKE_START_MS:-60000}
IKE_WAIT_MS=${IKE_WAIT_MS:-30000}
IKE_PSK=${IKE_PSK:-rri-selftest-not-a-secret}
# IKE proposals: no openssl plugin in Debian's strongswan-charon, so MODP
# from gmp; ESP without a DH group, so a CHILD_SA rekey costs no modexp.
IKE_PROPOSALS=${IKE_PROPOSALS:-aes128-sha256-modp2048}
IKE_ESP_PROPOSALS=${IKE_ESP_PROPOSALS:-aes128-sha256}
# HQ, the traffic selector every site asks for; the sites' supernet, the
# gateways' remote_ts.
IKE_HQ_NET=10.1.0.0/16
IKE_SITES_NET=10.81.0.0/16
# Boxes (space separated) whose charon retransmits as quickly as the
# gateways' do: a site that must find a dead peer within seconds.
IKE_QUICK=${IKE_QUICK:-}
# The outside VIP of the HA variant (lib_ha.sh): empty here. When set, the
# gateways' charon answers on it and each site has one connection, to it.
IKE_VIP_OUT=

declare -A IKE_NS=() IKE_OUT=() IKE_IN=() IKE_LAN=() IKE_HOST=()
declare -A ike_charon_pid=() ike_bird_pid=()
ike_tmp=$(mktemp -d /tmp/rri-ike.XXXXXX)

# Public (outside) address of each IKE box, inside address of each gateway
# (what core's routes point to), LAN of each site and a host on it.
IKE_OUT=([soho1]=203.0.113.1 [soho2]=203.0.113.5 [gw1]=198.51.100.1 [gw2]=198.51.100.5)
IKE_IN=([gw1]=10.1.255.1 [gw2]=10.1.255.5)
IKE_LAN=([soho1]=10.81.2.0/29 [soho2]=10.81.2.8/29)
IKE_HOST=([soho1]=10.81.2.1 [soho2]=10.81.2.9 [hq]=10.1.1.10)

ike_cleanup() {
	local pid

	for pid in "${ike_charon_pid[@]}" "${ike_bird_pid[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	[ "${rri_failed:-0}" = 0 ] || ike_diag
	rm -rf "$ike_tmp"
}

# Run ours, then whatever was registered before (lib.sh's or lib_route.sh's
# cleanup).
ike_prev_trap=$(trap -p EXIT | sed -n "s/^trap -- '\(.*\)' EXIT$/\1/p")
trap 'ike_cleanup; eval "$ike_prev_trap"' EXIT

# ike_wait DESCRIPTION TIMEOUT_MS COMMAND [ARG]...: poll COMMAND
# (bounded); on time-out report a failure that says what was awaited.
ike_wait() {
	local what=$1 ms=$2
	shift 2
	busywait "$ms" "$@" && return 0
	fail "$what: not within $((ms / 1000)) s"
	return 1
}

ike_require() {
	local tool
	for tool in "$IKE_CHARON" "$IKE_SWANCTL" "$IKE_BIRD" "$IKE_BIRDC" unshare ping; do
		if ! command -v "$tool" >/dev/null; then
			fail "$tool is not installed"
			return 1
		fi
	done
}

# ike_exec BOX COMMAND [ARG]...: run COMMAND in BOX's namespace.
ike_exec() {
	local ns=${IKE_NS[$1]}
	shift
	ip netns exec "$ns" "$@"
}

# Under TCG every process costs a few hundred milliseconds: the topology
# is one `ip -batch` for the links and one per namespace for the rest.
declare -A ike_batch=()

# ike_link BOX1 IF1 ADDR1 BOX2 IF2 ADDR2: a veth pair between two boxes.
ike_link() {
	ike_batch[links]+="link add $2 netns ${IKE_NS[$1]} type veth peer name $5 netns ${IKE_NS[$4]}"$'\n'
	ike_batch[$1]+="addr add $3 dev $2"$'\n'"link set $2 up"$'\n'
	ike_batch[$4]+="addr add $6 dev $5"$'\n'"link set $5 up"$'\n'
}

# ike_topo [SUFFIX]: create the namespaces, links, addresses and static
# routes of the drawing above.
ike_topo() {
	local sfx=${1:-$$} box

	ike_batch=()
	for box in soho1 soho2 inet gw1 gw2 core hq; do
		IKE_NS[$box]=rri-$box-$sfx
		ns_add "${IKE_NS[$box]}" || return 1
		mkdir -p "$ike_tmp/$box"
	done
	ike_link soho1 s0 203.0.113.1/30 inet is1 203.0.113.2/30
	ike_link soho2 s0 203.0.113.5/30 inet is2 203.0.113.6/30
	ike_link gw1 out0 198.51.100.1/30 inet ig1 198.51.100.2/30
	ike_link gw2 out0 198.51.100.5/30 inet ig2 198.51.100.6/30
	ike_link gw1 in0 10.1.255.1/30 core cg1 10.1.255.2/30
	ike_link gw2 in0 10.1.255.5/30 core cg2 10.1.255.6/30
	ike_link core chq 10.1.1.1/24 hq h0 10.1.1.10/24
	for box in soho1 soho2; do
		ike_batch[$box]+="link add lan0 type dummy"$'\n'
		ike_batch[$box]+="addr add ${IKE_HOST[$box]}/29 dev lan0"$'\n'
		ike_batch[$box]+="link set lan0 up"$'\n'
	done
	ike_batch[soho1]+="route add default via 203.0.113.2"$'\n'
	ike_batch[soho2]+="route add default via 203.0.113.6"$'\n'
	ike_batch[gw1]+="route add default via 198.51.100.2"$'\n'
	ike_batch[gw2]+="route add default via 198.51.100.6"$'\n'
	ike_batch[gw1]+="route add $IKE_HQ_NET via 10.1.255.2"$'\n'
	ike_batch[gw2]+="route add $IKE_HQ_NET via 10.1.255.6"$'\n'
	ike_batch[hq]+="route add default via 10.1.1.1"$'\n'

	ike_batch_apply
}

# ike_batch_apply: run the links batch, then each box's, and let the
# routers (inet, the gateways, core) forward.
ike_batch_apply() {
	local box

	ip -batch - <<< "${ike_batch[links]}" || return 1
	for box in soho1 soho2 inet gw1 gw2 core hq; do
		ip -n "${IKE_NS[$box]}" -batch - <<< "${ike_batch[$box]}" || return 1
	done
	for box in inet gw1 gw2 core; do
		ip netns exec "${IKE_NS[$box]}" sysctl -qw net.ipv4.ip_forward=1 || return 1
	done
}

# ---------------------------------------------------------------- BIRD ----

# OSPF interfaces of the gateways and of core, as BIRD's area clauses.
# Point-to-point links: no DR election and its wait; hello 1, dead 4:
# adjacencies in a few seconds. lib_ha.sh's shared segment sets its own.
IKE_OSPF_GW_IF='"in0" { type ptp; hello 1; dead 4; retransmit 2; }'
IKE_OSPF_CORE_IF='"cg1", "cg2" { type ptp; hello 1; dead 4; retransmit 2; }'

# ike_bird_conf BOX: BIRD's configuration for a gateway (learn kernel
# routes of protocol 201, export only those into OSPF on in0) or core
# (OSPF toward the gateways, external routes into the kernel).
ike_bird_conf() {
	local box=$1 dir=$ike_tmp/$1

	echo "log \"$dir/bird.log\" all;"
	case $box in
	gw1|gw2)
		cat <<-EOF
		router id ${IKE_IN[$box]};
		protocol device { scan time 10; }
		protocol kernel krt {
			ipv4 { import where krt_source = 201; export none; };
			learn;
			scan time 10;
		}
		protocol ospf v2 ospf1 {
			tick 1;
			ipv4 {
				import none;
				export where source = RTS_INHERIT && krt_source = 201;
			};
			area 0 {
				interface $IKE_OSPF_GW_IF;
			};
		}
		EOF
		;;
	core)
		cat <<-EOF
		router id 10.1.1.1;
		protocol device { scan time 10; }
		protocol kernel krt {
			ipv4 {
				import none;
				export where source = RTS_OSPF_EXT1 || source = RTS_OSPF_EXT2;
			};
			scan time 10;
		}
		protocol ospf v2 ospf1 {
			tick 1;
			ipv4 { import all; export none; };
			area 0 {
				interface $IKE_OSPF_CORE_IF;
			};
		}
		EOF
		;;
	*)
		return 1
		;;
	esac
}

ike_birdc() {
	local box=$1
	shift
	"$IKE_BIRDC" -s "$ike_tmp/$box/bird.ctl" "$@"
}

bird_up() { ike_birdc "$1" show status 2>/dev/null | grep -q 'Daemon is up'; }

# ike_bird_start BOX: write the configuration, start BIRD (in the
# foreground, as a background job of the test); ike_bird_wait waits until
# it answers on its control socket.
ike_bird_start() {
	local box=$1 dir=$ike_tmp/$1

	ike_bird_conf "$box" > "$dir/bird.conf" || return 1
	# Not through ike_exec: $! must be BIRD itself (ip netns exec execs).
	ip netns exec "${IKE_NS[$box]}" "$IKE_BIRD" -f -c "$dir/bird.conf" \
		-s "$dir/bird.ctl" -P "$dir/bird.pid" > "$dir/bird.out" 2>&1 &
	ike_bird_pid[$box]=$!
}

ike_bird_wait() {
	ike_wait "BIRD in $1 answers on its socket" "$IKE_START_MS" bird_up "$1"
}

# ospf_full BOX N: BOX has N OSPF neighbours in state Full.
ospf_full() {
	[ "$(ike_birdc "$1" show ospf neighbors 2>/dev/null | grep -c 'Full/')" = "$2" ]
}

# ------------------------------------------------------------ strongSwan --

ike_vici() { echo "unix://$ike_tmp/$1/charon.vici"; }

# ike_swanctl BOX ARG...: swanctl against BOX's charon (the command word
# must come before --uri).
ike_swanctl() {
	local box=$1 cmd=$2
	shift 2
	STRONGSWAN_CONF=$ike_tmp/$box/strongswan.conf \
		"$IKE_SWANCTL" "$cmd" --uri "$(ike_vici "$box")" "$@"
}

# ike_charon_conf BOX: strongswan.conf of one instance: only the plugins
# a PSK tunnel needs, a private vici socket and log, no routes of its own
# (table 220), and, on gateways, short retransmissions so a dead peer is
# declared dead within seconds of its first missed DPD; with a VIP, on the
# sites too: that is how they notice that the head-end behind it failed.
ike_charon_conf() {
	local box=$1 dir=$ike_tmp/$1 tries=5 rto=2.0 ha="" plugins

	case $box in gw*) tries=3 rto=1.0 ;; esac
	# lib_ha.sh's stateful failover: the HA plugin on the gateways.
	case ${IKE_HA_SYNC:-},$box in yes,gw*) ha=" ha" ;; esac
	[ -z "$IKE_VIP_OUT" ] || tries=3 rto=1.0
	case " $IKE_QUICK " in *" $box "*) tries=3 rto=1.0 ;; esac
	plugins=${ha:+$'\n'$(ha_plugin_conf "$box")}
	cat <<-EOF
	charon {
		load_modular = no
		load = random nonce aes sha1 sha2 hmac kdf gmp kernel-netlink socket-default vici$ha
		install_routes = no
		install_virtual_ip = no
		retransmit_timeout = $rto
		retransmit_base = 1.2
		retransmit_tries = $tries
		plugins {
			vici {
				socket = $(ike_vici "$box")
			}$plugins
		}
		filelog {
			charon {
				path = $dir/charon.log
				time_format = %T
				append = no
				flush_line = yes
				default = 1
			}
		}
		syslog {
			daemon {
				default = -1
			}
		}
	}
	# swanctl loads every plugin it knows of unless told: seconds under TCG.
	swanctl {
		load = pem
	}
	EOF
}

# ike_child_opts [REKEY]: the CHILD_SA settings shared by every
# connection; with REKEY (seconds, 0: strongSwan's defaults) the initiator
# rekeys the CHILD_SA every REKEY seconds, no randomisation.
ike_child_opts() {
	local rekey=${1:-0}

	echo "esp_proposals = $IKE_ESP_PROPOSALS"
	echo "mode = tunnel"
	if [ "$rekey" != 0 ]; then
		echo "rekey_time = ${rekey}s"
		echo "life_time = $((rekey * 2))s"
		echo "rand_time = 0s"
	fi
}

# ike_gw_conf BOX [DPD_DELAY]: swanctl.conf of a gateway: one connection
# "sites" for any peer on its outside address (the VIP if there is one),
# HQ to all of IKE_SITES_NET, DPD every DPD_DELAY seconds (default 2) of
# silence, CHILD_SAs cleared when the peer is dead.
ike_gw_conf() {
	local box=$1 dpd=${2:-2}

	cat <<-EOF
	connections {
		sites {
			version = 2
			local_addrs = ${IKE_VIP_OUT:-${IKE_OUT[$box]}}
			remote_addrs = %any
			proposals = $IKE_PROPOSALS
			dpd_delay = ${dpd}s
			local {
				auth = psk
			}
			remote {
				auth = psk
			}
			children {
				sites {
					local_ts = $IKE_HQ_NET
					remote_ts = $IKE_SITES_NET
					dpd_action = clear
					$(ike_child_opts)
				}
			}
		}
	}
	secrets {
		ike-any {
			secret = $IKE_PSK
		}
	}
	EOF
}

# ike_site_conf BOX [REKEY]: swanctl.conf of a site: connections
# BOX-gw1 and BOX-gw2 (each with a CHILD_SA of the same name), the site's
# LAN to HQ, started by hand. REKEY: CHILD_SA rekey interval of BOX-gw1 in
# seconds (0: strongSwan's default). With a VIP, ike_site_vip_conf's one
# connection instead.
ike_site_conf() {
	local box=$1 rekey=${2:-0} gw r

	if [ -n "$IKE_VIP_OUT" ]; then
		ike_site_vip_conf "$box"
		return
	fi
	echo "connections {"
	for gw in gw1 gw2; do
		r=0
		[ "$gw" != gw1 ] || r=$rekey
		cat <<-EOF
		$box-$gw {
			version = 2
			local_addrs = ${IKE_OUT[$box]}
			remote_addrs = ${IKE_OUT[$gw]}
			proposals = $IKE_PROPOSALS
			local {
				auth = psk
			}
			remote {
				auth = psk
			}
			children {
				$box-$gw {
					local_ts = ${IKE_LAN[$box]}
					remote_ts = $IKE_HQ_NET
					$(ike_child_opts "$r")
				}
			}
		}
		EOF
	done
	cat <<-EOF
	}
	secrets {
		ike-any {
			secret = $IKE_PSK
		}
	}
	EOF
}

# ike_site_vip_conf BOX: swanctl.conf of a site in front of an HA pair:
# one connection BOX-vip (and CHILD_SA of that name) to the VIP, the site's
# LAN to HQ, started by hand. It stays up on its own, whichever gateway
# holds the VIP: DPD after 2 s of silence, and when the peer is found dead
# or closes the CHILD_SA, a new IKE_SA to the VIP, retried for ever. No
# MOBIKE: the VIP is the only address there is to try.
ike_site_vip_conf() {
	local box=$1

	cat <<-EOF
	connections {
		$box-vip {
			version = 2
			local_addrs = ${IKE_OUT[$box]}
			remote_addrs = $IKE_VIP_OUT
			proposals = $IKE_PROPOSALS
			dpd_delay = 2s
			keyingtries = 0
			mobike = no
			local {
				auth = psk
			}
			remote {
				auth = psk
			}
			children {
				$box-vip {
					local_ts = ${IKE_LAN[$box]}
					remote_ts = $IKE_HQ_NET
					dpd_action = restart
					close_action = start
					$(ike_child_opts)
				}
			}
		}
	}
	secrets {
		ike-any {
			secret = $IKE_PSK
		}
	}
	EOF
}

charon_up() { ike_swanctl "$1" --stats >/dev/null 2>&1; }

# ike_charon_start BOX [ARG]...: write BOX's strongswan.conf and
# swanctl.conf (ARGs go to ike_gw_conf / ike_site_conf), start charon in
# the foreground in its own mount namespace with a tmpfs on /run (its pid
# file), in the background: ike_charons_ready waits for it and loads the
# configuration.
ike_charon_start() {
	local box=$1 dir=$ike_tmp/$1
	shift

	ike_charon_conf "$box" > "$dir/strongswan.conf"
	case $box in
	gw*) ike_gw_conf "$box" "$@" > "$dir/swanctl.conf" ;;
	*) ike_site_conf "$box" "$@" > "$dir/swanctl.conf" ;;
	esac
	rm -f "$dir/charon.vici"
	# ip netns exec, unshare, sh and env all exec: $! is charon.
	# shellcheck disable=SC2016
	ip netns exec "${IKE_NS[$box]}" unshare -m \
		sh -c 'mount -t tmpfs tmpfs /run && exec "$@"' charon \
		env STRONGSWAN_CONF="$dir/strongswan.conf" "$IKE_CHARON" \
		> "$dir/charon.out" 2>&1 &
	ike_charon_pid[$box]=$!
	echo "$!" > "$dir/charon.pid"
}

# ike_charon_load BOX: bounded wait for BOX's vici socket, then load its
# connections and secrets; say why on failure.
ike_charon_load() {
	local box=$1 dir=$ike_tmp/$1

	if ! busywait "$IKE_START_MS" charon_up "$box"; then
		echo "no answer on its vici socket within $((IKE_START_MS / 1000)) s"
		return 1
	fi
	if ! ike_swanctl "$box" --load-all --file "$dir/swanctl.conf" > "$dir/load.out" 2>&1; then
		echo "swanctl --load-all: $(tail -n 1 "$dir/load.out")"
		return 1
	fi
}

# ike_charons_ready BOX...: ike_charon_load for every BOX at once (each
# swanctl costs about a second under TCG); a failure for each that fails.
ike_charons_ready() {
	local box pids=() i=0 rc=0

	for box in "$@"; do
		ike_charon_load "$box" > "$ike_tmp/$box/ready.out" 2>&1 &
		pids+=($!)
	done
	for box in "$@"; do
		if ! wait "${pids[i]}"; then
			fail "charon in $box: $(tail -n 1 "$ike_tmp/$box/ready.out")"
			rc=1
		fi
		i=$((i + 1))
	done
	return $rc
}

# ike_charon_kill BOX: SIGKILL: no IKE deletes, kernel SAs and policies
# stay behind.
ike_charon_kill() {
	local pid=${ike_charon_pid[$1]:-}

	[ -n "$pid" ] || return 1
	kill -KILL "$pid" && wait "$pid" 2>/dev/null
	unset 'ike_charon_pid[$1]'
	return 0
}

# ike_initiate BOX CHILD: bring CHILD up (and its IKE_SA if need be);
# swanctl returns once the initiator has installed the CHILD_SA. On
# failure, say what swanctl said; the caller reports.
ike_initiate() {
	local box=$1 child=$2 out

	out=$(ike_swanctl "$box" --initiate --child "$child" --timeout 60 2>&1) && return 0
	echo "swanctl --initiate --child $child in $box: $(tail -n 2 <<< "$out" | paste -sd ' ')"
	return 1
}

# ike_terminate BOX --child|--ike NAME: terminate (with IKE deletes).
ike_terminate() {
	local box=$1 out
	shift

	out=$(ike_swanctl "$box" --terminate "$@" --timeout 60 2>&1) && return 0
	echo "swanctl --terminate $* in $box: $(tail -n 2 <<< "$out" | paste -sd ' ')"
	return 1
}

# ------------------------------------------------------- kernel's truth ---

# ike_route BOX PREFIX: the main-table routes of BOX to exactly PREFIX as
# "via GW dev DEV proto P" ("via -" without gateway, protocol rri as 201),
# joined with "; ", "" if none. Text, not JSON: jq costs half a second
# under TCG and this is polled.
ike_route() {
	local out w i gw dev proto res=""

	out=$(ip -n "${IKE_NS[$1]}" -4 route show exact "$2") || return 1
	while read -r -a w; do
		[ ${#w[@]} -gt 0 ] || continue
		gw=- dev=- proto=boot
		for ((i = 1; i < ${#w[@]} - 1; i++)); do
			case ${w[i]} in
			via) gw=${w[i + 1]} ;;
			dev) dev=${w[i + 1]} ;;
			proto) proto=${w[i + 1]} ;;
			esac
		done
		[ "$proto" != rri ] || proto=201
		res+="${res:+; }via $gw dev $dev proto $proto"
	done <<< "$out"
	echo "$res"
}

# ike_sa_spis BOX SRC DST: the SPIs of BOX's ESP SAs from SRC to DST,
# sorted, space separated.
ike_sa_spis() {
	ip -n "${IKE_NS[$1]}" xfrm state list src "$2" dst "$3" proto esp |
		awk '$1 == "proto" && $3 == "spi" { print $4 }' | sort | paste -sd ' '
}

# ike_sa_packets BOX SRC DST: packets that went through BOX's ESP SAs from
# SRC to DST, all of them together.
ike_sa_packets() {
	ip -n "${IKE_NS[$1]}" -s xfrm state list src "$2" dst "$3" proto esp |
		awk '/lifetime current:/ { getline; gsub(/[(),a-z]/, " "); n += $2 }
		     END { print n + 0 }'
}

# ike_diag: what the daemons and the kernel say, after a failure.
ike_diag() {
	local box f

	echo "---- diagnostics ($ike_tmp) ----"
	for box in gw1 gw2 core; do
		[ -n "${IKE_NS[$box]:-}" ] || continue
		echo "== $box: routes"
		ip -n "${IKE_NS[$box]}" route show 2>&1
		if [ "$box" != core ]; then
			echo "== $box: xfrm policy / state / rrictl"
			ip -n "${IKE_NS[$box]}" xfrm policy show 2>&1 | grep -E '^src|tmpl|dir'
			ip -n "${IKE_NS[$box]}" xfrm state show 2>&1 | grep -E '^src|spi'
			rrictl_ns "${IKE_NS[$box]}" route show 2>&1
			rrictl_ns "${IKE_NS[$box]}" stats 2>&1 | paste -sd ' '
		fi
		[ ! -S "$ike_tmp/$box/bird.ctl" ] || ike_birdc "$box" show route 2>&1 | tail -n +2
	done
	for f in "$ike_tmp"/*/charon.log "$ike_tmp"/*/charon.out "$ike_tmp"/*/bird.out; do
		[ -s "$f" ] || continue
		echo "== ${f#"$ike_tmp"/} (last lines)"
		tail -n 25 "$f"
	done
	echo "== dmesg"
	dmesg | tail -n 20
}

# ike_capture_start BOX IFACE FILTER: tcpdump on BOX's IFACE, one line per
# packet into $ike_cap_file, until ike_capture_stop; returns once tcpdump
# listens.
ike_cap_pid=
ike_cap_file=
ike_capture_start() {
	local box=$1 ifc=$2 filter=$3

	ike_cap_file=$ike_tmp/$box/tcpdump.$ifc
	: > "$ike_cap_file.err"
	ip netns exec "${IKE_NS[$box]}" tcpdump -l -n -i "$ifc" "$filter" \
		> "$ike_cap_file" 2> "$ike_cap_file.err" &
	ike_cap_pid=$!
	rri_bg_pids+=("$ike_cap_pid")
	ike_wait "tcpdump on $box $ifc listens" "$IKE_WAIT_MS" \
		grep -q 'listening on' "$ike_cap_file.err"
}

ike_capture_stop() {
	kill "$ike_cap_pid" 2>/dev/null
	wait "$ike_cap_pid" 2>/dev/null
}

# ike_capture_count PATTERN: lines of the capture that match (grep -E).
ike_capture_count() {
	grep -cE "$1" "$ike_cap_file"
}

# capture_has N PATTERN: the capture has at least N lines matching PATTERN.
capture_has() {
	[ "$(ike_capture_count "$2")" -ge "$1" ]
}

# ike_ping FROM ADDR [COUNT]: COUNT (default 3) pings, every one answered.
ike_ping() {
	local count=${3:-3} out

	out=$(ip netns exec "${IKE_NS[$1]}" ping -n -q -c "$count" -i 0.2 -W 2 "$2" 2>&1)
	if ! grep -q "^$count packets transmitted, $count received" <<< "$out"; then
		echo "ping $2 from $1: $(grep 'packets transmitted' <<< "$out")"
		return 1
	fi
}
