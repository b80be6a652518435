#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rrictl's contract: versions agree with the loaded module, JSON is valid
# and keyed as documented, text and JSON say the same, usage errors exit 2,
# runtime errors exit 1 with a "rrictl: " message, and -n picks the
# namespace.
source "$(dirname "$0")/lib.sh"

NS_a=rri-a-$$
ns_add "$NS_a"
rri_load || { fail "insmod rri.ko"; rri_exit; }

modver=$(cat /sys/module/rri/version)
check_eq "rrictl version names the loaded module's version" \
	"module $modver" "$("$RRICTL" version | sed -n 's/^module /module /p')"
check_eq "JSON version agrees" "$modver" "$("$RRICTL" -j version | jq -r .module)"
check_eq "-V prints rrictl's version" "rrictl $("$RRICTL" -j version | jq -r .rrictl)" \
	"$("$RRICTL" -V)"

keys='["acquire","events_dropped","policy_add","policy_delete","policy_expire","policy_flush","policy_update","resync","route_add","route_conflict","route_del","route_error","route_restored","route_unresolved","sa_add","sa_delete","sa_expire","sa_flush","sa_update"]'
check_eq "stats JSON has exactly the documented keys" "$keys" \
	"$("$RRICTL" -j stats | jq -c 'keys')"
check "pretty JSON is valid JSON" bash -c "'$RRICTL' -p stats | jq -e . >/dev/null"

xfrm_sa_add "$NS_a" 192.0.2.1 192.0.2.2 0x101
one_in_a() { [ "$(rrictl_ns "$NS_a" -j stats | jq .sa_add)" = 1 ]; }
check "-n acts in the named namespace" busywait 5000 one_in_a
check_eq "and not in the current one" 0 "$("$RRICTL" -j stats | jq .sa_add)"
check_eq "text and JSON agree" "$(rrictl_ns "$NS_a" -j stats | jq -r 'to_entries[] | "\(.key) \(.value)"' | sort)" \
	"$(rrictl_ns "$NS_a" stats | sort)"

exit_of() { "$@" >/dev/null 2>&1; echo $?; }
check_eq "unknown command exits 2" 2 "$(exit_of "$RRICTL" frobnicate)"
check_eq "unknown stats subcommand exits 2" 2 "$(exit_of "$RRICTL" stats frobnicate)"
check_eq "unknown option exits 2" 2 "$(exit_of "$RRICTL" -Q stats)"
check_eq "command --help exits 0" 0 "$(exit_of "$RRICTL" stats --help)"
check_eq "a missing namespace exits 1" 1 "$(exit_of "$RRICTL" -n nosuch-$$ stats)"
check_match "and says which" "rrictl: *nosuch-$$*" "$("$RRICTL" -n nosuch-$$ stats 2>&1)"
check_eq "a failed JSON command prints no JSON" "" "$("$RRICTL" -j -n nosuch-$$ stats 2>/dev/null)"

rri_exit
