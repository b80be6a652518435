// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl stats: the event counters of the current network namespace.
 */

#include <inttypes.h>
#include <string.h>

#include "nl.h"
#include "print.h"
#include "rrictl.h"

const char stats_usage[] =
	"Usage: rrictl [OPTIONS] stats [show]\n"
	"       rrictl [OPTIONS] stats reset\n"
	"\n"
	"Show the event counters of the network namespace, or set them all to zero.\n"
	"Both need CAP_NET_ADMIN.\n";

/* In uapi order, which is also the output order; the key doubles as the text label. */
#define COUNTER(attr, key) { RRI_A_STATS_##attr, #key, #key " %" PRIu64 "\n" }
static const struct counter {
	int attr;
	const char *key;
	const char *fmt;
} counters[] = {
	COUNTER(SA_ADD, sa_add),
	COUNTER(SA_UPDATE, sa_update),
	COUNTER(SA_DELETE, sa_delete),
	COUNTER(SA_EXPIRE, sa_expire),
	COUNTER(SA_FLUSH, sa_flush),
	COUNTER(POLICY_ADD, policy_add),
	COUNTER(POLICY_UPDATE, policy_update),
	COUNTER(POLICY_DELETE, policy_delete),
	COUNTER(POLICY_EXPIRE, policy_expire),
	COUNTER(POLICY_FLUSH, policy_flush),
	COUNTER(ACQUIRE, acquire),
	COUNTER(EVENTS_DROPPED, events_dropped),
	COUNTER(ROUTE_ADD, route_add),
	COUNTER(ROUTE_DEL, route_del),
	COUNTER(ROUTE_CONFLICT, route_conflict),
	COUNTER(ROUTE_UNRESOLVED, route_unresolved),
	COUNTER(ROUTE_ERROR, route_error),
	COUNTER(ROUTE_RESTORED, route_restored),
	COUNTER(RESYNC, resync),
};
#undef COUNTER

static int stats_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	struct nlattr *stb[RRI_A_STATS_MAX + 1];
	const struct counter *c;

	/* Counters a newer module adds are above RRI_A_STATS_MAX and skipped here. */
	if (!tb[RRI_A_STATS] || nla_parse_nested(stb, RRI_A_STATS_MAX, tb[RRI_A_STATS], NULL) < 0)
		return -1;

	for (c = counters; c < counters + ARRAY_SIZE(counters); c++) {
		if (!stb[c->attr])
			continue;
		if (nla_len(stb[c->attr]) != sizeof(uint64_t))
			return -1;
		print_u64(c->key, c->fmt, nla_get_u64(stb[c->attr]));
	}
	return 0;
}

static int stats_show(void)
{
	struct nl_msg *msg;

	msg = rri_nl_msg(RRI_CMD_STATS_GET, 0);
	if (!msg)
		return RRICTL_EXIT_FAIL;

	print_open_object(NULL);
	if (rri_nl_transact(msg, "stats show", stats_reply, NULL))
		return RRICTL_EXIT_FAIL;
	print_close_object();
	return 0;
}

static int stats_reset(void)
{
	struct nl_msg *msg;

	msg = rri_nl_msg(RRI_CMD_STATS_RESET, 0);
	if (!msg || rri_nl_transact(msg, "stats reset", NULL, NULL))
		return RRICTL_EXIT_FAIL;
	return 0;
}

int stats_main(int argc, char *argv[])
{
	if (argc > 2)
		return usage_error("stats: unexpected argument '%s'", argv[2]);
	if (argc == 1 || !strcmp(argv[1], "show"))
		return stats_show();
	if (!strcmp(argv[1], "reset"))
		return stats_reset();
	return usage_error("stats: unknown subcommand '%s'", argv[1]);
}
