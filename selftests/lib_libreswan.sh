# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# libreswan (pluto) for the rri selftests: one pluto per network namespace,
# each with its own mount namespace (a tmpfs on /run, so nothing it leaves
# there is seen by another instance), its own run directory (control socket,
# pid file), NSS database, ipsec.conf, ipsec.secrets and log, all under the
# test's temporary directory. pluto, whack and addconn are called directly
# with explicit options: the `ipsec` wrapper and the _stackmanager/_plutorun
# scripts of an extracted (not installed) package have hard-coded paths.
#
#   ls_init NAME                  directories and an empty NSS database
#   ls_conf NAME < TEXT           its ipsec.conf (a "config setup" section
#                                 and the connections)
#   ls_secrets NAME < TEXT        its ipsec.secrets
#   ls_start NAME NS              start pluto in NS, wait until whack answers
#   ls_add NAME CONN...           load connections from the ipsec.conf
#   ls_up NAME CONN               initiate CONN, wait for its IPsec SA
#   ls_wait_child NAME CONN       wait until CONN has an established IPsec SA
#   ls_down NAME CONN             terminate CONN (IKE Delete to the peer)
#   ls_delete NAME CONN           delete CONN (its SAs, policies, config)
#   ls_kill NAME [SIGNAL]         signal pluto (default KILL), wait for it
#   ls_whack NAME ARG...          any other whack command
#   ls_log NAME                   the end of its log, for failure reports
#
# Every wait is a bounded poll; a timeout prints what was waited for and the
# end of pluto's log. Tests source this after lib_route.sh or lib.sh.

LIBRESWAN=${RRI_LIBRESWAN:-/var/cache/rri/libreswan-4.10}
LS_BIN=$LIBRESWAN/usr/libexec/ipsec
LS_PLUTO=$LS_BIN/pluto
LS_WHACK=$LS_BIN/whack
LS_ADDCONN=$LS_BIN/addconn
# How long pluto may take to answer whack after it was started, and an
# exchange (IKE_SA_INIT + IKE_AUTH, or a Delete) to complete, under TCG.
LS_START_MS=${LS_START_MS:-60000}
LS_NEGOTIATE_MS=${LS_NEGOTIATE_MS:-60000}

declare -A ls_pid=() ls_ns=()

ls_tmp=$(mktemp -d /tmp/rri-libreswan.XXXXXX)

# Kill every pluto still running, then the rest of the test's cleanup (the
# trap lib.sh or lib_route.sh set).
ls_prev_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")
ls_cleanup() {
	local name
	for name in "${!ls_pid[@]}"; do
		kill -KILL "${ls_pid[$name]}" 2>/dev/null
		busywait 5000 ls_gone "$name"
	done
	if [ -n "$ls_prev_trap" ]; then
		eval "$ls_prev_trap"
	fi
	rm -rf "$ls_tmp"
}
trap ls_cleanup EXIT

# ls_require: libreswan is part of what the test needs; its absence is a
# failure, not a skip (run scripts/deps.sh or point $RRI_LIBRESWAN at an
# extracted package).
ls_require() {
	local f
	for f in "$LS_PLUTO" "$LS_WHACK" "$LS_ADDCONN"; do
		if [ ! -x "$f" ]; then
			echo "FAIL - libreswan: $f missing (set RRI_LIBRESWAN to an extracted libreswan package)"
			exit "$KSFT_FAIL"
		fi
	done
	if ! command -v certutil >/dev/null; then
		echo "FAIL - libreswan: certutil missing (libnss3-tools)"
		exit "$KSFT_FAIL"
	fi
	if ! "$LS_PLUTO" --version >/dev/null 2>&1; then
		echo "FAIL - libreswan: $LS_PLUTO does not run: $("$LS_PLUTO" --version 2>&1 | head -n 1)"
		exit "$KSFT_FAIL"
	fi
}

ls_dir() { echo "$ls_tmp/$1"; }
ls_indent() { sed 's/^/    /'; }
ls_ctl() { echo "$ls_tmp/$1/run/pluto.ctl"; }

ls_init() {
	local d=$ls_tmp/$1

	mkdir -p "$d/run" "$d/nss" "$d/ipsec.d" || return 1
	: > "$d/ipsec.conf"
	: > "$d/ipsec.secrets"
	chmod 600 "$d/ipsec.secrets"
	certutil -N -d "sql:$d/nss" --empty-password >/dev/null 2>"$d/certutil.err" || {
		echo "libreswan $1: certutil -N failed: $(cat "$d/certutil.err")"
		return 1
	}
}

ls_conf() { cat > "$ls_tmp/$1/ipsec.conf"; }
ls_secrets() { cat > "$ls_tmp/$1/ipsec.secrets"; }

# ls_log NAME [LINES]: the end of pluto's log and of its stdout/stderr.
ls_log() {
	local d=$ls_tmp/$1
	tail -n "${2:-25}" "$d/pluto.log" "$d/pluto.out" 2>/dev/null | ls_indent
}

ls_whack() {
	local name=$1
	shift
	"$LS_WHACK" --ctlsocket "$(ls_ctl "$name")" "$@"
}

