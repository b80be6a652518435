// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl route: the routes rri derived from the policies its maps own.
 */

#include <inttypes.h>
#include <string.h>

#include "addr.h"
#include "map.h"
#include "nl.h"
#include "print.h"
#include "route.h"
#include "rrictl.h"

const char route_usage[] =
	"Usage: rrictl [OPTIONS] route [show [map NAME]]\n"
	"\n"
	"Show the routes rri derived, installed or not, or only those of map NAME, one\n"
	"per line:\n"
	"\n"
	"  PREFIX [via GW] [dev DEV] table T metric N [tag N] proto P map NAME\n"
	"      peer ADDR state STATE [reason R] since TIME refs N [kind peer]\n"
	"\n"
	"STATE is installed (the FIB holds it), unresolved (no next hop that leads\n"
	"into the encrypting path), conflict (an identical route rri did not install\n"
	"exists), standby (its map's HA group is on standby: kept out of the table\n"
	"until the group is active), skipped (a prefix of length 0) or error (the\n"
	"kernel refused the route, or it is being added again).\n"
	"R says why a route is unresolved: no-path (no route to the peer),\n"
	"no-xfrm-if (no running XFRM interface has the policy's if_id), mark (the\n"
	"policy only matches marked traffic), dev (the map's device or VRF is down\n"
	"or gone) or family (the gateway is of the other family).\n"
	"TIME is when the state last changed, in UTC. Needs CAP_NET_ADMIN.\n"
	"kind peer marks a remote-peer route to a tunnel endpoint.\n";

static const struct name_value state_names[] = {
	{ "installed", RRI_ROUTE_STATE_INSTALLED },
	{ "unresolved", RRI_ROUTE_STATE_UNRESOLVED },
	{ "conflict", RRI_ROUTE_STATE_CONFLICT },
	{ "standby", RRI_ROUTE_STATE_STANDBY },
	{ "skipped", RRI_ROUTE_STATE_SKIPPED },
	{ "error", RRI_ROUTE_STATE_ERROR },
	{ NULL, 0 },
};

static const struct name_value reason_names[] = {
	{ "no-path", RRI_ROUTE_REASON_NO_PATH },
	{ "no-xfrm-if", RRI_ROUTE_REASON_NO_XFRM_IF },
	{ "mark", RRI_ROUTE_REASON_MARK },
	{ "dev", RRI_ROUTE_REASON_DEV },
	{ "family", RRI_ROUTE_REASON_FAMILY },
	{ NULL, 0 },
};

static const struct name_value kind_names[] = {
	{ "proxy", RRI_ROUTE_KIND_PROXY },
	{ "peer", RRI_ROUTE_KIND_PEER },
	{ NULL, 0 },
};

static const struct nla_policy route_policy[RRI_A_ROUTE_MAX + 1] = {
	[RRI_A_ROUTE_DST]	= { .type = NLA_NESTED },
	[RRI_A_ROUTE_TABLE]	= { .type = NLA_U32 },
	[RRI_A_ROUTE_METRIC]	= { .type = NLA_U32 },
	[RRI_A_ROUTE_PROTO]	= { .type = NLA_U8 },
	[RRI_A_ROUTE_GATEWAY]	= { .type = NLA_NESTED },
	[RRI_A_ROUTE_OIF]	= { .type = NLA_U32 },
	[RRI_A_ROUTE_TAG]	= { .type = NLA_U32 },
	[RRI_A_ROUTE_REASON]	= { .type = NLA_U8 },
	[RRI_A_ROUTE_MAP]	= { .type = NLA_STRING },
	[RRI_A_ROUTE_PEER]	= { .type = NLA_NESTED },
	[RRI_A_ROUTE_STATE]	= { .type = NLA_U8 },
	[RRI_A_ROUTE_SINCE]	= { .type = NLA_U64 },
	[RRI_A_ROUTE_REFS]	= { .type = NLA_U32 },
	[RRI_A_ROUTE_KIND]	= { .type = NLA_U8 },
};

