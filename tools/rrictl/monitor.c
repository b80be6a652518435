// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl monitor: the module's event stream, one line per event.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "group.h"
#include "map.h"
#include "nl.h"
#include "print.h"
#include "route.h"
#include "rrictl.h"

const char monitor_usage[] =
	"Usage: rrictl [OPTIONS] monitor [buffer BYTES]\n"
	"\n"
	"Print what rri does in the network namespace as it happens, one line per\n"
	"event, until interrupted:\n"
	"\n"
	"  TIME route EVENT ROUTE     as route show prints ROUTE, after the change\n"
	"  TIME map EVENT NAME\n"
	"  TIME group EVENT NAME ...  as group show prints it, on one line\n"
	"\n"
	"TIME is UTC with milliseconds. Route events: installed, removed (no policy\n"
	"justifies it any more), conflict, unresolved, skipped, error, lost (the\n"
	"routing table lost it: rri adds it again), restored and standby (withdrawn\n"
	"or held back: its HA group is on standby). Map events: added, changed,\n"
	"deleted. Group events: added, changed, deleted, active and standby (the\n"
	"role changed; the group's routes follow, one route event each), released\n"
	"(the routes a hold kept back went in) and sync (rri-syncd's sync state\n"
	"changed). With -j,\n"
	"one JSON object per line: time, event (e.g. route_installed) and route,\n"
	"map or group as the show commands print them.\n"
	"If rrictl does not keep up, the kernel drops events and rrictl says so\n"
	"(\"events lost\"); show commands tell the state then. buffer sets the\n"
	"socket's receive buffer (default 4194304, one event takes about 2 KiB of\n"
	"it; more than net.core.rmem_max needs CAP_NET_ADMIN in the initial user\n"
	"namespace). Needs CAP_NET_ADMIN.\n";

static const struct name_value event_names[] = {
	{ "route_installed", RRI_EVENT_ROUTE_INSTALLED },
	{ "route_removed", RRI_EVENT_ROUTE_REMOVED },
	{ "route_conflict", RRI_EVENT_ROUTE_CONFLICT },
	{ "route_unresolved", RRI_EVENT_ROUTE_UNRESOLVED },
	{ "route_skipped", RRI_EVENT_ROUTE_SKIPPED },
	{ "route_error", RRI_EVENT_ROUTE_ERROR },
	{ "route_lost", RRI_EVENT_ROUTE_LOST },
	{ "route_restored", RRI_EVENT_ROUTE_RESTORED },
	{ "map_added", RRI_EVENT_MAP_ADDED },
	{ "map_changed", RRI_EVENT_MAP_CHANGED },
	{ "map_deleted", RRI_EVENT_MAP_DELETED },
	{ "route_standby", RRI_EVENT_ROUTE_STANDBY },
	{ "group_added", RRI_EVENT_GROUP_ADDED },
	{ "group_changed", RRI_EVENT_GROUP_CHANGED },
	{ "group_deleted", RRI_EVENT_GROUP_DELETED },
	{ "group_active", RRI_EVENT_GROUP_ACTIVE },
	{ "group_standby", RRI_EVENT_GROUP_STANDBY },
	{ "peer_up", RRI_EVENT_PEER_UP },
	{ "peer_failed", RRI_EVENT_PEER_FAILED },
	{ "peer_lost", RRI_EVENT_PEER_LOST },
	{ "peer_reset", RRI_EVENT_PEER_RESET },
	{ "peer_idle", RRI_EVENT_PEER_IDLE },
	{ "peer_cleared", RRI_EVENT_PEER_CLEARED },
	{ "peer_resolve", RRI_EVENT_PEER_RESOLVE },
	{ "peer_resolved", RRI_EVENT_PEER_RESOLVED },
	{ "group_released", RRI_EVENT_GROUP_RELEASED },
	{ "group_sync", RRI_EVENT_GROUP_SYNC },
	{ NULL, 0 },
};

/* 2026-11-29T15:04:05.123Z from nanoseconds since the epoch. */
static void print_event_time(uint64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000);
	char buf[sizeof("YYYY-MM-DDTHH:MM:SS.mmmZ") + 8];
	struct tm tm;

	if (!gmtime_r(&secs, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03uZ",
		 (unsigned int)(ns / 1000000 % 1000));
	print_string("time", "%s", buf);
}

/* The peer an event is about (RRI_A_PEER_SEL): its first address, its name. */
static void print_event_peer(struct nlattr *sel)
{
	struct nlattr *addr = nla_find(nla_data(sel), nla_len(sel), RRI_A_PEER_ADDR);
	struct nlattr *name = nla_find(nla_data(sel), nla_len(sel), RRI_A_PEER_NAME);
	char buf[PREFIX_STRLEN];
	struct prefix p;

	if (addr && !prefix_get(addr, &p))
		print_string("peer", " peer %s", prefix_str(&p, false, buf));
	if (name)
		print_string("peer_name", " (%s)", nla_get_string(name));
}

static int print_map_event(struct nlattr *tb[RRI_A_MAX + 1])
{
	struct nlattr *name;
	int ret = 0;

	if (print_json()) {
		ret = map_print(tb, "map");
	} else {
		/* Text: the name; map show has the rest. */
		if (!tb[RRI_A_MAP])
			return -1;
		name = nla_find(nla_data(tb[RRI_A_MAP]), nla_len(tb[RRI_A_MAP]), RRI_A_MAP_NAME);
		if (!name)
			return -1;
		print_textf(" %.*s", (int)strnlen(nla_data(name), nla_len(name)),
			    (const char *)nla_data(name));
	}
	if (tb[RRI_A_PEER_SEL])
		print_event_peer(tb[RRI_A_PEER_SEL]);
	print_text("\n");
	return ret;
}

static int event_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	const char *name;
	unsigned int ev;
	char word[32];
	int ret;

	if (!tb) {
		fflush(stdout);
		pr_err("monitor: events lost: rrictl did not keep up");
		return 0;
	}
	if (!tb[RRI_A_EVENT] || !tb[RRI_A_TIME])
		return -1;
	ev = nla_get_u8(tb[RRI_A_EVENT]);
	name = name_of(event_names, ev);
	if (!name)
		return -1;

	print_open_object(NULL);
	print_event_time(nla_get_u64(tb[RRI_A_TIME]));
	/* Text: "route installed" */
	snprintf(word, sizeof(word), " %s", name);
	*strchr(word, '_') = ' ';
	print_string("event", word, name);
	if (tb[RRI_A_GROUP]) {
		print_text(" ");
		ret = group_print(tb, "group", true);
	} else if (tb[RRI_A_MAP]) {
		ret = print_map_event(tb);
	} else {
		print_text(" ");
		ret = route_print(tb, "route");
	}
	print_close_object();
	if (ret)
		return ret;
	return print_flush();
}

int monitor_main(int argc, char *argv[])
{
	uint64_t size = 4 << 20;

	if (argc > 1 && strcmp(argv[1], "buffer"))
		return usage_error("monitor: unknown keyword '%s'", argv[1]);
	if (argc == 2)
		return usage_error("monitor: missing value for 'buffer'");
	if (argc > 2 && (!parse_number(argv[2], '\0', INT32_MAX / 2, &size) || !size))
		return usage_error("monitor: invalid value '%s' for 'buffer'", argv[2]);
	if (argc > 3)
		return usage_error("monitor: unexpected argument '%s'", argv[3]);
	/* Each event is written as it comes, so a pipe sees it at once. */
	return rri_nl_listen(RRI_MCGRP_EVENTS, (int)size, event_reply, NULL) ?
	       RRICTL_EXIT_FAIL : 0;
}
