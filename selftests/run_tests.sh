#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the rri selftests as root on a machine that can load rri.ko (the test
# VM, or a scratch gateway), one after the other, and print TAP:
#
#   selftests/run_tests.sh [TEST]...     (default: every test in the Makefile)
#
# Each test gets the timeout from 'settings'. After each one, the module is
# unloaded if the test left it loaded (so unload-time leaks count against
# that test), and the kernel log the test produced is scanned: a warning,
# BUG, oops, leak or lockdep report fails the test even if it passed its
# own checks; on a kernel with kmemleak, so does a leak found by a scan
# after the test. A test that is about to hit its timeout gets the VM's
# processes listed with their kernel stacks first, so a hang says where it
# waits. The last line is "N passed, N failed, N skipped".
set -u

dir=$(cd "$(dirname "$0")" && pwd)
# Per-test limit: settings, unless $RRI_TIMEOUT says otherwise (the debug
# kernel runs everything several times slower).
timeout=${RRI_TIMEOUT:-$(sed -n 's/^timeout=//p' "$dir/settings")}

# Every kernel report the suite treats as a failure.
kernel_bad='WARNING:|BUG|Oops|Call Trace|RIP:|refcount_t|still has objects'
kernel_bad+='|general protection|KASAN|UBSAN|unreferenced object'
kernel_bad+='|INFO: task .* blocked|suspicious RCU usage|sleeping function called'
kernel_bad+='|possible circular locking|inconsistent lock state'

if [ $# -gt 0 ]; then
	tests=("$@")
else
	# TEST_PROGS of the Makefile, in order.
	read -r -a tests <<< "$(sed -n 's/^TEST_PROGS *:= *//p' "$dir/Makefile")"
fi

# On a kernel with kmemleak (the debug kernel), forget what boot left
# behind, and after each test scan for objects the test leaked. kmemleak
# reports an object only once it is 5 s old, hence the pause before a scan.
kmemleak=/sys/kernel/debug/kmemleak
if [ -w "$kmemleak" ]; then
	echo scan > "$kmemleak"
	echo clear > "$kmemleak"
else
	kmemleak=
fi

kmemleak_report() {
	[ -n "$kmemleak" ] || return 0
	# A stale copy of a pointer (on a stack, in a register) hides a leak
	# from one scan; a second scan a moment later sees through most.
	sleep 6
	echo scan > "$kmemleak"
	sleep 1
	echo scan > "$kmemleak"
	cat "$kmemleak"
	echo clear > "$kmemleak"
}

# An oops leaves locks held and RCU stalled: the test would hang until its
# timeout and every later one with it. When the VM runs the suite, print
# the oops and power off: the VM runner then counts the test as failed and
# closes the TAP stream.
oops_watch() {
	local mark=$1 n=$2 t=$3

	[ -e /run/rri-vm/cmd ] || return 0
	while sleep 2; do
		dmesg | tail -n +$((mark + 1)) |
			grep -qE 'Oops|general protection fault|BUG: unable to handle|KASAN:|Kernel panic' ||
			continue
		sleep 2
		dmesg | tail -n +$((mark + 1)) | sed 's/^/#   kernel: /'
		echo "# the kernel oopsed during test $n ($t); the suite stops here"
		stty -F /dev/ttyS1 raw -echo 2>/dev/null
		echo o > /proc/sysrq-trigger
	done
}

# Shortly before a test's timeout, say what its processes wait on: the
# user processes of the VM, and the kernel stacks of those not running.
hang_watch() {
	local t=$1 pid sleeper

	# Killed when the test ends: take the sleep along, so that nothing
	# holds the suite's output open.
	sleep "$2" &
	sleeper=$!
	trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
	wait "$sleeper" || return
	echo "#   $t is about to time out; the processes and where they wait:"
	for pid in $(ps -eo pid=,args= | awk '$2 !~ /^\[/ && $1 != 1 { print $1 }'); do
		[ "$pid" = "$BASHPID" ] && continue
		ps -o pid=,ppid=,stat=,wchan:28=,args= -p "$pid" 2>/dev/null | cut -c1-150 | sed "s/^/#     /"
		grep -qs '^State:.*[SD] (' "/proc/$pid/status" &&
			sed 's/^/#         /' "/proc/$pid/stack" 2>/dev/null
	done
}

echo "TAP version 13"
echo "1..${#tests[@]}"
echo "# kernel $(uname -r), up $(cut -d' ' -f1 /proc/uptime) s"

passed=0 failed=0 skipped=0 n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	if [ ! -x "$dir/$t" ]; then
		echo "not ok $n $t # not built"
		failed=$((failed + 1))
		continue
	fi

	mark=$(dmesg | wc -l)
	start=$(date +%s%N)
	echo "# $t"
	oops_watch "$mark" "$n" "$t" &
	watch=$!
	hang_watch "$t" $((timeout > 60 ? timeout - 20 : timeout * 2 / 3)) &
	hang=$!
	timeout -k 10 "$timeout" "$dir/$t" 2>&1 | sed -u 's/^/#   /'
	rc=${PIPESTATUS[0]}
	kill "$watch" "$hang" 2>/dev/null
	wait "$watch" "$hang" 2>/dev/null
	if [ -d /sys/module/rri ] && ! rmmod rri; then
		echo "#   rmmod rri failed after the test"
		rc=1
	fi
	ms=$((($(date +%s%N) - start) / 1000000))

	leaks=$(kmemleak_report)
	bad=$(dmesg | tail -n +$((mark + 1)) | grep -E "$kernel_bad")
	if [ -n "$bad" ] || [ -n "$leaks" ]; then
		echo "#   kernel log:"
		dmesg | tail -n +$((mark + 1)) | sed 's/^/#   kernel: /'
		[ -z "$leaks" ] || sed 's/^/#   kmemleak: /' <<< "$leaks"
		echo "not ok $n $t # kernel reported a problem (${ms} ms)"
		failed=$((failed + 1))
	elif [ "$rc" = 0 ]; then
		echo "ok $n $t # ${ms} ms"
		passed=$((passed + 1))
	elif [ "$rc" = 4 ]; then
		echo "ok $n $t # SKIP"
		skipped=$((skipped + 1))
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "not ok $n $t # timed out after ${timeout}s"
		failed=$((failed + 1))
	else
		echo "not ok $n $t # exit $rc (${ms} ms)"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
