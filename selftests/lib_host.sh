# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# For make check's tests on the host (host_*.sh): one TAP test each, its
# checks as "#   ok - ..." / "#   FAIL - ..." lines, and a count line, as
# selftests/run_tests.sh prints for the VM's tests.
set -u

host_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
host_failed=0

ok() { echo "#   ok - $1"; }
bad() { echo "#   FAIL - $1"; host_failed=1; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi; }

# host_begin DESCRIPTION: the TAP header.
host_begin() {
	echo "TAP version 13"
	echo "1..1"
	echo "# $(basename "$0"): $1"
	host_start=$(date +%s%3N)
}

# host_end: the test's line and the count line; exits with its status.
host_end() {
	local ms=$(($(date +%s%3N) - host_start)) name
	name=$(basename "$0")
	if [ "$host_failed" = 0 ]; then
		echo "ok 1 $name # $ms ms"
		echo "1 passed, 0 failed, 0 skipped"
	else
		echo "not ok 1 $name # $ms ms"
		echo "0 passed, 1 failed, 0 skipped"
	fi
	exit "$host_failed"
}
