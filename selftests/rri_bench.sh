#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench's rows, run small: bench/run.sh with a few hundred tunnels.
# Nothing is timed here (make bench reports the figures, from one VM run
# with slub_debug off, and they are never asserted); this proves that
# every row still runs to the end and that each measured step did what it
# is timed for, in the FIB: the bulk and re-injection rows, the rekey of
# many child SAs (no route notification but the sentinel's), adoption and
# map changes (every route, then every one with metric 5), and the HA
# failover rows (withdrawal leaves none of the group's routes in the FIB,
# re-injection all of them), each against its raw 'ip -batch' baseline, and
# the stateful failover row (the standby in step with every SA, every
# NEWAE applied, the takeover injecting every route).
source "$(dirname "$0")/lib.sh"
require jq
require bc

top=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$top/build/bench/rri-bench" ] ||
	{ fail "build/bench/rri-bench is not built (make check builds it)"; rri_exit; }
rri_is_loaded && { fail "rri is loaded: the benchmark loads its own"; rri_exit; }

N=300
out=$("$top/bench/run.sh" -4 "$N" -6 "$N" -l 20 -f 20 -c "$N" -a "$N" -s "$N" -r 1 \
	-k "$RRI_KO" 2>&1)
rc=$?
rri_is_loaded && rmmod rri
# The progress lines, for the log.
grep '^\[' <<< "$out" | sed 's/^/# /'
check_eq "bench/run.sh ran to the end" 0 "$rc"
check "it says done" grep -q '^\[ *[0-9.]*s\] done$' <<< "$out"

# Every timed command succeeded and no notification was lost.
# distinct KEY: the values KEY=... takes in the progress, once each.
distinct() { grep -o "$1=[-0-9]*" <<< "$out" | sort -u | paste -sd ' '; }
check_eq "every timed command exited 0" "rc=0" "$(distinct rc)"
check_eq "no listener overflowed" "overflow=0" "$(distinct overflow)"

# count_lines PATTERN: lines of the progress that match.
count_lines() { grep -cE "$1" <<< "$out"; }

check_eq "adoption: the map owns all $N policies and routes, the FIB holds them" 1 \
	"$(count_lines "adoption: N=$N: rrictl returned .*FIB holds $N; map all owns $N policies, $N routes$")"
check_eq "map set metric 5: $N routes deleted, the FIB holds $N with metric 5" 1 \
	"$(count_lines "map change: N=$N: rrictl returned .* $N routes deleted .*FIB holds $N, $N with metric 5$")"
check_eq "the narrow map owns its one policy and route, five times" 5 \
	"$(count_lines "narrow map add: .*it owns 1 policy, 1 route; map all owns $N$")"
check_eq "failover: standby leaves none, active all $N, three times" 3 \
	"$(count_lines "failover: N=$N: standby \(withdrawal\) [0-9.]+ ms \(FIB holds 0\); active .*FIB holds $N$")"
check_eq "failover: every route names a nexthop object" 1 \
	"$(count_lines "failover: N=$N: routes naming a nexthop object: $N$")"
check_eq "classic: map set metric 7 with nexthop_objects=N re-derives every route without one" 1 \
	"$(count_lines "failover: N=$N: map set all metric 7 with nexthop_objects=N: rc=0; FIB holds $N, 0 with nhid$")"
check_eq "classic failover: active puts all $N back, three times" 3 \
	"$(count_lines "failover: N=$N: active \(re-injection of routes without nexthop objects\): [0-9.]+ ms \(rc=0\); FIB holds $N$")"
check_eq "raw failover: del leaves none, add all $N, three times" 3 \
	"$(count_lines "failover: N=$N: raw ip -batch route del [0-9.]+ ms \(rc=0; FIB holds 0\); route add: .*FIB holds $N$")"
check_eq "raw adoption baseline: the FIB holds $N" 1 \
	"$(count_lines "adoption: N=$N: raw batch returned .*FIB holds $N$")"
check_eq "child SAs: three rekeys, no route added or deleted but the sentinel's" 3 \
	"$(count_lines "child SAs: rekey [0-9] with map: .*route notifications: 0 added, 0 deleted")"

check_eq "stateful failover: the standby in step with all $N SAs" 1 \
	"$(count_lines "stateful failover: standby in step after [0-9.]+ ms: up $N $N$")"
check_eq "stateful failover: every NEWAE of the load applied" 1 \
	"$(count_lines "stateful failover: stream: $((N * 10)) NEWAE in [0-9.]+ s \(0 failed")"
check_eq "stateful failover: the takeover moved $N SAs on and injected every route" 1 \
	"$(count_lines "stateful failover: takeover: route $N at [0-9.]+ ms \(rc=0\); rri-syncd: takeover: $N outbound SAs moved ahead, 0 inbound set, 0 without a synced state, in [0-9]+ ms; group released; FIB holds $N$")"

# The report: each row with its figures.
report=$(sed -n '/^=== rri benchmark: /,$p' <<< "$out")
for row in adopt set narrow active standby classic; do
	check "the report has the $row row" grep -qE "^  $row +[0-9.]+ " <<< "$report"
done
for fam in v4 v6; do
	check_eq "the report has the $fam bulk and re-injection rows" 2 \
		"$(grep -cE "^$fam +$N +[0-9.-]+ " <<< "$report")"
done
check "the report has the latency row" grep -q "^Per-event latency, .*(20 samples, 0 failed)" <<< "$report"
check "the report has the stateful failover row" grep -qE "^  N=$N +[0-9.]+ +[0-9]+ +[0-9]+ " <<< "$report"
check "the report has the HA failover targets" \
	grep -qE "HA re-injection of $N routes >= 5x faster than raw: +[0-9.]+x" <<< "$report"
rri_exit