/* The destination, its family, and the next hop: "PREFIX via GW dev DEV". */
static int print_dst(struct nlattr *rtb[RRI_A_ROUTE_MAX + 1])
{
	char buf[PREFIX_STRLEN];
	struct prefix p;

	if (!rtb[RRI_A_ROUTE_DST] || prefix_get(rtb[RRI_A_ROUTE_DST], &p))
		return -1;
	print_string("prefix", "%s", prefix_str(&p, true, buf));
	print_name("family", NULL, family_names, p.family);

	if (print_prefix_attr("gateway", " via %s", rtb[RRI_A_ROUTE_GATEWAY], false))
		return -1;
	print_dev_attr("dev", " dev %s", rtb[RRI_A_ROUTE_OIF]);
	return 0;
}

/**
 * route_print() - print the route of a reply or event: one line, one object
 * @tb: the message's attributes, with RRI_A_ROUTE
 * @key: the object's key in the enclosing object, NULL for a list element
 *
 * Return: 0, or -1 if the route is malformed.
 */
int route_print(struct nlattr *tb[RRI_A_MAX + 1], const char *key)
{
	struct nlattr *rtb[RRI_A_ROUTE_MAX + 1];

	if (!tb[RRI_A_ROUTE] ||
	    nla_parse_nested(rtb, RRI_A_ROUTE_MAX, tb[RRI_A_ROUTE], route_policy) < 0)
		return -1;

	print_open_object(key);
	if (print_dst(rtb))
		return -1;
	print_u32_attr("table", " table %" PRIu64, rtb[RRI_A_ROUTE_TABLE]);
	print_u32_attr("metric", " metric %" PRIu64, rtb[RRI_A_ROUTE_METRIC]);
	print_u32_attr("tag", " tag %" PRIu64, rtb[RRI_A_ROUTE_TAG]);
	if (rtb[RRI_A_ROUTE_PROTO])
		print_u64("proto", " proto %" PRIu64, nla_get_u8(rtb[RRI_A_ROUTE_PROTO]));
	if (rtb[RRI_A_ROUTE_MAP])
		print_string("map", " map %s", nla_get_string(rtb[RRI_A_ROUTE_MAP]));
	if (print_prefix_attr("peer", " peer %s", rtb[RRI_A_ROUTE_PEER], false))
		return -1;
	if (rtb[RRI_A_ROUTE_STATE])
		print_name("state", " state %s", state_names, nla_get_u8(rtb[RRI_A_ROUTE_STATE]));
	if (rtb[RRI_A_ROUTE_REASON])
		print_name("reason", " reason %s", reason_names,
			   nla_get_u8(rtb[RRI_A_ROUTE_REASON]));
	if (rtb[RRI_A_ROUTE_SINCE])
		print_time("since", " since %s", nla_get_u64(rtb[RRI_A_ROUTE_SINCE]));
	print_u32_attr("refs", " refs %" PRIu64, rtb[RRI_A_ROUTE_REFS]);
	if (rtb[RRI_A_ROUTE_KIND]) {
		uint8_t kind = nla_get_u8(rtb[RRI_A_ROUTE_KIND]);

		/* Routes to remote proxies are the rule; text marks only the others. */
		print_name("kind", kind == RRI_ROUTE_KIND_PROXY ? NULL : " kind %s",
			   kind_names, kind);
	}
	print_text("\n");
	print_close_object();
	return 0;
}

static int route_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	return route_print(tb, NULL);
}

int route_main(int argc, char *argv[])
{
	const char *map = NULL;
	struct nl_msg *msg;
	int i;

	if (argc > 1 && strcmp(argv[1], "show"))
		return usage_error("route: unknown subcommand '%s'", argv[1]);
	for (i = 2; i < argc; i += 2) {
		if (strcmp(argv[i], "map"))
			return usage_error("route show: unknown keyword '%s'", argv[i]);
		if (map)
			return usage_error("route show: 'map' given twice");
		if (i + 1 == argc)
			return usage_error("route show: missing value for 'map'");
		map = argv[i + 1];
	}

	msg = map_msg(RRI_CMD_ROUTE_GET, NLM_F_DUMP, map);
	if (!msg)
		return RRICTL_EXIT_FAIL;

	print_open_array(NULL);
	if (rri_nl_transact(msg, "route show", route_reply, NULL))
		return RRICTL_EXIT_FAIL;
	print_close_array();
	return 0;
}
