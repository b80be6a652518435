# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the rri selftests. Each test sources this, creates its
# own namespaces (named with its PID so runs never collide), reports every
# check on a "# ok - ..." / "# FAIL - ..." line and exits 0 (pass),
# 1 (fail) or 4 (skip) as kselftest expects.

set -u

readonly KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4
RRI_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RRICTL=$RRI_TOP/tools/rrictl/rrictl
# The module to test; check-debug points it at a build for its kernel.
RRI_KO=${RRI_KO:-$RRI_TOP/kmod/rri.ko}
PATH=$PATH:/usr/sbin:/sbin

rri_failed=0
rri_checks=0
rri_netns=()
rri_bg_pids=()
rri_loaded_here=0

log() { echo "$*"; }

pass() {
	rri_checks=$((rri_checks + 1))
	echo "ok - $*"
}

fail() {
	rri_checks=$((rri_checks + 1))
	rri_failed=1
	echo "FAIL - $*"
}

skip_test() {
	echo "SKIP - $*"
	exit $KSFT_SKIP
}

# check DESCRIPTION COMMAND [ARG]...: pass if COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@"; then
		pass "$what"
	else
		fail "$what"
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_match DESCRIPTION GLOB STRING
check_match() {
	# shellcheck disable=SC2053
	if [[ $3 == $2 ]]; then
		pass "$1"
	else
		fail "$1: '$3' does not match '$2'"
	fi
}

# busywait TIMEOUT_MS COMMAND [ARG]...: retry COMMAND until it succeeds or
# the time is up. Never a fixed sleep: events land in microseconds, TCG
# just makes every step slower.
busywait() {
	local timeout_ms=$1
	shift
	local start now
	start=$(date +%s%3N)
	while :; do
		if "$@"; then
			return 0
		fi
		now=$(date +%s%3N)
		[ $((now - start)) -lt "$timeout_ms" ] || return 1
		sleep 0.05
	done
}

require() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || skip_test "$tool is not installed"
	done
}

rri_is_loaded() { [ -d /sys/module/rri ]; }

# rri_load: insmod the tree's module ($RRI_KO) and make sure that it is the
# one loaded, whatever else is installed.
rri_load() {
	insmod "$RRI_KO" || return 1
	rri_loaded_here=1
	[ "$(cat /sys/module/rri/srcversion)" = "$(modinfo -F srcversion "$RRI_KO")" ] || {
		echo "# rri_load: the loaded rri is not $RRI_KO"
		return 1
	}
}

rri_unload() {
	rmmod rri && rri_loaded_here=0
}

# ns_add NAME: create netns NAME (tests put $$ in it) with lo up; it is
# deleted when the test exits.
ns_add() {
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
	rri_netns+=("$1")
}

ns_del() {
	local ns=$1 i
	ip netns del "$ns"
	for i in "${!rri_netns[@]}"; do
		[ "${rri_netns[$i]}" != "$ns" ] || unset 'rri_netns[i]'
	done
}

# rrictl in namespace NS ("" for the current one).
rrictl_ns() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		"$RRICTL" -n "$ns" "$@"
	else
		"$RRICTL" "$@"
	fi
}

# stats_json NS: the namespace's counters as compact JSON.
stats_json() {
	rrictl_ns "$1" -j stats | jq -cS .
}

# xfrm_sa_add NS SRC DST SPI [ARG]...: a tunnel-mode ESP SA.
xfrm_sa_add() {
	local ns=$1 src=$2 dst=$3 spi=$4
	shift 4
	ip -n "$ns" xfrm state add src "$src" dst "$dst" proto esp spi "$spi" \
		reqid 1 mode tunnel \
		aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 "$@"
}

# xfrm_policy_add NS DIR LOCAL_NET REMOTE_NET SRC DST [ARG]...
xfrm_policy_add() {
	local ns=$1 dir=$2 lnet=$3 rnet=$4 src=$5 dst=$6
	shift 6
	ip -n "$ns" xfrm policy add src "$lnet" dst "$rnet" dir "$dir" "$@" \
		tmpl src "$src" dst "$dst" proto esp reqid 1 mode tunnel
}

xfrm_count() {
	local ns=$1 what=$2
	ip -n "$ns" xfrm "$what" count | awk '{ print $NF }'
}

# bg_start COMMAND [ARG]...: run COMMAND in the background until the test
# ends.
bg_start() {
	"$@" >/dev/null 2>&1 &
	rri_bg_pids+=($!)
}

rri_cleanup() {
	local ns pid
	for pid in "${rri_bg_pids[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in "${rri_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ "$rri_loaded_here" = 1 ] && rri_is_loaded; then
		rmmod rri
	fi
}
trap rri_cleanup EXIT

# Exit with the kselftest code for what was checked.
rri_exit() {
	if [ "$rri_checks" = 0 ]; then
		echo "FAIL - the test checked nothing"
		exit $KSFT_FAIL
	fi
	[ "$rri_failed" = 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}

[ "$(id -u)" = 0 ] || skip_test "needs root"
[ -x "$RRICTL" ] || { echo "FAIL - $RRICTL not built"; exit $KSFT_FAIL; }
[ -f "$RRI_KO" ] || { echo "FAIL - $RRI_KO not built"; exit $KSFT_FAIL; }
require ip jq
