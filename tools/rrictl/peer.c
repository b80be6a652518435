// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl peer: the preferred peers of the maps: show, reset, resolve.
 */

#include <inttypes.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "addr.h"
#include "map.h"
#include "nl.h"
#include "peer.h"
#include "print.h"
#include "rrictl.h"

const char peer_usage[] =
	"Usage: rrictl [OPTIONS] peer show [map NAME]\n"
	"       rrictl [OPTIONS] peer reset MAP\n"
	"       rrictl [OPTIONS] peer resolve MAP HOST\n"
	"\n"
	"peer show lists, for each map with a peer list, the current peer, the\n"
	"default and the idle time, and each peer with its counts: connection\n"
	"attempts, failures, SAs and the seconds it was current.\n"
	"peer reset makes the map's first peer current again.\n"
	"peer resolve resolves HOST, the DNS name of a peer of MAP, and gives the\n"
	"peer its addresses now (rrictl agent does it when rri asks); a name that\n"
	"does not resolve counts as a failed attempt.\n";

static const struct nla_policy show_map_policy[RRI_A_MAP_MAX + 1] = {
	[RRI_A_MAP_NAME]	= { .type = NLA_STRING },
	[RRI_A_MAP_PEERS]	= { .type = NLA_NESTED },
	[RRI_A_MAP_IDLE_TIME]	= { .type = NLA_U32 },
};

/* The first address of a peer nest, as text; NULL if it has none. */
static const char *peer_addr(struct nlattr *ptb[RRI_A_PEER_MAX + 1], char buf[PREFIX_STRLEN])
{
	struct prefix p;

	if (!ptb[RRI_A_PEER_ADDR] || prefix_get(ptb[RRI_A_PEER_ADDR], &p))
		return NULL;
	return prefix_str(&p, false, buf);
}

static int peer_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg)
{
	struct nlattr *m[RRI_A_MAP_MAX + 1], *ptb[RRI_A_PEER_MAX + 1], *peer;
	const char *only = arg, *cur = NULL, *def = NULL;
	char buf[PREFIX_STRLEN], cbuf[PREFIX_STRLEN], dbuf[PREFIX_STRLEN];
	int rem;

	if (!tb[RRI_A_MAP] ||
	    nla_parse_nested(m, RRI_A_MAP_MAX, tb[RRI_A_MAP], show_map_policy) < 0 ||
	    !m[RRI_A_MAP_NAME])
		return -1;
	if (!m[RRI_A_MAP_PEERS] || (only && strcmp(only, nla_get_string(m[RRI_A_MAP_NAME]))))
		return 0;
	nla_for_each_nested(peer, m[RRI_A_MAP_PEERS], rem) {
		if (nla_parse_nested(ptb, RRI_A_PEER_MAX, peer, map_peer_policy) < 0)
			return -1;
		if (ptb[RRI_A_PEER_CURRENT])
			cur = peer_addr(ptb, cbuf);
		if (ptb[RRI_A_PEER_DEFAULT])
			def = peer_addr(ptb, dbuf);
	}
	print_open_object(NULL);
	print_string("map", "map %s", nla_get_string(m[RRI_A_MAP_NAME]));
	print_string("current", " current %s", cur ? cur : "-");
	if (def)
		print_string("default", " default %s", def);
	else
		print_null("default");
	if (m[RRI_A_MAP_IDLE_TIME])
		print_u32_attr("idle_time", " idle-time %" PRIu64, m[RRI_A_MAP_IDLE_TIME]);
	else
		print_null("idle_time");
	print_text("\n");
	print_open_array("peers");
	nla_for_each_nested(peer, m[RRI_A_MAP_PEERS], rem) {
		if (nla_parse_nested(ptb, RRI_A_PEER_MAX, peer, map_peer_policy) < 0)
			return -1;
		print_open_object(NULL);
		print_string("address", "    peer %s", peer_addr(ptb, buf) ?: "-");
		if (ptb[RRI_A_PEER_NAME])
			print_string("name", " (%s)", nla_get_string(ptb[RRI_A_PEER_NAME]));
		else
			print_null("name");
		print_bool("default", " default", !!ptb[RRI_A_PEER_DEFAULT]);
		if (ptb[RRI_A_PEER_CONN])
			print_string("conn", " conn %s", nla_get_string(ptb[RRI_A_PEER_CONN]));
		else
			print_null("conn");
		print_u32_attr("attempts", " attempts %" PRIu64, ptb[RRI_A_PEER_ATTEMPTS]);
		print_u32_attr("failures", " failures %" PRIu64, ptb[RRI_A_PEER_FAILURES]);
		print_u32_attr("sas", " sas %" PRIu64, ptb[RRI_A_PEER_SAS]);
		print_u32_attr("time_current", " time-current %" PRIu64, ptb[RRI_A_PEER_TIME]);
		print_text("\n");
		print_close_object();
	}
	print_close_array();
	print_close_object();
	return 0;
}