# ls_alive NAME: pluto runs (a killed one not yet reaped is a zombie: not
# running).
ls_alive() {
	local stat
	stat=$(cat "/proc/${ls_pid[$1]}/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

ls_answers() {
	ls_alive "$1" || return 2
	ls_whack "$1" --status >/dev/null 2>&1
}

# The mount namespace pluto runs in: a tmpfs on /run; pluto's compiled-in
# /usr/libexec/ipsec (it execs .../addconn --autoall at start and refuses to
# run without it) made to show the extracted package's programs; and its
# own ipsec.conf over /etc/ipsec.conf, which that addconn reads (it is given
# no --config). $1 is libreswan's program directory, $2 the instance's
# directory, the rest the command.
# shellcheck disable=SC2016
readonly LS_MOUNTS='
	set -e
	bin=$1 d=$2
	shift 2
	mount -t tmpfs -o mode=0755 rri-run /run
	if [ -d /usr/libexec/ipsec ]; then
		[ /usr/libexec/ipsec -ef "$bin" ] || mount --bind "$bin" /usr/libexec/ipsec
	else
		# A tmpfs over /usr/libexec, with links to what it hid.
		mkdir /run/libexec
		mount --bind /usr/libexec /run/libexec
		mount -t tmpfs -o mode=0755 rri-libexec /usr/libexec
		for e in /run/libexec/*; do
			[ ! -e "$e" ] || ln -s "$e" /usr/libexec/
		done
		ln -s "$bin" /usr/libexec/ipsec
	fi
	[ ! -f /etc/ipsec.conf ] || mount --bind "$d/ipsec.conf" /etc/ipsec.conf
	exec "$@"
'

# ls_start NAME NS: run pluto for NAME in namespace NS. `ip netns exec`,
# `unshare` and `sh -c` all exec, so $! is pluto's own pid. It is disowned
# so that killing it on purpose prints no "Killed" job report; bash still
# reaps it (ls_alive tells a zombie from a live process anyway).
ls_start() {
	local name=$1 ns=$2 d=$ls_tmp/$1

	ip netns exec "$ns" unshare -m sh -c "$LS_MOUNTS" sh "$LS_BIN" "$d" \
		"$LS_PLUTO" --nofork \
		--config "$d/ipsec.conf" \
		--secretsfile "$d/ipsec.secrets" \
		--ipsecdir "$d/ipsec.d" \
		--nssdir "$d/nss" \
		--rundir "$d/run" \
		--dumpdir "$d/run" \
		--logfile "$d/pluto.log" \
		--no-dnssec \
		> "$d/pluto.out" 2>&1 &
	ls_pid[$name]=$!
	ls_ns[$name]=$ns
	disown "${ls_pid[$name]}"
	if ! busywait "$LS_START_MS" ls_answers "$name"; then
		if ls_alive "$name"; then
			echo "libreswan $name: pluto (pid ${ls_pid[$name]}) did not answer whack within $LS_START_MS ms"
		else
			echo "libreswan $name: pluto exited during start"
		fi
		ls_log "$name"
		return 1
	fi
}

# ls_add NAME CONN...: load connections from NAME's ipsec.conf. addconn
# resolves addresses and interfaces, so it runs in pluto's namespace.
ls_add() {
	local name=$1 d=$ls_tmp/$1 out
	shift
	if ! out=$(ip netns exec "${ls_ns[$name]}" "$LS_ADDCONN" \
		--ctlsocket "$(ls_ctl "$name")" --config "$d/ipsec.conf" "$@" 2>&1); then
		echo "libreswan $name: addconn $* failed:"
		printf '%s\n' "$out" | ls_indent
		return 1
	fi
}

# ls_child_up NAME CONN: CONN has an established IPsec SA (the traffic
# status lists one line per established child SA).
ls_child_up() {
	ls_whack "$1" --trafficstatus 2>/dev/null | grep -q "\"$2\"\(\[[0-9]*\]\)\{0,1\}\( [^,]*\)\{0,1\}, type=ESP"
}

ls_child_down() { ! ls_child_up "$@"; }

# ls_wait_child NAME CONN [up|down]
ls_wait_child() {
	local name=$1 conn=$2 want=${3:-up}

	if ! busywait "$LS_NEGOTIATE_MS" "ls_child_$want" "$name" "$conn"; then
		echo "libreswan $name: $conn not $want within $LS_NEGOTIATE_MS ms"
		ls_whack "$name" --trafficstatus 2>&1 | ls_indent
		ls_log "$name"
		return 1
	fi
}

# ls_up NAME CONN: initiate CONN (asynchronously: whack returns at once)
# and wait until its IPsec SA is established.
ls_up() {
	local name=$1 conn=$2 out

	if ! out=$(ls_whack "$name" --initiate --asynchronous --name "$conn" 2>&1); then
		echo "libreswan $name: whack --initiate $conn failed:"
		printf '%s\n' "$out" | ls_indent
		return 1
	fi
	ls_wait_child "$name" "$conn" up
}

# ls_down NAME CONN: terminate CONN's SAs (pluto sends the peer a Delete);
# the connection stays loaded.
ls_down() {
	ls_whack "$1" --terminate --name "$2" >/dev/null 2>&1
	ls_wait_child "$1" "$2" down
}

# ls_delete NAME CONN: delete CONN (and its instances) outright.
ls_delete() {
	ls_whack "$1" --delete --name "$2" >/dev/null 2>&1
	ls_wait_child "$1" "$2" down
}

ls_gone() { ! ls_alive "$1"; }

# ls_kill NAME [SIGNAL]: signal pluto (default SIGKILL) and wait (bounded)
# until it has exited.
ls_kill() {
	local name=$1 sig=${2:-KILL} pid=${ls_pid[$1]}

	kill -"$sig" "$pid" 2>/dev/null
	if ! busywait "$LS_START_MS" ls_gone "$name"; then
		echo "libreswan $name: pluto (pid $pid) still running $LS_START_MS ms after SIG$sig"
		return 1
	fi
	unset "ls_pid[$name]"
}
