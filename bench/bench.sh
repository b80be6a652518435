#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build the timing helper, boot the test VM once with
# slub_debug off and run bench/run.sh in it; the report also goes to
# build/bench.txt, the guest's kernel log to build/bench/console.log.
#
#   bench/bench.sh [RUN.SH OPTION]...     e.g. -4 "1000 10000" -6 ""
#   bench/bench.sh -4 1000 -6 "" -c 1000 -a 1000   (a quick run of every row)
#
# RRI_BENCH_ARGS (words) is passed to run.sh too; RRI_BENCH_TIMEOUT is the
# VM's limit in seconds (default 5400). Module and rrictl must be built
# (make all).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench
cd "$top" || exit 1
mkdir -p "$out"

make -s bench-helper || exit 1

# shellcheck disable=SC2086
selftests/vm/run -s - -m 4096 -t "${RRI_BENCH_TIMEOUT:-5400}" -l "$out/console.log" \
	-- bench/run.sh ${RRI_BENCH_ARGS:-} "$@" 2>&1 | tee "$top/build/bench.txt"
rc=${PIPESTATUS[0]}
echo "bench: report in build/bench.txt (kernel log: build/bench/console.log)"
exit "$rc"
