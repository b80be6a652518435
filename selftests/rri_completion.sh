#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shell habits: the bash completion of rrictl (etc/rrictl.bash-completion)
# completes options, commands, keywords and their values, and the map names,
# HA group names and devices of the namespace named with -n; `rrictl help`
# and the man page list every command rrictl has.
source "$(dirname "$0")/lib.sh"
require man

completion=/usr/share/bash-completion/bash_completion
[ -f "$completion" ] || skip_test "bash-completion is not installed"
GW=rri-cmp-$$
ns_add "$GW" || { fail "namespace"; rri_exit; }
rri_load || { fail "insmod rri.ko"; rri_exit; }
ip -n "$GW" link add tun-a type dummy
ip -n "$GW" link add tun-b type dummy
rrictl_ns "$GW" map add hq remote 10.81.0.0/16
rrictl_ns "$GW" map add branch remote 10.82.0.0/16
rrictl_ns "$GW" group add pair vip 192.0.2.100
rrictl_ns "$GW" group add sync manual

# complete WORD...: what completing the last word offers, sorted, one line.
complete_words() {
	PATH=$RRI_TOP/tools/rrictl:$PATH bash -c '
		source "$1"; source "$2"; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_rrictl
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " " | sed "s/ $//"' \
		_ "$completion" "$RRI_TOP/etc/rrictl.bash-completion" "$@"
}

check_eq "commands" "agent group help map monitor peer route sa save stats version" "$(complete_words rrictl "")"
check_eq "options" "--batch --help --json --netns --pretty --version -V -b -h -j -n -p" \
	"$(complete_words rrictl -)"
check_eq "netns names after -n" "$GW" "$(complete_words rrictl -n "${GW%-*}")"
check_eq "map subcommands" "add del set show" "$(complete_words rrictl -n "$GW" map "")"
check_eq "map names of the namespace for map show" "branch hq" \
	"$(complete_words rrictl -n "$GW" map show "")"
check_eq "map names for route show map" "hq" \
	"$(complete_words rrictl -n "$GW" route show map h)"
check_eq "no map names where a new one is named" "" \
	"$(complete_words rrictl -n "$GW" map add "")"
check_eq "keywords of map add" "remote remote-peer reqid" \
	"$(complete_words rrictl -n "$GW" map add x re)"
check_eq "values of mode" "dynamic static" "$(complete_words rrictl map add x mode "")"
check_eq "values of nexthop" "dev gateway peer" "$(complete_words rrictl map set x nexthop "")"
check_eq "devices of the namespace for nexthop dev" "tun-a tun-b" \
	"$(complete_words rrictl -n "$GW" map add x nexthop dev tun-)"
check_eq "dev after a gateway" "dev" \
	"$(complete_words rrictl map add x nexthop gateway 192.0.2.1 de)"
check_eq "nothing offered for a value typed by hand" "" \
	"$(complete_words rrictl map add x metric "")"
check_eq "no no-group for map add" "no-remote-peer" "$(complete_words rrictl map add x no-)"
check_eq "group names of the namespace for map ... group" "sync" \
	"$(complete_words rrictl -n "$GW" map set hq group s)"
check_eq "group subcommands" "add del set show" "$(complete_words rrictl -n "$GW" group "")"
check_eq "group names of the namespace for group show" "pair sync" \
	"$(complete_words rrictl -n "$GW" group show "")"
check_eq "group names for group set" "pair" "$(complete_words rrictl -n "$GW" group set p)"
check_eq "no group names where a new one is named" "" \
	"$(complete_words rrictl -n "$GW" group add "")"
check_eq "kinds of group add" "manual vip" "$(complete_words rrictl group add x "")"
check_eq "nothing offered for a VIP" "" "$(complete_words rrictl group add x vip "")"
check_eq "replay-interval and hold after the kind" "hold replay-interval" \
	"$(complete_words rrictl group add x vip 192.0.2.9 "")"
check_eq "nothing offered for a hold" "" "$(complete_words rrictl group add x manual hold "")"
check_eq "inbound and outbound after replay-interval, and hold" "hold inbound outbound" \
	"$(complete_words rrictl group add x manual replay-interval "")"
check_eq "each of them once" "hold outbound" \
	"$(complete_words rrictl group add x manual replay-interval inbound 100 "")"
check_eq "roles, replay-interval, hold and release for group set" \
	"active hold release replay-interval standby" "$(complete_words rrictl group set sync "")"
check_eq "one role only" "hold release replay-interval" \
	"$(complete_words rrictl group set sync active "")"
check_eq "peer subcommands" "reset resolve show" "$(complete_words rrictl peer "")"
check_eq "map names for peer reset" "branch hq" "$(complete_words rrictl -n "$GW" peer reset "")"
check_eq "a peer's keywords after peer ADDR" "conn default dynamic" \
	"$(complete_words rrictl map add x peer 192.0.2.1 "" | tr ' ' '\n' | grep -E '^(conn|default|dynamic)$' | paste -sd ' ')"
check_eq "no-peers and no-idle-time for map set" "no-group no-idle-time no-peers no-remote-peer" \
	"$(complete_words rrictl map set x no-)"
check_eq "sa clear's keywords" "map peer" "$(complete_words rrictl sa clear "")"
check_eq "the agent's daemons" "libreswan strongswan" "$(complete_words rrictl agent "")"
check_eq "the strongswan agent's options" "swanctl uri" "$(complete_words rrictl agent strongswan "")"
check_eq "help takes a command" "agent group map monitor peer route sa save stats version" \
	"$(complete_words rrictl help "")"

# Every command of the table is in --help, has a usage, and is in the man
# page's synopsis and COMMANDS section.
commands=$("$RRICTL" --help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }')
check_eq "rrictl --help lists the commands" "version map route group peer sa stats monitor agent save help" \
	"$(echo $commands)"
man=$(MANWIDTH=200 man -l "$RRI_TOP/tools/rrictl/rrictl.8" 2>/dev/null)
synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' <<< "$man")
section=$(sed -n '/^COMMANDS/,/^EXIT STATUS/p' <<< "$man")
for c in $commands; do
	check "man page synopsis has 'rrictl ... $c'" grep -qE "^ +rrictl .*\b$c\b" <<< "$synopsis"
	check "man page COMMANDS has an entry for '$c'" grep -qE "^ {7}$c\b" <<< "$section"
	[ "$c" = help ] && continue
	check_match "rrictl help $c prints its usage" "Usage: rrictl*$c*" "$("$RRICTL" help "$c")"
done

rri_exit