static int peer_show(int argc, char *argv[])
{
	const char *only = NULL;
	struct nl_msg *msg;

	if (argc > 2) {
		if (strcmp(argv[2], "map") || argc != 4)
			return usage_error("peer show: expected 'map NAME'");
		only = argv[3];
	}
	msg = map_msg(RRI_CMD_MAP_GET, only ? 0 : NLM_F_DUMP, only);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	print_open_array(NULL);
	if (rri_nl_transact(msg, "peer show", peer_reply, (void *)only))
		return RRICTL_EXIT_FAIL;
	print_close_array();
	return 0;
}

static int peer_reset(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc != 3)
		return usage_error("peer reset: expected MAP");
	msg = map_msg(RRI_CMD_PEER_RESET, 0, argv[2]);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	return rri_nl_transact(msg, "peer reset", NULL, NULL) ? RRICTL_EXIT_FAIL : 0;
}

/**
 * peer_resolve_send() - resolve a peer's name and give the module the answer
 * @map: the map
 * @host: the DNS name of one of its peers
 *
 * A name that does not resolve is sent without addresses: the module counts
 * a failed attempt.
 *
 * Return: 0, or an exit code after printing an error.
 */
int peer_resolve_send(const char *map, const char *host)
{
	struct prefix addrs[RRI_PEER_ADDRS_MAX];
	const char *why = NULL;
	struct nlattr *nest;
	struct nl_msg *msg;
	int n, i, ret;

	n = resolve_host(host, addrs, RRI_PEER_ADDRS_MAX, &why);
	msg = map_msg(RRI_CMD_PEER_RESOLVE, 0, map);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	nest = nla_nest_start(msg, RRI_A_PEER_SEL | NLA_F_NESTED);
	ret = !nest || nla_put_string(msg, RRI_A_PEER_NAME, host) < 0;
	for (i = 0; i < n && !ret; i++)
		ret = prefix_put(msg, RRI_A_PEER_ADDR, &addrs[i], false) < 0;
	if (ret) {
		nlmsg_free(msg);
		pr_err("out of memory");
		return RRICTL_EXIT_FAIL;
	}
	nla_nest_end(msg, nest);
	if (rri_nl_transact(msg, "peer resolve", NULL, NULL))
		return RRICTL_EXIT_FAIL;
	if (n < 0) {
		pr_err("peer resolve: %s does not resolve: %s", host, why);
		return RRICTL_EXIT_FAIL;
	}
	return 0;
}

int peer_main(int argc, char *argv[])
{
	if (argc >= 2 && !strcmp(argv[1], "resolve")) {
		if (argc != 4)
			return usage_error("peer resolve: expected MAP HOST");
		return peer_resolve_send(argv[2], argv[3]);
	}
	if (argc == 1 || !strcmp(argv[1], "show"))
		return peer_show(argc, argv);
	if (!strcmp(argv[1], "reset"))
		return peer_reset(argc, argv);
	return usage_error("peer: unknown command '%s'", argv[1]);
}
